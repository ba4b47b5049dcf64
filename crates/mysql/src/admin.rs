//! Databases themselves: does one exist, create one.

use mysql_async::prelude::Queryable;
use schemasync_model::Dialect;

use crate::{MySqlConfig, MySqlError, conn};

/// Whether the database the URL names exists on its server.
pub async fn database_exists(config: &MySqlConfig) -> Result<bool, MySqlError> {
    let database = config.database()?;
    let mut conn = conn::open(config, None).await?;
    let found = exists(&mut conn, database).await;
    let _ = conn.disconnect().await;
    found
}

/// Create the database the URL names, with a default character set and
/// collation if given. Returns `false` when it already existed (and leaves it alone).
pub async fn create_database(
    config: &MySqlConfig,
    charset: Option<&str>,
    collation: Option<&str>,
) -> Result<bool, MySqlError> {
    let database = config.database()?;
    let mut sql = format!("CREATE DATABASE {}", Dialect::MySql.quote_ident(database));
    if let Some(charset) = charset {
        sql.push_str(&format!(" CHARACTER SET {}", plain_name("character set", charset)?));
    }
    if let Some(collation) = collation {
        sql.push_str(&format!(" COLLATE {}", plain_name("collation", collation)?));
    }
    let mut conn = conn::open(config, None).await?;
    let result = create(&mut conn, database, &sql).await;
    let _ = conn.disconnect().await;
    result
}

async fn create(conn: &mut mysql_async::Conn, database: &str, sql: &str) -> Result<bool, MySqlError> {
    if exists(conn, database).await? {
        return Ok(false);
    }
    match conn.query_drop(sql).await {
        Ok(()) => Ok(true),
        // ER_DB_CREATE_EXISTS: someone else created it meanwhile.
        Err(mysql_async::Error::Server(e)) if e.code == 1007 => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn exists(conn: &mut mysql_async::Conn, database: &str) -> Result<bool, MySqlError> {
    let found: Option<u8> =
        conn.exec_first("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", (database,)).await?;
    Ok(found.is_some())
}

/// Character set and collation names are plain words; anything else is refused
/// rather than quoted, since they are not identifiers.
fn plain_name<'a>(what: &'static str, name: &'a str) -> Result<&'a str, MySqlError> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(name)
    } else {
        Err(MySqlError::InvalidName { what, name: name.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::plain_name;

    #[test]
    fn names_are_plain_words() {
        assert!(plain_name("collation", "utf8mb4_bin").is_ok());
        assert!(plain_name("collation", "x; DROP DATABASE y").is_err());
        assert!(plain_name("character set", "").is_err());
    }
}
