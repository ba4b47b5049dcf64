//! A lenient tokenizer for SQLite SQL text.
//!
//! It never fails: the text it reads was accepted by SQLite (it comes from
//! `sqlite_master`) or is only being normalized, so an unterminated literal or
//! comment simply runs to the end of the input.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word: identifier or keyword.
    Word,
    /// `"x"`, `` `x` `` or `[x]`.
    QuotedIdent,
    /// `'x'`.
    String,
    /// `x'00ff'`.
    Blob,
    /// `12`, `1.5e3`, `0x1F`.
    Number,
    /// `?1`, `:name`, `@name`, `$name`.
    Variable,
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `,`.
    Comma,
    /// `;`.
    Semicolon,
    /// `.`.
    Dot,
    /// Operators and anything else.
    Other,
}

/// A token: its kind and byte span in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Token {
    /// The token's source text.
    pub(crate) fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether this is the bare keyword `kw` (case-insensitive). Quoted
    /// identifiers are never keywords.
    pub(crate) fn is_kw(&self, src: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.text(src).eq_ignore_ascii_case(kw)
    }

    /// The name this token denotes when used as an identifier: bare words as
    /// written, quoted identifiers and strings unquoted.
    pub(crate) fn ident_value(&self, src: &str) -> Option<String> {
        let text = self.text(src);
        match self.kind {
            TokenKind::Word => Some(text.to_owned()),
            TokenKind::QuotedIdent | TokenKind::String => Some(unquote(text)),
            _ => None,
        }
    }
}

/// Remove the quotes of a quoted identifier or string literal, undoing doubled
/// quote characters. `[x]` has no escape.
pub(crate) fn unquote(text: &str) -> String {
    let mut chars = text.chars();
    let Some(open) = chars.next() else {
        return String::new();
    };
    let close = match open {
        '"' | '\'' | '`' => open,
        '[' => ']',
        _ => return text.to_owned(),
    };
    let rest = chars.as_str();
    let inner = rest.strip_suffix(close).unwrap_or(rest);
    if open == '[' {
        return inner.to_owned();
    }
    let mut out = String::with_capacity(inner.len());
    let mut it = inner.chars().peekable();
    while let Some(ch) = it.next() {
        out.push(ch);
        if ch == close && it.peek() == Some(&close) {
            it.next();
        }
    }
    out
}

/// Split SQL text into tokens, dropping whitespace and comments.
pub(crate) fn tokenize(src: &str) -> Vec<Token> {
    tokenize_head(src, usize::MAX)
}

/// The first `limit` tokens of `src` (all when there are fewer): what a
/// look at the head of a statement needs, without lexing the rest.
pub(crate) fn tokenize_head(src: &str, limit: usize) -> Vec<Token> {
    let mut lexer = Lexer { src, pos: 0, tokens: Vec::new(), limit };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    limit: usize,
}

fn is_ident_start(ch: char) -> bool {
    ch.is_ascii_alphabetic() || ch == '_' || !ch.is_ascii()
}

