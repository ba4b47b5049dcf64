//! Plan one source against many targets, apply target by target, record
//! versions, roll back.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use schemasync_diff::{DiffOptions, Plan};
use schemasync_history::{HistoryStore, NewVersion, Version, VersionKind};
use schemasync_model::{HazardKind, Schema, Script};

use crate::engine;
use crate::report::{Refusal, TargetReport, TargetStatus, Timings};
use crate::source::ResolvedSource;
use crate::{EngineOptions, Error, Location, Source};

mod apply;
mod planning;
mod recheck;
mod rollout;

use apply::{Applier, history_target_refusal};
use planning::Planner;
pub use rollout::{Rollout, RolloutEvent};

/// Options of a sync.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SyncOptions {
    /// Apply plans with data-loss hazards.
    pub allow_destructive: bool,
    /// Message recorded with the new version.
    pub message: Option<String>,
    /// Differ options.
    pub diff: DiffOptions,
    /// Create a missing target database on its server (SQLite files are
    /// always created on demand).
    pub create_missing: bool,
    /// Plans keep no copy of each target's schema: every target is read
    /// again right before it is applied, and applied only if it is still
    /// where its plan starts (else refused as drift). Memory then grows with
    /// the targets in flight and the distinct plans, not with the number of
    /// targets, at the cost of reading each target twice.
    pub light_plans: bool,
    /// Do not look for existing rows that would make the plan fail before
    /// applying (see [`schemasync_emit::row_checks`]); such a plan then
    /// fails while applying, and is rolled back where the engine can.
    pub skip_row_checks: bool,
}

impl SyncOptions {
    /// Builder: allow data-loss hazards.
    #[must_use]
    pub fn allow_destructive(mut self, allow: bool) -> Self {
        self.allow_destructive = allow;
        self
    }

    /// Builder: create missing target databases.
    #[must_use]
    pub fn create_missing(mut self, create: bool) -> Self {
        self.create_missing = create;
        self
    }

    /// Builder: plans without the targets' schemas (see
    /// [`SyncOptions::light_plans`]).
    #[must_use]
    pub fn light_plans(mut self, light: bool) -> Self {
        self.light_plans = light;
        self
    }

    /// Builder: skip the row checks before applying.
    #[must_use]
    pub fn skip_row_checks(mut self, skip: bool) -> Self {
        self.skip_row_checks = skip;
        self
    }

    /// Builder: version message.
    #[must_use]
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// The reviewed plan for one target: what it is now, the changes, the SQL.
///
/// The schemas, the plan and the script are shared (`Arc`) between the
/// plans of one [`Syncer::plan_all`]: every target gets the same wanted
/// schema, and targets that start from the same schema share one plan, so
/// a thousand identical targets hold one copy.
#[derive(Debug, Clone)]
pub struct TargetPlan {
    /// The target.
    pub target: Location,
    /// Its history key.
    pub key: String,
    /// Its schema when planned (empty if it does not exist yet).
    pub current: Arc<Schema>,
    /// Whether the database existed when planned.
    pub exists: bool,
    /// The wanted schema.
    pub wanted: Arc<Schema>,
    /// The typed changes.
    pub plan: Arc<Plan>,
    /// The SQL that makes the changes.
    pub script: Arc<Script>,
    /// Recorded as a rollback rather than a sync.
    pub rollback: bool,
    /// Description of the source, for messages.
    pub source_name: String,
    /// How long reading the target and planning took (`None`: not timed,
    /// e.g. a plan read from a file).
    pub plan_time: Option<Duration>,
    /// `current` is not the target's schema (a light plan, a plan read from
    /// a file): the target is read again before applying.
    pub(crate) reread: bool,
}

impl TargetPlan {
    /// Whether the plan needs `allow_destructive`.
    pub fn is_destructive(&self) -> bool {
        self.plan.is_destructive()
    }

    /// What a dry run reports for this plan: planned (or unchanged), with a
    /// warning when the real run would be refused.
    pub fn dry_run_report(&self, options: &SyncOptions) -> TargetReport {
        let mut report = self.report(TargetStatus::Planned);
        if self.is_destructive() && !options.allow_destructive {
            report.warnings.push("has data-loss hazards: would be refused without allowing destructive changes".into());
        }
        report
    }

