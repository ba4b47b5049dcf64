//! Whitespace normalization for comparing SQL text (view bodies, defaults,
//! check expressions) read back from different sources.

use schemasync_model::Dialect;

use crate::lexer::Lexer;
use crate::syntax::Syntax;

/// Collapses every run of whitespace and comments between tokens to one space
/// and trims the ends. Strings, quoted identifiers and dollar quotes are copied
/// untouched.
///
/// Without a dialect, `"`/backtick quotes, `''` escapes, `E'...'` and dollar
/// quotes are recognized and `#` is not a comment; use
/// [`normalize_whitespace_in`] for MySQL text with backslash escapes. Text that
/// cannot be lexed (an unterminated string) is copied verbatim from there on.
///
/// ```
/// assert_eq!(schemasync_sql::normalize_whitespace("a  +\n /* x */ b  = ' c  d '"), "a + b = ' c  d '");
/// ```
pub fn normalize_whitespace(sql: &str) -> String {
    normalize(sql, Syntax::generic())
}

/// [`normalize_whitespace`] with the lexical rules of `dialect`.
pub fn normalize_whitespace_in(sql: &str, dialect: Dialect) -> String {
    normalize(sql, Syntax::for_dialect(dialect))
}

fn normalize(sql: &str, syntax: Syntax) -> String {
    let mut lexer = Lexer::new(sql, syntax);
    let mut out = String::with_capacity(sql.len());
    let mut gap = false;
    loop {
        match lexer.next_token() {
            Ok(None) => break,
            Ok(Some(token)) if !token.kind.is_significant() => gap = !out.is_empty(),
            Ok(Some(token)) => {
                push_gap(&mut out, &mut gap);
                out.push_str(&sql[token.start..token.end]);
            }
            Err(e) => {
                push_gap(&mut out, &mut gap);
                out.push_str(&sql[e.start..]);
                break;
            }
        }
    }
    out
}

fn push_gap(out: &mut String, gap: &mut bool) {
    if *gap {
        out.push(' ');
        *gap = false;
    }
}
