//! PostgreSQL engine for schemasync: read a database's schema into the
//! model (one catalog query per object kind, whatever the database's size),
//! apply a script in one transaction under an advisory lock with a drift
//! check, create databases, and read a `.sql` file exactly by running it in
//! a scratch database.
//!
//! TLS (feature `tls`, on by default) uses rustls with libpq's `sslmode`
//! semantics; see [`PgConfig::parse`] for the parameters.
//!
//! Everything is async; callers without a runtime can wrap calls in a
//! current-thread tokio runtime.
//!
//! ```no_run
//! # async fn demo() -> Result<(), schemasync_postgres::PostgresError> {
//! use schemasync_postgres::{IntrospectOptions, PgConfig, connect};
//!
//! let config = PgConfig::parse("postgres://postgres@127.0.0.1:5432/hr_prod")?;
//! let conn = connect(&config).await?;
//! let found = conn.introspect(&IntrospectOptions::default()).await?;
//! println!("{} tables", found.schema.tables.len());
//! # Ok(())
//! # }
//! ```
//!
//! What text each model field holds, and how to write it back, is listed in
//! `CONVENTIONS.md` next to this crate's `Cargo.toml`.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod apply;
mod config;
mod connection;
mod database;
mod error;
mod identity;
mod introspect;
mod lock_table;
mod observe;
mod scratch;
mod script_lines;
#[cfg(feature = "tls")]
mod tls;

pub use apply::{ApplyOptions, ApplyReport};
pub use config::{PgConfig, SslMode};
pub use connection::{PgConnection, connect};
pub use database::{create_database, database_exists};
pub use error::{PostgresError, TlsFailure};
pub use identity::ServerIdentity;
pub use introspect::{IntrospectOptions, Introspection, SkippedObject};
pub use lock_table::{server_lock_table_size, transaction_lock_budget};
pub use scratch::{Interrupt, load_sql, load_sql_interruptible, sweep_scratch_databases};
/// The driver version this crate is built against.
pub use tokio_postgres;
