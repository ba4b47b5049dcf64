//! A plan made earlier (read from a plan file) is applied only to the
//! schema it was made from: each target is read again first.

use std::sync::Arc;

use schemasync_model::Schema;

use super::TargetPlan;
use crate::engine;
use crate::report::{Refusal, TargetReport, TargetStatus};
use crate::{EngineOptions, Error};

/// What re-reading a target found.
pub(super) enum Checked {
    /// Still where the plan starts: the plan, with the schema just read.
    Ready(TargetPlan),
    /// Settled without applying.
    Settled(TargetReport),
}

/// The plan with the target's current schema, or the report that settles
/// the target without applying: refused when its schema moved since the
/// plan was made, unchanged when it already is the wanted schema (another
/// run applied the plan), failed when it cannot be read.
pub(super) fn recheck(engine: &EngineOptions, plan: &TargetPlan) -> Checked {
    let failed = |error: Error| {
        let mut report = plan.report(TargetStatus::Failed);
        report.error = Some(error.to_string());
        Checked::Settled(report)
    };
    let exists = match engine::exists(&plan.target) {
        Ok(exists) => exists,
        Err(e) => return failed(e),
    };
    let current = if exists {
        let read =
            engine::connect(&plan.target, false, engine).and_then(|mut e| Ok((e.introspect()?.0, e.identity_key()?)));
        let (schema, identity) = match read {
            Ok(read) => read,
            Err(e) => return failed(e),
        };
        // The name (a URL, a config entry) may lead elsewhere now.
        let by_location = plan.target.history_key().ok();
        if identity.as_ref() != Some(&plan.key) && by_location.as_ref() != Some(&plan.key) {
            let found = identity.or(by_location).unwrap_or_default();
            let why =
                format!("planned for {}, the name now leads to {found}; nothing was applied: plan again", plan.key);
            let mut report = plan.report(TargetStatus::Failed);
            report.error = Some(why);
            return Checked::Settled(report);
        }
        schema
    } else {
        Schema::new(plan.target.dialect())
    };
    let found = current.content_hash();
    if found == plan.plan.from_hash && (exists || !plan.exists) {
        return Checked::Ready(TargetPlan { current: Arc::new(current), exists, reread: false, ..plan.clone() });
    }
    if found == plan.plan.to_hash && exists {
        let mut report = plan.report(TargetStatus::Unchanged);
        report.statements.clear();
        report.warnings.push("already at the planned schema (applied by another run)".to_owned());
        return Checked::Settled(report);
    }
    let why = if plan.exists && !exists {
        "the database no longer exists".to_owned()
    } else {
        format!(
            "its schema changed since the plan was made (planned from {}, found {}); nothing was applied: plan again",
            short(&plan.plan.from_hash),
            short(&found)
        )
    };
    tracing::warn!(target = %plan.target, planned_from = %plan.plan.from_hash, found = %found, "drift since the plan");
    Checked::Settled(plan.refused(Refusal::Drift, why))
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
