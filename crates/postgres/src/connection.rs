//! One client connection, and a count of the queries schemasync sent on it.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row};

use crate::error::{query_error, server_message};
use crate::{PgConfig, PostgresError};

/// An open connection to one database.
#[derive(Debug)]
pub struct PgConnection {
    client: Client,
    config: PgConfig,
    queries: AtomicUsize,
    task: tokio::task::JoinHandle<()>,
}

/// Connect to the database `config` names. Needs a tokio runtime (a
/// current-thread one is enough): the connection's I/O runs as a task on it.
pub async fn connect(config: &PgConfig) -> Result<PgConnection, PostgresError> {
    let driver = config.driver_config()?;
    let (client, connection) = driver.connect(NoTls).await.map_err(|e| connect_error(config, &e))?;
    // The connection's own error, if any, reaches the client as a failed query.
    let task = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(PgConnection { client, config: config.clone(), queries: AtomicUsize::new(0), task })
}

pub(crate) fn connect_error(config: &PgConfig, error: &tokio_postgres::Error) -> PostgresError {
    PostgresError::Connect {
        host: config.host().to_owned(),
        port: config.port(),
        database: config.database().to_owned(),
        message: server_message(error),
    }
}

impl Drop for PgConnection {
    fn drop(&mut self) {
        // The task ends by itself once the client is gone; aborting only
        // spares a runtime that is shutting down from waiting on it.
        self.task.abort();
    }
}

impl PgConnection {
    /// The settings this connection was opened with.
    pub fn config(&self) -> &PgConfig {
        &self.config
    }

    /// How many queries schemasync has sent on this connection (each catalog
    /// query, batch and control statement counts once). For tests and
    /// diagnostics: introspection costs a fixed number, whatever the schema size.
    pub fn queries_issued(&self) -> usize {
        self.queries.load(Ordering::Relaxed)
    }

    /// The driver's client, for callers that need more than this crate offers.
    pub fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) async fn query(
        &self,
        what: &str,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, PostgresError> {
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.client.query(sql, params).await.map_err(|e| query_error(what, &e))
    }

    /// [`Self::query`] returning the driver's error, for callers that look at its SQLSTATE.
    pub(crate) async fn query_raw(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, tokio_postgres::Error> {
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.client.query(sql, params).await
    }

    /// Run one or more statements without parameters; the server's raw error
    /// is returned so callers can map it to their own variant.
    pub(crate) async fn batch(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.client.batch_execute(sql).await
    }

    /// Run exactly one statement: through the extended query protocol, where
    /// the server refuses a text that holds several ("cannot insert multiple
    /// commands into a prepared statement"). A script's statement is meant to
    /// be one, and the simple protocol would run whatever else a text smuggled
    /// in after a `;`.
    pub(crate) async fn single(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        self.queries.fetch_add(1, Ordering::Relaxed);
        self.client.execute(sql, &[]).await.map(|_| ())
    }

    /// [`Self::batch`] for schemasync's own control statements.
    pub(crate) async fn control(&self, what: &str, sql: &str) -> Result<(), PostgresError> {
        self.batch(sql).await.map_err(|e| query_error(what, &e))
    }
}
