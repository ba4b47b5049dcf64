//! The tokio runtime a [`super::PostgresHistory`] drives its connection on.
//!
//! The store's API is blocking, its driver async: each call blocks on a
//! small current-thread runtime owned by the store (the connection's I/O
//! task lives on it and runs while a call blocks). Called from inside a
//! tokio runtime (a service's task, tokio's blocking pool), tokio refuses
//! to block there ("Cannot start a runtime from within a runtime") and to
//! drop a runtime there: such calls run on a scoped thread of their own,
//! and the runtime is shut down without blocking.

use std::future::Future;

use crate::HistoryError;

/// See the module documentation. `None` only once dropped.
pub(crate) struct StoreRuntime(Option<tokio::runtime::Runtime>);

impl std::fmt::Debug for StoreRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreRuntime")
    }
}

fn inside_a_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

impl StoreRuntime {
    pub(crate) fn new() -> Result<Self, HistoryError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|runtime| StoreRuntime(Some(runtime)))
            .map_err(|source| HistoryError::Io { path: "(history store runtime)".into(), source })
    }

    /// Run the future `make` builds to completion. It is built where it
    /// runs, so it need not be `Send` (only what it borrows must be).
    pub(crate) fn run<F, T>(&self, make: impl FnOnce() -> F + Send) -> Result<T, HistoryError>
    where
        F: Future<Output = Result<T, HistoryError>>,
        T: Send,
    {
        let Some(runtime) = self.0.as_ref() else {
            return Err(HistoryError::Io {
                path: "(history store runtime)".into(),
                source: std::io::Error::other("the runtime was shut down"),
            });
        };
        if !inside_a_runtime() {
            return runtime.block_on(make());
        }
        std::thread::scope(|scope| match scope.spawn(|| runtime.block_on(make())).join() {
            Ok(result) => result,
            // A panic of our own code (never of data): let it go on in the caller.
            Err(panic) => std::panic::resume_unwind(panic),
        })
    }
}

impl Drop for StoreRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            if inside_a_runtime() {
                runtime.shutdown_background();
            } else {
                drop(runtime);
            }
        }
    }
}
