//! SQL script utilities that need no parser: split a script into statements
//! the way each engine's client does (strings, quoted identifiers, comments,
//! PostgreSQL dollar quotes, MySQL `DELIMITER`, SQLite trigger bodies),
//! normalize whitespace for comparing SQL text, validate every text of a
//! schema before emit pastes it into DDL ([`validate_schema`]), and check
//! a schema against the target engine's limits ([`check_limits`]).
//!
//! ```
//! use schemasync_model::Dialect;
//! use schemasync_sql::{normalize_whitespace, split_statements};
//!
//! let script = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT f();";
//! let statements = split_statements(script, Dialect::Postgres)?;
//! assert_eq!(statements, ["CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", "SELECT f()"]);
//! assert_eq!(normalize_whitespace("SELECT  1 -- one\n"), "SELECT 1");
//! # Ok::<(), schemasync_sql::SqlError>(())
//! ```
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod block;
mod client;
mod engine_events;
mod error;
mod lexer;
mod limits;
mod lines;
mod normalize;
mod problem;
mod split;
mod syntax;
mod validate;

pub use error::SqlError;
pub use limits::{check_limits, enforce_limits};
pub use normalize::{normalize_whitespace, normalize_whitespace_in};
pub use problem::Problem;
pub use split::{LocatedStatement, split_statements, split_statements_located};
pub use validate::{NotOneStatement, check_mysql_statement, schema_problems, validate_schema};
