//! Errors of the history store.

use std::path::PathBuf;

/// What can go wrong recording or reading schema versions.
///
/// Variants with a `path` name the history: for [`crate::SqliteHistory`] its
/// file; for `PostgresHistory` (feature `postgres`) its location
/// `postgres://host:port/database`, which never holds credentials.
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
    /// The history cannot be written: a read-only file or file system, a
    /// full disk, a file locked by another process. Callers refuse to change
    /// a database whose change could not be recorded.
    #[error("{}: the history cannot be written: {cause}", .path.display())]
    NotWritable {
        /// The history file.
        path: PathBuf,
        /// Why (the storage's own words).
        cause: String,
    },
    /// The history file reported an error other than the ones above.
    #[error("{}: {source}", .path.display())]
    Database {
        /// The history file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
    /// No intent with this id was begun in this history.
    #[error("{}: no apply intent {id}", .path.display())]
    NoSuchIntent {
        /// The history file.
        path: PathBuf,
        /// The intent asked for.
        id: u64,
    },
    /// The intent was already completed (it can be completed once; one
    /// found interrupted by a later run may still be completed by its owner).
    #[error("{}: apply intent {id} is already {status}", .path.display())]
    IntentClosed {
        /// The history file.
        path: PathBuf,
        /// The intent.
        id: u64,
        /// Its recorded status.
        status: String,
    },
    /// The URL of a server history store cannot be read. When the URL holds
    /// a password the parser's own words are withheld, since they may quote
    /// a piece of it.
    #[error("invalid history store URL: {message}")]
    InvalidUrl {
        /// What is wrong with it (never a password).
        message: String,
    },
    /// The PostgreSQL history store could not connect (unreachable server,
    /// login refused, TLS check failed).
    #[cfg(feature = "postgres")]
    #[error("history store {store}: {source}")]
    Connect {
        /// The store's location (`postgres://host:port/database`).
        store: String,
        /// The engine's error (it names the server, never a password).
        #[source]
        source: schemasync_postgres::PostgresError,
    },
    /// A query of a server history store failed for a reason other than
    /// the ones [`HistoryError::NotWritable`] covers (the connection was
    /// lost, the server reported an error).
    #[error("{store}: {what} failed: {message}")]
    Server {
        /// The store's location (`postgres://host:port/database`).
        store: String,
        /// What was being done (`recording a version`).
        what: String,
        /// The server's SQLSTATE, when it sent one; `08006`
        /// (connection_failure) when the connection was lost.
        code: Option<String>,
        /// The server's or driver's message.
        message: String,
    },
}

impl HistoryError {
    /// An SQLite error as a history error naming the file: corruption
    /// becomes [`HistoryError::Corrupt`], anything that stops writing
    /// [`HistoryError::NotWritable`].
    pub(crate) fn from_sqlite(path: &std::path::Path, error: rusqlite::Error) -> HistoryError {
        use rusqlite::ErrorCode::{
            CannotOpen, DatabaseBusy, DatabaseCorrupt, DatabaseLocked, DiskFull, NotADatabase, PermissionDenied,
            ReadOnly, SystemIoFailure,
        };
        let path = path.to_path_buf();
        match error.sqlite_error_code() {
            Some(NotADatabase | DatabaseCorrupt) => HistoryError::Corrupt { path, message: error.to_string() },
            Some(ReadOnly | DiskFull | DatabaseBusy | DatabaseLocked | CannotOpen | PermissionDenied) => {
                HistoryError::NotWritable { path, cause: error.to_string() }
            }
            // ENOSPC while extending the journal can surface as an I/O error.
            Some(SystemIoFailure) => HistoryError::NotWritable { path, cause: error.to_string() },
            _ => HistoryError::Database { path, source: error },
        }
    }
}
