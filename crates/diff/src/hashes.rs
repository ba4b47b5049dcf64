//! The content hashes a plan records. Hashing serializes both schemas whole,
//! which on a large schema costs about as much as the diff itself, and it
//! needs nothing the diff computes: so it runs on another thread meanwhile.
//!
//! One thread hashes both schemas, one after the other: with a thread per
//! schema, three threads would share what is often two cores, and the diff,
//! which takes longest, would be the one kept waiting.

use std::thread::{Builder, Scope, ScopedJoinHandle};

use schemasync_model::Schema;

/// Below this many tables and views, starting a thread costs more than it saves.
const THREADED_FROM: usize = 500;

/// The content hashes of `from` and `to`, and what `work` returns.
pub(crate) fn alongside<T>(from: &Schema, to: &Schema, work: impl FnOnce() -> T) -> ((String, String), T) {
    let size = |s: &Schema| s.tables.len() + s.views.len();
    if size(from).max(size(to)) < THREADED_FROM {
        let out = work();
        return (both(from, to), out);
    }
    std::thread::scope(|scope| {
        let job = spawn(scope, from, to);
        let out = work();
        (join(job, from, to), out)
    })
}

fn both(from: &Schema, to: &Schema) -> (String, String) {
    (from.content_hash(), to.content_hash())
}

/// Hash on a new thread; `None` when no thread could be started.
fn spawn<'scope>(
    scope: &'scope Scope<'scope, '_>,
    from: &'scope Schema,
    to: &'scope Schema,
) -> Option<ScopedJoinHandle<'scope, (String, String)>> {
    Builder::new().name("schemasync-hash".into()).spawn_scoped(scope, move || both(from, to)).ok()
}

/// The hashes from the thread, or computed here if there was none (or it failed).
fn join(job: Option<ScopedJoinHandle<'_, (String, String)>>, from: &Schema, to: &Schema) -> (String, String) {
    job.and_then(|job| job.join().ok()).unwrap_or_else(|| both(from, to))
}
