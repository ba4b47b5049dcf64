//! Per-test databases on the server named by `SCHEMASYNC_TEST_POSTGRES_URL`.
#![allow(dead_code)]

use schemasync_model::Schema;
use schemasync_postgres::{IntrospectOptions, PgConfig, PgConnection, connect, create_database};

/// A uniquely named database, dropped (forcibly) when the guard goes,
/// also when the test fails.
pub struct TestDb {
    pub config: PgConfig,
}

impl TestDb {
    /// A fresh empty database, or `None` (after one `SKIP:` line) without a server.
    pub async fn new(prefix: &str) -> Option<TestDb> {
        let url = schemasync_testkit::postgres_url();
        let name = schemasync_testkit::unique_db_name(prefix);
        let config = match PgConfig::parse(&schemasync_testkit::with_database(&url, &name)) {
            Ok(c) => c,
            Err(e) => panic!("SCHEMASYNC_TEST_POSTGRES_URL is not usable: {e}"),
        };
        match create_database(&config).await {
            Ok(true) => Some(TestDb { config }),
            Ok(false) => panic!("database {name} already existed"),
            Err(e) => schemasync_testkit::skip(&format!("no PostgreSQL server at {url}: {e}")),
        }
    }

    pub async fn conn(&self) -> PgConnection {
        connect(&self.config).await.expect("connect to the test database")
    }

    /// Run DDL as a test fixture.
    pub async fn exec(&self, sql: &str) {
        let conn = self.conn().await;
        if let Err(e) = conn.client().batch_execute(sql).await {
            panic!("fixture failed: {:?}", e.as_db_error().map(|d| d.message()).unwrap_or("connection error"));
        }
    }

    pub async fn schema(&self) -> Schema {
        let conn = self.conn().await;
        conn.introspect(&IntrospectOptions::default()).await.expect("introspect").schema
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let config = self.config.clone();
        // Drop may run inside the test's runtime, which cannot be blocked on:
        // use a thread with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                let admin = config.with_database("postgres");
                if let Ok(conn) = connect(&admin).await {
                    let sql = format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        schemasync_model::Dialect::Postgres.quote_ident(config.database())
                    );
                    let _ = conn.client().batch_execute(&sql).await;
                }
            });
        })
        .join();
    }
}

/// `schema.name` for the public schema.
pub fn public(name: &str) -> schemasync_model::QualifiedName {
    schemasync_model::QualifiedName::new(Some("public"), name)
}
