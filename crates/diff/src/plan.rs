//! The plan: data that can be printed, stored, reviewed and applied later.

use serde::{Deserialize, Serialize};

use schemasync_model::{Dialect, Hazard};

use crate::change::Change;

/// A change with the hazards it carries on a database that holds data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedChange {
    /// The change.
    pub change: Change,
    /// Its hazards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
}

/// The dependency-ordered changes that turn one schema into another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Dialect of both schemas.
    pub dialect: Dialect,
    /// Content hash of the schema the plan starts from (the target as it was).
    pub from_hash: String,
    /// Content hash of the schema the plan leads to (the source).
    pub to_hash: String,
    /// Changes in execution order.
    pub changes: Vec<PlannedChange>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// All hazards of all changes.
    pub fn hazards(&self) -> impl Iterator<Item = &Hazard> {
        self.changes.iter().flat_map(|c| c.hazards.iter())
    }

    /// Whether any change needs `--allow-destructive`.
    pub fn is_destructive(&self) -> bool {
        self.hazards().any(|h| h.kind.is_destructive())
    }
}
