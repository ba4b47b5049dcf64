//! Turning stored rows back into versions, treating every value as untrusted.

use schemasync_model::Schema;

use crate::{HistoryError, Version, VersionKind, VersionSummary};

// Row readers expect the columns in the order of the queries in `sqlite.rs`:
// database, number, kind, hash, parent, created_at, message, then either
// statements (summary) or snapshot, script (version).

/// A row as a store returned it (SQLite or PostgreSQL), before validation.
#[derive(Debug)]
pub(crate) struct RawRow {
    pub(crate) database: String,
    pub(crate) number: i64,
    pub(crate) kind: String,
    pub(crate) hash: String,
    pub(crate) parent: Option<i64>,
    pub(crate) created_at: String,
    pub(crate) message: String,
    /// `statements` for a summary; unused for a version.
    pub(crate) statements: i64,
    /// `(snapshot, script)` for a version.
    pub(crate) body: Option<(String, String)>,
}

impl RawRow {
    pub(crate) fn summary(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow { statements: row.get(7)?, body: None, ..RawRow::common(row)? })
    }

    pub(crate) fn version(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow { statements: 0, body: Some((row.get(7)?, row.get(8)?)), ..RawRow::common(row)? })
    }

    fn common(row: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        Ok(RawRow {
            database: row.get(0)?,
            number: row.get(1)?,
            kind: row.get(2)?,
            hash: row.get(3)?,
            parent: row.get(4)?,
            created_at: row.get(5)?,
            message: row.get(6)?,
            statements: 0,
            body: None,
        })
    }

    fn damaged(&self, message: impl Into<String>) -> HistoryError {
        HistoryError::CorruptRecord { database: self.database.clone(), number: self.number, message: message.into() }
    }

    fn checked(&self) -> Result<(u64, VersionKind, Option<u64>), HistoryError> {
        let number = u64::try_from(self.number).map_err(|_| self.damaged("negative version number"))?;
        let kind =
            VersionKind::parse(&self.kind).ok_or_else(|| self.damaged(format!("unknown kind {:?}", self.kind)))?;
        let parent = match self.parent {
            Some(p) => Some(u64::try_from(p).map_err(|_| self.damaged("negative parent version"))?),
            None => None,
        };
        Ok((number, kind, parent))
    }

    pub(crate) fn into_summary(self) -> Result<VersionSummary, HistoryError> {
        let (number, kind, parent) = self.checked()?;
        let statements = usize::try_from(self.statements).map_err(|_| self.damaged("negative statement count"))?;
        Ok(VersionSummary {
            database: self.database,
            number,
            kind,
            hash: self.hash,
            parent,
            created_at: self.created_at,
            message: self.message,
            statements,
        })
    }

    pub(crate) fn into_version(mut self) -> Result<Version, HistoryError> {
        let (number, kind, parent) = self.checked()?;
        let Some((snapshot, script)) = self.body.take() else {
            return Err(self.damaged("row read without its snapshot"));
        };
        let schema = Schema::from_json(&snapshot).map_err(|e| self.damaged(format!("snapshot: {e}")))?;
        Ok(Version {
            database: self.database,
            number,
            kind,
            hash: self.hash,
            schema,
            script,
            parent,
            created_at: self.created_at,
            message: self.message,
        })
    }
}
