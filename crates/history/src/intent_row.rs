//! The `intents` table: writing intents and reading them back, treating
//! every stored value as untrusted.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::path::Path;

use crate::{HistoryError, Intent, IntentId, IntentStatus, NewIntent, VersionKind};

pub(crate) fn insert(tx: &Transaction<'_>, intent: &NewIntent, now: &str) -> rusqlite::Result<IntentId> {
    tx.execute(
        "INSERT INTO intents (database, kind, from_hash, to_hash, script, message, created_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')",
        params![
            intent.database,
            intent.kind.as_str(),
            intent.from_hash,
            intent.to_hash,
            intent.script,
            intent.message,
            now
        ],
    )?;
    // Row ids start at 1 and are never negative.
    Ok(IntentId(u64::try_from(tx.last_insert_rowid()).unwrap_or_default()))
}

pub(crate) fn status_of(tx: &Transaction<'_>, id: IntentId) -> rusqlite::Result<Option<String>> {
    let Ok(stored) = i64::try_from(id.0) else { return Ok(None) };
    tx.query_row("SELECT status FROM intents WHERE id = ?1", params![stored], |row| row.get(0)).optional()
}

pub(crate) fn close(
    tx: &Transaction<'_>,
    id: IntentId,
    status: IntentStatus,
    version: Option<u64>,
    note: &str,
    now: &str,
) -> rusqlite::Result<()> {
    let version = version.and_then(|v| i64::try_from(v).ok());
    let stored = i64::try_from(id.0).unwrap_or(-1);
    tx.execute(
        "UPDATE intents SET status = ?2, version = coalesce(?3, version), completed_at = ?4, note = ?5 WHERE id = ?1",
        params![stored, status.as_str(), version, now, note],
    )?;
    Ok(())
}

/// A row as a store returned it (SQLite or PostgreSQL).
#[derive(Debug)]
pub(crate) struct RawIntent {
    pub(crate) id: i64,
    pub(crate) database: String,
    pub(crate) kind: String,
    pub(crate) from_hash: String,
    pub(crate) to_hash: String,
    pub(crate) script: String,
    pub(crate) message: String,
    pub(crate) created_at: String,
    pub(crate) status: String,
    pub(crate) version: Option<i64>,
    pub(crate) completed_at: Option<String>,
    pub(crate) note: String,
}

pub(crate) fn pending(conn: &Connection, database: &str) -> rusqlite::Result<Vec<RawIntent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, database, kind, from_hash, to_hash, script, message, created_at, status, version,
                completed_at, note
         FROM intents WHERE database = ?1 AND status = 'pending' ORDER BY id",
    )?;
    let rows = stmt.query_map(params![database], |row| {
        Ok(RawIntent {
            id: row.get(0)?,
            database: row.get(1)?,
            kind: row.get(2)?,
            from_hash: row.get(3)?,
            to_hash: row.get(4)?,
            script: row.get(5)?,
            message: row.get(6)?,
            created_at: row.get(7)?,
            status: row.get(8)?,
            version: row.get(9)?,
            completed_at: row.get(10)?,
            note: row.get(11)?,
        })
    })?;
    rows.collect()
}

impl RawIntent {
    pub(crate) fn into_intent(self, path: &Path) -> Result<Intent, HistoryError> {
        let damaged = |what: String| HistoryError::Corrupt {
            path: path.to_path_buf(),
            message: format!("apply intent {}: {what}", self.id),
        };
        let id = u64::try_from(self.id).map_err(|_| damaged("negative id".to_owned()))?;
        let kind = VersionKind::parse(&self.kind).ok_or_else(|| damaged(format!("unknown kind {:?}", self.kind)))?;
        let status =
            IntentStatus::parse(&self.status).ok_or_else(|| damaged(format!("unknown status {:?}", self.status)))?;
        let version = match self.version {
            Some(v) => Some(u64::try_from(v).map_err(|_| damaged("negative version".to_owned()))?),
            None => None,
        };
        Ok(Intent {
            id: IntentId(id),
            database: self.database,
            kind,
            from_hash: self.from_hash,
            to_hash: self.to_hash,
            script: self.script,
            message: self.message,
            created_at: self.created_at,
            status,
            version,
            completed_at: self.completed_at,
            note: self.note,
        })
    }
}
