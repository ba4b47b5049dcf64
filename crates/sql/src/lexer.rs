//! A tokenizer that knows just enough SQL to tell code from strings, quoted
//! identifiers and comments. Tokens are byte spans into the input, so the text
//! of anything quoted is reproduced exactly.

use crate::syntax::Syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Whitespace,
    LineComment,
    BlockComment,
    /// Strings, quoted identifiers, dollar quotes and executable comments:
    /// opaque text that is part of the statement.
    Quoted,
    Word,
    /// The current statement terminator (`;` unless changed by `DELIMITER`).
    Terminator,
    Other,
}

impl TokenKind {
    /// Whether the token is code rather than whitespace or a comment.
    pub(crate) fn is_significant(self) -> bool {
        !matches!(self, TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Something opened at byte `start` was never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unterminated {
    pub what: &'static str,
    pub start: usize,
}

#[derive(Debug)]
pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    syntax: Syntax,
    terminator: String,
}

// Every byte the lexer branches on is ASCII, and bytes >= 0x80 always belong
// to words, so every span boundary falls on a UTF-8 character boundary.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn is_tag_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str, syntax: Syntax) -> Self {
        Lexer { src, pos: 0, syntax, terminator: ";".to_owned() }
    }

    pub(crate) fn set_terminator(&mut self, terminator: &str) {
        self.terminator = terminator.to_owned();
    }

    pub(crate) fn terminator(&self) -> &str {
        &self.terminator
    }

