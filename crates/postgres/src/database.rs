//! Whole databases: create one, check one exists.

use schemasync_model::Dialect;
use tokio_postgres::error::SqlState;

use crate::error::query_error;
use crate::{PgConfig, PgConnection, PostgresError, connect};

/// Connect to the server's maintenance database: `postgres`, or `template1`
/// on servers without one.
pub(crate) async fn maintenance(config: &PgConfig) -> Result<PgConnection, PostgresError> {
    match connect(&config.with_database("postgres")).await {
        Ok(conn) => Ok(conn),
        Err(first) => match connect(&config.with_database("template1")).await {
            Ok(conn) => Ok(conn),
            Err(_) => Err(first),
        },
    }
}

async fn exists_on(conn: &PgConnection, name: &str) -> Result<bool, PostgresError> {
    let rows = conn.query("looking up the database", "SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).await?;
    Ok(!rows.is_empty())
}

/// Whether the database `config` names exists on its server.
pub async fn database_exists(config: &PgConfig) -> Result<bool, PostgresError> {
    let conn = maintenance(config).await?;
    exists_on(&conn, config.database()).await
}

/// Create the database `config` names (owned by the connecting user, from
/// the server's default template). Returns `false` if it already existed.
pub async fn create_database(config: &PgConfig) -> Result<bool, PostgresError> {
    let conn = maintenance(config).await?;
    if exists_on(&conn, config.database()).await? {
        return Ok(false);
    }
    let sql = format!("CREATE DATABASE {}", Dialect::Postgres.quote_ident(config.database()));
    match conn.batch(&sql).await {
        Ok(()) => Ok(true),
        // Another session created it between the check and now.
        Err(e) if e.code() == Some(&SqlState::DUPLICATE_DATABASE) => Ok(false),
        Err(e) => Err(query_error(&format!("creating database {}", config.database()), &e)),
    }
}
