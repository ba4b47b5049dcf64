//! Reading a `.sql` schema script exactly: SQLite itself runs it in a private
//! in-memory database, then that database is introspected.
//!
//! The script is split into statements first and each is prepared on its
//! own. Handing SQLite the whole script would be quadratic: for a text that
//! is not NUL-terminated, every prepare copies the whole remaining script
//! (35 MB took over a minute). Each piece must then be exactly one complete
//! statement, so a split that disagrees with SQLite's own tokenizer fails
//! loudly instead of running something else.

use rusqlite::Connection;
use rusqlite::limits::Limit;
use schemasync_model::Dialect;
use schemasync_sql::split_statements_located;

use crate::{Introspection, SqliteError, introspect};

/// How many characters of a failing statement an error quotes.
const QUOTED_CHARS: usize = 60;

/// Run `sql` in a fresh in-memory database and introspect the result.
///
/// Errors name the line and column in `sql` and quote the first words of the
/// statement, never the rest of the script.
pub fn load_sql(sql: &str) -> Result<Introspection, SqliteError> {
    if let Some(at) = sql.find('\0') {
        let (line, column) = line_column(sql, at);
        return Err(SqliteError::Script {
            message: format!(
                "line {line}, column {column}: the script holds a NUL byte, which SQLite would take as its end"
            ),
        });
    }
    let statements =
        split_statements_located(sql, Dialect::Sqlite).map_err(|e| SqliteError::Script { message: e.to_string() })?;
    let conn = Connection::open_in_memory()?;
    // A schema script has no business touching files: ATTACH could create one.
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    // Seed rows may come in any order relative to their parents; only the schema matters here.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let mut starts = Starts::new(sql);
    for statement in &statements {
        let start = starts.find(statement.line, &statement.sql);
        if first_word(&statement.sql).eq_ignore_ascii_case("VACUUM") {
            return Err(failed(
                sql,
                start,
                &statement.sql,
                None,
                "VACUUM is refused in a schema script (VACUUM INTO writes a file)",
            ));
        }
        run(&conn, &statement.sql).map_err(|(offset, message)| failed(sql, start, &statement.sql, offset, &message))?;
    }
    introspect(&conn)
}

/// Runs one statement; on failure, the byte offset in it that SQLite blames
/// (if it names one) and its message.
fn run(conn: &Connection, sql: &str) -> Result<(), (Option<usize>, String)> {
    let result = (|| {
        let mut statement = conn.prepare(sql)?;
        let mut rows = statement.raw_query();
        while rows.next()?.is_some() {}
        Ok(())
    })();
    result.map_err(|e| match e {
        rusqlite::Error::SqlInputError { msg, offset, .. } => (usize::try_from(offset).ok(), msg),
        rusqlite::Error::MultipleStatement => {
            (None, "this piece holds more than one statement where one was expected".to_owned())
        }
        rusqlite::Error::SqliteFailure(_, Some(msg)) => (None, msg),
        other => (None, other.to_string()),
    })
}

/// The error for a statement starting at byte `start` of `script`.
fn failed(script: &str, start: usize, statement: &str, offset: Option<usize>, message: &str) -> SqliteError {
    let at = start + offset.filter(|o| *o <= statement.len() && statement.is_char_boundary(*o)).unwrap_or(0);
    let (line, column) = line_column(script, at);
    SqliteError::Script { message: format!("line {line}, column {column}: {message} (in `{}`)", quoted(statement)) }
}

/// Finds where each statement begins in the script. Statements come in
/// order, so the scan only moves forward and the whole load stays linear.
struct Starts<'a> {
    script: &'a str,
    /// A byte offset no later than the next statement's start...
    offset: usize,
    /// ...and the 1-based line it is on.
    line: usize,
}

impl<'a> Starts<'a> {
    fn new(script: &'a str) -> Self {
        Starts { script, offset: 0, line: 1 }
    }

    /// Where the statement whose text begins on `line` starts: its text is
    /// a slice of the script, searched from the start of that line.
    fn find(&mut self, line: usize, statement: &str) -> usize {
        while self.line < line {
            match self.script[self.offset..].find('\n') {
                Some(n) => {
                    self.offset += n + 1;
                    self.line += 1;
                }
                None => break,
            }
        }
        let start = self.script[self.offset..].find(statement).map_or(self.offset, |at| self.offset + at);
        let end = start + statement.len();
        self.line += self.script[self.offset..end.min(self.script.len())].matches('\n').count();
        self.offset = self.script[..end.min(self.script.len())].rfind('\n').map_or(0, |n| n + 1).max(self.offset);
        start
    }
}

/// 1-based line and column (in characters) of byte `at` of `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn first_word(statement: &str) -> &str {
    statement.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("")
}

/// The first words of a statement, on one line.
fn quoted(statement: &str) -> String {
    let flat: String = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(sql: &str) -> String {
        load_sql(sql).expect_err("refused").to_string()
    }

    #[test]
    fn loads_a_script_with_triggers_and_seed_rows() {
        let sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n\
                   INSERT INTO t VALUES (1, 'a;b');\n\
                   CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = 'x;' WHERE id = NEW.id; END;\n\
                   -- trailing comment";
        let found = load_sql(sql).expect("loads");
        assert_eq!(found.schema.tables.len(), 1);
        assert_eq!(found.schema.triggers.len(), 1);
    }

    #[test]
    fn a_syntax_error_names_line_and_column_and_quotes_only_its_statement() {
        let sql = "CREATE TABLE a (id INTEGER);\n\n  CREATE TABLE b (id INTEGER);\nCREATE TABLE c (id INTEGER,\n  name TEXT NOT NUL);\nCREATE TABLE secret_rest (x INTEGER);";
        let message = error(sql);
        assert!(message.contains("line 5, column 17"), "{message}");
        assert!(message.contains("CREATE TABLE c (id INTEGER, name TEXT NOT NUL)"), "{message}");
        assert!(!message.contains("secret_rest"), "{message}");
    }

    #[test]
    fn a_runtime_error_names_the_statement_line() {
        let message =
            error("CREATE TABLE a (id INTEGER);\nINSERT INTO missing VALUES (1);\nCREATE TABLE z (id INTEGER);");
        assert!(message.starts_with("the SQL script failed: line 2, column 1"), "{message}");
        assert!(message.contains("no such table: missing"), "{message}");
    }

    #[test]
    fn nul_bytes_and_vacuum_into_are_refused() {
        let message = error("CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id\0 INTEGER);");
        assert!(message.contains("line 2, column 19") && message.contains("NUL"), "{message}");
        assert!(error("CREATE TABLE a (id INTEGER);\nVACUUM INTO '/tmp/x.db';").contains("VACUUM"));
        assert!(error("ATTACH DATABASE '/tmp/x.db' AS x;").contains("line 1"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let message = error("CREATE TABLE \"é\" (id INTEGER);\nSELECT 'é', FROM x;");
        assert!(message.contains("line 2, column 13"), "{message}");
    }
}
