//! One client connection, and a count of the queries schemasync sent on it.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::task::JoinHandle;
use tokio_postgres::config::SslMode as DriverSslMode;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Connection, NoTls, Row};

use crate::error::{query_error, server_message};
use crate::{PgConfig, PostgresError, SslMode};

/// An open connection to one database.
#[derive(Debug)]
pub struct PgConnection {
    client: Client,
    config: PgConfig,
    queries: AtomicUsize,
    task: JoinHandle<()>,
}

/// Connect to the database `config` names. Needs a tokio runtime (a
/// current-thread one is enough): the connection's I/O runs as a task on it.
pub async fn connect(config: &PgConfig) -> Result<PgConnection, PostgresError> {
    let (client, task) = open(config).await?;
    // display_target() is host:port/database: never the user or a password.
    tracing::info!(engine = "postgres", server = %config.display_target(), sslmode = config.ssl_mode().as_str(), "connected");
    Ok(PgConnection { client, config: config.clone(), queries: AtomicUsize::new(0), task })
}

/// Connect as the `sslmode` says.
async fn open(config: &PgConfig) -> Result<(Client, JoinHandle<()>), PostgresError> {
    let mut driver = config.driver_config();
    match config.ssl_mode() {
        SslMode::Disable => plain(config, &mut driver).await,
        SslMode::Allow => match driver.ssl_mode(DriverSslMode::Disable).connect(NoTls).await {
            Ok((client, connection)) => Ok((client, spawn(connection))),
            // Only the server's refusal (a `hostssl`-only pg_hba.conf) is
            // worth a second try over TLS; a network error would repeat.
            Err(e) if e.as_db_error().is_some() => encrypted(config, &mut driver, DriverSslMode::Require).await,
            Err(e) => Err(connect_error(config, &e)),
        },
        SslMode::Prefer => encrypted(config, &mut driver, DriverSslMode::Prefer).await,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            encrypted(config, &mut driver, DriverSslMode::Require).await
        }
    }
}

async fn plain(
    config: &PgConfig,
    driver: &mut tokio_postgres::Config,
) -> Result<(Client, JoinHandle<()>), PostgresError> {
    let (client, connection) =
        driver.ssl_mode(DriverSslMode::Disable).connect(NoTls).await.map_err(|e| connect_error(config, &e))?;
    Ok((client, spawn(connection)))
}

#[cfg(feature = "tls")]
async fn encrypted(
    config: &PgConfig,
    driver: &mut tokio_postgres::Config,
    mode: DriverSslMode,
) -> Result<(Client, JoinHandle<()>), PostgresError> {
    let connector = crate::tls::RustlsConnect::new(config.tls()).map_err(|message| PostgresError::TlsConfig {
        host: config.host().to_owned(),
        port: config.port(),
        message,
    })?;
    match driver.ssl_mode(mode).connect(connector).await {
        Ok((client, connection)) => Ok((client, spawn(connection))),
        Err(e) => Err(tls_error(config, &e).unwrap_or_else(|| connect_error(config, &e))),
    }
}

/// Without TLS support only `prefer` (and `allow`) can connect, in plain text.
#[cfg(not(feature = "tls"))]
async fn encrypted(
    config: &PgConfig,
    driver: &mut tokio_postgres::Config,
    mode: DriverSslMode,
) -> Result<(Client, JoinHandle<()>), PostgresError> {
    if mode == DriverSslMode::Require && config.ssl_mode() != SslMode::Allow {
        return Err(PostgresError::TlsUnavailable {
            host: config.host().to_owned(),
            mode: config.ssl_mode().as_str().to_owned(),
        });
    }
    plain(config, driver).await
}

/// The TLS failure inside a driver error, if that is what it is.
#[cfg(feature = "tls")]
fn tls_error(config: &PgConfig, error: &tokio_postgres::Error) -> Option<PostgresError> {
    let tls = |failure, message| PostgresError::Tls {
        host: config.host().to_owned(),
        port: config.port(),
        database: config.database().to_owned(),
        failure,
        message,
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(handshake) = cause.downcast_ref::<crate::tls::HandshakeError>() {
            return Some(tls(handshake.failure, handshake.message.clone()));
        }
        // tokio-postgres's own text when the server answers "no" to SSLRequest.
        if cause.to_string().contains("server does not support TLS") {
            return Some(tls(
                crate::TlsFailure::NotSupportedByServer,
                format!("sslmode={} needs TLS", config.ssl_mode().as_str()),
            ));
        }
        source = cause.source();
    }
    None
}

/// Run the connection's I/O as a task. Its own error, if any, reaches the
/// client as a failed query.
fn spawn<S, T>(connection: Connection<S, T>) -> JoinHandle<()>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let _ = connection.await;
    })
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
