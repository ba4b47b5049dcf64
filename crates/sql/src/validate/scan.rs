//! Model text as the target's lexer sees it: the significant tokens, and
//! the lexical facts every rule refuses (a NUL byte, something left open,
//! MySQL executable comments).

use schemasync_model::Dialect;

use crate::lexer::{Lexer, TokenKind};
use crate::syntax::Syntax;

/// A significant token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    /// A bare word or number.
    Word(&'a str),
    /// A string literal (also `E'..'`, `$tag$..$tag$`, MySQL `"..."`).
    Str(&'a str),
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`).
    Ident(&'a str),
    /// `;`.
    Semi,
    /// Any other single byte.
    Punct(u8),
}

impl Tok<'_> {
    /// Whether this is the bare word `keyword` (ASCII case-insensitive).
    pub(super) fn is_word(&self, keyword: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    pub(super) fn is_punct(&self, byte: u8) -> bool {
        *self == Tok::Punct(byte)
    }
}

/// The significant tokens of a text, and what it held besides them.
#[derive(Debug, Default)]
pub(super) struct Scanned<'a> {
    pub tokens: Vec<Tok<'a>>,
    /// Byte range of each token in the text.
    pub spans: Vec<(usize, usize)>,
    /// A `--` (or MySQL `#`) comment: it would swallow whatever emit writes
    /// after the text on the same line.
    pub line_comment: bool,
    pub block_comment: bool,
    /// The text ends inside a line comment.
    pub ends_in_line_comment: bool,
}

/// Lex `text` as `dialect` does. Refuses a NUL byte (engines disagree on
/// where text ends at one), anything unterminated, and MySQL `/*! ... */`
/// comments, whose contents the server runs.
pub(super) fn scan(text: &str, dialect: Dialect) -> Result<Scanned<'_>, String> {
    scan_with(text, Syntax::for_dialect(dialect))
}

/// Lex MySQL text as a session with `sql_mode` flags ANSI_QUOTES (`"` quotes
/// identifiers) and NO_BACKSLASH_ESCAPES (a backslash is an ordinary
/// character in strings) reads it.
pub(super) fn scan_mysql(text: &str, ansi_quotes: bool, backslash_escapes: bool) -> Result<Scanned<'_>, String> {
    let syntax =
        Syntax { double_quote_is_string: !ansi_quotes, backslash_escapes, ..Syntax::for_dialect(Dialect::MySql) };
    scan_with(text, syntax)
}

fn scan_with(text: &str, syntax: Syntax) -> Result<Scanned<'_>, String> {
    if text.contains('\0') {
        return Err("a NUL byte is not allowed".to_owned());
    }
    let mut lexer = Lexer::new(text, syntax);
    let mut out = Scanned::default();
    loop {
        let token = match lexer.next_token() {
            Ok(Some(token)) => token,
            Ok(None) => break,
            Err(open) => return Err(format!("unterminated {}", open.what)),
        };
        let span = &text[token.start..token.end];
        out.ends_in_line_comment = false;
        match token.kind {
            TokenKind::Whitespace => {}
            TokenKind::LineComment => {
                out.line_comment = true;
                out.ends_in_line_comment = true;
            }
            TokenKind::BlockComment => out.block_comment = true,
            TokenKind::Quoted if span.starts_with("/*") => {
                return Err("a MySQL executable comment (`/*! ... */`) is not allowed".to_owned());
            }
            TokenKind::Quoted => out.tokens.push(classify_quoted(span, syntax)),
            TokenKind::Word => out.tokens.push(Tok::Word(span)),
            TokenKind::Terminator => out.tokens.push(Tok::Semi),
            TokenKind::Other => out.tokens.push(Tok::Punct(span.as_bytes()[0])),
        }
        if token.kind.is_significant() {
            out.spans.push((token.start, token.end));
        }
    }
    Ok(out)
}

fn classify_quoted(span: &str, syntax: Syntax) -> Tok<'_> {
    match span.as_bytes()[0] {
        b'"' if syntax.double_quote_is_string => Tok::Str(span),
        b'"' | b'`' | b'[' => Tok::Ident(span),
        _ => Tok::Str(span),
    }
}

/// The name a quoted identifier or bare word stands for (`"a""b"` is `a"b`);
/// bare words keep their spelling.
pub(super) fn identifier_text(token: &Tok<'_>) -> Option<String> {
    match token {
        Tok::Word(w) => Some((*w).to_owned()),
        Tok::Ident(quoted) => {
            let close = match quoted.as_bytes()[0] {
                b'[' => return Some(quoted[1..quoted.len() - 1].to_owned()),
                other => other as char,
            };
            let inner = &quoted[1..quoted.len() - 1];
            Some(inner.replace(&format!("{close}{close}"), &close.to_string()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_identifiers_per_dialect() {
        let s = scan(r#""a" 'b' `c`"#, Dialect::MySql).unwrap();
        assert_eq!(s.tokens, [Tok::Str("\"a\""), Tok::Str("'b'"), Tok::Ident("`c`")]);
        let s = scan(r#""a" 'b' $x$;$x$"#, Dialect::Postgres).unwrap();
        assert_eq!(s.tokens, [Tok::Ident("\"a\""), Tok::Str("'b'"), Tok::Str("$x$;$x$")]);
        assert_eq!(identifier_text(&Tok::Ident("\"a\"\"b\"")).as_deref(), Some("a\"b"));
        assert_eq!(identifier_text(&Tok::Ident("[a b]")).as_deref(), Some("a b"));
    }

    #[test]
    fn refusals() {
        assert!(scan("a\0b", Dialect::Sqlite).unwrap_err().contains("NUL"));
        assert!(scan("'open", Dialect::Postgres).unwrap_err().contains("unterminated"));
        assert!(scan("/*! DROP TABLE x */", Dialect::MySql).unwrap_err().contains("executable"));
        // MySQL backslash escapes: the quote after the backslash does not close.
        assert!(scan(r"'a\'; DROP TABLE x; --", Dialect::MySql).unwrap_err().contains("unterminated"));
        let s = scan("1 -- c", Dialect::Postgres).unwrap();
        assert!(s.line_comment && s.ends_in_line_comment);
        let s = scan("1 # c\n", Dialect::MySql).unwrap();
        assert!(s.line_comment && !s.ends_in_line_comment);
    }
}
