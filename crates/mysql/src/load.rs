//! Reading a `.sql` schema script exactly: the server itself runs it in a
//! scratch database, which is then introspected and dropped (see
//! `scratch.rs` for how none is ever left behind).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use mysql_async::prelude::Queryable;
use schemasync_model::Dialect;
use schemasync_sql::{LocatedStatement, split_statements_located};

use crate::conn::Flavor;
use crate::scratch::{self, AbandonGuard, Interrupt};
use crate::{IntrospectOptions, Introspection, MySqlConfig, MySqlConnection, MySqlError, conn};

/// How many characters of a statement an error quotes: enough to recognise
/// it, never the whole script.
const PREVIEW_CHARS: usize = 60;

/// Run `sql` in a new scratch database on the server of `config`, read the
/// resulting schema and drop the scratch database again, whether the script
/// ran or not. The script is split the way the `mysql` client splits it
/// (`DELIMITER` included) and run statement by statement; a failing
/// statement is reported with the line (and, for syntax errors, column) in
/// the script and its first words.
///
/// When `config` names an existing database, the scratch database gets its
/// default character set and collation, so that a script that does not
/// name them reads as it would there. Scratch databases left by runs that
/// died are removed first (see [`crate::sweep_scratch_databases`]).
pub async fn load_sql(config: &MySqlConfig, sql: &str) -> Result<Introspection, MySqlError> {
    load_sql_interruptible(config, sql, &Interrupt::new()).await
}

/// [`load_sql`] that stops when `interrupt` is set. If the returned future
/// is dropped before it finishes, the scratch database is dropped from a
/// connection of its own before the drop returns (waiting at most 10 s);
/// should even that fail, the next load on the server removes it.
pub async fn load_sql_interruptible(
    config: &MySqlConfig,
    sql: &str,
    interrupt: &Interrupt,
) -> Result<Introspection, MySqlError> {
    let statements = split_statements_located(sql, Dialect::MySql)?;
    if interrupt.is_interrupted() {
        return Err(interrupted(None));
    }
    let mut admin = conn::open(config, None).await?;
    let result = load_on(&mut admin, config, sql, &statements, interrupt).await;
    let _ = admin.disconnect().await;
    result
}

async fn load_on(
    admin: &mut mysql_async::Conn,
    config: &MySqlConfig,
    sql: &str,
    statements: &[LocatedStatement],
    interrupt: &Interrupt,
) -> Result<Introspection, MySqlError> {
    let flavor = conn::read_flavor(admin).await?;
    let defaults = match config.database_opt() {
        Some(db) => database_defaults(admin, db).await?,
        None => None,
    };
    if let Err(error) = scratch::sweep(admin).await {
        tracing::warn!(%error, "could not look for abandoned scratch databases");
    }
    let name = scratch::claim(admin).await?;
    let quoted = Dialect::MySql.quote_ident(&name);
    let mut create = format!("CREATE DATABASE {quoted}");
    if let Some((charset, collation)) = defaults {
        create.push_str(&format!(" CHARACTER SET {charset} COLLATE {collation}"));
    }
    if let Err(e) = admin.query_drop(create).await {
        scratch::unlock(admin, &name).await;
        return Err(e.into());
    }
    let loader = Arc::new(AtomicU32::new(0));
    let mut guard = AbandonGuard { config: config.clone(), name: Some(name.clone()), loader: loader.clone() };
    let running = AtomicUsize::new(usize::MAX);
    // The script runs on a session of its own: it cannot release the lock
    // (RELEASE_ALL_LOCKS), and killing it leaves the lock with its owner.
    let (result, killed) = tokio::select! {
        found = run(config, &name, flavor, sql, statements, &running, &loader) => (found, 0),
        () = interrupt.wait() => {
            let index = running.load(Ordering::SeqCst);
            (Err(interrupted(statements.get(index).map(|s| (index, s)))), loader.load(Ordering::SeqCst))
        }
    };
    let dropped = scratch::drop_scratch(admin, &name, killed).await;
    if dropped.is_ok() {
        guard.name = None;
    }
    scratch::unlock(admin, &name).await;
    let introspection = result?;
    dropped?;
    Ok(introspection)
}

async fn run(
    config: &MySqlConfig,
    name: &str,
    flavor: Flavor,
    sql: &str,
    statements: &[LocatedStatement],
    running: &AtomicUsize,
    loader: &AtomicU32,
) -> Result<Introspection, MySqlError> {
    let raw = conn::open(config, None).await?;
    loader.store(raw.id(), Ordering::SeqCst);
    let mut connection = MySqlConnection::new(raw, name.to_owned(), flavor);
    let result = run_and_read(&mut connection, sql, statements, running).await;
    let _ = connection.close().await;
    result
}

async fn run_and_read(
    connection: &mut MySqlConnection,
    sql: &str,
    statements: &[LocatedStatement],
    running: &AtomicUsize,
) -> Result<Introspection, MySqlError> {
    let use_scratch = format!("USE {}", Dialect::MySql.quote_ident(connection.database()));
    connection.run(&use_scratch).await?;
    let offsets = statement_offsets(sql, statements);
    for (index, statement) in statements.iter().enumerate() {
        running.store(index, Ordering::SeqCst);
        connection.run(&statement.sql).await.map_err(|e| MySqlError::Script {
            index,
            line: statement.line,
            message: located_message(sql, statement, offsets.get(index).copied().flatten(), &e),
        })?;
    }
    running.store(usize::MAX, Ordering::SeqCst);
    // The script may have switched databases with USE.
    connection.run(&use_scratch).await?;
    connection.introspect(&IntrospectOptions::default()).await
}

