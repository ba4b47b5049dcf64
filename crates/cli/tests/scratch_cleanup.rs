//! No scratch database outlives the CLI: SIGINT or SIGTERM during a slow
//! `.sql` load drops it before the exit (status 130 or 143), and after
//! kill -9 the next run on the server removes it.
//!
//! Other tests load scripts on the same servers at the same time: these
//! only look at the scratch database they find running their own marker.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mysql_async::prelude::Queryable;
use schemasync_testkit::{Server, ServerDb, TestDir};

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

async fn pg_client() -> tokio_postgres::Client {
    let (client, connection) =
        tokio_postgres::connect(&schemasync_testkit::postgres_url(), tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    client
}

async fn my_conn() -> mysql_async::Conn {
    let url = schemasync_testkit::with_database(&schemasync_testkit::mysql_url(), "");
    let url = url.trim_end_matches('/').replacen("mariadb://", "mysql://", 1);
    mysql_async::Conn::new(mysql_async::Opts::from_url(&url).expect("URL")).await.expect("connect")
}

/// The database of the session running a statement that contains `marker`.
fn running(server: Server, marker: &str) -> Option<String> {
    block_on(async {
        match server {
            Server::Postgres => {
                let rows = pg_client()
                    .await
                    .query(
                        "SELECT datname::text FROM pg_stat_activity \
                         WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()",
                        &[&marker],
                    )
                    .await
                    .expect("pg_stat_activity");
                rows.first().map(|r| r.get(0))
            }
            Server::MySql => {
                let mut conn = my_conn().await;
                let found: Option<Option<String>> = conn
                    .exec_first(
                        "SELECT DB FROM information_schema.PROCESSLIST WHERE INFO LIKE CONCAT('%', ?, '%') \
                         AND ID <> CONNECTION_ID()",
                        (marker,),
                    )
                    .await
                    .expect("processlist");
                let _ = conn.disconnect().await;
                found.flatten()
            }
        }
    })
}

fn exists(server: Server, name: &str) -> bool {
    block_on(async {
        match server {
            Server::Postgres => {
                let rows = pg_client()
                    .await
                    .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                    .await
                    .expect("pg_database");
                !rows.is_empty()
            }
            Server::MySql => {
                let mut conn = my_conn().await;
                let found: Option<String> = conn
                    .exec_first("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", (name,))
                    .await
                    .expect("schemata");
                let _ = conn.disconnect().await;
                found.is_some()
            }
        }
    })
}

fn remove(server: Server, name: &str) {
    let sql = match server {
        Server::Postgres => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        Server::MySql => format!("DROP DATABASE IF EXISTS `{name}`"),
    };
    let _ = schemasync_testkit::admin(server, &sql);
}

/// `schemasync diff <script> <target>`: reads the script in a scratch
/// database on the target's server.
fn spawn_diff(history: &Path, script: &Path, target: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_schemasync"))
        .args(["diff", script.to_str().expect("path"), target])
        .env("SCHEMASYNC_HISTORY", history)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run schemasync")
}

fn wait_for_scratch(server: Server, marker: &str, child: &mut Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(name) = running(server, marker) {
            return name;
        }
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("schemasync ended ({status}) before its slow statement ran");
        }
        assert!(Instant::now() < deadline, "the slow statement never ran");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Wait at most `limit` for the child; its exit code and stderr.
fn wait_at_most(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("schemasync did not exit within {limit:?} of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args([format!("-{name}"), child.id().to_string()]).status().expect("kill");
    assert!(status.success(), "kill -{name} failed");
}

fn slow_script(server: Server, marker: &str) -> String {
    match server {
        Server::Postgres => format!("CREATE TABLE t (id int);\nSELECT pg_sleep(30), '{marker}';\n"),
        Server::MySql => format!("CREATE TABLE t (id int);\nDO SLEEP(30), '{marker}';\n"),
    }
}

fn interrupted_load_leaves_nothing(server: Server, signal_name: &str, expected_code: i32) {
    let Some(target) = ServerDb::create(server, "cli_signal") else { return };
    let dir = TestDir::new();
    let marker = schemasync_testkit::unique_db_name("marker");
    let script = dir.file("slow.sql", &slow_script(server, &marker));
    let mut child = spawn_diff(&dir.path("history.db"), &script, target.url());
    let scratch = wait_for_scratch(server, &marker, &mut child);
    assert!(scratch.starts_with("schemasync_scratch_"), "{scratch}");
    let sent = Instant::now();
    signal(&child, signal_name);
    let (code, stderr) = wait_at_most(child, Duration::from_secs(20));
    let took = sent.elapsed();
    let left = exists(server, &scratch);
    remove(server, &scratch);
    assert_eq!(code, Some(expected_code), "exit status after {signal_name}; stderr: {stderr}");
    assert!(!left, "{scratch} was left behind after {signal_name}; stderr: {stderr}");
    assert!(took < Duration::from_secs(15), "the exit waited for the slow statement ({took:?})");
    assert!(stderr.contains("interrupted"), "{stderr}");
}

fn killed_load_is_swept_by_the_next_run(server: Server) {
    let Some(target) = ServerDb::create(server, "cli_kill9") else { return };
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let marker = schemasync_testkit::unique_db_name("marker");
    let script = dir.file("slow.sql", &slow_script(server, &marker));
    let mut child = spawn_diff(&history, &script, target.url());
    let scratch = wait_for_scratch(server, &marker, &mut child);
    signal(&child, "KILL");
    let _ = child.wait();
    let left_by_kill = exists(server, &scratch);
    // The server ends the dead run's sessions (and so frees its lock) as it
    // notices; a few quick runs give it that time.
    let quick = dir.file("quick.sql", "CREATE TABLE t (id int);\n");
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut swept = false;
    while !swept && Instant::now() < deadline {
        let out = spawn_diff(&history, &quick, target.url()).wait_with_output().expect("second run");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "the second run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        swept = !exists(server, &scratch);
        if !swept {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    remove(server, &scratch);
    assert!(left_by_kill, "kill -9 left nothing to sweep: the test proves nothing");
    assert!(swept, "{scratch} of the killed run was still there after the next runs");
}

#[test]
fn sigint_during_a_postgres_scratch_load_drops_it() {
    interrupted_load_leaves_nothing(Server::Postgres, "INT", 130);
}

#[test]
fn sigterm_during_a_postgres_scratch_load_drops_it() {
    interrupted_load_leaves_nothing(Server::Postgres, "TERM", 143);
}

#[test]
fn kill_9_during_a_postgres_scratch_load_is_swept_by_the_next_run() {
    killed_load_is_swept_by_the_next_run(Server::Postgres);
}

#[test]
fn sigint_during_a_mysql_scratch_load_drops_it() {
    interrupted_load_leaves_nothing(Server::MySql, "INT", 130);
}

#[test]
fn sigterm_during_a_mysql_scratch_load_drops_it() {
    interrupted_load_leaves_nothing(Server::MySql, "TERM", 143);
}

#[test]
fn kill_9_during_a_mysql_scratch_load_is_swept_by_the_next_run() {
    killed_load_is_swept_by_the_next_run(Server::MySql);
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(target) = ServerDb::create(server, "cli_located") else { return };
        let dir = TestDir::new();
        let script = dir.file(
            "broken.sql",
            "-- the schema\nCREATE TABLE a (id int); CREATE TABLE b (id int);\n\n\
             CREATE TABLE c (\n  id int,\n  name text\n ); CREATE TABEL d (id int);\n",
        );
        let out = spawn_diff(&dir.path("history.db"), &script, target.url()).wait_with_output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{server:?}: {stderr}");
        assert!(stderr.contains("broken.sql") && stderr.contains("at line 7, column 12"), "{server:?}: {stderr}");
    }
}
