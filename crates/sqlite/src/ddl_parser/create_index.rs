//! `CREATE [UNIQUE] INDEX name ON table (parts) [WHERE expr]`.

use std::ops::Range;

use super::cursor::{Cursor, split_commas};
use super::tokenizer::{TokenKind, tokenize};
use super::{ParseError, create_header};

/// What the CREATE INDEX text says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexDef {
    pub(crate) name: String,
    pub(crate) unique: bool,
    pub(crate) table: String,
    pub(crate) parts: Vec<IndexPartDef>,
    pub(crate) predicate: Option<String>,
}

/// One key part as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexPartDef {
    /// The column name or expression, normalized, without enclosing parentheses.
    pub(crate) text: String,
    /// An explicit `COLLATE`, unquoted.
    pub(crate) collation: Option<String>,
    pub(crate) descending: bool,
}

/// Parse a stored CREATE INDEX statement.
pub(crate) fn parse_create_index(sql: &str) -> Result<IndexDef, ParseError> {
    let toks = tokenize(sql);
    let mut cur = Cursor::new(sql, &toks);
    let unique = create_header(&mut cur, "INDEX")?;
    let name = cur.qualified_name()?;
    cur.expect_kw("ON")?;
    let table = cur.name()?;
    let inner = cur.group()?;
    let mut parts = Vec::new();
    for range in split_commas(&toks, inner) {
        parts.push(index_part(&cur, range)?);
    }
    let predicate = if cur.eat_kw("WHERE") { Some(cur.text(cur.pos..toks.len())) } else { None };
    if predicate.is_none() && !cur.at_end() {
        return Err(cur.unexpected("WHERE or the end of the statement"));
    }
    Ok(IndexDef { name, unique, table, parts, predicate })
}

fn index_part(cur: &Cursor<'_>, range: Range<usize>) -> Result<IndexPartDef, ParseError> {
    let Range { start, mut end } = range;
    let kw_at = |i: usize, kw: &str| cur.toks.get(i).is_some_and(|t| t.is_kw(cur.src, kw));
    let mut descending = false;
    if end > start + 1 && (kw_at(end - 1, "ASC") || kw_at(end - 1, "DESC")) {
        descending = kw_at(end - 1, "DESC");
        end -= 1;
    }
    let mut collation = None;
    if end > start + 2 && kw_at(end - 2, "COLLATE") {
        collation = cur.toks.get(end - 1).and_then(|t| t.ident_value(cur.src));
        end -= 2;
    }
    let (start, end) = strip_enclosing_parens(cur, start, end);
    if start >= end {
        return Err(ParseError::new("empty index key part".to_owned()));
    }
    Ok(IndexPartDef { text: cur.text(start..end), collation, descending })
}

/// `((a + b))` → `a + b`: parentheses around a whole key part carry no meaning,
/// and dropping them keeps expressions stable whether or not an emitter adds them.
fn strip_enclosing_parens(cur: &Cursor<'_>, mut start: usize, mut end: usize) -> (usize, usize) {
    while end > start + 1 && cur.toks.get(start).is_some_and(|t| t.kind == TokenKind::LParen) {
        let mut sub = cur.sub(start..end);
        match sub.group() {
            Ok(_) if sub.at_end() => {
                start += 1;
                end -= 1;
            }
            _ => break,
        }
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_collations_and_predicate() {
        let def = parse_create_index(
            "CREATE UNIQUE INDEX IF NOT EXISTS \"i x\" ON \"t\" (\"a\" COLLATE \"NOCASE\" DESC, (lower(b)), \
             (a) + (b) ASC, c) WHERE c IS NOT NULL AND  a > 0",
        )
        .unwrap();
        assert!(def.unique);
        assert_eq!((def.name.as_str(), def.table.as_str()), ("i x", "t"));
        let texts: Vec<_> = def.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["\"a\"", "lower(b)", "(a) + (b)", "c"]);
        assert_eq!(def.parts[0].collation.as_deref(), Some("NOCASE"));
        assert!(def.parts[0].descending && !def.parts[2].descending);
        assert_eq!(def.predicate.as_deref(), Some("c IS NOT NULL AND a > 0"));
    }

    #[test]
    fn plain_index() {
        let def = parse_create_index("CREATE INDEX i ON t(a)").unwrap();
        assert!(!def.unique && def.predicate.is_none());
        assert_eq!(def.parts.len(), 1);
        assert!(parse_create_index("CREATE INDEX i ON t(a) junk").is_err());
    }
}
