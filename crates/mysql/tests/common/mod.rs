//! Per-test databases on the MySQL/MariaDB server of `SCHEMASYNC_TEST_MYSQL_URL`.
#![allow(dead_code, clippy::print_stderr)]

pub mod render;
pub mod roundtrip;

use mysql_async::prelude::Queryable;
use schemasync_model::Dialect;
use schemasync_mysql::{IntrospectOptions, Introspection, MySqlConfig, MySqlConnection, MySqlError, connect};

/// A database created for one test and dropped when the value is dropped,
/// also when the test fails.
pub struct TestDb {
    pub name: String,
    pub config: MySqlConfig,
    server: MySqlConfig,
}

impl TestDb {
    /// A fresh database, or `None` (after one SKIP line) when no server answers.
    pub async fn new(prefix: &str) -> Option<TestDb> {
        let url = schemasync_testkit::mysql_url();
        let server = MySqlConfig::parse(&url).expect("SCHEMASYNC_TEST_MYSQL_URL is a mysql:// URL");
        let name = schemasync_testkit::unique_db_name(prefix);
        let config = server.with_database(&name);
        match schemasync_mysql::create_database(&config, None, None).await {
            Ok(true) => Some(TestDb { name, config, server }),
            Ok(false) => panic!("database {name} already exists"),
            Err(MySqlError::Connect { host, message }) => {
                schemasync_testkit::skip(&format!("no MySQL/MariaDB server at {host} ({message})"))
            }
            Err(e) => panic!("cannot create test database {name}: {e}"),
        }
    }

    /// A connection to the test database.
    pub async fn connect(&self) -> MySqlConnection {
        connect(&self.config).await.expect("connect to test database")
    }

    /// A raw driver connection to the test database.
    pub async fn raw(&self) -> mysql_async::Conn {
        let url = schemasync_testkit::with_database(&schemasync_testkit::mysql_url(), &self.name);
        let url = url.replacen("mariadb://", "mysql://", 1);
        mysql_async::Conn::new(mysql_async::Opts::from_url(&url).expect("driver URL")).await.expect("raw connection")
    }

    /// Run a script (split like the mysql client does, DELIMITER included).
    pub async fn exec(&self, sql: &str) {
        let mut conn = self.raw().await;
        for statement in schemasync_sql::split_statements(sql, Dialect::MySql).expect("split test script") {
            conn.query_drop(&statement).await.unwrap_or_else(|e| panic!("test SQL failed: {e}\n{statement}"));
        }
        conn.disconnect().await.expect("disconnect");
    }

    /// Introspect the test database.
    pub async fn introspect(&self) -> Introspection {
        let mut conn = self.connect().await;
        let found = conn.introspect(&IntrospectOptions::default()).await.expect("introspect");
        conn.close().await.expect("close");
        found
    }

    /// The server URL's config (no database).
    pub fn server(&self) -> &MySqlConfig {
        &self.server
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Drop may run inside the test's runtime (on panic), where no other
        // runtime may block: clean up from a thread of its own.
        let url = schemasync_testkit::with_database(&schemasync_testkit::mysql_url(), "");
        let url = url.trim_end_matches('/').replacen("mariadb://", "mysql://", 1);
        let statement = format!("DROP DATABASE IF EXISTS {}", Dialect::MySql.quote_ident(&self.name));
        let name = self.name.clone();
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let opts = mysql_async::Opts::from_url(&url).map_err(|e| e.to_string())?;
                let mut conn = mysql_async::Conn::new(opts).await.map_err(|e| e.to_string())?;
                conn.query_drop(statement).await.map_err(|e| e.to_string())?;
                conn.disconnect().await.map_err(|e| e.to_string())
            })
        });
        if let Ok(Err(e)) = cleanup.join() {
            eprintln!("warning: could not drop test database {name}: {e}");
        }
    }
}

/// Run an async test body on a current-thread runtime (as the facade does).
pub fn run<F: std::future::Future<Output = ()>>(body: F) {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(body);
}

/// Drops a database created by a test itself (not through [`TestDb`]).
pub struct Guard(TestDbName);

struct TestDbName(String);

impl Guard {
    pub fn new(name: &str) -> Guard {
        Guard(TestDbName(name.to_owned()))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let server = MySqlConfig::parse(&schemasync_testkit::mysql_url()).expect("url");
        // Reuse TestDb's cleanup, which drops by name from a thread of its own.
        drop(TestDb { name: self.0.0.clone(), config: server.clone(), server });
    }
}
