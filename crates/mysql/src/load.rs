//! Reading a `.sql` schema script exactly: the server itself runs it in a
//! scratch database, which is then introspected and dropped.

use std::sync::atomic::{AtomicUsize, Ordering};

use mysql_async::prelude::Queryable;
use schemasync_model::Dialect;
use schemasync_sql::split_statements_located;

use crate::{IntrospectOptions, Introspection, MySqlConfig, MySqlConnection, MySqlError, conn};

/// Run `sql` in a new scratch database on the server of `config`, read the
/// resulting schema and drop the scratch database again, whether the script
/// ran or not. The script is split the way the `mysql` client splits it
/// (`DELIMITER` included) and run statement by statement.
///
/// When `config` names an existing database, the scratch database gets its
/// default character set and collation, so that a script that does not
/// name them reads as it would there.
///
/// The scratch database is dropped when this returns; if the future is
/// dropped midway, it is left behind (named `schemasync_scratch_...`).
pub async fn load_sql(config: &MySqlConfig, sql: &str) -> Result<Introspection, MySqlError> {
    let statements = split_statements_located(sql, Dialect::MySql)?;
    let mut raw = conn::open(config, None).await?;
    let flavor = conn::read_flavor(&mut raw).await?;
    let defaults = match config.database_opt() {
        Some(db) => database_defaults(&mut raw, db).await?,
        None => None,
    };
    let scratch = scratch_name();
    let quoted = Dialect::MySql.quote_ident(&scratch);
    let mut create = format!("CREATE DATABASE {quoted}");
    if let Some((charset, collation)) = defaults {
        create.push_str(&format!(" CHARACTER SET {charset} COLLATE {collation}"));
    }
    raw.query_drop(create).await?;
    let mut connection = MySqlConnection::new(raw, scratch, flavor);
    let result = run_and_read(&mut connection, &statements).await;
    let dropped = connection.run(&format!("DROP DATABASE {quoted}")).await;
    let _ = connection.close().await;
    let introspection = result?;
    dropped?;
    Ok(introspection)
}

async fn run_and_read(
    connection: &mut MySqlConnection,
    statements: &[schemasync_sql::LocatedStatement],
) -> Result<Introspection, MySqlError> {
    let use_scratch = format!("USE {}", Dialect::MySql.quote_ident(connection.database()));
    connection.run(&use_scratch).await?;
    for (index, statement) in statements.iter().enumerate() {
        connection.run(&statement.sql).await.map_err(|e| MySqlError::Script {
            index,
            line: statement.line,
            message: MySqlError::server_message(&e),
        })?;
    }
    // The script may have switched databases with USE.
    connection.run(&use_scratch).await?;
    connection.introspect(&IntrospectOptions::default()).await
}

/// Default character set and collation of an existing database, as plain words.
async fn database_defaults(
    conn: &mut mysql_async::Conn,
    database: &str,
) -> Result<Option<(String, String)>, MySqlError> {
    let found: Option<(String, String)> = conn
        .exec_first(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME = ?",
            (database,),
        )
        .await?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    Ok(found.filter(|(charset, collation)| plain(charset) && plain(collation)))
}

/// A database name no other load (in this process or another) uses.
fn scratch_name() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("schemasync_scratch_{}_{n}_{nanos}", std::process::id())
}