    /// Continue lexing at `pos`, which must be a character boundary at or after
    /// the current position.
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos.clamp(self.pos, self.src.len());
    }

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes().get(i).copied()
    }

    fn at_terminator(&self, i: usize) -> bool {
        !self.terminator.is_empty() && self.bytes()[i..].starts_with(self.terminator.as_bytes())
    }

    pub(crate) fn next_token(&mut self) -> Result<Option<Token>, Unterminated> {
        let start = self.pos;
        let Some(b) = self.at(start) else { return Ok(None) };
        let (kind, end) = if self.at_terminator(start) {
            (TokenKind::Terminator, start + self.terminator.len())
        } else {
            self.lex_at(start, b)?
        };
        self.pos = end;
        Ok(Some(Token { kind, start, end }))
    }

    fn lex_at(&self, start: usize, b: u8) -> Result<(TokenKind, usize), Unterminated> {
        let next = self.at(start + 1);
        let s = &self.syntax;
        Ok(match b {
            _ if is_space(b) => (TokenKind::Whitespace, self.skip_while(start, is_space)),
            b'-' if next == Some(b'-') && self.dash_comment_allowed(start + 2) => {
                (TokenKind::LineComment, self.line_end(start))
            }
            b'#' if s.hash_comments => (TokenKind::LineComment, self.line_end(start)),
            b'/' if next == Some(b'*') => self.block_comment(start)?,
            b'\'' => (TokenKind::Quoted, self.quoted(start, b'\'', s.backslash_escapes, "single-quoted string")?),
            b'"' if s.double_quote_is_string => {
                (TokenKind::Quoted, self.quoted(start, b'"', s.backslash_escapes, "double-quoted string")?)
            }
            b'"' => (TokenKind::Quoted, self.quoted(start, b'"', false, "double-quoted identifier")?),
            b'`' if s.backtick_identifiers => {
                (TokenKind::Quoted, self.quoted(start, b'`', false, "backtick-quoted identifier")?)
            }
            b'[' if s.bracket_identifiers => (TokenKind::Quoted, self.bracketed(start)?),
            b'$' if s.dollar_quotes => match self.dollar_quote(start)? {
                Some(end) => (TokenKind::Quoted, end),
                None => (TokenKind::Other, start + 1),
            },
            b'e' | b'E' if s.escape_string_prefix && next == Some(b'\'') => {
                (TokenKind::Quoted, self.quoted(start + 1, b'\'', true, "escape string")?)
            }
            _ if is_word_byte(b) => (TokenKind::Word, self.word_end(start)),
            _ => (TokenKind::Other, start + 1),
        })
    }

    fn skip_while(&self, from: usize, pred: fn(u8) -> bool) -> usize {
        let bytes = self.bytes();
        let mut i = from;
        while i < bytes.len() && pred(bytes[i]) {
            i += 1;
        }
        i
    }

    fn word_end(&self, start: usize) -> usize {
        let bytes = self.bytes();
        let mut i = start + 1;
        // A custom delimiter such as `$$` or `//` ends a word: `END$$` is `END` then `$$`.
        while i < bytes.len() && is_word_byte(bytes[i]) && !self.at_terminator(i) {
            i += 1;
        }
        i
    }

    fn dash_comment_allowed(&self, after: usize) -> bool {
        !self.syntax.dash_comment_needs_space || self.at(after).is_none_or(|c| c.is_ascii_whitespace() || c < 0x20)
    }

    /// The end of a line comment: just before the newline, so the newline is
    /// whitespace.
    fn line_end(&self, start: usize) -> usize {
        self.bytes()[start..].iter().position(|&c| c == b'\n').map_or(self.src.len(), |n| start + n)
    }

    fn block_comment(&self, start: usize) -> Result<(TokenKind, usize), Unterminated> {
        let bytes = self.bytes();
        let executable = self.syntax.executable_comments
            && (bytes[start + 2..].starts_with(b"!") || bytes[start + 2..].starts_with(b"M!"));
        let (kind, what) = if executable {
            (TokenKind::Quoted, "executable comment")
        } else {
            (TokenKind::BlockComment, "block comment")
        };
        let mut depth = 1usize;
        let mut i = start + 2;
        while i + 1 < bytes.len() {
            if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Ok((kind, i));
                }
            } else if self.syntax.nested_block_comments && bytes[i] == b'/' && bytes[i + 1] == b'*' {
                depth += 1;
                i += 2;
            } else {
                i += 1;
            }
        }
        Err(Unterminated { what, start })
    }

    /// The end of a quoted token opened by `quote` at `open`; a doubled quote
    /// stands for itself.
    fn quoted(&self, open: usize, quote: u8, backslash: bool, what: &'static str) -> Result<usize, Unterminated> {
        let bytes = self.bytes();
        let mut i = open + 1;
        while i < bytes.len() {
            let c = bytes[i];
            if backslash && c == b'\\' {
                i += 2;
            } else if c == quote {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return Ok(i + 1);
                }
            } else {
                i += 1;
            }
        }
        Err(Unterminated { what, start: open })
    }

    fn bracketed(&self, open: usize) -> Result<usize, Unterminated> {
        match self.bytes()[open + 1..].iter().position(|&c| c == b']') {
            Some(n) => Ok(open + 1 + n + 1),
            None => Err(Unterminated { what: "bracket-quoted identifier", start: open }),
        }
    }

    /// `$tag$ ... $tag$`; `None` when the `$` does not open a dollar quote
    /// (e.g. the parameter `$1`).
    fn dollar_quote(&self, open: usize) -> Result<Option<usize>, Unterminated> {
        let bytes = self.bytes();
        let tag_start = open + 1;
        if bytes.get(tag_start).is_some_and(u8::is_ascii_digit) {
            return Ok(None);
        }
        let tag_end = self.skip_while(tag_start, is_tag_byte);
        if bytes.get(tag_end) != Some(&b'$') {
            return Ok(None);
        }
        let delimiter = &bytes[open..=tag_end];
        let body = tag_end + 1;
        match bytes[body..].windows(delimiter.len()).position(|w| w == delimiter) {
            Some(n) => Ok(Some(body + n + delimiter.len())),
            None => Err(Unterminated { what: "dollar-quoted string", start: open }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemasync_model::Dialect;

    fn kinds(sql: &str, dialect: Dialect) -> Vec<(TokenKind, &str)> {
        let mut lexer = Lexer::new(sql, Syntax::for_dialect(dialect));
        let mut out = Vec::new();
        while let Some(t) = lexer.next_token().ok().flatten() {
            out.push((t.kind, &sql[t.start..t.end]));
        }
        out
    }

    #[test]
    fn mysql_double_dash_needs_space() {
        let toks = kinds("1--1", Dialect::MySql);
        assert!(toks.iter().all(|(k, _)| *k != TokenKind::LineComment));
        let toks = kinds("1 -- c", Dialect::MySql);
        assert_eq!(toks.last(), Some(&(TokenKind::LineComment, "-- c")));
        let toks = kinds("1--1", Dialect::Postgres);
        assert_eq!(toks.last(), Some(&(TokenKind::LineComment, "--1")));
    }

    #[test]
    fn dollar_parameters_are_not_quotes() {
        let toks = kinds("$1 + $2", Dialect::Postgres);
        assert!(toks.iter().all(|(k, _)| *k != TokenKind::Quoted));
    }

    #[test]
    fn identifiers_may_contain_dollars() {
        let toks = kinds("a$b$ $x$;$x$", Dialect::Postgres);
        assert_eq!(toks[0], (TokenKind::Word, "a$b$"));
        assert_eq!(toks[2], (TokenKind::Quoted, "$x$;$x$"));
    }

    #[test]
    fn postgres_block_comments_nest() {
        let toks = kinds("/* a /* b */ c */x", Dialect::Postgres);
        assert_eq!(toks[0], (TokenKind::BlockComment, "/* a /* b */ c */"));
        let toks = kinds("/* a /* b */x", Dialect::Sqlite);
        assert_eq!(toks[0], (TokenKind::BlockComment, "/* a /* b */"));
    }

    #[test]
    fn escape_strings_and_brackets() {
        let toks = kinds(r"E'it\'s' [a;b]", Dialect::Postgres);
        assert_eq!(toks[0], (TokenKind::Quoted, r"E'it\'s'"));
        let toks = kinds("[a;b]", Dialect::Sqlite);
        assert_eq!(toks[0], (TokenKind::Quoted, "[a;b]"));
    }

    #[test]
    fn non_ascii_words() {
        let toks = kinds("é名 ;", Dialect::Sqlite);
        assert_eq!(toks[0], (TokenKind::Word, "é名"));
        assert_eq!(toks[2], (TokenKind::Terminator, ";"));
    }
}
