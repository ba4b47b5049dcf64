//! The one error type of this crate.

use std::path::PathBuf;

/// What can go wrong opening, reading or changing an SQLite database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqliteError {
    /// The database file does not exist and creating it was not asked for.
    #[error("database file {} does not exist", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The file exists but is not an SQLite database.
    #[error("{} is not an SQLite database", path.display())]
    NotADatabase {
        /// The path given.
        path: PathBuf,
    },
    /// The file could not be opened or created.
    #[error("cannot open {}: {message}", path.display())]
    Open {
        /// The path given.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A schema script given to [`crate::load_sql`] failed to run.
    #[error("the SQL script failed: {message}")]
    Script {
        /// SQLite's message.
        message: String,
    },
    /// The stored DDL of an object could not be understood.
    #[error("cannot read the definition of {object}: {message}")]
    Parse {
        /// The object (`table users`).
        object: String,
        /// What was unexpected.
        message: String,
    },
    /// A statement of an applied script failed; the transaction was rolled back.
    #[error("statement {index} failed: {message}\n{sql}")]
    Statement {
        /// Position of the statement in the script (0-based).
        index: usize,
        /// The statement.
        sql: String,
        /// SQLite's message.
        message: String,
    },
    /// The database schema is not the one the script was planned against.
    #[error("schema drift: expected schema hash {expected}, found {actual}")]
    Drift {
        /// Hash the plan was computed from.
        expected: String,
        /// Hash of the database now.
        actual: String,
    },
    /// `PRAGMA foreign_key_check` found a row without parent after the script ran;
    /// the transaction was rolled back.
    #[error("foreign key violation in table {table} (rowid {}): no matching row in {parent}", rowid.map_or_else(|| "none".to_owned(), |r| r.to_string()))]
    ForeignKeyViolation {
        /// Child table.
        table: String,
        /// Row id of the offending row (`None` for WITHOUT ROWID tables).
        rowid: Option<i64>,
        /// Parent table.
        parent: String,
    },
    /// A script written for another dialect was given to the SQLite engine.
    #[error("cannot apply a {dialect} script to SQLite")]
    WrongDialect {
        /// The script's dialect.
        dialect: String,
    },
    /// Any other SQLite error.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}
