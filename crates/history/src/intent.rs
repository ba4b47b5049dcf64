//! Apply intents: written before a database is changed, completed after, so
//! that nothing is applied that the history could not record, and a run that
//! died in between leaves a visible trace.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{NewVersion, VersionKind};

/// What is about to be applied to a database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewIntent {
    /// The database key.
    pub database: String,
    /// The kind of version a successful apply records (`sync` or `rollback`).
    pub kind: VersionKind,
    /// Content hash of the schema the script starts from.
    pub from_hash: String,
    /// Content hash of the schema the script leads to.
    pub to_hash: String,
    /// The script about to run.
    pub script: String,
    /// A note for people (what is being applied, from where).
    pub message: String,
}

/// The handle [`crate::HistoryStore::begin`] returns, to complete the intent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IntentId(pub u64);

impl fmt::Display for IntentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where an intent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntentStatus {
    /// Begun, not completed: being applied now, or its run ended first.
    Pending,
    /// Applied; the state reached is a recorded version.
    Applied,
    /// Stopped part-way; the state reached is a recorded `failed` version.
    Failed,
    /// Nothing was changed (the script failed and was rolled back, or was refused).
    NotApplied,
    /// Its run ended without completing it; a later run recorded the state it found.
    Interrupted,
}

impl IntentStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            IntentStatus::Pending => "pending",
            IntentStatus::Applied => "applied",
            IntentStatus::Failed => "failed",
            IntentStatus::NotApplied => "not_applied",
            IntentStatus::Interrupted => "interrupted",
        }
    }

    /// The status with this stored name.
    pub fn parse(name: &str) -> Option<IntentStatus> {
        [
            IntentStatus::Pending,
            IntentStatus::Applied,
            IntentStatus::Failed,
            IntentStatus::NotApplied,
            IntentStatus::Interrupted,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

impl fmt::Display for IntentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an intent ended, given to [`crate::HistoryStore::complete`]. A version
/// it carries is recorded in the same write that closes the intent, so the
/// two cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The script ran; this is the state reached.
    Applied(NewVersion),
    /// The script stopped part-way; this is the state reached.
    Failed {
        /// The state reached (normally of kind `failed`).
        version: NewVersion,
        /// What stopped it.
        error: String,
    },
    /// Nothing was changed.
    NotApplied {
        /// Why.
        error: String,
    },
    /// The run that began the intent ended first; a later run found the
    /// database in this state (`None`: as it was before the intent).
    Interrupted {
        /// The state found, when it differs from the one the intent started from.
        version: Option<NewVersion>,
        /// What the later run concluded.
        note: String,
    },
}

impl Outcome {
    pub(crate) fn status(&self) -> IntentStatus {
        match self {
            Outcome::Applied(_) => IntentStatus::Applied,
            Outcome::Failed { .. } => IntentStatus::Failed,
            Outcome::NotApplied { .. } => IntentStatus::NotApplied,
            Outcome::Interrupted { .. } => IntentStatus::Interrupted,
        }
    }

    pub(crate) fn into_parts(self) -> (Option<NewVersion>, String) {
        match self {
            Outcome::Applied(version) => (Some(version), String::new()),
            Outcome::Failed { version, error } => (Some(version), error),
            Outcome::NotApplied { error } => (None, error),
            Outcome::Interrupted { version, note } => (version, note),
        }
    }
}

/// A recorded intent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// Its id.
    pub id: IntentId,
    /// The database key.
    pub database: String,
    /// The kind of version a successful apply records.
    pub kind: VersionKind,
    /// Hash of the schema the script starts from.
    pub from_hash: String,
    /// Hash of the schema the script leads to.
    pub to_hash: String,
    /// The script.
    pub script: String,
    /// A note for people.
    pub message: String,
    /// When it was begun, RFC 3339 in UTC.
    pub created_at: String,
    /// Where it stands.
    pub status: IntentStatus,
    /// The version recorded when it was completed, if any.
    pub version: Option<u64>,
    /// When it was completed.
    pub completed_at: Option<String>,
    /// The error or conclusion given when it was completed.
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in [
            IntentStatus::Pending,
            IntentStatus::Applied,
            IntentStatus::Failed,
            IntentStatus::NotApplied,
            IntentStatus::Interrupted,
        ] {
            assert_eq!(IntentStatus::parse(status.as_str()), Some(status));
            assert_eq!(serde_json::to_string(&status).ok(), Some(format!("\"{status}\"")));
        }
        assert_eq!(IntentStatus::parse("done"), None);
    }
}
