//! Splitting a script into statements the way each engine's own client does.

use schemasync_model::Dialect;

use crate::SqlError;
use crate::block::BlockTracker;
use crate::client;
use crate::lexer::{Lexer, Token, TokenKind, Unterminated};
use crate::lines::LineCounter;
use crate::syntax::Syntax;

/// One statement of a script and where it starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocatedStatement {
    /// The statement, without its terminator and without the comments and
    /// whitespace around it (comments inside it are kept).
    pub sql: String,
    /// The 1-based line of its first character in the script.
    pub line: usize,
}

/// Splits `sql` into statements: trimmed, without the trailing `;` (or the
/// current MySQL `DELIMITER`), with statements made only of comments dropped.
///
/// Comments before the first and after the last token of a statement are not
/// part of it, so that a statement can be re-joined with `;` safely; comments
/// between its tokens are kept verbatim. MySQL `/*! ... */` comments are
/// executed by the server and so count as statement text.
///
/// ```
/// use schemasync_model::Dialect;
/// use schemasync_sql::split_statements;
///
/// let script = "CREATE TABLE t (a text DEFAULT ';');\n-- done\n";
/// assert_eq!(split_statements(script, Dialect::Sqlite)?, ["CREATE TABLE t (a text DEFAULT ';')"]);
/// # Ok::<(), schemasync_sql::SqlError>(())
/// ```
pub fn split_statements(sql: &str, dialect: Dialect) -> Result<Vec<String>, SqlError> {
    Ok(split_statements_located(sql, dialect)?.into_iter().map(|s| s.sql).collect())
}

/// Like [`split_statements`], with the line where each statement starts.
pub fn split_statements_located(sql: &str, dialect: Dialect) -> Result<Vec<LocatedStatement>, SqlError> {
    Splitter::new(sql, dialect).run()
}

#[derive(Debug)]
struct Splitter<'a> {
    src: &'a str,
    dialect: Dialect,
    lexer: Lexer<'a>,
    lines: LineCounter,
    out: Vec<LocatedStatement>,
    /// Byte span of the significant text of the statement being read.
    span: Option<(usize, usize)>,
    block: BlockTracker,
}

impl<'a> Splitter<'a> {
    fn new(src: &'a str, dialect: Dialect) -> Self {
        Splitter {
            src,
            dialect,
            lexer: Lexer::new(src, Syntax::for_dialect(dialect)),
            lines: LineCounter::new(),
            out: Vec::new(),
            span: None,
            block: BlockTracker::new(Some(dialect)),
        }
    }

    fn run(mut self) -> Result<Vec<LocatedStatement>, SqlError> {
        while let Some(token) = self.lexer.next_token().map_err(|e| self.unterminated(e))? {
            match token.kind {
                TokenKind::Whitespace | TokenKind::LineComment | TokenKind::BlockComment => {}
                // Inside a trigger or function body `;` separates the body's
                // own statements.
                TokenKind::Terminator if self.block.open_block().is_some() && self.lexer.terminator() == ";" => {
                    self.extend(token);
                }
                TokenKind::Terminator => self.finish(),
                TokenKind::Word if self.starts_delimiter_command(token) => self.delimiter_command(token)?,
                TokenKind::Other if self.span.is_none() => {
                    match client::meta_command_end(self.src, self.dialect, token.start) {
                        Some(line_end) => self.lexer.seek(line_end),
                        None => self.extend(token),
                    }
                }
                _ => self.extend(token),
            }
        }
        if let Some(start) = self.block.open_block() {
            let line = self.lines.line_at(self.src, start);
            return Err(SqlError::Unterminated { what: "BEGIN ... END block", line });
        }
        self.finish();
        Ok(self.out)
    }

    fn starts_delimiter_command(&self, token: Token) -> bool {
        self.dialect == Dialect::MySql && self.span.is_none() && client::is_command(self.src, token.start, token.end)
    }

    fn delimiter_command(&mut self, token: Token) -> Result<(), SqlError> {
        let (argument, line_end) = client::parse_command(self.src, token.end);
        let Some(new) = argument else {
            return Err(SqlError::MissingDelimiter { line: self.lines.line_at(self.src, token.start) });
        };
        self.lexer.set_terminator(new);
        self.lexer.seek(line_end);
        Ok(())
    }

    fn extend(&mut self, token: Token) {
        let word = (token.kind == TokenKind::Word).then(|| &self.src[token.start..token.end]);
        self.block.observe(word, token.start);
        self.span = Some(match self.span {
            Some((start, _)) => (start, token.end),
            None => (token.start, token.end),
        });
    }

    fn finish(&mut self) {
        if let Some((start, end)) = self.span.take() {
            let line = self.lines.line_at(self.src, start);
            self.out.push(LocatedStatement { sql: self.src[start..end].to_owned(), line });
        }
        self.block = BlockTracker::new(Some(self.dialect));
    }

    fn unterminated(&mut self, e: Unterminated) -> SqlError {
        SqlError::Unterminated { what: e.what, line: self.lines.line_at(self.src, e.start) }
    }
}
