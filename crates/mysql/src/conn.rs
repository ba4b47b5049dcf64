//! Connecting, telling MySQL from MariaDB, and the one place queries are sent.

use std::time::Duration;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Value};

use crate::row::Cells;
use crate::{MySqlConfig, MySqlError, MySqlSslMode};

/// How long connecting may take before the server is reported unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Which server family and version a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flavor {
    /// MariaDB (true) or MySQL.
    pub mariadb: bool,
    /// Server version (major, minor, patch).
    pub version: (u32, u32, u32),
}

impl Flavor {
    /// Read from `SELECT VERSION()`: `8.0.36`, `10.11.6-MariaDB-0+deb12u1`.
    pub fn from_version_string(version: &str) -> Flavor {
        let mut numbers = version
            .split(|c: char| !c.is_ascii_digit())
            .take_while(|part| !part.is_empty())
            .map(|part| part.parse::<u32>().unwrap_or(0));
        let major = numbers.next().unwrap_or(0);
        let minor = numbers.next().unwrap_or(0);
        let patch = numbers.next().unwrap_or(0);
        Flavor { mariadb: version.contains("MariaDB"), version: (major, minor, patch) }
    }

    /// Whether this is MySQL at least `version`.
    pub fn mysql_at_least(self, version: (u32, u32, u32)) -> bool {
        !self.mariadb && self.version >= version
    }

    /// Whether this is MariaDB at least `version`.
    pub fn mariadb_at_least(self, version: (u32, u32, u32)) -> bool {
        self.mariadb && self.version >= version
    }
}

/// An open connection to one database of a MySQL or MariaDB server.
#[derive(Debug)]
pub struct MySqlConnection {
    pub(crate) conn: Conn,
    pub(crate) database: String,
    flavor: Flavor,
    queries_sent: u64,
}

/// Connect to the database the URL names (which must exist).
pub async fn connect(config: &MySqlConfig) -> Result<MySqlConnection, MySqlError> {
    let database = config.database()?.to_owned();
    let mut conn = open(config, Some(&database)).await?;
    let flavor = read_flavor(&mut conn).await?;
    // server() is host:port or the socket path: never the user or a password.
    tracing::info!(
        engine = "mysql",
        server = %format_args!("{}/{database}", config.server()),
        ssl_mode = config.ssl_mode.as_str(),
        mariadb = flavor.mariadb,
        encrypted = conn.opts().ssl_opts().is_some(),
        "connected"
    );
    Ok(MySqlConnection { conn, database, flavor, queries_sent: 1 })
}

/// A connection to the server, optionally with a current database.
pub(crate) async fn open(config: &MySqlConfig, database: Option<&str>) -> Result<Conn, MySqlError> {
    match tokio::time::timeout(CONNECT_TIMEOUT, open_as_configured(config, database)).await {
        Ok(result) => result,
        Err(_) => Err(MySqlError::Connect {
            host: config.server(),
            message: format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        }),
    }
}

async fn open_as_configured(config: &MySqlConfig, database: Option<&str>) -> Result<Conn, MySqlError> {
    let opts = config.opts(database);
    // The server counts a Unix socket as a secure transport, and the driver
    // would not encrypt it anyway.
    if config.is_socket() || config.ssl_mode == MySqlSslMode::Disabled {
        return Conn::new(opts).await.map_err(|e| plain_error(config, &e));
    }
    #[cfg(feature = "tls")]
    {
        crate::tls::connect(config, opts).await
    }
    #[cfg(not(feature = "tls"))]
    match config.ssl_mode {
        MySqlSslMode::Preferred => Conn::new(opts).await.map_err(|e| plain_error(config, &e)),
        mode => Err(MySqlError::TlsUnavailable { host: config.server(), mode: mode.as_str() }),
    }
}

fn plain_error(config: &MySqlConfig, error: &mysql_async::Error) -> MySqlError {
    MySqlError::Connect { host: config.server(), message: MySqlError::server_message(error) }
}

