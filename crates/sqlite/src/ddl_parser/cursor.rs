//! A cursor over tokens with the few moves the DDL parsers need.

use std::ops::Range;

use super::ParseError;
use super::tokenizer::{Token, TokenKind};
use crate::normalize::join_tokens;

/// Position in a token list of one statement.
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    pub(crate) src: &'a str,
    pub(crate) toks: &'a [Token],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(src: &'a str, toks: &'a [Token]) -> Self {
        Cursor { src, toks, pos: 0 }
    }

    pub(crate) fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.pos)
    }

    pub(crate) fn peek_at(&self, offset: usize) -> Option<&'a Token> {
        self.toks.get(self.pos + offset)
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    pub(crate) fn advance(&mut self) {
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
    }

    pub(crate) fn peek_kw(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| t.is_kw(self.src, kw))
    }

    pub(crate) fn peek_kind(&self, kind: TokenKind) -> bool {
        self.peek().is_some_and(|t| t.kind == kind)
    }

    /// Consume the keyword if it is next.
    pub(crate) fn eat_kw(&mut self, kw: &str) -> bool {
        let found = self.peek_kw(kw);
        if found {
            self.advance();
        }
        found
    }

    /// Consume a sequence of keywords if all of them are next.
    pub(crate) fn eat_kws(&mut self, kws: &[&str]) -> bool {
        let all = kws.iter().enumerate().all(|(i, kw)| self.peek_at(i).is_some_and(|t| t.is_kw(self.src, kw)));
        if all {
            self.pos += kws.len();
        }
        all
    }

    pub(crate) fn eat_kind(&mut self, kind: TokenKind) -> bool {
        let found = self.peek_kind(kind);
        if found {
            self.advance();
        }
        found
    }

    pub(crate) fn expect_kw(&mut self, kw: &str) -> Result<(), ParseError> {
        if self.eat_kw(kw) { Ok(()) } else { Err(self.unexpected(kw)) }
    }

    /// An error saying what was expected and what was found instead.
    pub(crate) fn unexpected(&self, expected: &str) -> ParseError {
        let found = match self.peek() {
            Some(t) => format!("`{}`", t.text(self.src)),
            None => "the end of the statement".to_owned(),
        };
        ParseError::new(format!("expected {expected}, found {found}"))
    }

    /// A name: bare word, quoted identifier or string literal, unquoted.
    pub(crate) fn name(&mut self) -> Result<String, ParseError> {
        let value = self.peek().and_then(|t| t.ident_value(self.src));
        match value {
            Some(v) => {
                self.advance();
                Ok(v)
            }
            None => Err(self.unexpected("a name")),
        }
    }

    /// `[schema.]name`, returning the unqualified name.
    pub(crate) fn qualified_name(&mut self) -> Result<String, ParseError> {
        let first = self.name()?;
        if self.eat_kind(TokenKind::Dot) { self.name() } else { Ok(first) }
    }

    /// At `(`: consume through the matching `)` and return the token range
    /// strictly inside the parentheses.
    pub(crate) fn group(&mut self) -> Result<Range<usize>, ParseError> {
        if !self.peek_kind(TokenKind::LParen) {
            return Err(self.unexpected("`(`"));
        }
        let open = self.pos;
        let mut depth = 0usize;
        while let Some(tok) = self.peek() {
            match tok.kind {
                TokenKind::LParen => depth += 1,
                TokenKind::RParen => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.advance();
                        return Ok(open + 1..self.pos - 1);
                    }
                }
                _ => {}
            }
            self.advance();
        }
        Err(ParseError::new("unbalanced parentheses".to_owned()))
    }

    /// Normalized text of a token range.
    pub(crate) fn text(&self, range: Range<usize>) -> String {
        join_tokens(self.src, self.toks.get(range).unwrap_or(&[]))
    }

    /// A cursor over a sub-range of the same tokens.
    pub(crate) fn sub(&self, range: Range<usize>) -> Cursor<'a> {
        Cursor { src: self.src, toks: self.toks.get(range).unwrap_or(&[]), pos: 0 }
    }
}

/// Split a token range at top-level commas.
pub(crate) fn split_commas(toks: &[Token], range: Range<usize>) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = range.start;
    for i in range.clone() {
        match toks.get(i).map(|t| t.kind) {
            Some(TokenKind::LParen) => depth += 1,
            Some(TokenKind::RParen) => depth = depth.saturating_sub(1),
            Some(TokenKind::Comma) if depth == 0 => {
                parts.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < range.end || !parts.is_empty() {
        parts.push(start..range.end);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl_parser::tokenizer::tokenize;

    #[test]
    fn groups_and_commas() {
        let src = "(a, f(b, c), (d)) tail";
        let toks = tokenize(src);
        let mut cur = Cursor::new(src, &toks);
        let inner = cur.group().unwrap();
        assert!(cur.peek_kw("tail"));
        let parts: Vec<String> = split_commas(&toks, inner).into_iter().map(|r| cur.text(r)).collect();
        assert_eq!(parts, vec!["a", "f(b, c)", "(d)"]);
    }

    #[test]
    fn unbalanced_group_is_an_error() {
        let src = "(a, (b)";
        let toks = tokenize(src);
        assert!(Cursor::new(src, &toks).group().is_err());
    }
}
