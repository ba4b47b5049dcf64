//! The default history store: one SQLite file holding every database's versions.

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::row::RawRow;
use crate::{
    HistoryError, HistoryStore, Intent, IntentId, NewIntent, NewVersion, Outcome, Version, VersionSummary,
    count_statements, format, intent_row, time,
};

/// How long to wait for another process holding the history file's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Placeholder path named in errors about an in-memory store.
const IN_MEMORY: &str = ":memory:";

/// A [`HistoryStore`] in an SQLite file. Several processes may record into
/// the same file at once; each version still gets its own number.
#[derive(Debug)]
pub struct SqliteHistory {
    conn: Connection,
    path: PathBuf,
    /// The layout in the file (0: an empty file, read-only stores only).
    format: i64,
    read_only: bool,
}

impl SqliteHistory {
    /// Opens the history at `path`, creating the file and its parent
    /// directories if missing, and bringing a file of an older layout up to
    /// date. A file that is not a schemasync history is refused with
    /// [`HistoryError::Corrupt`].
    pub fn open(path: &Path) -> Result<Self, HistoryError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|source| HistoryError::Io { path: parent.to_path_buf(), source })?;
        }
        let mut conn = Connection::open(path).map_err(|e| HistoryError::from_sqlite(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| HistoryError::from_sqlite(path, e))?;
        let format = format::prepare(&mut conn, path)?;
        Ok(SqliteHistory { conn, path: path.to_path_buf(), format, read_only: false })
    }

    /// Opens an existing history for reading only: the file is neither
    /// created nor migrated nor written (an older layout is read as it is).
    /// [`HistoryStore::begin`] and the other writes fail with
    /// [`HistoryError::NotWritable`].
    pub fn open_read_only(path: &Path) -> Result<Self, HistoryError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| HistoryError::from_sqlite(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| HistoryError::from_sqlite(path, e))?;
        let format = format::check_read_only(&conn, path)?;
        Ok(SqliteHistory { conn, path: path.to_path_buf(), format, read_only: true })
    }

    /// A history that lives as long as this value (for tests and dry runs).
    pub fn in_memory() -> Result<Self, HistoryError> {
        let path = PathBuf::from(IN_MEMORY);
        let mut conn = Connection::open_in_memory()?;
        let format = format::prepare(&mut conn, &path)?;
        Ok(SqliteHistory { conn, path, format, read_only: false })
    }

    /// The history file (`:memory:` for an in-memory store).
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self, error: rusqlite::Error) -> HistoryError {
        HistoryError::from_sqlite(&self.path, error)
    }

    fn writable(&self) -> Result<(), HistoryError> {
        if self.read_only {
            return Err(HistoryError::NotWritable { path: self.path.clone(), cause: "opened read-only".to_owned() });
        }
        Ok(())
    }
}

impl HistoryStore for SqliteHistory {
    fn record(&mut self, new: NewVersion) -> Result<Version, HistoryError> {
        self.writable()?;
        let path = &self.path;
        let sqlite = |e| HistoryError::from_sqlite(path, e);
        // IMMEDIATE takes the write lock before reading the current maximum,
        // so two processes cannot both compute the same next number.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let version = insert_version(&tx, path, new)?;
        tx.commit().map_err(sqlite)?;
        tracing::info!(
            database = %version.database,
            version = version.number,
            kind = %version.kind,
            hash = %version.hash,
            "history: version recorded"
        );
        Ok(version)
    }

    fn list(&self, database: &str) -> Result<Vec<VersionSummary>, HistoryError> {
        if self.format == 0 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT database, number, kind, hash, parent, created_at, message, statements
                 FROM versions WHERE database = ?1 ORDER BY number",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = stmt.query_map(params![database], RawRow::summary).map_err(|e| self.sqlite(e))?;
        rows.map(|row| row.map_err(|e| self.sqlite(e))?.into_summary()).collect()
    }

    fn get(&self, database: &str, number: u64) -> Result<Version, HistoryError> {
        let missing = || HistoryError::NoSuchVersion { database: database.to_owned(), number };
        let Ok(stored_number) = i64::try_from(number) else { return Err(missing()) };
        if self.format == 0 {
            return Err(missing());
        }
        self.conn
            .query_row(
                "SELECT database, number, kind, hash, parent, created_at, message, snapshot, script
                 FROM versions WHERE database = ?1 AND number = ?2",
                params![database, stored_number],
                RawRow::version,
            )
            .optional()
            .map_err(|e| self.sqlite(e))?
            .ok_or_else(missing)?
            .into_version()
    }

