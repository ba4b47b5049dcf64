//! `CREATE VIEW name [(columns)] AS select`.

use super::constraints::name_list;
use super::cursor::Cursor;
use super::tokenizer::{Token, TokenKind, tokenize};
use super::{ParseError, create_header};

/// What the CREATE VIEW text says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ViewDef {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    /// The query after AS, normalized.
    pub(crate) definition: String,
    /// Every identifier in the query, unquoted, for dependency detection.
    pub(crate) identifiers: Vec<String>,
}

/// Parse a stored CREATE VIEW statement.
pub(crate) fn parse_create_view(sql: &str) -> Result<ViewDef, ParseError> {
    let toks = tokenize(sql);
    let mut cur = Cursor::new(sql, &toks);
    create_header(&mut cur, "VIEW")?;
    let name = cur.qualified_name()?;
    let columns = if cur.peek_kind(TokenKind::LParen) { name_list(&mut cur)? } else { Vec::new() };
    cur.expect_kw("AS")?;
    let rest = cur.pos..toks.len();
    if rest.is_empty() {
        return Err(cur.unexpected("a query"));
    }
    let identifiers = identifiers(sql, toks.get(rest.clone()).unwrap_or(&[]));
    Ok(ViewDef { name, columns, definition: cur.text(rest), identifiers })
}

/// Unquoted identifiers among tokens (bare words and quoted identifiers; not
/// string literals).
pub(crate) fn identifiers(src: &str, toks: &[Token]) -> Vec<String> {
    toks.iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
        .filter_map(|t| t.ident_value(src))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_with_columns() {
        let def =
            parse_create_view("CREATE VIEW \"v\" (\"x\", y) AS SELECT a ,  b\nFROM \"t t\" WHERE c = 'u'").unwrap();
        assert_eq!(def.name, "v");
        assert_eq!(def.columns, vec!["x", "y"]);
        assert_eq!(def.definition, "SELECT a, b FROM \"t t\" WHERE c = 'u'");
        assert!(def.identifiers.contains(&"t t".to_owned()));
        assert!(!def.identifiers.contains(&"u".to_owned()));
    }

    #[test]
    fn view_without_query_is_an_error() {
        assert!(parse_create_view("CREATE VIEW v AS").is_err());
        assert!(parse_create_view("CREATE VIEW v SELECT 1").is_err());
    }
}
