//! The PostgreSQL store on a real server: the shared contract
//! (`contract/mod.rs`), each test in a database of its own, and what is
//! particular to a server (a database without a history, layouts, schemas
//! of someone else, runtimes, lost sessions, credentials).
//!
//! Needs `SCHEMASYNC_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); without a server, one
//! SKIP line (a failure under `CI=true`).
#![cfg(feature = "postgres")]

mod contract;

use contract::{Backend, TestResult, intent, new_version, version};
use schemasync_history::{HistoryError, HistoryStore, Outcome, PostgresHistory, VersionKind};
use schemasync_postgres::tokio_postgres;
use schemasync_testkit::{Server, ServerDb};
use std::sync::OnceLock;

/// A fresh database on the test server, dropped afterwards.
struct Pg {
    db: ServerDb,
}

/// Whether the server answered the first test that asked (which printed
/// the one SKIP line when it did not).
static SERVER_UP: OnceLock<bool> = OnceLock::new();

fn fresh_db() -> Option<ServerDb> {
    let mut first = None;
    let up = *SERVER_UP.get_or_init(|| {
        first = ServerDb::create(Server::Postgres, "history");
        first.is_some()
    });
    if !up {
        return None;
    }
    first.or_else(|| ServerDb::create(Server::Postgres, "history"))
}

/// Rows of a query, every value as text (`None`: NULL), on a runtime and
/// thread of their own.
fn rows(url: &str, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime =
                    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
                runtime.block_on(async {
                    let (client, connection) =
                        tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
                    let driver = tokio::spawn(connection);
                    let messages = client.simple_query(sql).await.map_err(|e| e.to_string());
                    drop(client);
                    let _ = driver.await;
                    Ok(messages?
                        .into_iter()
                        .filter_map(|message| match message {
                            tokio_postgres::SimpleQueryMessage::Row(row) => {
                                Some((0..row.len()).map(|i| row.get(i).map(str::to_owned)).collect())
                            }
                            _ => None,
                        })
                        .collect())
                })
            })
            .join()
            .unwrap_or_else(|_| Err("query thread panicked".to_owned()))
    })
}

fn value(url: &str, sql: &str) -> Result<Option<String>, String> {
    Ok(rows(url, sql)?.into_iter().next().and_then(|row| row.into_iter().next()).flatten())
}

impl Pg {
    fn url(&self) -> &str {
        self.db.url()
    }

    fn has_schema(&self) -> Result<bool, String> {
        Ok(value(self.url(), "SELECT count(*) FROM pg_namespace WHERE nspname = 'schemasync_history'")?.as_deref()
            == Some("1"))
    }
}

impl Backend for Pg {
    type Store = PostgresHistory;
    const VERSIONS: &'static str = "schemasync_history.versions";

    fn fresh() -> Option<Self> {
        fresh_db().map(|db| Pg { db })
    }

    fn open(&self) -> Result<PostgresHistory, HistoryError> {
        PostgresHistory::open(self.url())
    }

    fn open_read_only(&self) -> Result<PostgresHistory, HistoryError> {
        PostgresHistory::open_read_only(self.url())
    }

    fn exec(&self, sql: &str) -> TestResult {
        Ok(self.db.try_exec(sql)?)
    }

    fn contents(&self) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        // The objects of the schema, then every row of its tables.
        let mut text = format!(
            "{:?}\n",
            rows(
                self.url(),
                "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'schemasync_history' ORDER BY 1"
            )?
        );
        for table in ["layout", "versions", "intents"] {
            let exists = format!("SELECT to_regclass('schemasync_history.{table}') IS NOT NULL");
            if value(self.url(), &exists)?.as_deref() == Some("t") {
                let sql = format!("SELECT t::text FROM schemasync_history.{table} t ORDER BY 1");
                text.push_str(&format!("{table}: {:?}\n", rows(self.url(), &sql)?));
            }
        }
        Ok(text.into_bytes())
    }

    fn own_key(&self) -> Result<Option<String>, Box<dyn std::error::Error>> {
        let config = schemasync_postgres::PgConfig::parse(self.url())?;
        let (host, port) = config.host_key();
        Ok(Some(schemasync_history::database_key_for_url("postgres", &host, port, config.database())))
    }
}

contract::contract_tests!(Pg);

#[test]
fn the_store_is_send() {
    fn send<T: Send + 'static>() {}
    send::<PostgresHistory>();
}

