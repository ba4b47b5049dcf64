//! MySQL/MariaDB engine for schemasync: read a database's schema into the
//! model, apply a script statement by statement under a named lock, create
//! databases, and read a `.sql` schema script exactly by running it in a
//! scratch database.
//!
//! TLS (feature `tls`, on by default) uses rustls through mysql_async, with
//! sqlx's URL parameters; see [`MySqlConfig`].
//!
//! Everything is async (tokio); the `schemasync` facade drives it from a
//! current-thread runtime.
//!
//! ```no_run
//! # async fn example() -> Result<(), schemasync_mysql::MySqlError> {
//! use schemasync_mysql::{IntrospectOptions, MySqlConfig, connect};
//!
//! let config = MySqlConfig::parse("mysql://root@127.0.0.1:3306/shop")?;
//! let mut conn = connect(&config).await?;
//! let found = conn.introspect(&IntrospectOptions::default()).await?;
//! println!("{} tables, hash {}", found.schema.tables.len(), found.schema.content_hash());
//! # Ok(()) }
//! ```
//!
//! # Reading the catalog
//!
//! Introspection sends one query per object kind for the whole database
//! (tables, columns, index parts, foreign keys, CHECK constraints,
//! partitions, views, triggers, routines, routine parameters, events:
//! eleven queries), whatever the number of tables. One exception: the
//! parser of a FULLTEXT index (`WITH PARSER ngram`) is in no catalog table,
//! so when a database has FULLTEXT indexes and the server has a full-text
//! parser plugin loaded (MySQL 8: always), one more query lists the plugins
//! and `SHOW CREATE TABLE` is read for each table with a FULLTEXT index.
//! The queries live in `sql/*.sql`, with variants chosen by the server's
//! flavour and version (`SELECT VERSION()` containing `MariaDB`).
//!
//! # Text kept in the model
//!
//! `CONVENTIONS.md` in this crate lists, field by field, the text stored and
//! how it is meant to be written back, so that introspect → emit → apply →
//! introspect gives the same schema. In short: names are raw (unquoted,
//! unqualified: the database is the namespace); types, expressions and view
//! bodies are as the server prints them, with MySQL's spellings brought to
//! MariaDB's (`'abc'` for string defaults, `current_timestamp()`), and the
//! current database's qualifier removed from view bodies.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod admin;
mod apply;
mod config;
mod conn;
mod error;
mod introspect;
mod load;
mod observe;
mod row;
mod scratch;
mod single;
mod text;
#[cfg(feature = "tls")]
mod tls;

pub use admin::{create_database, database_exists};
pub use apply::{APPLY_SQL_MODE, ApplyOptions, ApplyReport};
pub use config::{MySqlConfig, MySqlSslMode};
pub use conn::{Flavor, MySqlConnection, connect};
pub use error::{MySqlError, TlsFailure};
pub use introspect::{IntrospectOptions, Introspection, SkippedObject};
pub use load::{load_sql, load_sql_interruptible};
/// The driver version this crate is built against.
pub use mysql_async;
pub use scratch::{Interrupt, sweep_scratch_databases};
