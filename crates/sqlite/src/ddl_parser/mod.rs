//! Parsers for the DDL text SQLite keeps in `sqlite_master`.
//!
//! Pragmas do not expose constraint names, CHECK expressions, collations as
//! written, generated expressions or deferrability, so the stored CREATE
//! statements are read with a small tokenizer and one parser per statement
//! kind. Each parser returns plain data; `introspect` merges it with pragmas.

pub(crate) mod constraints;
pub(crate) mod create_index;
pub(crate) mod create_table;
pub(crate) mod create_trigger;
pub(crate) mod create_view;
pub(crate) mod create_virtual;
pub(crate) mod cursor;
pub(crate) mod tokenizer;

use std::fmt;

/// What a DDL parser could not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) message: String,
}

impl ParseError {
    pub(crate) fn new(message: String) -> Self {
        ParseError { message }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Skip `CREATE [TEMP|TEMPORARY] [UNIQUE|VIRTUAL] <kind> [IF NOT EXISTS]`,
/// returning whether UNIQUE was present.
pub(crate) fn create_header(cur: &mut cursor::Cursor<'_>, kind: &str) -> Result<bool, ParseError> {
    cur.expect_kw("CREATE")?;
    let _ = cur.eat_kw("TEMP") || cur.eat_kw("TEMPORARY");
    let unique = cur.eat_kw("UNIQUE");
    let _ = cur.eat_kw("VIRTUAL");
    cur.expect_kw(kind)?;
    let _ = cur.eat_kws(&["IF", "NOT", "EXISTS"]);
    Ok(unique)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every prefix of hostile DDL parses or fails cleanly: never a panic.
    #[test]
    fn truncated_input_never_panics() {
        let samples = [
            "CREATE TABLE \"a\"\"b\" (x INT PRIMARY KEY AUTOINCREMENT, [y z] DEFAULT (1+'ä'), CONSTRAINT c \
             FOREIGN KEY (x) REFERENCES p (q) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED) WITHOUT ROWID",
            "CREATE UNIQUE INDEX i ON t ((a) COLLATE x DESC, b) WHERE /* c */ a > x'00'",
            "CREATE VIEW v (a) AS SELECT `q``r` FROM t -- x",
            "CREATE TRIGGER t INSTEAD OF UPDATE OF a, b ON v WHEN (1) BEGIN SELECT 'e;'; END",
            "CREATE VIRTUAL TABLE d USING fts5(a, tokenize='x')",
        ];
        for sample in samples {
            for (cut, _) in sample.char_indices() {
                let sql = &sample[..cut];
                let _ = create_table::parse_create_table(sql);
                let _ = create_index::parse_create_index(sql);
                let _ = create_view::parse_create_view(sql);
                let _ = create_trigger::parse_create_trigger(sql);
                let _ = create_virtual::parse_create_virtual(sql);
                let _ = crate::normalize_sql_text(sql);
            }
        }
    }
}
