//! The engine seam: each database engine introspects and applies; the facade
//! does everything else (planning, hazards, history) the same way for all.

use schemasync_model::{Schema, Script};

use crate::{EngineOptions, Error, Location};

/// What an engine reports after applying a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Statements executed.
    pub statements_run: usize,
    /// Of those, statements that ran after the transaction (PostgreSQL
    /// `CREATE INDEX CONCURRENTLY`, ...).
    pub outside_transaction: usize,
}

/// A connection to one target database.
pub(crate) trait Engine {
    /// Read the current schema, with skipped objects and why.
    fn introspect(&mut self) -> Result<(Schema, Vec<String>), Error>;
    /// Apply a script atomically where the engine can, refusing when the
    /// schema's hash is no longer `expected_hash` (drift).
    fn apply(&mut self, script: &Script, expected_hash: Option<&str>) -> Result<Applied, Error>;
    /// How many relation locks one transaction may take here, where the
    /// engine bounds it (PostgreSQL's shared lock table).
    fn transaction_lock_budget(&mut self) -> Result<Option<u64>, Error> {
        Ok(None)
    }
    /// The history key of this database as its server identifies it, where
    /// the server can (PostgreSQL); `None`: the location's own key is used.
    fn identity_key(&mut self) -> Result<Option<String>, Error> {
        Ok(None)
    }
    /// Whether `sql` (one `SELECT` of [`schemasync_emit::row_checks`])
    /// returns a row; an error says why it could not run.
    fn any_row(&mut self, sql: &str) -> Result<bool, String>;
}

/// [`Engine::transaction_lock_budget`] of the server of a database that
/// does not exist yet.
pub(crate) fn server_transaction_lock_budget(location: &Location) -> Result<Option<u64>, Error> {
    match location {
        #[cfg(feature = "postgres")]
        Location::Postgres { url } => crate::engine_postgres::server_transaction_lock_budget(url).map(Some),
        _ => Ok(None),
    }
}

/// Whether the database exists (an SQLite file, a database on a server).
pub(crate) fn exists(location: &Location) -> Result<bool, Error> {
    match location {
        Location::Sqlite { path } => Ok(path.exists()),
        #[cfg(feature = "postgres")]
        Location::Postgres { url } => crate::engine_postgres::exists(url),
        #[cfg(feature = "mysql")]
        Location::MySql { url } => crate::engine_mysql::exists(url),
        #[allow(unreachable_patterns)]
        other => Err(not_built(other)),
    }
}

/// Connect to a database. With `create`, a missing database is created first.
pub(crate) fn connect(location: &Location, create: bool, options: &EngineOptions) -> Result<Box<dyn Engine>, Error> {
    let _ = (create, options);
    match location {
        #[cfg(feature = "sqlite")]
        Location::Sqlite { path } => Ok(Box::new(crate::engine_sqlite::SqliteEngine::open(path, create)?)),
        #[cfg(feature = "postgres")]
        Location::Postgres { url } => Ok(Box::new(crate::engine_postgres::PostgresEngine::open(url, create, options)?)),
        #[cfg(feature = "mysql")]
        Location::MySql { url } => Ok(Box::new(crate::engine_mysql::MySqlEngine::open(url, create, None, options)?)),
        #[allow(unreachable_patterns)]
        other => Err(not_built(other)),
    }
}

/// Connect, creating the database first if it is missing, with the
/// defaults the wanted schema implies (MySQL: its tables' usual character
/// set and collation).
pub(crate) fn connect_creating(
    location: &Location,
    wanted: &Schema,
    options: &EngineOptions,
) -> Result<Box<dyn Engine>, Error> {
    match location {
        #[cfg(feature = "mysql")]
        Location::MySql { url } => {
            let charset = usual_mysql_charset(wanted);
            let pair = charset.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
            Ok(Box::new(crate::engine_mysql::MySqlEngine::open(url, true, pair, options)?))
        }
        _ => {
            let _ = wanted;
            connect(location, true, options)
        }
    }
}

/// The (character set, collation) most tables of a MySQL schema use.
#[cfg(feature = "mysql")]
fn usual_mysql_charset(schema: &Schema) -> Option<(String, String)> {
    let mut counts: std::collections::BTreeMap<(String, String), usize> = std::collections::BTreeMap::new();
    for table in schema.tables.values() {
        if let schemasync_model::TableOptions::MySql { charset: Some(cs), collation: Some(co), .. } = &table.options {
            *counts.entry((cs.clone(), co.clone())).or_default() += 1;
        }
    }
    // Ties go to the first pair in name order, so the choice is stable.
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(pair, _)| pair)
}

