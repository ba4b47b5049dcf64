//! schemasync inside async programs (issue 11, item 2): the blocking
//! `Syncer` called from a tokio runtime (its main task and `tokio::spawn`,
//! both runtime flavours) must not panic, and `AsyncSyncer` gives the same
//! operations as `Send` futures. Every engine, with rows in the target's
//! tables; every apply ends with an empty re-diff.

use std::process::Command;

use schemasync::{
    AsyncSyncer, EngineOptions, Error, Location, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetPlan,
    TargetReport, TargetStatus, Version,
};
use schemasync_testkit::{Server, ServerDb, TestDir};

const V1: &str = "CREATE TABLE staff (id integer PRIMARY KEY, name varchar(40) NOT NULL)";
const V2: &str = "CREATE TABLE staff (id integer PRIMARY KEY, name varchar(40) NOT NULL, email varchar(80));
                  CREATE TABLE team (id integer PRIMARY KEY)";
const ROWS: &str = "INSERT INTO staff VALUES (1, 'ada'), (2, 'bob')";

/// A source at V2 and a target at V1 with rows, on one engine; the
/// guards keep server databases (or the SQLite folder) alive.
struct Pair {
    source: Location,
    target: Location,
    _guards: (Option<ServerDb>, Option<ServerDb>, Option<TestDir>),
}

fn exec_all(db: &ServerDb, sql: &str) {
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        db.exec(statement);
    }
}

impl Pair {
    fn new(engine: &str) -> Option<Pair> {
        match engine {
            "sqlite" => {
                let dir = TestDir::new();
                let source = dir.sqlite_db("source.db", V2);
                let target = dir.sqlite_db("target.db", &format!("{V1}; {ROWS}"));
                Some(Pair {
                    source: Location::parse(&format!("sqlite:{}", source.display())).unwrap(),
                    target: Location::parse(&format!("sqlite:{}", target.display())).unwrap(),
                    _guards: (None, None, Some(dir)),
                })
            }
            server => {
                let server = if server == "postgres" { Server::Postgres } else { Server::MySql };
                let source = ServerDb::create(server, "async_src")?;
                let target = ServerDb::create(server, "async_dst")?;
                exec_all(&source, V2);
                exec_all(&target, &format!("{V1}; {ROWS}"));
                Some(Pair {
                    source: Location::parse(source.url()).unwrap(),
                    target: Location::parse(target.url()).unwrap(),
                    _guards: (Some(source), Some(target), None),
                })
            }
        }
    }
}

const ENGINES: [&str; 3] = ["sqlite", "postgres", "mysql"];

/// Sync with the blocking API, check, re-diff: run wherever it is called.
fn blocking_round(pair: &Pair) {
    let mut syncer = Syncer::new(SqliteHistory::in_memory().unwrap());
    let source = Source::Database(pair.source.clone());
    let reports = syncer.sync(&source, std::slice::from_ref(&pair.target), &SyncOptions::default()).unwrap();
    assert_eq!(reports[0].status, TargetStatus::Applied, "{:?}", reports[0]);
    let wanted = syncer.resolve(&source, None).unwrap().schema;
    let rest = syncer.plan(&wanted, "re-diff", &pair.target, &SyncOptions::default()).unwrap();
    assert!(rest.script.is_empty(), "re-diff not empty:\n{}", rest.script.to_sql());
    assert_eq!(row_count(&pair.target), 2);
}

