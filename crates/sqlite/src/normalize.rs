//! The one whitespace normalizer for SQL text kept in the model (defaults,
//! CHECK and generated expressions, view definitions, trigger bodies, ...).
//!
//! Tokens are kept exactly as written (case, quoting, literals); only the
//! space between them changes. The result is stable: normalizing it again
//! gives the same text, which is what makes introspect → emit → introspect
//! round trips exact.

use crate::ddl_parser::tokenizer::{Token, TokenKind, tokenize};

/// Collapse whitespace and comments between tokens to a single space, with no
/// space after `(` or before `)` and `,`. Tokens that were written adjacent
/// stay adjacent; the inside of string literals and quoted identifiers is
/// never touched.
///
/// ```
/// use schemasync_sqlite::normalize_sql_text;
/// assert_eq!(normalize_sql_text("SELECT  a ,b -- note\n FROM ( t )"), "SELECT a,b FROM (t)");
/// assert_eq!(normalize_sql_text("'a   b'||\"c  d\""), "'a   b'||\"c  d\"");
/// ```
pub fn normalize_sql_text(s: &str) -> String {
    join_tokens(s, &tokenize(s))
}

/// Render a run of tokens of `src` with normalized spacing.
pub(crate) fn join_tokens(src: &str, tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Token> = None;
    for token in tokens {
        if let Some(prev) = prev {
            let gap = prev.end != token.start;
            let suppressed =
                prev.kind == TokenKind::LParen || matches!(token.kind, TokenKind::RParen | TokenKind::Comma);
            if gap && !suppressed {
                out.push(' ');
            }
        }
        out.push_str(token.text(src));
        prev = Some(token);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize_sql_text as n;

    #[test]
    fn collapses_space_and_comments() {
        assert_eq!(n("  a\n\t+  b  "), "a + b");
        assert_eq!(n("a/* c */b"), "a b");
        assert_eq!(n("f( x ,  y )"), "f(x, y)");
        assert_eq!(n("f(x,y)"), "f(x,y)");
        assert_eq!(n("a -- trailing"), "a");
    }

    #[test]
    fn keeps_literals_and_quoted_names() {
        assert_eq!(n("'  ' ||  \"a  b\" || [c  d]"), "'  ' || \"a  b\" || [c  d]");
        assert_eq!(n("'it''s  ok'"), "'it''s  ok'");
    }

    #[test]
    fn is_idempotent() {
        for s in ["SELECT a ,  ( b )FROM t WHERE x IN (1 , 2)", "BEGIN\n  INSERT INTO t VALUES (1);\nEND", "- -1"] {
            let once = n(s);
            assert_eq!(n(&once), once);
        }
    }
}
