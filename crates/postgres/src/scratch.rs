//! Reading a `.sql` file exactly: run it in a scratch database on the
//! server, introspect that, drop it.
//!
//! No scratch database may outlive its run, whatever ends the run. The
//! creating session holds a session-level advisory lock keyed from the
//! scratch name, taken before `CREATE DATABASE` and released after the
//! drop; the server releases it by itself when the session dies (kill -9,
//! lost network). So a `schemasync_scratch_*` database whose lock is free
//! has no live owner, and every load first removes such databases: this
//! works across machines, where process ids would not.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use schemasync_model::Dialect;
use schemasync_sql::{LocatedStatement, split_statements_located};
use tokio_postgres::error::ErrorPosition;

use crate::database::maintenance;
use crate::error::server_message;
use crate::script_lines::{describe, statement_offsets};
use crate::{IntrospectOptions, Introspection, PgConfig, PgConnection, PostgresError, connect};

/// Every scratch database's name starts with this.
const PREFIX: &str = "schemasync_scratch_";

/// First key of the two-key advisory locks of scratch databases (the
/// second is the name's hash): distinct from the one-key lock of apply.
const LOCK_CLASS: i32 = (fnv1a32(b"schemasync_scratch") & 0x7fff_ffff) as i32;

/// How often a running load looks at its [`Interrupt`].
const INTERRUPT_POLL: Duration = Duration::from_millis(50);

/// How long dropping a scratch database from a dropped load may take.
const ABANDON_TIMEOUT: Duration = Duration::from_secs(10);

const fn fnv1a32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

fn lock_key(name: &str) -> i32 {
    (fnv1a32(name.as_bytes()) & 0x7fff_ffff) as i32
}

/// A flag that stops a [`load_sql_interruptible`] in progress: the load
/// stops within about 50 ms, even in the middle of a statement, drops its
/// scratch database and returns [`PostgresError::Script`] saying
/// "interrupted". Clones share the flag; setting it is thread-safe, so a
/// signal handler of the embedding program (this crate installs none) can
/// set it. Once set, it stays set.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// A flag that is not set.
    pub fn new() -> Self {
        Interrupt::default()
    }

    /// Set the flag.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether the flag is set.
    pub fn is_interrupted(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    async fn wait(&self) {
        while !self.is_interrupted() {
            tokio::time::sleep(INTERRUPT_POLL).await;
        }
    }
}

/// Read a `.sql` schema script exactly: create a scratch database on the
/// server `config` points at (from `template0`, so nothing a site added to
/// `template1` leaks in), run the script there statement by statement,
/// introspect it, and drop the scratch database again, also when the
/// script fails.
///
/// A failing statement is reported with the line and column in the script
/// (from the server's error position, else the line the statement starts
/// on) and the statement's first words. Scratch databases left by runs
/// that died are removed first (see [`sweep_scratch_databases`]).
pub async fn load_sql(
    config: &PgConfig,
    sql: &str,
    options: &IntrospectOptions,
) -> Result<Introspection, PostgresError> {
    load_sql_interruptible(config, sql, options, &Interrupt::new()).await
}

/// [`load_sql`] that stops when `interrupt` is set. If the returned future
/// is dropped before it finishes, the scratch database is dropped from a
/// connection of its own before the drop returns (waiting at most 10 s);
/// should even that fail, the next load on the server removes it.
pub async fn load_sql_interruptible(
    config: &PgConfig,
    sql: &str,
    options: &IntrospectOptions,
    interrupt: &Interrupt,
) -> Result<Introspection, PostgresError> {
    let statements = split_statements_located(sql, Dialect::Postgres)
        .map_err(|e| PostgresError::Script { message: e.to_string() })?;
    if interrupt.is_interrupted() {
        return Err(interrupted(None));
    }
    let admin = maintenance(config).await?;
    if let Err(error) = sweep(&admin).await {
        tracing::warn!(%error, "could not look for abandoned scratch databases");
    }
    let (name, key) = claim_name(&admin).await?;
    let quoted = Dialect::Postgres.quote_ident(&name);
    if let Err(e) =
        admin.control("creating a scratch database", &format!("CREATE DATABASE {quoted} TEMPLATE template0")).await
    {
        unlock(&admin, key).await;
        return Err(e);
    }
    let mut guard = AbandonGuard { config: config.clone(), name: Some(name.clone()) };
    let running = AtomicUsize::new(usize::MAX);
    let result = tokio::select! {
        found = run_and_read(config, &name, sql, &statements, options, &running) => found,
        () = interrupt.wait() => {
            let index = running.load(Ordering::SeqCst);
            Err(interrupted(statements.get(index).map(|s| (sql, s, index))))
        }
    };
    // FORCE ends the scratch session too, should it still be inside a statement.
    let dropped =
        admin.control("dropping the scratch database", &format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")).await;
    if dropped.is_ok() {
        guard.name = None;
    }
    unlock(&admin, key).await;
    let found = result?;
    dropped?;
    Ok(found)
}

async fn run_and_read(
    config: &PgConfig,
    name: &str,
    sql: &str,
    statements: &[LocatedStatement],
    options: &IntrospectOptions,
    running: &AtomicUsize,
) -> Result<Introspection, PostgresError> {
    let scratch = connect(&config.with_database(name)).await?;
    let offsets = statement_offsets(sql, statements);
    for (index, statement) in statements.iter().enumerate() {
        running.store(index, Ordering::SeqCst);
        // One statement per simple query: as psql runs a file (each in its
        // own transaction, so CREATE INDEX CONCURRENTLY and the like work),
        // and the server's error position is then inside this statement.
        if let Err(e) = scratch.batch(&statement.sql).await {
            let chars_in = e.as_db_error().and_then(|db| match db.position() {
                Some(ErrorPosition::Original(p)) => Some((*p as usize).saturating_sub(1)),
                _ => None,
            });
            let place = describe(sql, statement, offsets.get(index).copied().flatten(), chars_in);
            return Err(PostgresError::Script { message: format!("{place}: {}", server_message(&e)) });
        }
    }
    running.store(usize::MAX, Ordering::SeqCst);
    scratch.introspect(options).await
}

fn interrupted(at: Option<(&str, &LocatedStatement, usize)>) -> PostgresError {
    let message = match at {
        Some((sql, statement, _)) => format!("interrupted {}", describe(sql, statement, None, None)),
        None => "interrupted".to_owned(),
    };
    PostgresError::Script { message }
}

/// A name no other scratch load uses, with its lock taken on `admin`.
async fn claim_name(admin: &PgConnection) -> Result<(String, i32), PostgresError> {
    for _ in 0..8 {
        let name = scratch_name();
        let key = lock_key(&name);
        // Held means another name hashed to the same key: take another name.
        if try_lock(admin, key).await? {
            return Ok((name, key));
        }
    }
    Err(PostgresError::Query {
        what: "taking a scratch database lock".to_owned(),
        message: "every key tried is held by another session".to_owned(),
    })
}

fn scratch_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{PREFIX}{}_{n}_{nanos}", std::process::id())
}