#[test]
fn a_read_only_open_of_a_database_without_a_history_creates_nothing() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let before = pg.contents()?;
    let mut reader = PostgresHistory::open_read_only(pg.url())?;
    assert!(reader.list("db")?.is_empty() && reader.pending("db")?.is_empty());
    assert!(reader.databases()?.is_empty() && reader.latest("db")?.is_none());
    assert!(matches!(reader.get("db", 1), Err(HistoryError::NoSuchVersion { number: 1, .. })));
    assert_eq!(reader.own_database_key()?, pg.own_key()?);
    assert!(matches!(reader.begin(intent("db", "x")), Err(HistoryError::NotWritable { .. })));
    assert!(matches!(reader.record(version("db", VersionKind::Baseline)), Err(HistoryError::NotWritable { .. })));
    drop(reader);
    assert!(!pg.has_schema()?, "a read-only open created the schema");
    assert!(pg.contents()? == before);
    // Writing creates it.
    PostgresHistory::open(pg.url())?.record(version("db", VersionKind::Baseline))?;
    assert!(pg.has_schema()?);
    assert_eq!(PostgresHistory::open_read_only(pg.url())?.list("db")?.len(), 1);
    Ok(())
}

#[test]
fn a_layout_newer_than_this_build_is_refused_and_left_alone() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    PostgresHistory::open(pg.url())?.record(version("db", VersionKind::Baseline))?;
    assert_eq!(value(pg.url(), "SELECT version FROM schemasync_history.layout")?.as_deref(), Some("1"));
    pg.exec("UPDATE schemasync_history.layout SET version = 99")?;
    let before = pg.contents()?;
    let key = pg.own_key()?.unwrap_or_default();
    for result in [PostgresHistory::open(pg.url()), PostgresHistory::open_read_only(pg.url())] {
        match result {
            Err(error @ HistoryError::UnsupportedFormat { found: 99, supported: 1, .. }) => {
                assert!(error.to_string().contains(&key), "{error}")
            }
            other => panic!("expected UnsupportedFormat, got {other:?}"),
        }
    }
    assert!(pg.contents()? == before, "the newer layout was changed");
    Ok(())
}

#[test]
fn a_schema_of_that_name_holding_something_else_is_refused_and_left_alone() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    pg.exec("CREATE SCHEMA schemasync_history; CREATE TABLE schemasync_history.customers (id int PRIMARY KEY)")?;
    let before = pg.contents()?;
    for result in [PostgresHistory::open(pg.url()), PostgresHistory::open_read_only(pg.url())] {
        match result {
            Err(error @ HistoryError::Corrupt { .. }) => {
                assert!(error.to_string().contains("no layout table"), "{error}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    assert!(pg.contents()? == before);
    // A damaged layout row is refused too.
    pg.exec("DROP TABLE schemasync_history.customers")?;
    PostgresHistory::open(pg.url())?;
    pg.exec("DELETE FROM schemasync_history.layout")?;
    assert!(matches!(PostgresHistory::open(pg.url()), Err(HistoryError::Corrupt { .. })));
    pg.exec("INSERT INTO schemasync_history.layout VALUES (true, 0, 'x')")?;
    assert!(matches!(PostgresHistory::open_read_only(pg.url()), Err(HistoryError::Corrupt { .. })));
    Ok(())
}

#[test]
fn an_empty_schema_made_ready_by_an_administrator_is_used() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    pg.exec("CREATE SCHEMA schemasync_history")?;
    assert!(PostgresHistory::open_read_only(pg.url())?.list("db")?.is_empty());
    let mut history = PostgresHistory::open(pg.url())?;
    assert_eq!(history.record(version("db", VersionKind::Baseline))?.number, 1);
    Ok(())
}

#[test]
fn many_runners_numbering_one_database_at_once_get_unique_contiguous_numbers() -> TestResult {
    const RUNNERS: usize = 4;
    const EACH: usize = 20;
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let url = pg.url();
    let numbers = std::thread::scope(|scope| {
        let runners: Vec<_> = (0..RUNNERS)
            .map(|runner| {
                scope.spawn(move || -> Result<Vec<u64>, String> {
                    // Every runner opens (and so creates) the new history at once.
                    let mut history = PostgresHistory::open(url).map_err(|e| e.to_string())?;
                    let mut numbers = Vec::new();
                    for step in 0..EACH {
                        // Intents of other databases interleave with the versions.
                        let id = history.begin(intent(&format!("other{runner}"), "x")).map_err(|e| e.to_string())?;
                        let mut new = version("shared", VersionKind::Sync);
                        new.message = format!("runner {runner} step {step}");
                        numbers.push(history.record(new).map_err(|e| e.to_string())?.number);
                        history
                            .complete(id, Outcome::NotApplied { error: String::new() })
                            .map_err(|e| e.to_string())?;
                    }
                    Ok(numbers)
                })
            })
            .collect();
        runners.into_iter().map(|r| r.join().unwrap_or_else(|_| Err("runner panicked".into()))).collect::<Vec<_>>()
    });
    let mut all = Vec::new();
    for runner in numbers {
        let runner = runner?;
        assert!(runner.windows(2).all(|w| w[0] < w[1]));
        all.extend(runner);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=(RUNNERS * EACH) as u64).collect::<Vec<_>>());
    let listed = PostgresHistory::open_read_only(url)?.list("shared")?;
    assert!(listed.iter().all(|v| v.parent == v.number.checked_sub(1).filter(|&p| p > 0)));
    Ok(())
}

#[test]
fn the_store_works_inside_a_tokio_runtime() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let url = pg.url().to_owned();
    {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let numbers = runtime.block_on(async move {
            // Opened, used and dropped on a runtime's thread.
            let mut history = PostgresHistory::open(&url)?;
            let first = history.record(version("db", VersionKind::Sync))?.number;
            // Moved into a task, and used from the blocking pool.
            let task = tokio::task::spawn_blocking(move || -> Result<u64, HistoryError> {
                let second = history.record(version("db", VersionKind::Sync))?.number;
                drop(history);
                Ok(second)
            });
            let second = task.await.map_err(|e| e.to_string())??;
            Ok::<_, Box<dyn std::error::Error>>((first, second))
        })?;
        assert_eq!(numbers.1, numbers.0 + 1);
    }
    Ok(())
}

