//! The interface every history backend implements.

use crate::{HistoryError, Intent, IntentId, NewIntent, NewVersion, Outcome, Version, VersionSummary};

/// Where schema versions are remembered, per database key.
///
/// Changing a database goes through an intent: [`HistoryStore::begin`]
/// writes what is about to be applied before anything runs (so a history
/// that cannot be written refuses the change up front), and
/// [`HistoryStore::complete`] closes it with the state reached. An intent
/// still pending after its run ended stays visible in
/// [`HistoryStore::pending`] until a later run completes it with the state
/// it finds.
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

    /// Durably record that `intent` is about to be applied. An error means
    /// nothing may be applied: the change could not be recorded.
    fn begin(&mut self, intent: NewIntent) -> Result<IntentId, HistoryError>;

    /// Close an intent, recording the version its outcome carries in the
    /// same write. Returns that version. An intent can be completed once,
    /// except that one a later run marked [`Outcome::Interrupted`] can still
    /// be completed by the run that began it (it was slow, not dead).
    fn complete(&mut self, id: IntentId, outcome: Outcome) -> Result<Option<Version>, HistoryError>;

    /// Intents of `database` begun and not completed, oldest first.
    fn pending(&self, database: &str) -> Result<Vec<Intent>, HistoryError>;

    /// The database key of the database this store itself lives in, if it
    /// is one a sync could target, so that syncing into it can be refused.
    fn own_database_key(&self) -> Result<Option<String>, HistoryError>;
}
