//! The facade for async programs: every operation of [`Syncer`] as a future
//! that is `Send` (it can be awaited in `tokio::spawn`), for tokio
//! services.
//!
//! Each call runs the blocking [`Syncer`] on tokio's blocking pool
//! (`spawn_blocking`), so the caller's workers never block on a database,
//! and the `Syncer` itself is shared behind a mutex: calls on one
//! `AsyncSyncer` (and its clones) run one at a time, in the order they
//! take the lock. Arguments are taken by value because the work outlives
//! the caller's borrow. A tokio runtime must be running (any flavour).

use std::sync::{Arc, Mutex, PoisonError};

use schemasync_history::{HistoryStore, Version, VersionSummary};
use schemasync_model::Schema;

use crate::report::TargetReport;
use crate::source::ResolvedSource;
use crate::{Error, Location, Source, SyncOptions, Syncer, TargetPlan};

/// A [`Syncer`] for async code. Cheap to clone (clones share the syncer);
/// `Send` and `Sync` when the history store is `Send`.
///
/// ```no_run
/// # async fn demo() -> Result<(), schemasync::Error> {
/// use schemasync::{AsyncSyncer, Location, Source, SqliteHistory, SyncOptions, Syncer};
///
/// let history = SqliteHistory::open(".schemasync/history.db".as_ref())?;
/// let syncer = AsyncSyncer::new(Syncer::new(history));
/// let source = Source::parse("postgres://ci@db-test/hr")?;
/// let targets = vec![Location::parse("postgres://ops@db-prod/hr")?];
/// let task = tokio::spawn({
///     let syncer = syncer.clone();
///     async move { syncer.sync(source, targets, SyncOptions::default()).await }
/// });
/// for report in task.await.expect("the task ran")? {
///     println!("{}: {}", report.target, report.status);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct AsyncSyncer<H: HistoryStore> {
    inner: Arc<Mutex<Syncer<H>>>,
}

impl<H: HistoryStore> Clone for AsyncSyncer<H> {
    fn clone(&self) -> Self {
        AsyncSyncer { inner: Arc::clone(&self.inner) }
    }
}

impl<H: HistoryStore + Send + 'static> AsyncSyncer<H> {
    /// Wrap a configured [`Syncer`] (history store, engine options).
    pub fn new(syncer: Syncer<H>) -> Self {
        AsyncSyncer { inner: Arc::new(Mutex::new(syncer)) }
    }

    /// Run `work` on the blocking pool with the syncer locked.
    async fn run<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Syncer<H>) -> R + Send + 'static,
    ) -> Result<R, Error> {
        let inner = Arc::clone(&self.inner);
        let task = tokio::task::spawn_blocking(move || {
            // A panic while locked leaves plain data: still usable.
            let mut syncer = inner.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut syncer)
        });
        match task.await {
            Ok(value) => Ok(value),
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // The runtime is shutting down.
            Err(_) => Err(Error::Interrupted { place: "the async task (its runtime shut down)".to_owned() }),
        }
    }

    /// [`Syncer::resolve`].
    pub async fn resolve(&self, source: Source, sql_on: Option<Location>) -> Result<ResolvedSource, Error> {
        self.run(move |s| s.resolve(&source, sql_on.as_ref())).await?
    }

    /// [`Syncer::inspect`].
    pub async fn inspect(&self, location: Location) -> Result<ResolvedSource, Error> {
        self.run(move |s| s.inspect(&location)).await?
    }

    /// [`Syncer::plan`].
    pub async fn plan(
        &self,
        wanted: Schema,
        source_name: String,
        target: Location,
        options: SyncOptions,
    ) -> Result<TargetPlan, Error> {
        self.run(move |s| s.plan(&wanted, &source_name, &target, &options)).await?
    }

    /// [`Syncer::plan_all`].
    pub async fn plan_all(
        &self,
        wanted: Schema,
        source_name: String,
        targets: Vec<Location>,
        options: SyncOptions,
    ) -> Result<Vec<TargetPlan>, Error> {
        self.run(move |s| s.plan_all(&wanted, &source_name, &targets, &options)).await?
    }

    /// [`Syncer::plan_rollback`].
    pub async fn plan_rollback(
        &self,
        target: Location,
        version: u64,
        options: SyncOptions,
    ) -> Result<TargetPlan, Error> {
        self.run(move |s| s.plan_rollback(&target, version, &options)).await?
    }

    /// [`Syncer::apply`]: failures are in the report's status.
    pub async fn apply(&self, plan: TargetPlan, options: SyncOptions) -> Result<TargetReport, Error> {
        self.run(move |s| s.apply(&plan, &options)).await
    }

    /// [`Syncer::apply_all`].
    pub async fn apply_all(&self, plans: Vec<TargetPlan>, options: SyncOptions) -> Result<Vec<TargetReport>, Error> {
        self.run(move |s| s.apply_all(&plans, &options)).await
    }

    /// [`Syncer::sync`]: resolve, plan and apply.
    pub async fn sync(
        &self,
        source: Source,
        targets: Vec<Location>,
        options: SyncOptions,
    ) -> Result<Vec<TargetReport>, Error> {
        self.run(move |s| s.sync(&source, &targets, &options)).await?
    }

    /// [`Syncer::snapshot`].
    pub async fn snapshot(&self, target: Location, message: String) -> Result<Version, Error> {
        self.run(move |s| s.snapshot(&target, &message)).await?
    }

    /// The versions recorded for `target`, oldest first.
    pub async fn history_list(&self, target: Location) -> Result<Vec<VersionSummary>, Error> {
        self.run(move |s| Ok(s.history().list(&s.database_key(&target)?)?)).await?
    }

    /// Version `version` of `target`, with its schema and script.
    pub async fn history_get(&self, target: Location, version: u64) -> Result<Version, Error> {
        self.run(move |s| Ok(s.history().get(&s.database_key(&target)?, version)?)).await?
    }

    /// Anything else on the history store (or the syncer), on the blocking pool.
    pub async fn with_syncer<R: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Syncer<H>) -> R + Send + 'static,
    ) -> Result<R, Error> {
        self.run(work).await
    }
}