    /// A report of this plan with `status` (planned becomes unchanged when
    /// an existing database needs nothing).
    fn report(&self, status: TargetStatus) -> TargetReport {
        let unchanged = self.script.is_empty() && self.exists && status == TargetStatus::Planned;
        TargetReport {
            target: self.target.to_string(),
            status: if unchanged { TargetStatus::Unchanged } else { status },
            statements: self.script.statements.iter().map(|s| s.sql.clone()).collect(),
            // The plan's hazards, and the script's own (a plan split into
            // several transactions).
            hazards: self
                .plan
                .hazards()
                .chain(self.script.hazards().filter(|h| h.kind == HazardKind::NotAtomic))
                .cloned()
                .collect(),
            version: None,
            baseline_version: None,
            refusal: None,
            error: None,
            warnings: Vec::new(),
            timings: Timings { plan_ms: self.plan_time.and_then(Timings::millis), apply_ms: None },
        }
    }

    fn refused(&self, refusal: Refusal, error: String) -> TargetReport {
        let mut report = self.report(TargetStatus::Refused);
        report.refusal = Some(refusal);
        report.error = Some(error);
        report
    }
}

/// Plans, applies and remembers. Holds the history store.
#[derive(Debug)]
pub struct Syncer<H: HistoryStore> {
    history: H,
    engine: EngineOptions,
}

impl<H: HistoryStore> Syncer<H> {
    /// A syncer recording into `history`.
    pub fn new(history: H) -> Self {
        Syncer { history, engine: EngineOptions::default() }
    }

    /// Builder: how engines read and apply (schemas read, privileges,
    /// timeouts). Sources and targets are read alike.
    #[must_use]
    pub fn with_engine_options(mut self, options: EngineOptions) -> Self {
        self.engine = options;
        self
    }

    /// The engine settings in use.
    pub fn engine_options(&self) -> &EngineOptions {
        &self.engine
    }

    /// The history store.
    pub fn history(&self) -> &H {
        &self.history
    }

    /// Read a source's schema. A `.sql` file is run where it was written for:
    /// on `sql_on` (normally the first target: an in-memory SQLite database,
    /// or a scratch database on the target's server), else in SQLite.
    pub fn resolve(&self, source: &Source, sql_on: Option<&Location>) -> Result<ResolvedSource, Error> {
        match source {
            Source::Database(location) => {
                if !engine::exists(location)? {
                    return Err(Error::NoSuchDatabase { location: location.to_string(), hint: "" });
                }
                let mut engine = engine::connect(location, false, &self.engine)?;
                let (schema, skipped) = engine.introspect()?;
                Ok(ResolvedSource { schema, skipped })
            }
            Source::SqlFile(path) => {
                let sql = read_file(path)?;
                let scratch = Location::Sqlite { path: ":memory:".into() };
                let (schema, skipped) = engine::load_sql(sql_on.unwrap_or(&scratch), &sql, path, &self.engine)?;
                Ok(ResolvedSource { schema, skipped })
            }
            Source::JsonFile(path) => {
                let json = read_file(path)?;
                let schema = Schema::from_json(&json)
                    .map_err(|source| Error::Model { place: path.display().to_string(), source })?;
                // A snapshot is user input: refused at load, naming the field.
                schemasync_sql::validate_schema(&schema)
                    .map_err(|source| Error::Invalid { place: path.display().to_string(), source })?;
                Ok(ResolvedSource { schema, skipped: Vec::new() })
            }
            Source::History { database, version } => {
                let key = self.database_key(database)?;
                let found = self.history.get(&key, *version)?;
                Ok(ResolvedSource { schema: found.schema, skipped: Vec::new() })
            }
            Source::Schema(schema) => Ok(ResolvedSource { schema: (**schema).clone(), skipped: Vec::new() }),
        }
    }

    /// Read the schema of a live database (which must exist).
    pub fn inspect(&self, location: &Location) -> Result<ResolvedSource, Error> {
        self.resolve(&Source::Database(location.clone()), None)
    }

