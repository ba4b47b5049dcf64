//! Planning one wanted schema against many targets, on several threads:
//! each target is read on its own connection, and targets that start from
//! the same schema (on servers with the same lock budget) share one plan.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use schemasync_diff::Plan;
use schemasync_model::{Schema, Script};

use super::{SyncOptions, TargetPlan};
use crate::engine;
use crate::{EngineOptions, Error, Location};

/// Where a target starts: its schema's content hash and its lock budget.
type Start = (String, Option<u64>);
/// Its current schema, plan and script.
type Planned = (Arc<Schema>, Arc<Plan>, Arc<Script>);

/// What the plans of one wanted schema share.
pub(super) struct Planner<'a> {
    pub(super) engine: &'a EngineOptions,
    pub(super) options: &'a SyncOptions,
    pub(super) source_name: &'a str,
    pub(super) wanted: Arc<Schema>,
    by_start: Mutex<HashMap<Start, Planned>>,
    /// The `current` of light plans (an empty schema, shared).
    unknown: Arc<Schema>,
}

impl<'a> Planner<'a> {
    pub(super) fn new(
        engine: &'a EngineOptions,
        options: &'a SyncOptions,
        source_name: &'a str,
        wanted: Arc<Schema>,
    ) -> Self {
        let unknown = Arc::new(Schema::new(wanted.dialect));
        Planner { engine, options, source_name, wanted, by_start: Mutex::new(HashMap::new()), unknown }
    }

    /// Plan every target, `parallel` at a time. Fails with the error of the
    /// first target (in the order given) that could not be planned; no
    /// new target is read once one failed.
    pub(super) fn plan_each(&self, targets: &[Location], parallel: usize) -> Result<Vec<TargetPlan>, Error> {
        let workers = parallel.clamp(1, targets.len().max(1));
        if workers == 1 {
            return targets.iter().map(|t| self.plan_one(t)).collect();
        }
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let results: Vec<Mutex<Option<Result<TargetPlan, Error>>>> = targets.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while !failed.load(Ordering::SeqCst) {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(target) = targets.get(i) else { break };
                        let result = self.plan_one(target);
                        if result.is_err() {
                            failed.store(true, Ordering::SeqCst);
                        }
                        *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                    }
                });
            }
        });
        let mut plans = Vec::with_capacity(targets.len());
        let mut first_error = None;
        for slot in results {
            match slot.into_inner().unwrap_or_else(PoisonError::into_inner) {
                Some(Ok(plan)) => plans.push(plan),
                Some(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                None => {}
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(plans),
        }
    }

    /// Read one target and plan it (or reuse the plan of a target that
    /// started from the same schema).
    pub(super) fn plan_one(&self, target: &Location) -> Result<TargetPlan, Error> {
        let started = Instant::now();
        let wanted = Arc::clone(&self.wanted);
        if wanted.dialect != target.dialect() {
            return Err(Error::DialectMismatch {
                source_name: self.source_name.to_owned(),
                source_dialect: wanted.dialect,
                target: target.to_string(),
                target_dialect: target.dialect(),
            });
        }
        // The target must hold every name as written.
        schemasync_sql::enforce_limits(&wanted, target.dialect())
            .map_err(|source| Error::Invalid { place: target.to_string(), source })?;
        let mut key = target.history_key()?;
        // SQLite files are created on demand; a server database only when asked.
        let exists = engine::exists(target)?;
        if !exists && target.sqlite_path().is_none() && !self.options.create_missing {
            return Err(Error::NoSuchDatabase {
                location: target.to_string(),
                hint: " (allow creating missing databases: sync --create)",
            });
        }
        let (current, server_budget) = if exists {
            let mut engine = engine::connect(target, false, self.engine)?;
            let current = engine.introspect()?.0;
            // The server's own name for the database, where it has one;
            // the caller settles which key an existing history uses.
            if let Some(identity) = engine.identity_key()? {
                key = identity;
            }
            (current, engine.transaction_lock_budget()?)
        } else {
            (Schema::new(target.dialect()), engine::server_transaction_lock_budget(target)?)
        };
        let budget = server_budget.map(|b| self.engine.transaction_lock_budget.unwrap_or(b));
        let start = (current.content_hash(), budget);
        let (current, plan, script) = self.shared_plan(start, current)?;
        Ok(TargetPlan {
            target: target.clone(),
            key,
            current,
            exists,
            wanted,
            plan,
            script,
            rollback: false,
            source_name: self.source_name.to_owned(),
            plan_time: Some(started.elapsed()),
            reread: self.options.light_plans,
        })
    }

    /// The plan from `current`, computed once per start: two threads that
    /// find the same start at once may both compute it; the first kept wins.
    fn shared_plan(&self, start: Start, current: Schema) -> Result<Planned, Error> {
        if let Some(found) = self.by_start.lock().unwrap_or_else(PoisonError::into_inner).get(&start) {
            return Ok(found.clone());
        }
        let plan = schemasync_diff::diff(&current, &self.wanted, &self.options.diff)?;
        let mut script = schemasync_emit::emit_plan(&plan)?;
        // Known before anything runs: a plan too large for one
        // transaction is split, and its hazards say so.
        if let Some(budget) = start.1 {
            script.split_transactions(budget);
        }
        // A light plan keeps no schema of the target: it is read again
        // before applying (`recheck`), so only targets in flight hold one.
        let current = if self.options.light_plans { Arc::clone(&self.unknown) } else { Arc::new(current) };
        let made = (current, Arc::new(plan), Arc::new(script));
        let mut by_start = self.by_start.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(by_start.entry(start).or_insert(made).clone())
    }
}