fn interrupted(at: Option<(usize, &LocatedStatement)>) -> MySqlError {
    match at {
        Some((index, statement)) => MySqlError::Script {
            index,
            line: statement.line,
            message: format!("interrupted (statement `{}`)", preview(&statement.sql)),
        },
        None => MySqlError::Script { index: 0, line: 1, message: "interrupted before the script ran".to_owned() },
    }
}

/// The server's message with the place in the script: MySQL and MariaDB
/// say where a syntax error is as "near '<rest of the statement>' at line
/// N" of the statement, which becomes the file's line and column of where
/// that quoted text starts (the server's own choice: the offending token,
/// or in some grammar states the one after it).
fn located_message(sql: &str, statement: &LocatedStatement, offset: Option<usize>, e: &mysql_async::Error) -> String {
    let message = MySqlError::server_message(e);
    let first_words = preview(&statement.sql);
    let Some((near, relative_line, tail_at)) = syntax_error_place(&message) else {
        return format!("at line {} (statement `{first_words}`): {message}", statement.line);
    };
    let line = statement.line + relative_line.saturating_sub(1);
    let message = format!("{} at line {line}", &message[..tail_at]);
    let inner = offset.and_then(|_| position_in_statement(&statement.sql, near, relative_line));
    match (offset, inner) {
        (Some(start), Some(inner)) => {
            let (line, column) = line_column(sql, start + inner);
            format!("at line {line}, column {column} (statement `{first_words}`): {message}")
        }
        _ => format!("at line {line} (statement `{first_words}`): {message}"),
    }
}

/// From "... near 'xyz' at line 3": the quoted text, 3, and where " at line" starts.
fn syntax_error_place(message: &str) -> Option<(&str, usize, usize)> {
    let tail_at = message.rfind(" at line ")?;
    let relative_line: usize = message[tail_at + " at line ".len()..].trim().parse().ok()?;
    let before = &message[..tail_at];
    let near = before.strip_suffix('\'')?;
    let start = near.find("near '")? + "near '".len();
    Some((&near[start..], relative_line, tail_at))
}

/// Byte offset in `statement` of the text the server quoted (at most 80
/// characters of the rest of the statement), looked for from the
/// statement's line `relative_line`.
fn position_in_statement(statement: &str, near: &str, relative_line: usize) -> Option<usize> {
    if near.is_empty() {
        return Some(statement.len());
    }
    let line_start = if relative_line <= 1 {
        0
    } else {
        statement.match_indices('\n').nth(relative_line - 2).map(|(i, _)| i + 1)?
    };
    statement[line_start..].find(near).map(|i| line_start + i)
}

/// The byte offset of each statement in `script`, found in order from the
/// line the splitter says it starts on (statement texts are verbatim slices
/// of the script). `None` when a statement cannot be found, which only
/// costs its column.
fn statement_offsets(script: &str, statements: &[LocatedStatement]) -> Vec<Option<usize>> {
    let mut line_starts = vec![0];
    line_starts.extend(script.match_indices('\n').map(|(i, _)| i + 1));
    let mut cursor = 0;
    statements
        .iter()
        .map(|statement| {
            let line_start = line_starts.get(statement.line.saturating_sub(1)).copied().unwrap_or(cursor);
            let from = cursor.max(line_start);
            let found = script.get(from..).and_then(|rest| rest.find(&statement.sql)).map(|i| from + i);
            if let Some(at) = found {
                cursor = at + statement.sql.len();
            }
            found
        })
        .collect()
}

/// 1-based line and column (in characters) of byte `offset` of `script`.
fn line_column(script: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(script.len());
    while !script.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &script[..offset];
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, 1 + before[line_start..].chars().count())
}

/// The first words of a statement on one line.
fn preview(sql: &str) -> String {
    let joined = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= PREVIEW_CHARS {
        return joined;
    }
    let cut: String = joined.chars().take(PREVIEW_CHARS).collect();
    format!("{}...", cut.trim_end())
}

/// Default character set and collation of an existing database, as plain words.
async fn database_defaults(
    conn: &mut mysql_async::Conn,
    database: &str,
) -> Result<Option<(String, String)>, MySqlError> {
    let found: Option<(String, String)> = conn
        .exec_first(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME = ?",
            (database,),
        )
        .await?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    Ok(found.filter(|(charset, collation)| plain(charset) && plain(collation)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_place_of_a_syntax_error() {
        let message = "ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that \
                       corresponds to your MariaDB server version for the right syntax to use near 'NOTT NULL\n)' \
                       at line 4";
        let (near, line, tail) = syntax_error_place(message).unwrap();
        assert_eq!((near, line), ("NOTT NULL\n)", 4));
        assert!(message[..tail].ends_with("NULL\n)'"));
        let statement = "CREATE TABLE c (\n  id int,\n  name text,\n  abc bool NOTT NULL\n)";
        assert_eq!(position_in_statement(statement, near, line), statement.find("NOTT"));
        assert_eq!(position_in_statement(statement, "", 1), Some(statement.len()));
        assert_eq!(syntax_error_place("ERROR 1050 (42S01): Table 'a' already exists"), None);
    }

    #[test]
    fn maps_statement_offsets_to_file_lines_and_columns() {
        let script = "-- CREATE TABLE a (id int)\nCREATE TABLE a (id int); CREATE TABLE b (\n  x int\n)";
        let statements = split_statements_located(script, Dialect::MySql).unwrap();
        let offsets = statement_offsets(script, &statements);
        assert_eq!(offsets, [Some(27), Some(52)]);
        assert_eq!(line_column(script, offsets[1].unwrap() + statements[1].sql.find('x').unwrap()), (3, 3));
        assert_eq!(preview("CREATE\n  TABLE t"), "CREATE TABLE t");
    }
}