fn is_ident_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '_' || ch == '$' || !ch.is_ascii()
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().nth(offset))
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    fn eat_while(&mut self, pred: impl Fn(char) -> bool) {
        while let Some(ch) = self.peek() {
            if !pred(ch) {
                break;
            }
            self.pos += ch.len_utf8();
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token { kind, start, end: self.pos });
    }

    fn run(&mut self) {
        while self.tokens.len() < self.limit
            && let Some(ch) = self.peek()
        {
            let start = self.pos;
            match ch {
                c if c.is_whitespace() => self.eat_while(char::is_whitespace),
                '-' if self.peek_at(1) == Some('-') => self.eat_while(|c| c != '\n'),
                '/' if self.peek_at(1) == Some('*') => self.block_comment(),
                '"' | '`' | '[' => {
                    self.quoted(if ch == '[' { ']' } else { ch });
                    self.push(TokenKind::QuotedIdent, start);
                }
                '\'' => {
                    self.quoted('\'');
                    self.push(TokenKind::String, start);
                }
                'x' | 'X' if self.peek_at(1) == Some('\'') => {
                    self.bump();
                    self.quoted('\'');
                    self.push(TokenKind::Blob, start);
                }
                c if c.is_ascii_digit() => {
                    self.number();
                    self.push(TokenKind::Number, start);
                }
                '.' if self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                    self.number();
                    self.push(TokenKind::Number, start);
                }
                c if is_ident_start(c) => {
                    self.eat_while(is_ident_char);
                    self.push(TokenKind::Word, start);
                }
                '?' => {
                    self.bump();
                    self.eat_while(|c| c.is_ascii_digit());
                    self.push(TokenKind::Variable, start);
                }
                ':' | '@' | '$' => {
                    self.bump();
                    self.eat_while(is_ident_char);
                    self.push(TokenKind::Variable, start);
                }
                _ => self.punct(ch, start),
            }
        }
    }

    fn block_comment(&mut self) {
        self.pos += 2;
        match self.src.get(self.pos..).and_then(|s| s.find("*/")) {
            Some(at) => self.pos += at + 2,
            None => self.pos = self.src.len(),
        }
    }

    /// Consume a quoted run whose closing character is `close`; a doubled
    /// closing character is an escaped one (except for `[...]`).
    fn quoted(&mut self, close: char) {
        self.bump();
        while let Some(ch) = self.bump() {
            if ch == close {
                if close != ']' && self.peek() == Some(close) {
                    self.bump();
                    continue;
                }
                return;
            }
        }
    }

    fn number(&mut self) {
        if self.peek() == Some('0') && matches!(self.peek_at(1), Some('x' | 'X')) {
            self.pos += 2;
            self.eat_while(|c| c.is_ascii_hexdigit() || c == '_');
            return;
        }
        self.eat_while(|c| c.is_ascii_digit() || c == '_');
        if self.peek() == Some('.') {
            self.bump();
            self.eat_while(|c| c.is_ascii_digit() || c == '_');
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = matches!(self.peek_at(1), Some('+' | '-'));
            let digit_at = if sign { 2 } else { 1 };
            if self.peek_at(digit_at).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1 + usize::from(sign);
                self.eat_while(|c| c.is_ascii_digit() || c == '_');
            }
        }
        // SQLite rejects `12abc`, but staying lenient keeps it one token.
        self.eat_while(is_ident_char);
    }

    fn punct(&mut self, ch: char, start: usize) {
        self.bump();
        let kind = match ch {
            '(' => TokenKind::LParen,
            ')' => TokenKind::RParen,
            ',' => TokenKind::Comma,
            ';' => TokenKind::Semicolon,
            '.' => TokenKind::Dot,
            _ => {
                let next = self.peek();
                let two = matches!(
                    (ch, next),
                    ('|', Some('|'))
                        | ('<', Some('=' | '>' | '<'))
                        | ('>', Some('=' | '>'))
                        | ('!' | '=', Some('='))
                        | ('-', Some('>'))
                );
                if two {
                    self.bump();
                    if ch == '-' && self.peek() == Some('>') {
                        self.bump();
                    }
                }
                TokenKind::Other
            }
        };
        self.push(kind, start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<(TokenKind, &str)> {
        tokenize(src).iter().map(|t| (t.kind, t.text(src))).collect()
    }

    #[test]
    fn quoted_identifiers_and_strings() {
        use TokenKind::*;
        let src = r#""a""b" `c``d` [e f] 'it''s' x'00ff'"#;
        assert_eq!(
            texts(src),
            vec![
                (QuotedIdent, r#""a""b""#),
                (QuotedIdent, "`c``d`"),
                (QuotedIdent, "[e f]"),
                (String, "'it''s'"),
                (Blob, "x'00ff'")
            ]
        );
        let toks = tokenize(src);
        let values: Vec<_> = toks.iter().filter_map(|t| t.ident_value(src)).collect();
        assert_eq!(values, vec!["a\"b", "c`d", "e f", "it's"]);
    }

    #[test]
    fn comments_numbers_and_operators() {
        use TokenKind::*;
        let src = "a-- c\n/* x */ 1.5e-3 .5 0x1F ->> || <> ?1 :n";
        assert_eq!(
            texts(src),
            vec![
                (Word, "a"),
                (Number, "1.5e-3"),
                (Number, ".5"),
                (Number, "0x1F"),
                (Other, "->>"),
                (Other, "||"),
                (Other, "<>"),
                (Variable, "?1"),
                (Variable, ":n")
            ]
        );
    }

    #[test]
    fn non_ascii_words_and_unterminated_input() {
        use TokenKind::*;
        assert_eq!(texts("äb ö"), vec![(Word, "äb"), (Word, "ö")]);
        assert_eq!(texts("'abc"), vec![(String, "'abc")]);
        assert_eq!(texts("a /* never closed"), vec![(Word, "a")]);
        assert_eq!(unquote("'abc"), "abc");
    }

    #[test]
    fn head_is_a_prefix_of_the_whole() {
        let src = "/* c */ CREATE -- x\n VIRTUAL TABLE t USING m(a, 'b')";
        let all = tokenize(src);
        for limit in 0..all.len() + 2 {
            let head = tokenize_head(src, limit);
            assert_eq!(head.as_slice(), all.get(..limit.min(all.len())).unwrap_or_default());
        }
    }
}
