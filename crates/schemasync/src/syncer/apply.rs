//! The apply path of one target: the history is written first (settling
//! intents an earlier run left pending, the prior state, then the intent of
//! this apply), so that a history that cannot be written refuses the change
//! before any statement runs; then the target is changed; then the intent
//! is completed with the state reached.

use schemasync_history::{HistoryError, HistoryStore, IntentId, NewIntent, NewVersion, Outcome, VersionKind};
use schemasync_model::Schema;

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{SyncOptions, TargetPlan};
use crate::engine::{self, Engine};
use crate::report::{Refusal, TargetReport, TargetStatus};
use crate::{EngineOptions, Error};

/// Where changing the target stopped, which decides what the intent records.
enum Stop {
    /// Nothing was changed (connect failed, the script failed and was rolled
    /// back, drift refused it).
    Unchanged(Error),
    /// Some statements ran and stayed (no transactional DDL, or committed
    /// statements outside the transaction).
    Partly { completed: usize, error: Error },
    /// The script ran but the state reached could not be read.
    Unknown(Error),
}

/// The apply path of one target, shareable between the threads of a
/// rollout: only the history is locked, and only for each write, so that
/// targets are changed in parallel while their records are written one at
/// a time.
pub(super) struct Applier<'a, H> {
    pub(super) history: &'a Mutex<&'a mut H>,
    pub(super) engine: &'a EngineOptions,
}

