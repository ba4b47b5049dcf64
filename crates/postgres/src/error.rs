//! The one error type of this crate.
//!
//! Messages name the server (host, port, database) but never a password.

pub use schemasync_model::TlsFailure;
use std::time::Duration;

/// What can go wrong connecting to, reading or changing a PostgreSQL database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PostgresError {
    /// The connection URL could not be understood.
    #[error("invalid PostgreSQL URL: {message}")]
    InvalidUrl {
        /// What is wrong with it.
        message: String,
    },
    /// `sslmode=require` (or stricter) was asked for, but this build has no TLS connector.
    #[error(
        "sslmode={mode} was requested for {host}, but this build of schemasync has no TLS support; \
         use sslmode=disable or sslmode=prefer"
    )]
    TlsUnavailable {
        /// The server.
        host: String,
        /// The requested mode.
        mode: String,
    },
    /// The TLS connection could not be made: the server's certificate was
    /// refused (which check failed is in `failure`), or TLS was required and
    /// the server does not offer it.
    #[error("TLS connection to PostgreSQL at {host}:{port}, database {database} failed: {failure}: {message}")]
    Tls {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
        /// Database name.
        database: String,
        /// Which check failed.
        failure: TlsFailure,
        /// The TLS library's or driver's message.
        message: String,
    },
    /// A file named by `sslrootcert`, `sslcert` or `sslkey` (or libpq's
    /// default in `~/.postgresql`) is missing or unusable.
    #[error("TLS settings for PostgreSQL at {host}:{port}: {message}")]
    TlsConfig {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
        /// Which file and why.
        message: String,
    },
    /// The server could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL at {host}:{port}, database {database}: {message}")]
    Connect {
        /// Host name, address or socket directory.
        host: String,
        /// Port.
        port: u16,
        /// Database name.
        database: String,
        /// The driver's or server's message.
        message: String,
    },
    /// A catalog query (or another statement of schemasync's own) failed.
    #[error("{what} failed: {message}")]
    Query {
        /// What was being done (`reading tables`).
        what: String,
        /// The server's message, with its detail.
        message: String,
    },
    /// The catalog returned something this crate cannot read.
    #[error("unexpected catalog data while {what}: {message}")]
    Decode {
        /// What was being read.
        what: String,
        /// What was unexpected.
        message: String,
    },
    /// A statement of an applied script failed; the transaction was rolled back
    /// (or, for a statement outside the transaction, the ones before it stay applied).
    #[error("statement {index} failed: {message}\n{sql}")]
    Statement {
        /// Position of the statement in the script (0-based).
        index: usize,
        /// The statement.
        sql: String,
        /// The server's message, with its detail.
        message: String,
    },
    /// A statement failed after others had been committed: statements that
    /// run outside the transaction (before it, or after its commit) stay
    /// applied. Planning again from the database's real state finishes.
    #[error("{source} ({committed} statement(s) had been committed)")]
    PartlyApplied {
        /// Statements committed before the failure.
        committed: usize,
        /// The failure.
        source: Box<PostgresError>,
    },
    /// The database schema is not the one the script was planned against.
    #[error("schema drift: expected schema hash {expected}, found {actual}")]
    Drift {
        /// Hash the plan was computed from.
        expected: String,
        /// Hash of the database now.
        actual: String,
    },
    /// Another schemasync run holds the advisory lock of this database.
    #[error("database {database} is locked by another schemasync run (waited {}ms)", waited.as_millis())]
    Locked {
        /// Database name.
        database: String,
        /// How long this run waited.
        waited: Duration,
    },
    /// A `.sql` script given to [`crate::load_sql`] failed to run.
    #[error("the SQL script failed: {message}")]
    Script {
        /// The server's message, with its detail.
        message: String,
    },
    /// A script written for another dialect was given to the PostgreSQL engine.
    #[error("cannot apply a {dialect} script to PostgreSQL")]
    WrongDialect {
        /// The script's dialect.
        dialect: String,
    },
}

/// The server's message of a driver error, with DETAIL and HINT when present.
pub(crate) fn server_message(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut message = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                message.push_str("\nDETAIL: ");
                message.push_str(detail);
            }
            if let Some(hint) = db.hint() {
                message.push_str("\nHINT: ");
                message.push_str(hint);
            }
            message
        }
        None => {
            // The driver's own text is only the kind ("error connecting to
            // server"); the cause (refused, timed out, auth) is in the source.
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            message
        }
    }
}

/// A failed query of schemasync's own.
pub(crate) fn query_error(what: &str, error: &tokio_postgres::Error) -> PostgresError {
    PostgresError::Query { what: what.to_owned(), message: server_message(error) }
}
