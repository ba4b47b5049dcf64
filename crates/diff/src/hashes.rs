//! The content hashes a plan records. Hashing serializes both schemas whole,
//! which on a large schema costs more than the diff itself, and it needs
//! nothing the diff computes: so it runs on two other threads meanwhile.

use std::thread::{Builder, Scope, ScopedJoinHandle};

use schemasync_model::Schema;

/// Below this many tables and views, starting threads costs more than it saves.
const THREADED_FROM: usize = 500;

/// The content hashes of `from` and `to`, and what `work` returns.
pub(crate) fn alongside<T>(from: &Schema, to: &Schema, work: impl FnOnce() -> T) -> ((String, String), T) {
    let size = |s: &Schema| s.tables.len() + s.views.len();
    if size(from).max(size(to)) < THREADED_FROM {
        let out = work();
        return ((from.content_hash(), to.content_hash()), out);
    }
    std::thread::scope(|scope| {
        let from_job = spawn(scope, from);
        let to_job = spawn(scope, to);
        let out = work();
        ((join(from_job, from), join(to_job, to)), out)
    })
}

/// Hash on a new thread; `None` when no thread could be started.
fn spawn<'scope>(scope: &'scope Scope<'scope, '_>, schema: &'scope Schema) -> Option<ScopedJoinHandle<'scope, String>> {
    Builder::new().name("schemasync-hash".into()).spawn_scoped(scope, move || schema.content_hash()).ok()
}

/// The hash from the thread, or computed here if there was none (or it failed).
fn join(job: Option<ScopedJoinHandle<'_, String>>, schema: &Schema) -> String {
    job.and_then(|job| job.join().ok()).unwrap_or_else(|| schema.content_hash())
}
