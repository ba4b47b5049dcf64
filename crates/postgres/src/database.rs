//! Whole databases: create one, check one exists, and read a `.sql` file
//! exactly by running it in a scratch database on a server.

use std::sync::atomic::{AtomicUsize, Ordering};

use schemasync_model::Dialect;
use tokio_postgres::error::SqlState;

use crate::error::{query_error, server_message};
use crate::{IntrospectOptions, Introspection, PgConfig, PgConnection, PostgresError, connect};

/// Connect to the server's maintenance database: `postgres`, or `template1`
/// on servers without one.
async fn maintenance(config: &PgConfig) -> Result<PgConnection, PostgresError> {
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

/// A database name no other scratch load on this server uses.
fn scratch_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("schemasync_scratch_{}_{n}_{nanos}", std::process::id())
}

/// Read a `.sql` schema script exactly: create a scratch database on the
/// server `config` points at (from `template0`, so nothing a site added to
/// `template1` leaks in), run the script there, introspect it, and drop the
/// scratch database again, also when the script fails.
pub async fn load_sql(
    config: &PgConfig,
    sql: &str,
    options: &IntrospectOptions,
) -> Result<Introspection, PostgresError> {
    let admin = maintenance(config).await?;
    let name = scratch_name();
    let quoted = Dialect::Postgres.quote_ident(&name);
    admin.control("creating a scratch database", &format!("CREATE DATABASE {quoted} TEMPLATE template0")).await?;
    let result = async {
        let scratch = connect(&config.with_database(&name)).await?;
        scratch.batch(sql).await.map_err(|e| PostgresError::Script { message: server_message(&e) })?;
        scratch.introspect(options).await
    }
    .await;
    let dropped =
        admin.control("dropping the scratch database", &format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")).await;
    let found = result?;
    dropped?;
    Ok(found)
}