async fn try_lock(admin: &PgConnection, key: i32) -> Result<bool, PostgresError> {
    let rows = admin
        .query("taking a scratch database lock", "SELECT pg_try_advisory_lock($1, $2)", &[&LOCK_CLASS, &key])
        .await?;
    Ok(rows.first().and_then(|row| row.try_get::<_, bool>(0).ok()).unwrap_or(false))
}

async fn unlock(admin: &PgConnection, key: i32) {
    // Closing the session releases it anyway.
    let _ = admin
        .query("releasing a scratch database lock", "SELECT pg_advisory_unlock($1, $2)", &[&LOCK_CLASS, &key])
        .await;
}

/// Remove the scratch databases (`schemasync_scratch_*`) of `config`'s
/// server whose owning session is gone, and return their names. Those
/// whose owner is alive (another run loading now) are kept. Every load
/// does this first; it is public for operators and tests.
pub async fn sweep_scratch_databases(config: &PgConfig) -> Result<Vec<String>, PostgresError> {
    let admin = maintenance(config).await?;
    sweep(&admin).await
}

async fn sweep(admin: &PgConnection) -> Result<Vec<String>, PostgresError> {
    let pattern = format!("{}%", PREFIX.replace('_', "\\_"));
    let rows = admin
        .query(
            "listing scratch databases",
            "SELECT datname::text FROM pg_database WHERE datname LIKE $1 ORDER BY datname",
            &[&pattern],
        )
        .await?;
    let mut removed = Vec::new();
    for row in rows {
        let Ok(name) = row.try_get::<_, String>(0) else { continue };
        match remove_if_abandoned(admin, &name).await {
            Ok(true) => {
                tracing::info!(database = %name, "removed a scratch database whose run is gone");
                removed.push(name);
            }
            Ok(false) => {}
            // Gone meanwhile, or being dropped by someone else: not ours to worry about.
            Err(error) => tracing::warn!(database = %name, %error, "could not remove an abandoned scratch database"),
        }
    }
    Ok(removed)
}

async fn remove_if_abandoned(admin: &PgConnection, name: &str) -> Result<bool, PostgresError> {
    let key = lock_key(name);
    if !try_lock(admin, key).await? {
        return Ok(false);
    }
    let result = async {
        // Advisory locks are per database: an owner connected to another
        // maintenance database holds its lock there, which pg_locks shows.
        let elsewhere = admin
            .query(
                "checking a scratch database lock",
                "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid::int8 = $1 AND objid::int8 = $2 \
                 AND objsubid = 2 AND granted AND pid <> pg_backend_pid()",
                &[&i64::from(LOCK_CLASS), &i64::from(key)],
            )
            .await?;
        if !elsewhere.is_empty() {
            return Ok(false);
        }
        let quoted = Dialect::Postgres.quote_ident(name);
        admin
            .control(
                "dropping an abandoned scratch database",
                &format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"),
            )
            .await?;
        Ok(true)
    }
    .await;
    unlock(admin, key).await;
    result
}

/// Drops the scratch database when a load's future is dropped before it
/// could (the caller gave up on it, its runtime shut down).
struct AbandonGuard {
    config: PgConfig,
    name: Option<String>,
}

impl Drop for AbandonGuard {
    fn drop(&mut self) {
        let Some(name) = self.name.take() else { return };
        let config = self.config.clone();
        let (done, finished) = std::sync::mpsc::channel();
        // A thread and runtime of its own: the load's runtime may be the one going away.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    if let Ok(admin) = maintenance(&config).await {
                        let quoted = Dialect::Postgres.quote_ident(&name);
                        let sql = format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)");
                        if let Err(error) = admin.control("dropping an abandoned scratch database", &sql).await {
                            tracing::warn!(database = %name, %error, "could not drop the scratch database");
                        }
                    }
                });
            }
            let _ = done.send(());
        });
        let _ = finished.recv_timeout(ABANDON_TIMEOUT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_positive() {
        assert_eq!(lock_key("schemasync_scratch_1_0_0"), lock_key("schemasync_scratch_1_0_0"));
        assert_ne!(lock_key("schemasync_scratch_1_0_0"), lock_key("schemasync_scratch_1_0_1"));
        assert!(LOCK_CLASS > 0 && lock_key("x") >= 0);
        assert!(scratch_name().starts_with(PREFIX));
    }
}
