//! Errors of the SQL script utilities.

/// What can go wrong reading an SQL script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SqlError {
    /// A string, quoted identifier, comment, dollar quote or compound-statement
    /// body was opened and never closed.
    #[error("unterminated {what} starting on line {line}")]
    Unterminated {
        /// What was left open, e.g. "single-quoted string".
        what: &'static str,
        /// The 1-based line where it starts.
        line: usize,
    },
    /// A MySQL `DELIMITER` command with nothing after it.
    #[error("DELIMITER on line {line} must be followed by the new delimiter")]
    MissingDelimiter {
        /// The 1-based line of the command.
        line: usize,
    },
}
