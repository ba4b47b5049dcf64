//! schemasync keeps database schemas in sync.
//!
//! Read a wanted schema from a [`Source`] (a live database, a `.sql` file, a
//! JSON snapshot, a stored version, or a [`Schema`] built in code), plan the
//! changes per target, review their SQL and hazards, apply them target by
//! target, and roll any database back to any recorded version.
//!
//! ```no_run
//! use schemasync::{Column, Location, QualifiedName, SqliteHistory, Source, SyncOptions, Syncer};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut syncer = Syncer::new(SqliteHistory::open(".schemasync/history.db".as_ref())?);
//!
//! // Start from the schema of hr_test and add a column to it in code.
//! let mut wanted = syncer.inspect(&Location::parse("sqlite:hr_test.db")?)?.schema;
//! wanted
//!     .require_table_mut(&QualifiedName::bare("employees"))?
//!     .add_column(Column::new("email", "text").not_null().default_expr("''"))?;
//!
//! // Plan it for two targets, review, apply.
//! let targets = [Location::parse("sqlite:hr_prod.db")?, Location::parse("sqlite:hr_prod_2.db")?];
//! let options = SyncOptions::default().message("add employees.email");
//! let plans = syncer.plan_all(&wanted, "edited schema", &targets, &options)?;
//! for plan in &plans {
//!     println!("-- {}\n{}", plan.target, plan.script.to_sql());
//! }
//! for report in syncer.apply_all(&plans, &options) {
//!     println!("{}: {} (version {:?})", report.target, report.status, report.version);
//! }
//!
//! // Roll hr_prod back to its first recorded version.
//! let rollback = syncer.plan_rollback(&targets[0], 1, &SyncOptions::default().allow_destructive(true))?;
//! syncer.apply(&rollback, &SyncOptions::default().allow_destructive(true));
//! # let _ = Source::parse("schema.sql")?;
//! # Ok(())
//! # }
//! ```
//!
//! # Threads and async programs
//!
//! - [`Syncer`] is `Send` when its history store is ([`SqliteHistory`] is):
//!   move it to the thread or task that uses it. It is not `Sync` with
//!   [`SqliteHistory`] (an SQLite connection serves one thread at a time).
//! - Its calls block, and work from any thread, also inside a tokio runtime
//!   (`#[tokio::main]`, `tokio::spawn`): server connections then run on a
//!   thread of their own, and the calling worker waits for them.
//! - [`AsyncSyncer`] (feature `async`, on by default) is the same facade as
//!   futures that are `Send`, run on tokio's blocking pool so workers stay
//!   free; it is `Clone`, `Send` and `Sync` (history store `Send`).
//! - The plain data ([`Schema`], [`TargetPlan`], [`TargetReport`],
//!   [`Location`], [`Source`], [`SyncOptions`], [`EngineOptions`],
//!   [`Version`], [`Error`]) is `Send` and `Sync`.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod any_history;
#[cfg(feature = "async")]
mod async_syncer;
mod engine;
#[cfg(feature = "mysql")]
mod engine_mysql;
mod engine_options;
#[cfg(feature = "postgres")]
mod engine_postgres;
#[cfg(feature = "sqlite")]
mod engine_sqlite;
mod error;
mod location;
mod plan_file;
mod report;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod runtime;
mod source;
mod syncer;

pub use any_history::{AnyHistory, is_server_history};
#[cfg(feature = "async")]
pub use async_syncer::AsyncSyncer;
pub use engine::Applied;
pub use engine_options::EngineOptions;
pub use error::Error;
pub use location::Location;
pub use plan_file::{FilePlan, FileTarget, PLAN_FORMAT, PlanFile, ReadScope};
pub use report::{Refusal, TargetReport, TargetStatus, Timings};
pub use source::{ResolvedSource, Source};
pub use syncer::{Rollout, RolloutEvent, SyncOptions, Syncer, TargetPlan};

pub use schemasync_diff::{Change, DiffError, DiffOptions, Plan, PlannedChange, Securable, TableOp, diff};
pub use schemasync_emit::{EmitError, emit_plan, emit_schema};
#[cfg(feature = "postgres")]
pub use schemasync_history::PostgresHistory;
pub use schemasync_history::{
    HistoryError, HistoryStore, Intent, IntentId, IntentStatus, NewIntent, NewVersion, Outcome, SqliteHistory, Version,
    VersionKind, VersionSummary, count_statements,
};
pub use schemasync_model::*;
/// The MySQL/MariaDB engine's error, which [`Error::MySql`] wraps.
#[cfg(feature = "mysql")]
pub use schemasync_mysql::MySqlError;
/// The PostgreSQL engine's error, which [`Error::Postgres`] wraps.
#[cfg(feature = "postgres")]
pub use schemasync_postgres::PostgresError;
/// The SQLite engine's error, which [`Error::Sqlite`] wraps.
#[cfg(feature = "sqlite")]
pub use schemasync_sqlite::SqliteError;