    /// Compute the plan that makes `target` match `wanted`. Reads the target;
    /// changes nothing (a missing SQLite target is planned as empty and
    /// created only when applied).
    pub fn plan(
        &self,
        wanted: &Schema,
        source_name: &str,
        target: &Location,
        options: &SyncOptions,
    ) -> Result<TargetPlan, Error> {
        self.check_wanted(wanted, source_name)?;
        let mut plan = Planner::new(&self.engine, options, source_name, Arc::new(wanted.clone())).plan_one(target)?;
        plan.key = self.settle_key(&plan.target, plan.key.clone())?;
        Ok(plan)
    }

    /// Plan a source against many targets. Fails on the first target that
    /// cannot be planned (nothing is applied by planning). Targets that
    /// start from the same schema (on servers with the same lock budget)
    /// share one plan and script.
    pub fn plan_all(
        &self,
        wanted: &Schema,
        source_name: &str,
        targets: &[Location],
        options: &SyncOptions,
    ) -> Result<Vec<TargetPlan>, Error> {
        self.plan_all_parallel(wanted, source_name, targets, options, 1)
    }

    /// [`Syncer::plan_all`], reading up to `parallel` targets at a time
    /// (each on its own connection).
    pub fn plan_all_parallel(
        &self,
        wanted: &Schema,
        source_name: &str,
        targets: &[Location],
        options: &SyncOptions,
        parallel: usize,
    ) -> Result<Vec<TargetPlan>, Error> {
        self.check_wanted(wanted, source_name)?;
        let mut plans =
            Planner::new(&self.engine, options, source_name, Arc::new(wanted.clone())).plan_each(targets, parallel)?;
        for plan in &mut plans {
            plan.key = self.settle_key(&plan.target, plan.key.clone())?;
        }
        Ok(plans)
    }

    /// The history key of a database: what its server says it is where
    /// the server can say (PostgreSQL: the cluster's system identifier,
    /// port and database), so that every spelling of its URL shares one
    /// history; else the key of its location (SQLite: the canonical path).
    /// Reads the database when it exists (a missing or unreachable one has
    /// its location's key).
    pub fn database_key(&self, location: &Location) -> Result<String, Error> {
        let key = location.history_key()?;
        if location.sqlite_path().is_some() {
            return Ok(key);
        }
        let identity = match engine::exists(location) {
            Ok(true) => engine::connect(location, false, &self.engine).and_then(|mut e| e.identity_key()),
            Ok(false) => Ok(None),
            Err(e) => Err(e),
        };
        match identity {
            Ok(Some(identity)) => self.settle_key(location, identity),
            Ok(None) => Ok(key),
            Err(error) => {
                tracing::warn!(%location, %error, "identity not readable: the location's own key is used");
                Ok(key)
            }
        }
    }

    /// Keys of existing histories keep working: a database recorded under
    /// its location's key before identities were read keeps that key as
    /// long as nothing is recorded under its identity.
    fn settle_key(&self, location: &Location, identity: String) -> Result<String, Error> {
        let by_location = location.history_key()?;
        if identity == by_location || self.history.latest(&identity)?.is_some() {
            return Ok(identity);
        }
        let legacy = self.history.latest(&by_location)?.is_some() || !self.history.pending(&by_location)?.is_empty();
        Ok(if legacy { by_location } else { identity })
    }

    /// Whatever its origin, the wanted schema reaches emit only if every
    /// text stays in its clause; no target is even read otherwise.
    fn check_wanted(&self, wanted: &Schema, source_name: &str) -> Result<(), Error> {
        schemasync_sql::validate_schema(wanted)
            .map_err(|source| Error::Invalid { place: source_name.to_owned(), source })
    }

    /// Plan bringing `target` back to its version `version`.
    pub fn plan_rollback(&self, target: &Location, version: u64, options: &SyncOptions) -> Result<TargetPlan, Error> {
        let key = self.database_key(target)?;
        let found = self.history.get(&key, version)?;
        let mut plan = self.plan(&found.schema, &format!("version {version}"), target, options)?;
        plan.rollback = true;
        Ok(plan)
    }

