//! A MySQL apply whose connection is killed part-way (`KILL CONNECTION` from
//! another session): the report says which statements ran, the state reached
//! is recorded as a `failed` version, and planning again from the target's
//! real state finishes the job.
#![cfg(feature = "mysql")]

use std::time::{Duration, Instant};

use schemasync::{HistoryStore, Location, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus, VersionKind};
use schemasync_mysql::mysql_async::{self, prelude::Queryable};
use schemasync_testkit::{Server, ServerDb};

const TARGET: &str = "CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE m (id int PRIMARY KEY);
CREATE TABLE z (id int PRIMARY KEY);";

const SOURCE: &str = "CREATE TABLE a (id int PRIMARY KEY, note varchar(20));
CREATE TABLE b (id int PRIMARY KEY);
CREATE TABLE c (id int PRIMARY KEY, b_id int, CONSTRAINT c_b FOREIGN KEY (b_id) REFERENCES b (id));
CREATE TABLE m (id int PRIMARY KEY, label varchar(10) NOT NULL DEFAULT '');
CREATE TABLE y (id int PRIMARY KEY);
CREATE TABLE z (id int PRIMARY KEY, extra int);";

fn driver_url(url: &str) -> String {
    url.trim_end_matches('/').replacen("mariadb://", "mysql://", 1)
}

async fn raw(url: &str) -> mysql_async::Conn {
    mysql_async::Conn::new(mysql_async::Opts::from_url(&driver_url(url)).expect("driver URL")).await.expect("connect")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// Wait until a session of database `db` waits for the metadata lock of a
/// statement starting with `prefix`, kill that session, and return its id.
fn kill_when_blocked(server_url: String, db: String, prefix: String) -> u64 {
    runtime().block_on(async move {
        let mut conn = raw(&server_url).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found: Option<u64> = conn
                .exec_first(
                    "SELECT ID FROM information_schema.PROCESSLIST \
                     WHERE DB = ? AND STATE LIKE '%metadata lock%' AND INFO LIKE CONCAT(?, '%')",
                    (&db, &prefix),
                )
                .await
                .expect("read the process list");
            if let Some(id) = found {
                conn.query_drop(format!("KILL CONNECTION {id}")).await.expect("KILL CONNECTION");
                conn.disconnect().await.expect("disconnect");
                return id;
            }
            assert!(Instant::now() < deadline, "the apply never reached {prefix}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

#[test]
fn killed_apply_is_recorded_and_a_new_plan_converges() {
    let Some(target_db) = ServerDb::create(Server::MySql, "intr_dst") else { return };
    let Some(source_db) = ServerDb::create(Server::MySql, "intr_src") else { return };
    target_db.exec(TARGET);
    source_db.exec(SOURCE);
    let target = Location::parse(target_db.url()).expect("target URL");
    let source = Location::parse(source_db.url()).expect("source URL");

    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let options = SyncOptions::default();
    let wanted = syncer.resolve(&Source::Database(source), None).expect("source").schema;
    let plan = syncer.plan(&wanted, "source", &target, &options).expect("plan");
    let statements: Vec<String> = plan.script.statements.iter().map(|s| s.sql.clone()).collect();
    let n = statements.len();
    // The apply is stopped at the ALTER of `z`: k statements have run by then.
    let blocked = "ALTER TABLE `z`";
    let k = statements.iter().position(|s| s.starts_with(blocked)).expect("the plan alters z");
    assert!(k >= 2 && k + 1 < n, "statements before and after the ALTER of z:\n{}", plan.script.to_sql());

    // An open transaction that read `z` holds its metadata lock: the ALTER
    // waits for it, and is killed while it waits, having changed nothing.
    let lock_runtime = runtime();
    let mut holder = lock_runtime.block_on(raw(target_db.url()));
    lock_runtime.block_on(async {
        holder.query_drop("START TRANSACTION").await.expect("begin");
        holder.query_drop("SELECT * FROM z").await.expect("read z");
    });
    let server_url = schemasync_testkit::with_database(&schemasync_testkit::mysql_url(), "");
    let killer = {
        let (db, prefix) = (target_db.name().to_owned(), blocked.to_owned());
        std::thread::spawn(move || kill_when_blocked(server_url, db, prefix))
    };
    let report = syncer.apply(&plan, &options);
    killer.join().expect("the killer found the blocked apply");
    lock_runtime.block_on(async {
        holder.query_drop("COMMIT").await.expect("commit");
        holder.disconnect().await.expect("disconnect");
    });

    assert_eq!(report.status, TargetStatus::Failed, "{report:?}");
    let error = report.error.clone().unwrap_or_default();
    let ran = format!("statement {} of {n} failed; statements 1 to {k} of {n} ran and stay applied", k + 1);
    assert!(error.contains(&ran), "{error}");
    assert!(error.contains(blocked), "{error}");

    // The history holds the state before, then the state the failure left.
    let key = target.history_key().expect("key");
    let versions = syncer.history().list(&key).expect("history");
    let kinds: Vec<VersionKind> = versions.iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [VersionKind::Baseline, VersionKind::Failed]);
    let failed = syncer.history().get(&key, versions[1].number).expect("failed version");
    assert!(failed.message.contains(&format!("failed after {k} of {n} statement(s)")), "{}", failed.message);
    let ran_sql: String = statements[..k].iter().map(|s| format!("{s};\n")).collect();
    assert_eq!(failed.script, ran_sql);
    let reached = syncer.inspect(&target).expect("inspect").schema;
    assert_eq!(failed.hash, reached.content_hash(), "the failed version is the real state");
    assert!(
        report.warnings.iter().any(|w| w.contains(&format!("recorded as version {}", failed.number))),
        "{:?}",
        report.warnings
    );

    // Planning again from the real state holds only what had not run.
    let resumed = syncer.plan(&wanted, "source", &target, &options).expect("plan again");
    assert!(!resumed.plan.is_empty());
    for statement in &resumed.script.statements {
        assert!(
            statements[k..].contains(&statement.sql),
            "the new plan redoes work that had run:\n{}\n\nfirst plan:\n{}",
            statement.sql,
            plan.script.to_sql()
        );
    }
    let finished = syncer.apply(&resumed, &options);
    assert_eq!(finished.status, TargetStatus::Applied, "{finished:?}");
    assert!(finished.warnings.is_empty(), "{:?}", finished.warnings);

    let after = syncer.inspect(&target).expect("inspect").schema;
    assert_eq!(after.content_hash(), wanted.content_hash());
    let residue = schemasync::diff(&after, &wanted, &options.diff).expect("re-diff");
    assert!(residue.is_empty(), "{:?}", residue.changes);
}
