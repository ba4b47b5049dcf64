//! One history type for programs that take the history's location from
//! their user (a path or a `postgres://` URL), as the CLI does.

use std::path::Path;

use schemasync_history::{
    HistoryError, HistoryStore, Intent, IntentId, NewIntent, NewVersion, Outcome, SqliteHistory, Version,
    VersionSummary,
};

/// The history named by a location: an SQLite file, or (feature
/// `postgres`) a PostgreSQL database many machines share.
#[derive(Debug)]
#[non_exhaustive]
pub enum AnyHistory {
    /// The embedded SQLite store.
    Sqlite(SqliteHistory),
    /// The shared PostgreSQL store (boxed: it holds its connection and runtime).
    #[cfg(feature = "postgres")]
    Postgres(Box<schemasync_history::PostgresHistory>),
}

/// Whether `location` names a PostgreSQL history rather than a file.
pub fn is_server_history(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

impl AnyHistory {
    /// Open for recording: an SQLite file is created (with its folder) if
    /// missing, a PostgreSQL history gets its schema on first use.
    pub fn open(location: &str) -> Result<AnyHistory, HistoryError> {
        if is_server_history(location) {
            return Self::open_server(location, false);
        }
        Ok(AnyHistory::Sqlite(SqliteHistory::open(Path::new(location))?))
    }

    /// Open for reading only: nothing is ever created or written; a
    /// history that does not exist yet reads as empty.
    pub fn open_read_only(location: &str) -> Result<AnyHistory, HistoryError> {
        if is_server_history(location) {
            return Self::open_server(location, true);
        }
        let path = Path::new(location);
        if !path.exists() {
            return Ok(AnyHistory::Sqlite(SqliteHistory::in_memory()?));
        }
        Ok(AnyHistory::Sqlite(SqliteHistory::open_read_only(path)?))
    }

    /// An empty history in memory (for commands that read no history).
    pub fn in_memory() -> Result<AnyHistory, HistoryError> {
        Ok(AnyHistory::Sqlite(SqliteHistory::in_memory()?))
    }

    #[cfg(feature = "postgres")]
    fn open_server(url: &str, read_only: bool) -> Result<AnyHistory, HistoryError> {
        let store = if read_only {
            schemasync_history::PostgresHistory::open_read_only(url)?
        } else {
            schemasync_history::PostgresHistory::open(url)?
        };
        Ok(AnyHistory::Postgres(Box::new(store)))
    }

    #[cfg(not(feature = "postgres"))]
    fn open_server(url: &str, _read_only: bool) -> Result<AnyHistory, HistoryError> {
        let _ = url;
        Err(HistoryError::InvalidUrl {
            message: "a PostgreSQL history needs schemasync built with the `postgres` feature".to_owned(),
        })
    }

    fn store(&self) -> &dyn HistoryStore {
        match self {
            AnyHistory::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            AnyHistory::Postgres(s) => s.as_ref(),
        }
    }

    fn store_mut(&mut self) -> &mut dyn HistoryStore {
        match self {
            AnyHistory::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            AnyHistory::Postgres(s) => s.as_mut(),
        }
    }
}

impl HistoryStore for AnyHistory {
    fn record(&mut self, new: NewVersion) -> Result<Version, HistoryError> {
        self.store_mut().record(new)
    }
    fn list(&self, database: &str) -> Result<Vec<VersionSummary>, HistoryError> {
        self.store().list(database)
    }
    fn get(&self, database: &str, number: u64) -> Result<Version, HistoryError> {
        self.store().get(database, number)
    }
    fn latest(&self, database: &str) -> Result<Option<Version>, HistoryError> {
        self.store().latest(database)
    }
    fn databases(&self) -> Result<Vec<String>, HistoryError> {
        self.store().databases()
    }
    fn begin(&mut self, intent: NewIntent) -> Result<IntentId, HistoryError> {
        self.store_mut().begin(intent)
    }
    fn complete(&mut self, id: IntentId, outcome: Outcome) -> Result<Option<Version>, HistoryError> {
        self.store_mut().complete(id, outcome)
    }
    fn pending(&self, database: &str) -> Result<Vec<Intent>, HistoryError> {
        self.store().pending(database)
    }
    fn own_database_key(&self) -> Result<Option<String>, HistoryError> {
        self.store().own_database_key()
    }
}
