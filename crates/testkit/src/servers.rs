//! Per-test databases on real servers, dropped when the guard is dropped
//! (also when the test panics). No server: one SKIP line, or a failure
//! under `CI=true`.

use schemasync_model::Dialect;

use crate::{mysql_url, postgres_url, skip, unique_db_name, with_database};

/// Which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// PostgreSQL (`SCHEMASYNC_TEST_POSTGRES_URL`).
    Postgres,
    /// MySQL/MariaDB (`SCHEMASYNC_TEST_MYSQL_URL`).
    MySql,
}

/// A uniquely named database that does not exist yet on the server; it is
/// dropped (if it was created by then) when this value is dropped.
#[derive(Debug)]
pub struct ServerDb {
    server: Server,
    name: String,
    url: String,
}

impl ServerDb {
    /// Reserve a name, checking that the server answers. `None` after a SKIP line.
    pub fn reserve(server: Server, prefix: &str) -> Option<ServerDb> {
        let base = match server {
            Server::Postgres => postgres_url(),
            Server::MySql => mysql_url(),
        };
        if let Err(e) = admin(server, "SELECT 1") {
            return skip(&format!("no {server:?} server at {} ({e})", redact(&base)));
        }
        let name = unique_db_name(prefix);
        let url = with_database(&base, &name);
        Some(ServerDb { server, name, url })
    }

    /// Reserve a name and create the (empty) database.
    ///
    /// # Panics
    /// When the server refuses to create it.
    pub fn create(server: Server, prefix: &str) -> Option<ServerDb> {
        let db = ServerDb::reserve(server, prefix)?;
        let dialect = db.dialect();
        admin(server, &format!("CREATE DATABASE {}", dialect.quote_ident(&db.name))).expect("create test database");
        Some(db)
    }

    /// URL of the database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Run SQL statements inside the database (`;`-separated, simple protocol).
    ///
    /// # Panics
    /// When the SQL fails.
    pub fn exec(&self, sql: &str) {
        run(self.server, &self.url, sql).unwrap_or_else(|e| panic!("test SQL failed on {}: {e}\n{sql}", self.name));
    }

    /// Run SQL and report failure instead of panicking.
    pub fn try_exec(&self, sql: &str) -> Result<(), String> {
        run(self.server, &self.url, sql)
    }

    fn dialect(&self) -> Dialect {
        match self.server {
            Server::Postgres => Dialect::Postgres,
            Server::MySql => Dialect::MySql,
        }
    }
}

impl Drop for ServerDb {
    fn drop(&mut self) {
        let sql = match self.server {
            Server::Postgres => {
                format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.dialect().quote_ident(&self.name))
            }
            Server::MySql => format!("DROP DATABASE IF EXISTS {}", self.dialect().quote_ident(&self.name)),
        };
        let server = self.server;
        // A thread of its own: Drop may run inside another runtime.
        let _ = std::thread::spawn(move || admin(server, &sql)).join();
    }
}

/// Run SQL on the server's default database.
pub fn admin(server: Server, sql: &str) -> Result<(), String> {
    match server {
        Server::Postgres => run(server, &postgres_url(), sql),
        Server::MySql => run(server, &with_database(&mysql_url(), ""), sql),
    }
}

/// On a thread of its own: tests of the async API call this from inside a
/// tokio runtime, where blocking on another runtime is refused.
fn run(server: Server, url: &str, sql: &str) -> Result<(), String> {
    std::thread::scope(|scope| {
        scope.spawn(|| run_here(server, url, sql)).join().unwrap_or_else(|_| Err("test SQL thread panicked".into()))
    })
}

fn run_here(server: Server, url: &str, sql: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        match server {
            Server::Postgres => {
                let (client, connection) =
                    tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
                let driver = tokio::spawn(connection);
                let result = client.batch_execute(sql).await.map_err(|e| e.to_string());
                drop(client);
                let _ = driver.await;
                result
            }
            Server::MySql => {
                use mysql_async::prelude::Queryable;
                let url = url.trim_end_matches('/').replacen("mariadb://", "mysql://", 1);
                let opts = mysql_async::Opts::from_url(&url).map_err(|e| e.to_string())?;
                let mut conn = mysql_async::Conn::new(opts).await.map_err(|e| e.to_string())?;
                let result = conn.query_drop(sql).await.map_err(|e| e.to_string());
                let _ = conn.disconnect().await;
                result
            }
        }
    })
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_owned(),
    }
}
