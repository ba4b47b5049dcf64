//! What a PostgreSQL server says it is, so that a database's history does
//! not depend on how its URL is spelled (`localhost`, `127.0.0.1`, a DNS
//! name, a socket).

use crate::{PgConnection, PostgresError};

/// The cluster's system identifier (set by initdb, readable by every role),
/// the port it listens on and the database: one database of one cluster.
const IDENTITY_QUERY: &str = "SELECT s.system_identifier::text AS system, current_setting('port') AS port, \
                              current_database() AS database FROM pg_control_system() s";

/// A database's identity as its server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerIdentity {
    /// `pg_control_system().system_identifier`: the same for every
    /// spelling of the server's address (and for a physical copy of the
    /// cluster made with `pg_basebackup`, which is why the port is kept
    /// too).
    pub system_identifier: String,
    /// The server's `port` setting.
    pub port: u16,
    /// `current_database()`.
    pub database: String,
}

impl PgConnection {
    /// What the server says this database is.
    pub async fn server_identity(&self) -> Result<ServerIdentity, PostgresError> {
        let rows = self.query("reading the server's identity", IDENTITY_QUERY, &[]).await?;
        let row = rows.first();
        let text = |name: &str| row.and_then(|r| r.try_get::<_, String>(name).ok()).unwrap_or_default();
        Ok(ServerIdentity {
            system_identifier: text("system"),
            port: text("port").parse().unwrap_or(0),
            database: text("database"),
        })
    }
}

impl PgConnection {
    /// Whether `sql` (one `SELECT`, a pre-apply row check) returns a row.
    pub async fn any_row(&self, sql: &str) -> Result<bool, PostgresError> {
        Ok(!self.query("a row check before applying", sql, &[]).await?.is_empty())
    }
}