impl<'a, H: HistoryStore> Applier<'a, H> {
    /// The history, locked for one call. A panic while it was held leaves
    /// plain data behind (each write is its own transaction): still usable.
    fn store(&self) -> MutexGuard<'a, &'a mut H> {
        self.history.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Refuse data-loss hazards unless allowed, then apply and record.
    pub(super) fn apply(&self, plan: &TargetPlan, options: &SyncOptions) -> TargetReport {
        if plan.is_destructive() && !options.allow_destructive {
            return plan.refused(Refusal::DataLoss, super::destructive_error(plan).to_string());
        }
        if plan.reread {
            return match super::recheck::recheck(self.engine, plan) {
                super::recheck::Checked::Ready(fresh) => self.apply_recorded(&fresh, options),
                super::recheck::Checked::Settled(report) => report,
            };
        }
        self.apply_recorded(plan, options)
    }

    /// [`Applier::apply`] once the destructive gate passed.
    fn apply_recorded(&self, plan: &TargetPlan, options: &SyncOptions) -> TargetReport {
        // The Display of a location is redacted: no password reaches a log.
        let _span = tracing::info_span!("sync_target", target = %plan.target, key = %plan.key).entered();
        let report = self.apply_recorded_in_span(plan, options);
        match &report.error {
            None => tracing::info!(status = ?report.status, version = report.version, "target done"),
            Some(error) => tracing::warn!(status = ?report.status, %error, "target not synced"),
        }
        report
    }

    fn apply_recorded_in_span(&self, plan: &TargetPlan, options: &SyncOptions) -> TargetReport {
        if let Some(refused) = self.history_target_refusal(plan) {
            return refused;
        }
        if let Some(refused) = self.row_check_refusal(plan, options) {
            return refused;
        }
        let mut report = plan.report(TargetStatus::Planned);
        let id = match self.before_apply(plan, options, &mut report) {
            Ok(Some(id)) => id,
            Ok(None) => {
                report.status = TargetStatus::Unchanged;
                return report;
            }
            Err(error) => {
                report.status = TargetStatus::Refused;
                report.refusal = Some(Refusal::History);
                report.error = Some(format!("{error}; nothing was applied"));
                return report;
            }
        };
        match self.change_target(plan, options, &mut report) {
            Ok(after) => self.finish_applied(plan, options, id, after, &mut report),
            Err(Stop::Unchanged(error)) => {
                let closed = self.store().complete(id, Outcome::NotApplied { error: error.to_string() });
                if let Err(e) = closed {
                    tracing::warn!(intent = %id, error = %e, "history: the apply intent could not be closed");
                    report.warnings.push(format!("apply intent {id} could not be closed: {e}"));
                }
                match &error {
                    // Another run applied this very plan while this one
                    // waited for the target's lock: done once, not twice.
                    Error::Drift { actual, .. } if *actual == plan.plan.to_hash => {
                        report.status = TargetStatus::Unchanged;
                        report.warnings.push("already at the planned schema (applied by another run)".to_owned());
                        return report;
                    }
                    Error::Drift { .. } => {
                        report.status = TargetStatus::Refused;
                        report.refusal = Some(Refusal::Drift);
                    }
                    _ => report.status = TargetStatus::Failed,
                }
                report.error = Some(error.to_string());
            }
            Err(Stop::Partly { completed, error }) => {
                report.status = TargetStatus::Failed;
                match self.record_failed_attempt(plan, id, completed, &error) {
                    Ok(version) => report.warnings.push(format!(
                        "the failed attempt is recorded as version {version}; {completed} statement(s) had run"
                    )),
                    Err(e) => report.warnings.push(format!(
                        "the failed attempt could not be recorded ({e}); apply intent {id} stays pending and \
                         the next sync records the state it finds"
                    )),
                }
                report.error = Some(error.to_string());
            }
            Err(Stop::Unknown(error)) => {
                report.status = TargetStatus::Failed;
                report.error = Some(format!(
                    "the script ran but the result could not be read ({error}); apply intent {id} stays \
                     pending and the next sync records the state it finds"
                ));
            }
        }
        report
    }

    /// A sync into the database that holds the history is refused.
    fn history_target_refusal(&self, plan: &TargetPlan) -> Option<TargetReport> {
        let own = self.store().own_database_key();
        history_target_refusal(&own, plan)
    }

    /// Rows of the target that would make the plan fail, found before
    /// anything runs (nothing is written to the history either). A check
    /// that cannot run is skipped: the apply then fails safely as before.
    fn row_check_refusal(&self, plan: &TargetPlan, options: &SyncOptions) -> Option<TargetReport> {
        if options.skip_row_checks || !plan.exists || plan.script.is_empty() {
            return None;
        }
        let checks = schemasync_emit::row_checks(&plan.plan, &plan.current);
        if checks.is_empty() {
            return None;
        }
        let mut engine = match engine::connect(&plan.target, false, self.engine) {
            Ok(engine) => engine,
            // Applying connects again and reports it.
            Err(_) => return None,
        };
        let mut failing = Vec::new();
        for check in &checks {
            match engine.any_row(&check.sql) {
                Ok(true) => failing.push(check.what.clone()),
                Ok(false) => {}
                Err(error) => tracing::warn!(check = %check.what, sql = %check.sql, %error, "row check could not run"),
            }
        }
        tracing::info!(checks = checks.len(), failing = failing.len(), "row checks before applying");
        if failing.is_empty() {
            return None;
        }
        let why = format!("the plan would fail on existing rows: {}; nothing was applied", failing.join("; "));
        Some(plan.refused(Refusal::FailsOnRows, why))
    }

    /// Everything written before the target changes. `None`: nothing to apply.
    fn before_apply(
        &self,
        plan: &TargetPlan,
        options: &SyncOptions,
        report: &mut TargetReport,
    ) -> Result<Option<IntentId>, Error> {
        self.settle_interrupted(plan, report)?;
        // Versions of the state before the sync, so that it can be returned to.
        if plan.exists {
            report.baseline_version = self.record_prior_state(plan)?;
        }
        // A database that does not exist yet is created even when the wanted
        // schema is empty: "sync to a new database" must leave one behind.
        if plan.script.is_empty() && plan.exists {
            return Ok(None);
        }
        let id = self.store().begin(NewIntent {
            database: plan.key.clone(),
            kind: version_kind(plan),
            from_hash: plan.plan.from_hash.clone(),
            to_hash: plan.plan.to_hash.clone(),
            script: plan.script.to_sql(),
            message: version_message(plan, options),
        })?;
        Ok(Some(id))
    }

    /// Intents an earlier run began and never completed (it was killed, or
    /// its history write failed): complete them with the state this run
    /// just read from the target, so the history says where it really is.
    fn settle_interrupted(&self, plan: &TargetPlan, report: &mut TargetReport) -> Result<(), Error> {
        let pending = self.store().pending(&plan.key)?;
        for intent in pending {
            let found = &plan.plan.from_hash;
            let (kind, note) = if *found == intent.from_hash {
                (None, "nothing of it had been applied")
            } else if *found == intent.to_hash {
                (Some(intent.kind), "it had been applied completely")
            } else {
                (Some(VersionKind::Failed), "it had stopped part-way, or the database changed since")
            };
            let version = kind.map(|kind| NewVersion {
                database: plan.key.clone(),
                kind,
                schema: (*plan.current).clone(),
                script: intent.script.clone(),
                message: format!("{} (ended before it was recorded; state found by a later sync)", intent.message),
            });
            let recorded = self.store().complete(intent.id, Outcome::Interrupted { version, note: note.to_owned() })?;
            let as_version = recorded.map(|v| format!("; the state found is recorded as version {}", v.number));
            report.warnings.push(format!(
                "apply intent {} ({}, begun {}) never completed: {note}{}",
                intent.id,
                intent.message,
                intent.created_at,
                as_version.unwrap_or_default()
            ));
        }
        Ok(())
    }

    /// Connect, apply with the drift check, read the state reached.
    fn change_target(
        &self,
        plan: &TargetPlan,
        options: &SyncOptions,
        report: &mut TargetReport,
    ) -> Result<Schema, Stop> {
        let mut engine: Box<dyn Engine> =
            engine::connect_creating(&plan.target, &plan.wanted, self.engine).map_err(Stop::Unchanged)?;
        if !plan.script.is_empty() {
            engine.apply(&plan.script, Some(&plan.plan.from_hash)).map_err(|error| match error {
                Error::PartlyApplied { completed, .. } => Stop::Partly { completed, error },
                other => Stop::Unchanged(other),
            })?;
        }
        let (after, _) = engine.introspect().map_err(Stop::Unknown)?;
        match schemasync_diff::diff(&after, &plan.wanted, &options.diff) {
            Ok(residual) if residual.is_empty() => tracing::info!("re-diff after apply: nothing left"),
            Ok(residual) => {
                let left = residual.changes.iter().map(|c| c.change.describe()).collect::<Vec<_>>().join("; ");
                tracing::warn!(changes = residual.changes.len(), %left, "re-diff after apply: changes remain");
                report.warnings.push(format!("after applying, {} change(s) remain: {left}", residual.changes.len()));
            }
            Err(e) => {
                tracing::warn!(error = %e, "re-diff after apply: the result could not be compared");
                report.warnings.push(format!("after applying, the result could not be compared: {e}"));
            }
        }
        Ok(after)
    }

    fn finish_applied(
        &self,
        plan: &TargetPlan,
        options: &SyncOptions,
        id: IntentId,
        after: Schema,
        report: &mut TargetReport,
    ) {
        let version = NewVersion {
            database: plan.key.clone(),
            kind: version_kind(plan),
            schema: after,
            script: plan.script.to_sql(),
            message: version_message(plan, options),
        };
        let recorded = self.store().complete(id, Outcome::Applied(version));
        match recorded {
            Ok(recorded) => {
                report.version = recorded.map(|v| v.number);
                report.status = TargetStatus::Applied;
            }
            Err(e) => {
                report.status = TargetStatus::Failed;
                report.error = Some(format!(
                    "applied, but the new version could not be recorded (history: {e}); apply intent {id} \
                     stays pending and the next sync records the state it finds"
                ));
            }
        }
    }

    /// Engines without transactional DDL can stop part-way: remember the
    /// state they left and what ran, so the history says exactly where the
    /// target is. Syncing again plans from that real state and finishes.
    fn record_failed_attempt(
        &self,
        plan: &TargetPlan,
        id: IntentId,
        completed: usize,
        cause: &Error,
    ) -> Result<u64, Error> {
        let (after, _) = engine::connect(&plan.target, false, self.engine)?.introspect()?;
        let mut script = String::new();
        for statement in plan.script.statements.iter().take(completed) {
            script.push_str(&statement.sql);
            script.push_str(";\n");
        }
        let message = format!("failed after {completed} of {} statement(s): {cause}", plan.script.statements.len());
        let version =
            NewVersion { database: plan.key.clone(), kind: VersionKind::Failed, schema: after, script, message };
        let recorded = self.store().complete(id, Outcome::Failed { version, error: cause.to_string() })?;
        Ok(recorded.map_or(0, |v| v.number))
    }

    /// A target with no history gets a baseline; one changed outside
    /// schemasync since its last version gets a snapshot of that state.
    fn record_prior_state(&self, plan: &TargetPlan) -> Result<Option<u64>, Error> {
        let latest = self.store().latest(&plan.key)?;
        let (kind, message) = match &latest {
            None => (VersionKind::Baseline, "baseline before first sync"),
            Some(v) if v.hash != plan.plan.from_hash => (VersionKind::Snapshot, "changed outside schemasync"),
            Some(_) => return Ok(None),
        };
        let version = self.store().record(NewVersion {
            database: plan.key.clone(),
            kind,
            schema: (*plan.current).clone(),
            script: String::new(),
            message: message.to_owned(),
        })?;
        Ok(Some(version.number))
    }
}

/// A sync into the database that holds the history (`own`) would change
/// the record while writing it: refused.
pub(super) fn history_target_refusal(
    own: &Result<Option<String>, HistoryError>,
    plan: &TargetPlan,
) -> Option<TargetReport> {
    let (refusal, error) = match own {
        Ok(Some(own)) if *own == plan.key => (
            Refusal::TargetIsHistory,
            format!("{} is the history store itself ({own}); syncing into it is refused", plan.target),
        ),
        Ok(_) => return None,
        Err(e) => (Refusal::History, format!("history: {e}; nothing was applied")),
    };
    Some(plan.refused(refusal, error))
}

fn version_kind(plan: &TargetPlan) -> VersionKind {
    if plan.rollback { VersionKind::Rollback } else { VersionKind::Sync }
}

fn version_message(plan: &TargetPlan, options: &SyncOptions) -> String {
    options.message.clone().unwrap_or_else(|| {
        if plan.rollback {
            format!("rollback to {}", plan.source_name)
        } else {
            format!("sync from {}", plan.source_name)
        }
    })
}