/// End every session of the test database but the caller's.
fn terminate_sessions(pg: &Pg) -> TestResult {
    schemasync_testkit::admin(
        Server::Postgres,
        &format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
            pg.db.name()
        ),
    )?;
    Ok(())
}

#[test]
fn a_lost_session_fails_one_write_and_the_store_reconnects() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let mut history = PostgresHistory::open(pg.url())?;
    history.record(version("db", VersionKind::Baseline))?;
    terminate_sessions(&pg)?;
    // A write is never repeated (a lost commit may have happened): it fails, naming the store.
    match history.record(version("db", VersionKind::Sync)) {
        Err(error @ (HistoryError::Server { .. } | HistoryError::NotWritable { .. })) => {
            assert!(error.to_string().contains(&pg.own_key()?.unwrap_or_default()), "{error}")
        }
        other => panic!("expected an error, got {other:?}"),
    }
    // The next call connects again.
    assert_eq!(history.record(version("db", VersionKind::Sync))?.number, 2);
    // A read that loses its session is repeated on a new one.
    terminate_sessions(&pg)?;
    assert_eq!(history.list("db")?.len(), 2);
    let mut reader = PostgresHistory::open_read_only(pg.url())?;
    terminate_sessions(&pg)?;
    assert_eq!(reader.latest("db")?.map(|v| v.number), Some(2));
    // Reconnected, a reader stays read-only.
    assert!(matches!(reader.begin(intent("db", "x")), Err(HistoryError::NotWritable { .. })));
    Ok(())
}

#[test]
fn a_read_only_database_refuses_the_history_as_not_writable() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    pg.exec(&format!("ALTER DATABASE {} SET default_transaction_read_only = on", pg.db.name()))?;
    match PostgresHistory::open(pg.url()) {
        Err(error @ HistoryError::NotWritable { .. }) => assert!(error.to_string().contains("read-only"), "{error}"),
        other => panic!("expected NotWritable, got {other:?}"),
    }
    // Reading still works, and the history of another database is untouched.
    assert!(PostgresHistory::open_read_only(pg.url())?.list("db")?.is_empty());
    assert!(!pg.has_schema()?);
    Ok(())
}