/// Read the schema of a `.sql` file exactly, by running it where it was
/// written for: an in-memory SQLite database, or a scratch database on the
/// server of `on` (created and dropped again).
pub(crate) fn load_sql(
    on: &Location,
    sql: &str,
    path: &std::path::Path,
    options: &EngineOptions,
) -> Result<(Schema, Vec<String>), Error> {
    let _ = (sql, path, options);
    match on {
        #[cfg(feature = "sqlite")]
        Location::Sqlite { .. } => crate::engine_sqlite::load_sql(sql, path),
        #[cfg(feature = "postgres")]
        Location::Postgres { url } => crate::engine_postgres::load_sql(url, sql, path, options),
        #[cfg(feature = "mysql")]
        Location::MySql { url } => crate::engine_mysql::load_sql(url, sql, path),
        #[allow(unreachable_patterns)]
        other => Err(not_built(other)),
    }
}

/// Scratch loads running in this process, so that a caller (the CLI's
/// signal handling) can stop them all; whether that has happened.
#[cfg(any(feature = "postgres", feature = "mysql"))]
static SCRATCH_LOADS: std::sync::Mutex<ScratchLoads> =
    std::sync::Mutex::new(ScratchLoads { interrupted: false, next: 0, running: Vec::new() });

#[cfg(any(feature = "postgres", feature = "mysql"))]
type Stop = Box<dyn Fn() + Send>;

#[cfg(any(feature = "postgres", feature = "mysql"))]
struct ScratchLoads {
    interrupted: bool,
    next: u64,
    running: Vec<(u64, Stop)>,
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
fn scratch_loads() -> std::sync::MutexGuard<'static, ScratchLoads> {
    // A panic while holding it leaves plain data behind: still usable.
    SCRATCH_LOADS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A scratch load's place in [`SCRATCH_LOADS`], for as long as it runs.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) struct ScratchLoad(u64);

#[cfg(any(feature = "postgres", feature = "mysql"))]
impl ScratchLoad {
    /// Register a load that `stop` interrupts; `None` once scratch loads
    /// have been interrupted (the load must not start).
    pub(crate) fn register(stop: impl Fn() + Send + 'static) -> Option<ScratchLoad> {
        let mut loads = scratch_loads();
        if loads.interrupted {
            return None;
        }
        let id = loads.next;
        loads.next += 1;
        loads.running.push((id, Box::new(stop)));
        Some(ScratchLoad(id))
    }
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
impl Drop for ScratchLoad {
    fn drop(&mut self) {
        scratch_loads().running.retain(|(id, _)| *id != self.0);
    }
}

impl EngineOptions {
    /// Stop every `.sql` load into a scratch database (PostgreSQL, MySQL)
    /// of this process, running or started later: each drops its scratch
    /// database, also in the middle of a statement, and fails with
    /// [`Error::Interrupted`]. Returns whether one was running, in which
    /// case its caller is about to get that error.
    ///
    /// schemasync installs no signal handler of its own: a program that
    /// wants Ctrl-C to clean up calls this from its handler (the
    /// `schemasync` CLI does, then exits 130 or 143). It is safe to call
    /// from any thread. Scratch databases of processes that died anyway
    /// (kill -9) are removed by the next load on their server.
    pub fn interrupt_scratch_loads() -> bool {
        #[cfg(any(feature = "postgres", feature = "mysql"))]
        {
            let mut loads = scratch_loads();
            loads.interrupted = true;
            for (_, stop) in &loads.running {
                stop();
            }
            !loads.running.is_empty()
        }
        #[cfg(not(any(feature = "postgres", feature = "mysql")))]
        false
    }

    /// Let scratch loads run again after [`Self::interrupt_scratch_loads`].
    pub fn resume_scratch_loads() {
        #[cfg(any(feature = "postgres", feature = "mysql"))]
        {
            scratch_loads().interrupted = false;
        }
    }
}

/// Skipped objects as report lines (`name: reason`), the same for every engine.
pub(crate) fn skipped_lines<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    items.into_iter().map(|(name, reason)| format!("{name}: {reason}")).collect()
}

fn not_built(location: &Location) -> Error {
    Error::EngineNotBuilt { engine: location.dialect().as_str() }
}
