//! Scratch databases of `.sql` loads, and how none outlives its run.
//!
//! The admin session that creates a scratch database holds the named lock
//! `GET_LOCK('<scratch name>', 0)` from before `CREATE DATABASE` until
//! after the drop; the server releases it by itself when that session dies
//! (kill -9, lost network). So a `schemasync_scratch_*` database whose
//! lock is free has no live owner, and every load first removes such
//! databases: this works across machines, where process ids would not.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use mysql_async::Conn;
use mysql_async::prelude::Queryable;
use schemasync_model::Dialect;

use crate::{MySqlConfig, MySqlError, conn};

/// Every scratch database's name starts with this.
pub(crate) const PREFIX: &str = "schemasync_scratch_";

/// Longest lock name the server accepts.
const MAX_LOCK_NAME: usize = 64;

/// How often a running load looks at its [`Interrupt`].
const INTERRUPT_POLL: Duration = Duration::from_millis(50);

/// How long dropping a scratch database from a dropped load may take.
const ABANDON_TIMEOUT: Duration = Duration::from_secs(10);

/// A flag that stops a [`crate::load_sql_interruptible`] in progress: the
/// load stops within about 50 ms, even in the middle of a statement (its
/// session is killed), drops its scratch database and returns
/// [`MySqlError::Script`] saying "interrupted". Clones share the flag;
/// setting it is thread-safe, so a signal handler of the embedding program
/// (this crate installs none) can set it. Once set, it stays set.
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

    pub(crate) async fn wait(&self) {
        while !self.is_interrupted() {
            tokio::time::sleep(INTERRUPT_POLL).await;
        }
    }
}

/// A database name no other load (in this process or another) uses, short
/// enough to be a lock name.
fn scratch_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let name = format!("{PREFIX}{}_{n}_{nanos}", std::process::id());
    name.chars().take(MAX_LOCK_NAME).collect()
}

/// `GET_LOCK(name, 0)`: whether this session now holds it.
async fn try_lock(admin: &mut Conn, name: &str) -> Result<bool, MySqlError> {
    let got: Option<Option<i64>> = admin.exec_first("SELECT GET_LOCK(?, 0)", (name,)).await?;
    Ok(got.flatten() == Some(1))
}

pub(crate) async fn unlock(admin: &mut Conn, name: &str) {
    // Closing the session releases it anyway.
    let _ = admin.exec_drop("DO RELEASE_LOCK(?)", (name,)).await;
}

/// A fresh scratch name, with its lock held by `admin`.
pub(crate) async fn claim(admin: &mut Conn) -> Result<String, MySqlError> {
    for _ in 0..8 {
        let name = scratch_name();
        if try_lock(admin, &name).await? {
            return Ok(name);
        }
    }
    Err(MySqlError::catalog("GET_LOCK", "every scratch name tried is locked by another session"))
}

/// Remove the scratch databases (`schemasync_scratch_*`) of `config`'s
/// server whose owning session is gone, and return their names. Those
/// whose owner is alive (another run loading now) are kept. Every load
/// does this first; it is public for operators and tests.
pub async fn sweep_scratch_databases(config: &MySqlConfig) -> Result<Vec<String>, MySqlError> {
    let mut admin = conn::open(config, None).await?;
    let removed = sweep(&mut admin).await;
    let _ = admin.disconnect().await;
    removed
}

pub(crate) async fn sweep(admin: &mut Conn) -> Result<Vec<String>, MySqlError> {
    let pattern = format!("{}%", PREFIX.replace('_', "\\_"));
    let names: Vec<String> = admin
        .exec("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY 1", (pattern,))
        .await?;
    let mut removed = Vec::new();
    for name in names.into_iter().filter(|n| n.starts_with(PREFIX)) {
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

async fn remove_if_abandoned(admin: &mut Conn, name: &str) -> Result<bool, MySqlError> {
    if name.chars().count() > MAX_LOCK_NAME || !try_lock(admin, name).await? {
        return Ok(false);
    }
    let dropped = admin.query_drop(format!("DROP DATABASE IF EXISTS {}", Dialect::MySql.quote_ident(name))).await;
    unlock(admin, name).await;
    dropped?;
    Ok(true)
}

/// Drops the scratch database when a load's future is dropped before it
/// could (the caller gave up on it, its runtime shut down).
pub(crate) struct AbandonGuard {
    pub(crate) config: MySqlConfig,
    pub(crate) name: Option<String>,
    /// The loading session, killed first so that nothing it holds delays the drop.
    pub(crate) loader: Arc<std::sync::atomic::AtomicU32>,
}

impl Drop for AbandonGuard {
    fn drop(&mut self) {
        let Some(name) = self.name.take() else { return };
        let config = self.config.clone();
        let loader = self.loader.load(Ordering::SeqCst);
        let (done, finished) = std::sync::mpsc::channel();
        // A thread and runtime of its own: the load's runtime may be the one going away.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    if let Ok(mut admin) = conn::open(&config, None).await {
                        if let Err(error) = drop_scratch(&mut admin, &name, loader).await {
                            tracing::warn!(database = %name, %error, "could not drop the scratch database");
                        }
                        let _ = admin.disconnect().await;
                    }
                });
            }
            let _ = done.send(());
        });
        let _ = finished.recv_timeout(ABANDON_TIMEOUT);
    }
}

/// Kill the loading session `loader` (0: none) and drop the scratch database.
pub(crate) async fn drop_scratch(admin: &mut Conn, name: &str, loader: u32) -> Result<(), MySqlError> {
    if loader != 0 {
        // Already gone is fine (ER_NO_SUCH_THREAD).
        let _ = admin.query_drop(format!("KILL {loader}")).await;
    }
    admin.query_drop(format!("DROP DATABASE IF EXISTS {}", Dialect::MySql.quote_ident(name))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_a_lock_name() {
        let name = scratch_name();
        assert!(name.starts_with(PREFIX) && name.len() <= MAX_LOCK_NAME, "{name}");
        assert_ne!(scratch_name(), scratch_name());
    }
}
