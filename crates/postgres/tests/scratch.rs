//! Scratch databases of `.sql` loads: none outlives its run (abandoned
//! ones are swept by the next load, live ones are kept), interrupts stop a
//! load mid-statement, and script errors name line and column.
//!
//! Other tests load scripts on the same server at the same time: these
//! only look at scratch databases whose names they made or found through
//! a marker of their own.

mod common;

use std::time::{Duration, Instant};

use common::TestDb;
use schemasync_postgres::{
    Interrupt, IntrospectOptions, PgConnection, PostgresError, connect, load_sql, load_sql_interruptible,
    sweep_scratch_databases,
};

/// The scratch lock protocol, spelled out independently of the crate: the
/// two-key advisory lock (FNV-1a 32 of "schemasync_scratch", FNV-1a 32 of
/// the name, both without the sign bit).
fn lock_keys(name: &str) -> (i32, i32) {
    fn fnv(bytes: &[u8]) -> i32 {
        let mut hash: u32 = 0x811c_9dc5;
        for &b in bytes {
            hash ^= u32::from(b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        (hash & 0x7fff_ffff) as i32
    }
    (fnv(b"schemasync_scratch"), fnv(name.as_bytes()))
}

async fn admin(db: &TestDb, database: &str) -> PgConnection {
    connect(&db.config.with_database(database)).await.expect("admin connection")
}

async fn exists(conn: &PgConnection, name: &str) -> bool {
    let rows = conn.client().query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).await.unwrap();
    !rows.is_empty()
}

fn own_scratch_name(tag: &str) -> String {
    format!("schemasync_scratch_{}", schemasync_testkit::unique_db_name(tag))
}

async fn create_by_hand(conn: &PgConnection, name: &str) {
    let quoted = schemasync_model::Dialect::Postgres.quote_ident(name);
    conn.client().batch_execute(&format!("CREATE DATABASE {quoted}")).await.expect("create a scratch database by hand");
}

async fn drop_by_hand(conn: &PgConnection, name: &str) {
    let quoted = schemasync_model::Dialect::Postgres.quote_ident(name);
    let _ = conn.client().batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")).await;
}

#[tokio::test]
async fn a_scratch_database_whose_owner_is_gone_is_removed_by_the_next_load() {
    let Some(db) = TestDb::new("pg_stale").await else { return };
    let admin = admin(&db, "postgres").await;
    let stale = own_scratch_name("stale");
    create_by_hand(&admin, &stale).await;
    assert!(exists(&admin, &stale).await);
    let found = load_sql(&db.config, "CREATE TABLE t (id int);", &IntrospectOptions::default()).await.unwrap();
    assert_eq!(found.schema.tables.len(), 1);
    let gone = !exists(&admin, &stale).await;
    drop_by_hand(&admin, &stale).await;
    assert!(gone, "the abandoned scratch database {stale} was kept");
}

#[tokio::test]
async fn a_scratch_database_whose_owner_is_alive_is_kept() {
    let Some(db) = TestDb::new("pg_live").await else { return };
    let admin_conn = admin(&db, "postgres").await;
    for owner_database in ["postgres", "template1"] {
        let live = own_scratch_name("live");
        let (class, key) = lock_keys(&live);
        // The owner takes its lock before creating, as the loader does.
        let owner = admin(&db, owner_database).await;
        owner.client().execute("SELECT pg_advisory_lock($1, $2)", &[&class, &key]).await.unwrap();
        create_by_hand(&owner, &live).await;
        load_sql(&db.config, "CREATE TABLE t (id int);", &IntrospectOptions::default()).await.unwrap();
        let swept = sweep_scratch_databases(&db.config).await.unwrap();
        let kept = exists(&admin_conn, &live).await && !swept.contains(&live);
        // Once its owner's session ends, the same database is abandoned.
        drop(owner);
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut removed = false;
        while !removed && Instant::now() < deadline {
            let swept = sweep_scratch_databases(&db.config).await.unwrap();
            removed = swept.contains(&live) || !exists(&admin_conn, &live).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        drop_by_hand(&admin_conn, &live).await;
        assert!(kept, "the scratch database {live} of a live owner (locked in {owner_database}) was dropped");
        assert!(removed, "{live} was kept after its owner had gone");
    }
}

/// The scratch database a load runs `marker`'s statement in, once it runs.
async fn scratch_running(conn: &PgConnection, marker: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = conn
            .client()
            .query(
                "SELECT datname::text FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()",
                &[&marker],
            )
            .await
            .unwrap();
        if let Some(row) = rows.first() {
            return row.get(0);
        }
        assert!(Instant::now() < deadline, "the load never started its slow statement");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn slow_script(marker: &str) -> String {
    format!("CREATE TABLE t (id int);\nSELECT pg_sleep(30), '{marker}';\nCREATE TABLE u (id int);\n")
}

#[tokio::test]
async fn an_interrupt_stops_a_load_mid_statement_and_drops_its_database() {
    let Some(db) = TestDb::new("pg_interrupt").await else { return };
    let watcher = admin(&db, "postgres").await;
    let marker = schemasync_testkit::unique_db_name("marker");
    let interrupt = Interrupt::new();
    let script = slow_script(&marker);
    let started = Instant::now();
    let options = IntrospectOptions::default();
    let load = load_sql_interruptible(&db.config, &script, &options, &interrupt);
    let watch = async {
        let name = scratch_running(&watcher, &marker).await;
        interrupt.interrupt();
        name
    };
    let (result, scratch) = tokio::join!(load, watch);
    let err = result.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15), "the interrupt was not obeyed mid-statement");
    let text = err.to_string();
    assert!(matches!(err, PostgresError::Script { .. }) && text.contains("interrupted at line 2"), "{text}");
    assert!(scratch.starts_with("schemasync_scratch_"), "{scratch}");
    assert!(!exists(&watcher, &scratch).await, "{scratch} was left behind");
    // Interrupted before it starts: nothing is created.
    let err = load_sql_interruptible(&db.config, "CREATE TABLE t (id int);", &IntrospectOptions::default(), &interrupt)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("interrupted"), "{err}");
}

