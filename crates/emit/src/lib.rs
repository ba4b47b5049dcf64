//! Render a [`schemasync_diff::Plan`] or a whole schema as SQL for its dialect.
//! Pure: no I/O, not async.
//!
//! Each dialect lives in its own module and turns one [`schemasync_diff::Change`]
//! into a list of statements; this module only dispatches on the plan's dialect
//! and attaches every change's hazards to the first statement rendered for it.
//!
//! ```
//! use schemasync_diff::{Change, Plan, PlannedChange};
//! use schemasync_model::{Column, Dialect, Table};
//!
//! let table = Table::new("users").with_column(Column::new("id", "INTEGER").not_null()).with_primary_key(["id"]);
//! let plan = Plan {
//!     dialect: Dialect::Sqlite,
//!     from_hash: String::new(),
//!     to_hash: String::new(),
//!     changes: vec![PlannedChange {
//!         change: Change::CreateTable { table, deferred_foreign_keys: Vec::new() },
//!         hazards: Vec::new(),
//!     }],
//! };
//! let script = schemasync_emit::emit_plan(&plan)?;
//! assert_eq!(script.statements[0].sql, "CREATE TABLE \"users\" (\n  \"id\" INTEGER NOT NULL,\n  PRIMARY KEY (\"id\")\n)");
//! # Ok::<(), schemasync_emit::EmitError>(())
//! ```
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod error;
mod mysql;
mod postgres;
mod render;
mod row_checks;
mod sqlite;

pub use error::EmitError;
pub use row_checks::{RowCheck, row_checks};

use schemasync_diff::{DiffOptions, Plan};
use schemasync_model::{Dialect, Hazard, Schema, Script, Statement};

/// Render a plan as a script in the plan's dialect.
pub fn emit_plan(plan: &Plan) -> Result<Script, EmitError> {
    match plan.dialect {
        Dialect::MySql => mysql::emit(plan),
        Dialect::Postgres => postgres::emit(plan),
        Dialect::Sqlite => sqlite::emit(plan),
        dialect => Err(EmitError::unsupported(dialect, "rendering plans (this dialect's emitter is not written yet)")),
    }
}

/// Render a whole schema as a CREATE script: the plan that turns an empty
/// schema of the same dialect into `schema`.
pub fn emit_schema(schema: &Schema) -> Result<Script, EmitError> {
    let empty = Schema::new(schema.dialect);
    let plan = schemasync_diff::diff(&empty, schema, &DiffOptions::default())?;
    emit_plan(&plan)
}

/// Append one change's statements; its hazards go on the first of them so a
/// reviewer sees them next to the statement that starts the change.
pub(crate) fn push_change(script: &mut Script, sqls: Vec<String>, hazards: &[Hazard]) {
    let mut hazards = Some(hazards);
    for sql in sqls {
        let mut statement = Statement::new(sql);
        if let Some(h) = hazards.take() {
            statement.hazards = h.to_vec();
        }
        script.statements.push(statement);
    }
}