/// Rows in the target's `staff`, read with the engine's own client.
fn row_count(target: &Location) -> usize {
    let url = target.to_string();
    let sql = "SELECT count(*) FROM staff";
    let out = match target {
        Location::Sqlite { path } => Command::new("sqlite3").arg(path).arg(sql).output(),
        Location::Postgres { url } => Command::new("psql").args(["-X", "-A", "-t", url, "-c", sql]).output(),
        Location::MySql { url } => {
            let db = url.rsplit('/').next().unwrap_or_default();
            Command::new("mariadb").args(["-uroot", "-h127.0.0.1", "-N", "-e", sql, db]).output()
        }
        _ => panic!("unexpected location {url}"),
    };
    let out = out.expect("the engine's client runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("a count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_syncer_works_in_the_main_task_of_a_multi_thread_runtime() {
    for engine in ENGINES {
        let Some(pair) = Pair::new(engine) else { continue };
        blocking_round(&pair);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_blocking_syncer_works_in_a_current_thread_runtime_and_in_spawned_tasks() {
    for engine in ENGINES {
        let Some(pair) = Pair::new(engine) else { continue };
        // Inside a task spawned on the runtime, not only its main task.
        let pair = tokio::spawn(async move {
            blocking_round(&pair);
            pair
        })
        .await
        .expect("the task did not panic");
        // The engines' connections were dropped inside the runtime too.
        assert_eq!(row_count(&pair.target), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_syncer_plans_applies_lists_and_rolls_back_from_spawned_tasks() {
    for engine in ENGINES {
        let Some(pair) = Pair::new(engine) else { continue };
        let syncer = AsyncSyncer::new(
            Syncer::new(SqliteHistory::in_memory().unwrap()).with_engine_options(EngineOptions::default()),
        );
        let target = pair.target.clone();
        let source = Source::Database(pair.source.clone());
        // `tokio::spawn` needs the futures to be Send.
        let reports = tokio::spawn({
            let (syncer, target) = (syncer.clone(), target.clone());
            async move { syncer.sync(source, vec![target], SyncOptions::default()).await }
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(reports[0].status, TargetStatus::Applied, "{engine}: {:?}", reports[0]);
        let applied = reports[0].version.expect("a version");

        let versions = syncer.history_list(target.clone()).await.unwrap();
        assert_eq!(versions.len(), 2, "baseline and sync: {versions:?}");
        let first: Version = syncer.history_get(target.clone(), 1).await.unwrap();
        assert_ne!(first.number, applied);

        // Back to the baseline; dropping `email` and `team` needs allowing.
        let options = SyncOptions::default().allow_destructive(true);
        let plan: TargetPlan = syncer.plan_rollback(target.clone(), 1, options.clone()).await.unwrap();
        assert!(plan.is_destructive());
        let report: TargetReport = syncer.apply(plan, options.clone()).await.unwrap();
        assert_eq!(report.status, TargetStatus::Applied, "{engine}: {report:?}");
        let now = syncer.inspect(target.clone()).await.unwrap().schema;
        assert_eq!(now.content_hash(), first.schema.content_hash(), "{engine}: rolled back exactly");
        assert_eq!(row_count(&target), 2, "{engine}: rows kept");

        let rest = syncer.plan(first.schema.clone(), "re-diff".into(), target.clone(), options).await.unwrap();
        assert!(rest.script.is_empty(), "{engine}: {}", rest.script.to_sql());
        let snapshot = syncer.snapshot(target.clone(), "after rollback".into()).await.unwrap();
        assert_eq!(snapshot.schema.content_hash(), now.content_hash());
    }
}

#[tokio::test]
async fn async_errors_are_the_facade_errors() {
    let syncer = AsyncSyncer::new(Syncer::new(SqliteHistory::in_memory().unwrap()));
    let missing = Location::parse("sqlite:/nonexistent/dir/x.db").unwrap();
    let err = syncer.inspect(missing).await.unwrap_err();
    assert!(matches!(err, Error::NoSuchDatabase { .. }), "{err:?}");
}

#[test]
fn public_types_are_send_and_sync_as_documented() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<Syncer<SqliteHistory>>();
    send_sync::<AsyncSyncer<SqliteHistory>>();
    send_sync::<Schema>();
    send_sync::<TargetPlan>();
    send_sync::<TargetReport>();
    send_sync::<Location>();
    send_sync::<Source>();
    send_sync::<SyncOptions>();
    send_sync::<EngineOptions>();
    send_sync::<Version>();
    send_sync::<Error>();
}
