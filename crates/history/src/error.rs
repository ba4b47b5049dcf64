//! Errors of the history store.

use std::path::PathBuf;

/// What can go wrong recording or reading schema versions.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The database has no version with this number.
    #[error("database {database} has no version {number}")]
    NoSuchVersion {
        /// The database key.
        database: String,
        /// The version asked for.
        number: u64,
    },
    /// The history file is damaged, is not an SQLite database, or is an SQLite
    /// database that belongs to something else.
    #[error("{}: not a usable schemasync history file: {message}", .path.display())]
    Corrupt {
        /// The history file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The history file was written by a newer schemasync.
    #[error("{}: history format {found} is newer than this schemasync understands (up to {supported})", .path.display())]
    UnsupportedFormat {
        /// The history file.
        path: PathBuf,
        /// The format version found in the file.
        found: i64,
        /// The newest format version this build reads.
        supported: i64,
    },
    /// One stored version cannot be read back (unknown kind, unreadable
    /// snapshot, out-of-range number).
    #[error("version {number} of {database} is damaged: {message}")]
    CorruptRecord {
        /// The database key.
        database: String,
        /// The stored version number.
        number: i64,
        /// What is wrong with it.
        message: String,
    },
    /// A file system operation failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The embedded SQLite database reported an error.
    #[error("history store: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl HistoryError {
    /// Corruption reported by SQLite becomes [`HistoryError::Corrupt`] naming
    /// the file; anything else stays an SQLite error.
    pub(crate) fn from_sqlite(path: &std::path::Path, error: rusqlite::Error) -> HistoryError {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match error.sqlite_error_code() {
            Some(NotADatabase | DatabaseCorrupt) => {
                HistoryError::Corrupt { path: path.to_path_buf(), message: error.to_string() }
            }
            _ => HistoryError::Sqlite(error),
        }
    }
}