#[test]
fn the_own_key_is_the_one_the_facade_computes_for_any_spelling() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let key = PostgresHistory::open(pg.url())?.own_database_key()?.unwrap_or_default();
    assert_eq!(Some(key.clone()), pg.own_key()?);
    assert!(key.starts_with("postgres://") && key.ends_with(&format!("/{}", pg.db.name())), "{key}");
    let config = schemasync_postgres::PgConfig::parse(pg.url())?;
    let (host, port) = config.host_key();
    let respelled = format!(
        "postgresql://{}@{}{}/{}?application_name=other",
        config.user(),
        host.to_uppercase(),
        if port == Some(5432) { String::new() } else { format!(":{}", port.unwrap_or(5432)) },
        pg.db.name()
    );
    let history = PostgresHistory::open_read_only(&respelled)?;
    assert_eq!(history.own_database_key()?, Some(key.clone()));
    assert_eq!(history.location(), key);
    Ok(())
}

#[test]
fn no_error_shows_the_password() {
    // Nothing listens on port 1: the connection is refused.
    for url in [
        "postgres://alice:s3cr3tpw@127.0.0.1:1/db?connect_timeout=2",
        "postgres://127.0.0.1:1/db?password=s3cr3tpw&connect_timeout=2",
        "postgres://alice:s3c/r3tpw@127.0.0.1:1/db",
        "postgres://alice:s3cr3tpw@127.0.0.1:1/db?bogus=1",
    ] {
        for result in [PostgresHistory::open(url), PostgresHistory::open_read_only(url)] {
            let error = result.map(|h| h.location().to_owned()).expect_err(url);
            let text = format!("{error} {error:?}");
            for fragment in ["s3cr3tpw", "s3c", "r3tpw"] {
                assert!(!text.contains(fragment), "{url}: {text}");
            }
        }
    }
}

#[test]
fn versions_are_shared_with_sqlite_s_reading_rules() -> TestResult {
    // A snapshot recorded on PostgreSQL reads back identical to what an
    // SQLite store records for the same input (the two stores agree).
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let mut server = PostgresHistory::open(pg.url())?;
    let mut file = schemasync_history::SqliteHistory::in_memory()?;
    let new = new_version("db", VersionKind::Sync, &["users", "orders"])?;
    let a = server.record(new.clone())?;
    let b = file.record(new)?;
    assert_eq!(
        (a.number, a.parent, &a.hash, &a.schema, &a.script),
        (b.number, b.parent, &b.hash, &b.schema, &b.script)
    );
    assert_eq!(server.list("db")?[0].statements, file.list("db")?[0].statements);
    Ok(())
}

#[test]
fn a_lock_held_too_long_by_another_session_is_not_writable_in_bounded_time() -> TestResult {
    let Some(pg) = Pg::fresh() else { return Ok(()) };
    let mut history = PostgresHistory::open(pg.url())?;
    history.record(version("db", VersionKind::Baseline))?;
    let (locked_tx, locked_rx) = std::sync::mpsc::channel::<Result<(), String>>();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let url = pg.url().to_owned();
    // Another session holds the versions table, as a stuck maintenance job would.
    let holder = std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime,
            Err(e) => return drop(locked_tx.send(Err(e.to_string()))),
        };
        runtime.block_on(async move {
            let held = async {
                let (client, connection) =
                    tokio_postgres::connect(&url, tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
                tokio::spawn(connection);
                client
                    .batch_execute("BEGIN; LOCK TABLE schemasync_history.versions IN ACCESS EXCLUSIVE MODE")
                    .await
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>(client)
            }
            .await;
            match held {
                Ok(client) => {
                    let _ = locked_tx.send(Ok(()));
                    let _ = tokio::task::spawn_blocking(move || release_rx.recv()).await;
                    let _ = client.batch_execute("ROLLBACK").await;
                }
                Err(e) => drop(locked_tx.send(Err(e))),
            }
        });
    });
    locked_rx.recv()??;
    let started = std::time::Instant::now();
    let result = history.record(version("db", VersionKind::Sync));
    let waited = started.elapsed();
    let _ = release_tx.send(());
    holder.join().map_err(|_| "lock holder panicked")?;
    match result {
        Err(error @ HistoryError::NotWritable { .. }) => assert!(error.to_string().contains("lock"), "{error}"),
        other => panic!("expected NotWritable, got {other:?}"),
    }
    assert!(waited < std::time::Duration::from_secs(30), "waited {waited:?}");
    // Released, the same store records again.
    assert_eq!(history.record(version("db", VersionKind::Sync))?.number, 2);
    Ok(())
}
