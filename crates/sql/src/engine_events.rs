//! The `tracing` events every engine emits, written once. A macro rather
//! than functions: expanded in the engine's own module, the events keep the
//! engine's crate as their target, so `RUST_LOG=schemasync_postgres=debug`
//! still selects one engine (tracing fixes an event's target where it is
//! written). The calling crate depends on `tracing`; this one does not.

/// Define `introspected`, `statement_starts`, `statement_applied` and
/// `drift_checked` for the engine named `$engine`; `introspected` reports
/// the object counts listed (the kinds the engine has).
#[macro_export]
macro_rules! engine_events {
    ($engine:literal, [$($count:ident),* $(,)?]) => {
        pub(crate) fn introspected(schema: &schemasync_model::Schema, skipped: usize, started: std::time::Instant) {
            let counts = schema.object_counts();
            ::tracing::info!(
                engine = $engine,
                elapsed = ?started.elapsed(),
                $($count = counts.$count,)*
                skipped,
                "introspected"
            );
        }

        /// Before a statement runs: its whole text, at debug level only,
        /// since bodies and defaults can be long.
        pub(crate) fn statement_starts(index: usize, statement: &schemasync_model::Statement) {
            ::tracing::debug!(engine = $engine, index, sql = %statement.sql, "running statement");
        }

        pub(crate) fn statement_applied(
            index: usize,
            statement: &schemasync_model::Statement,
            started: std::time::Instant,
        ) {
            ::tracing::info!(
                engine = $engine,
                index,
                statement = %statement.preview(),
                elapsed = ?started.elapsed(),
                "statement applied"
            );
        }

        pub(crate) fn drift_checked(expected: &str, actual: &str) {
            if expected == actual {
                ::tracing::info!(engine = $engine, expected, actual, "drift check passed");
            } else {
                ::tracing::warn!(
                    engine = $engine,
                    expected,
                    actual,
                    "drift check failed: the database changed since the plan"
                );
            }
        }
    };
}
