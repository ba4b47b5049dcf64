//! Diff two schemas into a dependency-ordered [`Plan`] of typed [`Change`]s,
//! each carrying its hazards. Pure: no I/O, not async.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod change;
mod error;
mod options;
mod plan;

pub use change::{Change, ColumnPosition, TableOp};
pub use error::DiffError;
pub use options::DiffOptions;
pub use plan::{Plan, PlannedChange};

use schemasync_model::Schema;

/// The changes that turn `from` (a target as it is) into `to` (the source).
pub fn diff(from: &Schema, to: &Schema, options: &DiffOptions) -> Result<Plan, DiffError> {
    let _ = options;
    if from.dialect != to.dialect {
        return Err(DiffError::DialectMismatch { from: from.dialect, to: to.dialect });
    }
    Err(DiffError::Unsupported("differ under construction".into()))
}
