//! The records kept for each database.

use schemasync_model::Schema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a version was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    /// The first version of a database, taken before schemasync changed it.
    Baseline,
    /// The state after a sync.
    Sync,
    /// An explicit snapshot, or a change made outside schemasync.
    Snapshot,
    /// The state after syncing back to an earlier version.
    Rollback,
    /// A sync that failed part-way on an engine without transactional DDL
    /// (MySQL): the state it left, and the statements that ran.
    Failed,
}

impl VersionKind {
    /// The name stored and shown (`baseline`, `sync`, `snapshot`, `rollback`, `failed`).
    pub fn as_str(self) -> &'static str {
        match self {
            VersionKind::Baseline => "baseline",
            VersionKind::Sync => "sync",
            VersionKind::Snapshot => "snapshot",
            VersionKind::Rollback => "rollback",
            VersionKind::Failed => "failed",
        }
    }

    /// The kind with this stored name.
    pub fn parse(name: &str) -> Option<VersionKind> {
        [VersionKind::Baseline, VersionKind::Sync, VersionKind::Snapshot, VersionKind::Rollback, VersionKind::Failed]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for VersionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A version to record; the store assigns its number, parent, hash and time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewVersion {
    /// The database key (see [`crate::database_key_for_sqlite`] and
    /// [`crate::database_key_for_url`]).
    pub database: String,
    /// Why it is recorded.
    pub kind: VersionKind,
    /// The schema of the database at this version.
    pub schema: Schema,
    /// The script that was applied to reach it (empty for snapshots).
    pub script: String,
    /// A note for people.
    pub message: String,
}

/// One recorded version of a database's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    /// The database key.
    pub database: String,
    /// 1, 2, 3, ... per database.
    pub number: u64,
    /// Why it was recorded.
    pub kind: VersionKind,
    /// [`Schema::content_hash`] of the snapshot.
    pub hash: String,
    /// The schema at this version.
    pub schema: Schema,
    /// The script that was applied to reach it.
    pub script: String,
    /// The version that was latest when this one was recorded.
    pub parent: Option<u64>,
    /// When it was recorded, RFC 3339 in UTC (`2026-11-25T21:53:59Z`).
    pub created_at: String,
    /// A note for people.
    pub message: String,
}

impl Version {
    /// The listing entry for this version.
    pub fn summary(&self) -> VersionSummary {
        VersionSummary {
            database: self.database.clone(),
            number: self.number,
            kind: self.kind,
            hash: self.hash.clone(),
            parent: self.parent,
            created_at: self.created_at.clone(),
            message: self.message.clone(),
            statements: count_statements(&self.script),
        }
    }
}

/// A version without its snapshot and script, for listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    /// The database key.
    pub database: String,
    /// 1, 2, 3, ... per database.
    pub number: u64,
    /// Why it was recorded.
    pub kind: VersionKind,
    /// [`Schema::content_hash`] of the snapshot.
    pub hash: String,
    /// The version that was latest when this one was recorded.
    pub parent: Option<u64>,
    /// When it was recorded, RFC 3339 in UTC.
    pub created_at: String,
    /// A note for people.
    pub message: String,
    /// How many statements the applied script has (see [`count_statements`]).
    pub statements: usize,
}

/// A quick statement count for listings: lines ending in `;`, plus a last
/// statement without one. It does not parse SQL, so a function body with
/// inner semicolons counts more than once.
pub fn count_statements(script: &str) -> usize {
    let lines: Vec<&str> =
        script.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with("--")).collect();
    let terminated = lines.iter().filter(|line| line.ends_with(';')).count();
    let unterminated_tail = lines.last().is_some_and(|line| !line.ends_with(';'));
    terminated + usize::from(unterminated_tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_statements() {
        assert_eq!(count_statements(""), 0);
        assert_eq!(count_statements("  \n\n"), 0);
        assert_eq!(count_statements("CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\n"), 2);
        assert_eq!(count_statements("-- header\nCREATE TABLE t (\n  a int\n);\nDROP TABLE u"), 2);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in [
            VersionKind::Baseline,
            VersionKind::Sync,
            VersionKind::Snapshot,
            VersionKind::Rollback,
            VersionKind::Failed,
        ] {
            assert_eq!(VersionKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).ok(), Some(format!("\"{kind}\"")));
        }
        assert_eq!(VersionKind::parse("Sync"), None);
    }
}