    /// Apply one plan: refuse data-loss hazards unless allowed, write the
    /// intent to the history (a history that cannot be written refuses the
    /// plan before any statement runs), apply with a drift check, re-read
    /// the target, record versions. Never returns an error: failures are
    /// reported in the target's status.
    pub fn apply(&mut self, plan: &TargetPlan, options: &SyncOptions) -> TargetReport {
        let history = Mutex::new(&mut self.history);
        Applier { history: &history, engine: &self.engine }.apply(plan, options)
    }

    /// Apply every plan, target by target (every target is attempted, even
    /// after a failure: see [`Syncer::rollout`] to stop). When any plan has
    /// data-loss hazards and they are not allowed, nothing is applied
    /// anywhere and every destructive target is reported refused.
    pub fn apply_all(&mut self, plans: &[TargetPlan], options: &SyncOptions) -> Vec<TargetReport> {
        if let Some(refused) = self.refuse_all(plans, options) {
            return refused;
        }
        let history = Mutex::new(&mut self.history);
        let applier = Applier { history: &history, engine: &self.engine };
        plans.iter().map(|plan| applier.apply(plan, options)).collect()
    }

    /// The whole sync refused before anything runs: a plan with data-loss
    /// hazards that are not allowed, or a target that is the history's own
    /// database. `None`: each target may go ahead.
    fn refuse_all(&self, plans: &[TargetPlan], options: &SyncOptions) -> Option<Vec<TargetReport>> {
        if !options.allow_destructive && plans.iter().any(TargetPlan::is_destructive) {
            return Some(
                plans
                    .iter()
                    .map(|plan| {
                        if plan.is_destructive() {
                            plan.refused(Refusal::DataLoss, destructive_error(plan).to_string())
                        } else {
                            let why = "not applied: another target's plan has data-loss hazards".to_owned();
                            plan.refused(Refusal::OtherTargetDataLoss, why)
                        }
                    })
                    .collect(),
            );
        }
        // Syncing into the history's own database is refused for the whole
        // sync, like data loss: nothing is applied anywhere.
        let own = self.history.own_database_key();
        let into_history: Vec<Option<TargetReport>> = plans.iter().map(|p| history_target_refusal(&own, p)).collect();
        let first = plans.iter().zip(&into_history).find_map(|(p, r)| r.as_ref().map(|_| p))?;
        let why = format!("not applied: another target ({}) is the history store", first.target);
        Some(
            plans
                .iter()
                .zip(into_history)
                .map(|(plan, refused)| {
                    refused.unwrap_or_else(|| plan.refused(Refusal::OtherTargetIsHistory, why.clone()))
                })
                .collect(),
        )
    }

    /// Resolve, plan and apply in one call.
    pub fn sync(
        &mut self,
        source: &Source,
        targets: &[Location],
        options: &SyncOptions,
    ) -> Result<Vec<TargetReport>, Error> {
        let wanted = self.resolve(source, targets.first())?.schema;
        let plans = self.plan_all(&wanted, &source.to_string(), targets, options)?;
        let reports = self.apply_all(&plans, options);
        if reports.iter().all(|r| matches!(r.status, TargetStatus::Applied | TargetStatus::Unchanged)) {
            self.record_source(source, &wanted)?;
        }
        Ok(reports)
    }

    /// Remember the state of a live database used as a sync source, so that
    /// the source itself can be rolled back later: a baseline the first time,
    /// then a snapshot whenever it changed since its latest version.
    /// Returns the version recorded, if any.
    pub fn record_source(&mut self, source: &Source, schema: &Schema) -> Result<Option<u64>, Error> {
        let Source::Database(location) = source else { return Ok(None) };
        let key = self.database_key(location)?;
        let kind = match self.history.latest(&key)? {
            None => VersionKind::Baseline,
            Some(latest) if latest.hash != schema.content_hash() => VersionKind::Snapshot,
            Some(_) => return Ok(None),
        };
        let version = self.history.record(NewVersion {
            database: key,
            kind,
            schema: schema.clone(),
            script: String::new(),
            message: "state when used as a sync source".to_owned(),
        })?;
        Ok(Some(version.number))
    }

