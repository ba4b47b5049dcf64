//! The `tracing` events of this engine. The library never prints: a
//! program sees them by installing a subscriber (the CLI's `-v`).

use std::time::Instant;

use schemasync_model::{Schema, Statement};

pub(crate) fn introspected(schema: &Schema, skipped: usize, started: Instant) {
    let counts = schema.object_counts();
    tracing::info!(
        engine = "mysql",
        elapsed = ?started.elapsed(),
        tables = counts.tables,
        views = counts.views,
        routines = counts.routines,
        indexes = counts.indexes,
        triggers = counts.triggers,
        sequences = counts.sequences,
        types = counts.types,
        skipped,
        "introspected"
    );
}

/// Before a statement runs: its whole text, at debug level only, since
/// bodies and defaults can be long.
pub(crate) fn statement_starts(index: usize, statement: &Statement) {
    tracing::debug!(engine = "mysql", index, sql = %statement.sql, "running statement");
}

pub(crate) fn statement_applied(index: usize, statement: &Statement, started: Instant) {
    tracing::info!(engine = "mysql", index, statement = %statement.preview(), elapsed = ?started.elapsed(), "statement applied");
}

pub(crate) fn drift_checked(expected: &str, actual: &str) {
    if expected == actual {
        tracing::info!(engine = "mysql", expected, actual, "drift check passed");
    } else {
        tracing::warn!(engine = "mysql", expected, actual, "drift check failed: the database changed since the plan");
    }
}
