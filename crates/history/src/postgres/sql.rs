//! Queries of the store, with the server's errors as [`HistoryError`]s and
//! every value read back checked (never a panic on what the server sends).

use schemasync_postgres::tokio_postgres::types::{FromSql, ToSql};
use schemasync_postgres::tokio_postgres::{Client, Error, Row};
use std::path::PathBuf;

use crate::HistoryError;

/// SQLSTATEs that mean the history cannot be written here and now:
/// a read-only transaction or standby, missing privileges, a full disk or
/// another exhausted resource (class 53), a lock not granted in time, a
/// statement cancelled by a timeout, a session ended for idling in a
/// transaction.
const NOT_WRITABLE: [&str; 6] = ["25006", "42501", "55P03", "57014", "25P03", "25P04"];

/// The history error for a failed query.
pub(crate) fn server_error(store: &str, what: &str, error: &Error) -> HistoryError {
    match error.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let mut message = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                message.push_str("\nDETAIL: ");
                message.push_str(detail);
            }
            if let Some(hint) = db.hint() {
                message.push_str("\nHINT: ");
                message.push_str(hint);
            }
            if NOT_WRITABLE.contains(&code) || code.starts_with("53") {
                HistoryError::NotWritable { path: PathBuf::from(store), cause: format!("{what}: {message}") }
            } else {
                HistoryError::Server {
                    store: store.to_owned(),
                    what: what.to_owned(),
                    code: Some(code.to_owned()),
                    message,
                }
            }
        }
        None => {
            // The driver's own text is the kind ("connection closed"); the
            // cause is in its sources.
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            // Lost connections get connection_failure's SQLSTATE, so the
            // store knows to connect again; a value the driver could not
            // convert keeps none.
            let mut source = std::error::Error::source(error);
            let mut io = false;
            while let Some(cause) = source {
                io |= cause.is::<std::io::Error>();
                source = cause.source();
            }
            let code = (error.is_closed() || io).then(|| CONNECTION_FAILURE.to_owned());
            HistoryError::Server { store: store.to_owned(), what: what.to_owned(), code, message }
        }
    }
}

/// SQLSTATE `connection_failure`, given to errors of a lost connection.
const CONNECTION_FAILURE: &str = "08006";

/// Whether `error` means the session is gone (the connection was lost, or
/// the server ended it: SQLSTATE classes 08 and 57P), so the next call
/// must connect again.
pub(crate) fn session_lost(error: &HistoryError) -> bool {
    match error {
        HistoryError::Server { code: Some(code), .. } => code.starts_with("08") || code.starts_with("57P"),
        _ => false,
    }
}

/// One piece of work of the store: its location and what it is doing,
/// named by every error it returns.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sql<'a> {
    store: &'a str,
    what: &'a str,
}

impl<'a> Sql<'a> {
    pub(crate) fn new(store: &'a str, what: &'a str) -> Self {
        Sql { store, what }
    }

    fn error(&self, error: &Error) -> HistoryError {
        server_error(self.store, self.what, error)
    }

    fn unexpected(&self, message: String) -> HistoryError {
        HistoryError::Server { store: self.store.to_owned(), what: self.what.to_owned(), code: None, message }
    }

    pub(crate) async fn query(
        &self,
        client: &Client,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, HistoryError> {
        client.query(sql, params).await.map_err(|e| self.error(&e))
    }

    /// A query that returns exactly one row.
    pub(crate) async fn one(
        &self,
        client: &Client,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, HistoryError> {
        let mut rows = self.query(client, sql, params).await?;
        match (rows.pop(), rows.is_empty()) {
            (Some(row), true) => Ok(row),
            (row, _) => {
                Err(self.unexpected(format!("expected one row, got {}", rows.len() + usize::from(row.is_some()))))
            }
        }
    }

    pub(crate) async fn execute(
        &self,
        client: &Client,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, HistoryError> {
        client.execute(sql, params).await.map_err(|e| self.error(&e))
    }

    /// Statements without parameters (the simple protocol).
    pub(crate) async fn batch(&self, client: &Client, sql: &str) -> Result<(), HistoryError> {
        client.batch_execute(sql).await.map_err(|e| self.error(&e))
    }

    /// Column `index` of `row`, checked.
    pub(crate) fn get<'r, T: FromSql<'r>>(&self, row: &'r Row, index: usize) -> Result<T, HistoryError> {
        row.try_get(index).map_err(|e| self.unexpected(format!("column {index}: {e}")))
    }
}

/// Run `body` in a transaction: committed when it succeeds, rolled back
/// when it fails (the rollback's own failure, on a lost connection, is
/// not worth more than the error that caused it).
pub(crate) async fn transaction<T>(
    client: &Client,
    store: &str,
    what: &str,
    body: impl Future<Output = Result<T, HistoryError>>,
) -> Result<T, HistoryError> {
    let sql = Sql::new(store, what);
    sql.batch(client, "BEGIN").await?;
    match body.await {
        Ok(value) => {
            sql.batch(client, "COMMIT").await?;
            Ok(value)
        }
        Err(error) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(error)
        }
    }
}
