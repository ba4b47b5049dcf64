//! Errors of the SQL script utilities.

use crate::Problem;
use crate::problem::summary;

/// What can go wrong reading an SQL script or validating a schema.
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
    /// Text of a schema that would not stay in the clause emit writes it
    /// in, or a schema of the wrong shape ([`crate::validate_schema`]).
    #[error("invalid schema: {}", summary(problems))]
    InvalidSchema {
        /// Every problem found, the first one first.
        problems: Vec<Problem>,
    },
    /// Names or sizes the target engine cannot hold as written
    /// ([`crate::check_limits`]).
    #[error("over the target's limits: {}", summary(problems))]
    OverLimit {
        /// Every limit exceeded.
        problems: Vec<Problem>,
    },
}
