//! What happened to each target.

use serde::{Deserialize, Serialize};
use std::fmt;

use schemasync_model::Hazard;

/// The outcome of a sync on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// Dry run: the statements would be applied.
    Planned,
    /// The statements were applied and a version recorded.
    Applied,
    /// Nothing to do: the target already matches.
    Unchanged,
    /// Not applied: data-loss hazards without permission, or the target drifted.
    Refused,
    /// Applying failed; the target was rolled back.
    Failed,
    /// Not attempted: the rollout stopped after another target failed (or
    /// a canary did).
    Skipped,
}

impl TargetStatus {
    /// Lowercase name, as printed and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetStatus::Planned => "planned",
            TargetStatus::Applied => "applied",
            TargetStatus::Unchanged => "unchanged",
            TargetStatus::Refused => "refused",
            TargetStatus::Failed => "failed",
            TargetStatus::Skipped => "skipped",
        }
    }
}

impl fmt::Display for TargetStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a target was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Refusal {
    /// Its plan has data-loss hazards and destructive changes were not allowed.
    DataLoss,
    /// Another target's plan has data-loss hazards, so no target was applied.
    OtherTargetDataLoss,
    /// The target changed since it was planned.
    Drift,
    /// Existing rows would make the plan fail (a duplicate under a new
    /// unique key, a NULL under a new NOT NULL, a row a new check or foreign
    /// key refuses): found before anything ran.
    FailsOnRows,
    /// The history could not be written (read-only, full, locked, damaged),
    /// so the change could not have been recorded: nothing was applied.
    History,
    /// The target is the database the history itself is stored in.
    TargetIsHistory,
    /// Another target is the history's own database, so no target was applied.
    OtherTargetIsHistory,
}

/// Per-target report of a sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetReport {
    /// The target, without credentials.
    pub target: String,
    /// Outcome.
    pub status: TargetStatus,
    /// The statements planned (and, when applied, run).
    pub statements: Vec<String>,
    /// Hazards of the plan.
    pub hazards: Vec<Hazard>,
    /// Version recorded for the new state, when applied.
    pub version: Option<u64>,
    /// Baseline version recorded first because the target had no history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_version: Option<u64>,
    /// Why it was refused, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
    /// Why it was refused or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Things worth knowing that did not stop the sync.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// How long planning and applying took.
    #[serde(default)]
    pub timings: Timings,
}

/// Wall time spent on one target, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timings {
    /// Reading the target and computing its plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_ms: Option<u64>,
    /// Applying and recording (re-reading the result included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_ms: Option<u64>,
}

impl Timings {
    pub(crate) fn millis(elapsed: std::time::Duration) -> Option<u64> {
        Some(u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
    }
}
