//! `CREATE VIRTUAL TABLE name USING module(args)`.

use super::cursor::Cursor;
use super::tokenizer::{tokenize, tokenize_head};
use super::{ParseError, create_header};

/// A virtual table: its name and everything after `USING`, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VirtualTableDef {
    pub(crate) name: String,
    pub(crate) using: String,
    /// The module name (`fts5`), lowercased, to recognise its shadow tables.
    pub(crate) module: String,
}

/// Whether stored table DDL creates a virtual table.
pub(crate) fn is_virtual_table(sql: &str) -> bool {
    let toks = tokenize_head(sql, 2);
    let mut cur = Cursor::new(sql, &toks);
    cur.eat_kw("CREATE") && cur.eat_kw("VIRTUAL")
}

/// Parse a stored CREATE VIRTUAL TABLE statement.
pub(crate) fn parse_create_virtual(sql: &str) -> Result<VirtualTableDef, ParseError> {
    let toks = tokenize(sql);
    let mut cur = Cursor::new(sql, &toks);
    create_header(&mut cur, "TABLE")?;
    let name = cur.qualified_name()?;
    cur.expect_kw("USING")?;
    let start = cur.pos;
    let module = cur.name()?.to_ascii_lowercase();
    Ok(VirtualTableDef { name, using: cur.text(start..toks.len()), module })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_module_and_arguments() {
        let sql = "CREATE VIRTUAL TABLE \"docs\" USING FTS5( title,  body , tokenize = 'porter  ascii' )";
        assert!(is_virtual_table(sql));
        assert!(!is_virtual_table("CREATE TABLE virtual (a)"));
        let def = parse_create_virtual(sql).unwrap();
        assert_eq!(def.name, "docs");
        assert_eq!(def.module, "fts5");
        assert_eq!(def.using, "FTS5(title, body, tokenize = 'porter  ascii')");
        assert_eq!(parse_create_virtual("CREATE VIRTUAL TABLE x USING m").unwrap().using, "m");
    }
}