#[tokio::test]
async fn a_load_given_up_on_still_drops_its_database() {
    let Some(db) = TestDb::new("pg_given_up").await else { return };
    let watcher = admin(&db, "postgres").await;
    let marker = schemasync_testkit::unique_db_name("marker");
    let script = slow_script(&marker);
    let options = IntrospectOptions::default();
    let load = tokio::time::timeout(Duration::from_secs(60), load_sql(&db.config, &script, &options));
    let mut load = Box::pin(load);
    let scratch = tokio::select! {
        _ = &mut load => panic!("the slow load finished"),
        name = scratch_running(&watcher, &marker) => name,
    };
    drop(load);
    assert!(!exists(&watcher, &scratch).await, "{scratch} was left behind by a dropped load");
}

#[tokio::test]
async fn script_errors_name_line_and_column() {
    let Some(db) = TestDb::new("pg_located").await else { return };
    let script = "-- the schema\nCREATE TABLE a (id int); CREATE TABLE b (id int);\n\n\
                  CREATE TABLE c (\n  id int,\n  name text\n ); CREATE TABEL d (id int);\n";
    assert_eq!(script.lines().nth(6).map(|l| l.find("TABEL")), Some(Some(11)));
    let err = load_sql(&db.config, script, &IntrospectOptions::default()).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("at line 7, column 12"), "{text}");
    assert!(text.contains("(statement `CREATE TABEL d (id int)`)") && text.contains("syntax error"), "{text}");
    assert!(!text.contains("CREATE TABLE a"), "the whole script is echoed: {text}");
    // An error the server places nowhere names the line its statement starts on.
    let err =
        load_sql(&db.config, "CREATE TABLE a (id int);\n\nCREATE TABLE a (id int);", &IntrospectOptions::default())
            .await
            .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("at line 3 (statement `CREATE TABLE a (id int)`)") && text.contains("already exists"),
        "{text}"
    );
}
