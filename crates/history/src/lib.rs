//! Schema version history for schemasync.
//!
//! Every applied sync, and every explicit snapshot, records a [`Version`] of
//! the target database: its schema snapshot (canonical JSON) and content hash,
//! the script that was applied, the version it followed, a time and a
//! message. Rolling back to version N is a sync whose source is that
//! version's snapshot.
//!
//! Databases are identified by keys that never hold credentials: see
//! [`database_key_for_sqlite`] and [`database_key_for_url`].
//!
//! Two stores implement [`HistoryStore`], with the same contract (one test
//! suite runs against both):
//!
//! - [`SqliteHistory`]: one SQLite file, for the processes of one machine.
//! - `PostgresHistory` (cargo feature `postgres`, off by default; `tls`
//!   adds TLS): the schema `schemasync_history` of a PostgreSQL database,
//!   shared by every machine that reaches it. Version numbers are assigned
//!   under a per-database advisory lock, so concurrent runners never
//!   collide; the schema and its tables are created on first
//!   `PostgresHistory::open` (a newer layout is refused, never changed),
//!   and `PostgresHistory::open_read_only` creates nothing (a database
//!   without the schema reads as an empty history). The API is blocking,
//!   on a small tokio runtime the store owns; it may also be called from
//!   inside a tokio runtime.
//!
//! ```
//! use schemasync_history::{HistoryStore, NewVersion, SqliteHistory, VersionKind};
//! use schemasync_model::{Dialect, Schema};
//!
//! let mut history = SqliteHistory::in_memory()?;
//! let v1 = history.record(NewVersion {
//!     database: "sqlite:/srv/app.db".into(),
//!     kind: VersionKind::Baseline,
//!     schema: Schema::new(Dialect::Sqlite),
//!     script: String::new(),
//!     message: "before first sync".into(),
//! })?;
//! assert_eq!((v1.number, v1.parent), (1, None));
//! assert_eq!(history.get("sqlite:/srv/app.db", 1)?, v1);
//! # Ok::<(), schemasync_history::HistoryError>(())
//! ```
//!
//! A history shared by CI runners (feature `postgres`):
//!
//! ```no_run
//! # #[cfg(feature = "postgres")] {
//! use schemasync_history::{HistoryStore, PostgresHistory};
//!
//! let history = PostgresHistory::open("postgres://ci@db.internal/ops?sslmode=verify-full")?;
//! for version in history.list("postgres://app-db:5432/shop")? {
//!     println!("{} {} {}", version.number, version.kind, version.created_at);
//! }
//! # }
//! # Ok::<(), schemasync_history::HistoryError>(())
//! ```
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod error;
mod format;
mod intent;
mod intent_row;
mod key;
#[cfg(feature = "postgres")]
mod postgres;
mod row;
mod sqlite;
mod store;
mod time;
mod version;

pub use error::HistoryError;
pub use intent::{Intent, IntentId, IntentStatus, NewIntent, Outcome};
pub use key::{database_key_for_sqlite, database_key_for_url};
#[cfg(feature = "postgres")]
pub use postgres::PostgresHistory;
pub use sqlite::SqliteHistory;
pub use store::HistoryStore;
pub use time::now_rfc3339;
pub use version::{NewVersion, Version, VersionKind, VersionSummary, count_statements};
