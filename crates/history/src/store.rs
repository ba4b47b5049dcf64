//! The interface every history backend implements.

use crate::{HistoryError, NewVersion, Version, VersionSummary};

/// Where schema versions are remembered, per database key.
pub trait HistoryStore {
    /// Record a new version for `new.database`: its number is the previous
    /// highest plus one (starting at 1) and its parent that previous version.
    fn record(&mut self, new: NewVersion) -> Result<Version, HistoryError>;

    /// The versions of `database`, ascending by number; empty if it has none.
    fn list(&self, database: &str) -> Result<Vec<VersionSummary>, HistoryError>;

    /// Version `number` of `database`, or [`HistoryError::NoSuchVersion`].
    fn get(&self, database: &str, number: u64) -> Result<Version, HistoryError>;

    /// The highest-numbered version of `database`, if any.
    fn latest(&self, database: &str) -> Result<Option<Version>, HistoryError>;

    /// Every database key with at least one version, sorted.
    fn databases(&self) -> Result<Vec<String>, HistoryError>;
}