    /// Record the current schema of a database as a version.
    pub fn snapshot(&mut self, target: &Location, message: &str) -> Result<Version, Error> {
        let schema = self.inspect(target)?.schema;
        let key = self.database_key(target)?;
        let kind = if self.history.latest(&key)?.is_none() { VersionKind::Baseline } else { VersionKind::Snapshot };
        Ok(self.history.record(NewVersion {
            database: key,
            kind,
            schema,
            script: String::new(),
            message: message.to_owned(),
        })?)
    }
}

impl<H: HistoryStore + Send> Syncer<H> {
    /// Apply every plan as `rollout` says: up to `rollout.parallel` targets
    /// at a time (each on its own connection; history writes are one at a
    /// time), canaries first, and no new target started after one failed
    /// unless `rollout.keep_going`. Targets not started are reported
    /// skipped. The whole rollout is refused up front like
    /// [`Syncer::apply_all`]. `observer` hears each target start and finish,
    /// from the worker threads.
    pub fn rollout(
        &mut self,
        plans: &[TargetPlan],
        options: &SyncOptions,
        rollout: &Rollout,
        observer: &(dyn Fn(RolloutEvent<'_>) + Sync),
    ) -> Vec<TargetReport> {
        self.rollout_with(plans, options, rollout, observer, None)
    }

    /// Apply a reviewed plan file exactly as written, as [`Syncer::rollout`]
    /// does: target `i` of the file is `locations[i]` (its name resolved
    /// again, e.g. through a config file). Each target is read again
    /// first: one whose schema moved since the plan was made is refused
    /// ([`Refusal::Drift`]) and left as it is while the others proceed; one
    /// already at the wanted schema is unchanged. Errors only when the file
    /// and the locations do not fit together (nothing was applied then).
    pub fn rollout_file(
        &mut self,
        file: &crate::PlanFile,
        locations: &[Location],
        options: &SyncOptions,
        rollout: &Rollout,
        observer: &(dyn Fn(RolloutEvent<'_>) + Sync),
    ) -> Result<Vec<TargetReport>, Error> {
        let plans = file.target_plans(locations)?;
        let mut options = options.clone();
        options.diff = file.diff.clone();
        let engine = file.scope.apply_to(&self.engine);
        Ok(self.rollout_with(&plans, &options, rollout, observer, Some(&engine)))
    }

    fn rollout_with(
        &mut self,
        plans: &[TargetPlan],
        options: &SyncOptions,
        rollout: &Rollout,
        observer: &(dyn Fn(RolloutEvent<'_>) + Sync),
        // Plans read from a file: targets are read with these options (the
        // file's scope) instead of the syncer's.
        engine: Option<&EngineOptions>,
    ) -> Vec<TargetReport> {
        if let Some(refused) = self.refuse_all(plans, options) {
            for (index, report) in refused.iter().enumerate() {
                observer(RolloutEvent::Finished { index, report });
            }
            return refused;
        }
        let history = Mutex::new(&mut self.history);
        let applier = Applier { history: &history, engine: engine.unwrap_or(&self.engine) };
        let work = |plan: &TargetPlan| {
            let started = Instant::now();
            let mut report = applier.apply(plan, options);
            report.timings.apply_ms = Timings::millis(started.elapsed());
            report
        };
        let skipped = |plan: &TargetPlan, why: String| {
            let mut report = plan.report(TargetStatus::Skipped);
            report.error = Some(why);
            report
        };
        let label = |plan: &TargetPlan| plan.target.to_string();
        rollout::Jobs { jobs: plans, label: &label, work: &work, skipped: &skipped }.run(rollout, observer)
    }
}

fn destructive_error(plan: &TargetPlan) -> Error {
    let hazards: Vec<String> =
        plan.plan.hazards().filter(|h| h.kind.is_destructive()).map(|h| h.message.clone()).collect();
    Error::Destructive { target: plan.target.to_string(), hazards: hazards.join("; ") }
}

fn read_file(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.display().to_string(), source })
}
