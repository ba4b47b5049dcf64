//! The blocking facade drives the async server engines on a small
//! current-thread runtime per connection. Called from inside a tokio
//! runtime (a service's main task, `tokio::spawn`), tokio refuses to block
//! its worker ("Cannot start a runtime from within a runtime") and to drop a
//! runtime there: such calls run on a thread of their own, and the runtime
//! is shut down without blocking. Async programs should prefer
//! [`crate::AsyncSyncer`], which keeps their workers free.

use std::future::Future;

use crate::Error;

/// A connection's runtime; see the module documentation.
pub(crate) struct EngineRuntime(Option<tokio::runtime::Runtime>);

impl std::fmt::Debug for EngineRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EngineRuntime")
    }
}

fn inside_a_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

impl EngineRuntime {
    pub(crate) fn new() -> Result<Self, Error> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| EngineRuntime(Some(rt)))
            .map_err(|source| Error::Io { path: "(async runtime)".to_owned(), source })
    }

    /// Run `future` to completion. The future is made by `make` where it
    /// runs, so that it need not be `Send` (only what it borrows must be).
    pub(crate) fn run<F, R>(&self, make: impl FnOnce() -> F + Send) -> R
    where
        F: Future<Output = R>,
        R: Send,
    {
        let Some(runtime) = self.0.as_ref() else { unreachable_runtime() };
        if !inside_a_runtime() {
            return runtime.block_on(make());
        }
        std::thread::scope(|scope| {
            let handle = scope.spawn(|| runtime.block_on(make()));
            match handle.join() {
                Ok(value) => value,
                // A panic of the engine's own code: let it continue in the caller.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

/// The runtime is only taken out in `drop`.
fn unreachable_runtime() -> ! {
    unreachable!("EngineRuntime used after drop")
}

impl Drop for EngineRuntime {
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

/// Run a one-off future on a runtime of its own (no connection kept).
pub(crate) fn run_once<F, R>(make: impl FnOnce() -> F + Send) -> Result<R, Error>
where
    F: Future<Output = R>,
    R: Send,
{
    Ok(EngineRuntime::new()?.run(make))
}
