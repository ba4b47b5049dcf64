//! Scratch databases of `.sql` loads: none outlives its run (abandoned
//! ones are swept by the next load, live ones are kept), interrupts stop a
//! load mid-statement, and syntax errors name line and column.
//!
//! Other tests load scripts on the same server at the same time: these
//! only look at scratch databases whose names they made or found through
//! a marker of their own.

mod common;

use std::time::{Duration, Instant};

use common::{TestDb, run};
use mysql_async::prelude::Queryable;
use schemasync_mysql::{Interrupt, MySqlError, load_sql, load_sql_interruptible, sweep_scratch_databases};

async fn server_conn() -> mysql_async::Conn {
    let url = schemasync_testkit::with_database(&schemasync_testkit::mysql_url(), "");
    let url = url.trim_end_matches('/').replacen("mariadb://", "mysql://", 1);
    mysql_async::Conn::new(mysql_async::Opts::from_url(&url).expect("driver URL")).await.expect("server connection")
}

async fn exists(conn: &mut mysql_async::Conn, name: &str) -> bool {
    let found: Option<String> = conn
        .exec_first("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", (name,))
        .await
        .expect("look up a database");
    found.is_some()
}

fn own_scratch_name(tag: &str) -> String {
    // Short enough for a lock name (64 characters).
    let unique = schemasync_testkit::unique_db_name(tag);
    format!("schemasync_scratch_{}", &unique[..unique.len().min(40)])
}

async fn drop_by_hand(conn: &mut mysql_async::Conn, name: &str) {
    let _ = conn.query_drop(format!("DROP DATABASE IF EXISTS `{name}`")).await;
}

#[test]
fn a_scratch_database_whose_owner_is_gone_is_removed_by_the_next_load() {
    run(async {
        let Some(db) = TestDb::new("scratch_stale").await else { return };
        let mut admin = server_conn().await;
        let stale = own_scratch_name("stale");
        admin.query_drop(format!("CREATE DATABASE `{stale}`")).await.expect("create by hand");
        assert!(exists(&mut admin, &stale).await);
        let found = load_sql(&db.config, "CREATE TABLE t (id int);").await.expect("load");
        assert_eq!(found.schema.tables.len(), 1);
        let gone = !exists(&mut admin, &stale).await;
        drop_by_hand(&mut admin, &stale).await;
        assert!(gone, "the abandoned scratch database {stale} was kept");
    });
}

#[test]
fn a_scratch_database_whose_owner_is_alive_is_kept() {
    run(async {
        let Some(db) = TestDb::new("scratch_live").await else { return };
        let mut admin = server_conn().await;
        let live = own_scratch_name("live");
        // The owner takes its lock before creating, as the loader does.
        let mut owner = server_conn().await;
        let got: Option<i64> = owner.exec_first("SELECT GET_LOCK(?, 0)", (live.as_str(),)).await.expect("lock");
        assert_eq!(got, Some(1));
        owner.query_drop(format!("CREATE DATABASE `{live}`")).await.expect("create by hand");
        load_sql(&db.config, "CREATE TABLE t (id int);").await.expect("load");
        let swept = sweep_scratch_databases(&db.config).await.expect("sweep");
        let kept = exists(&mut admin, &live).await && !swept.contains(&live);
        // Once its owner's session ends, the same database is abandoned.
        owner.disconnect().await.expect("disconnect");
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut removed = false;
        while !removed && Instant::now() < deadline {
            let swept = sweep_scratch_databases(&db.config).await.expect("sweep");
            removed = swept.contains(&live) || !exists(&mut admin, &live).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        drop_by_hand(&mut admin, &live).await;
        assert!(kept, "the scratch database {live} of a live owner was dropped");
        assert!(removed, "{live} was kept after its owner had gone");
    });
}

/// The scratch database a load runs `marker`'s statement in, once it runs.
async fn scratch_running(conn: &mut mysql_async::Conn, marker: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found: Option<Option<String>> = conn
            .exec_first(
                "SELECT DB FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('%', ?, '%') \
                 AND ID <> CONNECTION_ID()",
                (marker,),
            )
            .await
            .expect("processlist");
        if let Some(Some(name)) = found {
            return name;
        }
        assert!(Instant::now() < deadline, "the load never started its slow statement");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn slow_script(marker: &str) -> String {
    format!("CREATE TABLE t (id int);\nDO SLEEP(30), '{marker}';\nCREATE TABLE u (id int);\n")
}

#[test]
fn an_interrupt_stops_a_load_mid_statement_and_drops_its_database() {
    run(async {
        let Some(db) = TestDb::new("scratch_interrupt").await else { return };
        let mut watcher = server_conn().await;
        let marker = schemasync_testkit::unique_db_name("marker");
        let interrupt = Interrupt::new();
        let script = slow_script(&marker);
        let started = Instant::now();
        let load = load_sql_interruptible(&db.config, &script, &interrupt);
        let watch = async {
            let name = scratch_running(&mut watcher, &marker).await;
            interrupt.interrupt();
            name
        };
        let (result, scratch) = tokio::join!(load, watch);
        let err = result.expect_err("an interrupted load fails");
        assert!(started.elapsed() < Duration::from_secs(15), "the interrupt was not obeyed mid-statement");
        let text = err.to_string();
        assert!(matches!(err, MySqlError::Script { index: 1, line: 2, .. }) && text.contains("interrupted"), "{text}");
        assert!(scratch.starts_with("schemasync_scratch_"), "{scratch}");
        assert!(!exists(&mut watcher, &scratch).await, "{scratch} was left behind");
        // Interrupted before it starts: nothing is created.
        let err = load_sql_interruptible(&db.config, "CREATE TABLE t (id int);", &interrupt).await.unwrap_err();
        assert!(err.to_string().contains("interrupted"), "{err}");
    });
}

#[test]
fn a_load_given_up_on_still_drops_its_database() {
    run(async {
        let Some(db) = TestDb::new("scratch_given_up").await else { return };
        let mut watcher = server_conn().await;
        let marker = schemasync_testkit::unique_db_name("marker");
        let script = slow_script(&marker);
        let mut load = Box::pin(load_sql(&db.config, &script));
        let scratch = tokio::select! {
            _ = &mut load => panic!("the slow load finished"),
            name = scratch_running(&mut watcher, &marker) => name,
        };
        drop(load);
        assert!(!exists(&mut watcher, &scratch).await, "{scratch} was left behind by a dropped load");
    });
}

#[test]
fn syntax_errors_name_line_and_column() {
    run(async {
        let Some(db) = TestDb::new("scratch_located").await else { return };
        let script = "-- the schema\nCREATE TABLE a (id int); CREATE TABLE b (id int);\n\n\
                      CREATE TABLE c (\n  id int,\n  name text\n ); CREATE TABEL d (id int);\n";
        assert_eq!(script.lines().nth(6).map(|l| l.find("TABEL")), Some(Some(11)));
        let err = load_sql(&db.config, script).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, MySqlError::Script { index: 3, line: 7, .. }), "{err:?}");
        assert!(text.contains("at line 7, column 12"), "{text}");
        assert!(text.contains("(statement `CREATE TABEL d (id int)`)") && text.ends_with("at line 7"), "{text}");
        assert!(!text.contains("CREATE TABLE a"), "the whole script is echoed: {text}");
    });
}