pub(crate) async fn read_flavor(conn: &mut Conn) -> Result<Flavor, MySqlError> {
    let version: Option<String> = conn.query_first("SELECT VERSION()").await?;
    let version = version.ok_or_else(|| MySqlError::catalog("SELECT VERSION()", "no row"))?;
    Ok(Flavor::from_version_string(&version))
}

impl MySqlConnection {
    pub(crate) fn new(conn: Conn, database: String, flavor: Flavor) -> Self {
        MySqlConnection { conn, database, flavor, queries_sent: 0 }
    }

    /// The server family and version.
    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// The database this connection works on.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The server's id of this session (`CONNECTION_ID()`), as
    /// `information_schema.PROCESSLIST` lists it and `KILL` takes it: what an
    /// operator needs to find or stop a long apply from another session.
    pub fn connection_id(&self) -> u32 {
        self.conn.id()
    }

    /// How many statements this connection has sent to the server, for
    /// diagnostics (and to check that introspection does not grow with the
    /// number of tables).
    pub fn queries_sent(&self) -> u64 {
        self.queries_sent
    }

    /// The TLS cipher of this session as the server reports it
    /// (`Ssl_cipher`), `None` for a plain connection.
    pub async fn tls_cipher(&mut self) -> Result<Option<String>, MySqlError> {
        self.queries_sent += 1;
        let row: Option<(String, String)> = self.conn.query_first("SHOW SESSION STATUS LIKE 'Ssl_cipher'").await?;
        Ok(row.map(|(_, cipher)| cipher).filter(|cipher| !cipher.is_empty()))
    }

    /// Whether `sql` (one `SELECT`, a pre-apply row check) returns a row.
    pub async fn any_row(&mut self, sql: &str) -> Result<bool, MySqlError> {
        Ok(!self.rows("a row check before applying", sql).await?.is_empty())
    }

    /// Close the connection politely.
    pub async fn close(self) -> Result<(), MySqlError> {
        self.conn.disconnect().await?;
        Ok(())
    }

    /// Run a catalog query and return its rows as cells; `context` names it in errors.
    pub(crate) async fn rows(&mut self, context: &'static str, sql: &str) -> Result<Vec<Cells>, MySqlError> {
        self.queries_sent += 1;
        let rows: Vec<mysql_async::Row> = self.conn.query(sql).await?;
        Ok(rows.into_iter().map(|row| Cells::new(context, row.unwrap())).collect())
    }

    /// Run a statement that returns nothing of interest.
    pub(crate) async fn run(&mut self, sql: &str) -> Result<(), mysql_async::Error> {
        self.queries_sent += 1;
        self.conn.query_drop(sql).await
    }

    /// Run one statement through the prepared-statement protocol and close
    /// it: the server refuses a text of several statements there.
    pub(crate) async fn exec_prepared_once(&mut self, sql: &str) -> Result<(), mysql_async::Error> {
        self.queries_sent += 1;
        let statement = self.conn.prep(sql).await?;
        let result = self.conn.exec_drop(&statement, ()).await;
        let closed = self.conn.close(statement).await;
        result.and(closed)
    }

    /// Run a statement with parameters and return the first column of its first row.
    pub(crate) async fn first_value<P>(&mut self, sql: &str, params: P) -> Result<Option<Value>, MySqlError>
    where
        P: Into<mysql_async::Params> + Send,
    {
        self.queries_sent += 1;
        let row: Option<mysql_async::Row> = self.conn.exec_first(sql, params).await?;
        Ok(row.and_then(|r| r.unwrap().into_iter().next()))
    }
}

#[cfg(test)]
mod tests {
    use super::Flavor;

    #[test]
    fn reads_versions() {
        let f = Flavor::from_version_string("10.11.19-MariaDB-0+deb12u1");
        assert_eq!(f, Flavor { mariadb: true, version: (10, 11, 19) });
        assert!(f.mariadb_at_least((10, 8, 0)) && !f.mysql_at_least((8, 0, 0)));
        let f = Flavor::from_version_string("8.0.36");
        assert_eq!(f, Flavor { mariadb: false, version: (8, 0, 36) });
        assert_eq!(Flavor::from_version_string("garbage").version, (0, 0, 0));
    }
}