    fn latest(&self, database: &str) -> Result<Option<Version>, HistoryError> {
        if self.format == 0 {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT database, number, kind, hash, parent, created_at, message, snapshot, script
                 FROM versions WHERE database = ?1 ORDER BY number DESC LIMIT 1",
                params![database],
                RawRow::version,
            )
            .optional()
            .map_err(|e| self.sqlite(e))?
            .map(RawRow::into_version)
            .transpose()
    }

    fn databases(&self) -> Result<Vec<String>, HistoryError> {
        if self.format == 0 {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT database FROM versions ORDER BY database")
            .map_err(|e| self.sqlite(e))?;
        let rows = stmt.query_map([], |row| row.get(0)).map_err(|e| self.sqlite(e))?;
        rows.map(|row| row.map_err(|e| self.sqlite(e))).collect()
    }

    fn begin(&mut self, intent: NewIntent) -> Result<IntentId, HistoryError> {
        self.writable()?;
        let path = &self.path;
        let sqlite = |e| HistoryError::from_sqlite(path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let id = intent_row::insert(&tx, &intent, &time::now_rfc3339()).map_err(sqlite)?;
        // The commit is the proof: once it returned, the intent is on disk.
        tx.commit().map_err(sqlite)?;
        tracing::info!(
            database = %intent.database,
            intent = %id,
            from_hash = %intent.from_hash,
            to_hash = %intent.to_hash,
            "history: apply intent begun"
        );
        Ok(id)
    }

    fn complete(&mut self, id: IntentId, outcome: Outcome) -> Result<Option<Version>, HistoryError> {
        self.writable()?;
        let path = &self.path;
        let sqlite = |e| HistoryError::from_sqlite(path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
        let Some(found) = intent_row::status_of(&tx, id).map_err(sqlite)? else {
            return Err(HistoryError::NoSuchIntent { path: path.clone(), id: id.0 });
        };
        if !matches!(found.as_str(), "pending" | "interrupted") {
            return Err(HistoryError::IntentClosed { path: path.clone(), id: id.0, status: found });
        }
        let status = outcome.status();
        let (new, note) = outcome.into_parts();
        let version = new.map(|new| insert_version(&tx, path, new)).transpose()?;
        intent_row::close(&tx, id, status, version.as_ref().map(|v| v.number), &note, &time::now_rfc3339())
            .map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        tracing::info!(
            intent = %id,
            %status,
            database = version.as_ref().map(|v| v.database.as_str()),
            version = version.as_ref().map(|v| v.number),
            "history: apply intent completed"
        );
        Ok(version)
    }

    fn pending(&self, database: &str) -> Result<Vec<Intent>, HistoryError> {
        // Layouts before intents (read-only stores) cannot hold any.
        if self.format < format::INTENTS_FORMAT {
            return Ok(Vec::new());
        }
        let rows = intent_row::pending(&self.conn, database).map_err(|e| self.sqlite(e))?;
        rows.into_iter().map(|row| row.into_intent(&self.path)).collect()
    }

    fn own_database_key(&self) -> Result<Option<String>, HistoryError> {
        if self.path.as_os_str() == IN_MEMORY {
            return Ok(None);
        }
        crate::database_key_for_sqlite(&self.path).map(Some)
    }
}

/// Insert the next version of `new.database` inside `tx` (which holds the
/// write lock).
fn insert_version(tx: &Transaction<'_>, path: &Path, new: NewVersion) -> Result<Version, HistoryError> {
    let sqlite = |e| HistoryError::from_sqlite(path, e);
    let schema = new.schema.normalized();
    let snapshot = schema.to_canonical_json();
    let hash = schema.content_hash();
    let statements = i64::try_from(count_statements(&new.script)).unwrap_or(i64::MAX);
    let previous: Option<i64> = tx
        .query_row("SELECT max(number) FROM versions WHERE database = ?1", params![new.database], |row| row.get(0))
        .map_err(sqlite)?;
    let number = match previous {
        None => 1,
        Some(p) => p.checked_add(1).ok_or_else(|| HistoryError::CorruptRecord {
            database: new.database.clone(),
            number: p,
            message: "no version number left after it".to_owned(),
        })?,
    };
    let created_at = time::now_rfc3339();
    tx.execute(
        "INSERT INTO versions
             (database, number, kind, hash, snapshot, script, statements, parent, created_at, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            new.database,
            number,
            new.kind.as_str(),
            hash,
            snapshot,
            new.script,
            statements,
            previous,
            created_at,
            new.message
        ],
    )
    .map_err(sqlite)?;
    let as_u64 = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(Version {
        database: new.database,
        number: as_u64(number),
        kind: new.kind,
        hash,
        schema,
        script: new.script,
        parent: previous.map(as_u64),
        created_at,
        message: new.message,
    })
}
