//! Applying scripts: progress, failures midway, drift, the named lock.

mod common;

use std::time::Duration;

use common::{TestDb, run};
use schemasync_diff::{DiffOptions, diff};
use schemasync_model::{Dialect, QualifiedName, Script, Statement};
use schemasync_mysql::{ApplyOptions, MySqlError};

fn script(statements: &[&str]) -> Script {
    let mut script = Script::new(Dialect::MySql);
    script.statements = statements.iter().map(|s| Statement::new(*s)).collect();
    script
}

#[test]
fn applies_statements_and_reports_progress() {
    run(async {
        let Some(db) = TestDb::new("apply_ok").await else { return };
        let mut conn = db.connect().await;
        let s =
            script(&["CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int)", "CREATE INDEX bi ON b (id)"]);
        let mut done = Vec::new();
        let report = conn.apply(&s, None, &ApplyOptions::default(), &mut |i| done.push(i)).await.expect("apply");
        assert_eq!(report.statements_run, 3);
        assert_eq!(done, [0, 1, 2]);
        let schema = db.introspect().await.schema;
        assert!(schema.tables[&QualifiedName::bare("b")].indexes.contains_key("bi"));
    });
}

#[test]
fn failure_midway_reports_index_and_completed() {
    run(async {
        let Some(db) = TestDb::new("apply_fail").await else { return };
        let mut conn = db.connect().await;
        let s = script(&["CREATE TABLE a (id int)", "CREATE TABLE a (id int)", "CREATE TABLE c (id int)"]);
        let mut done = Vec::new();
        let err = conn.apply(&s, None, &ApplyOptions::default(), &mut |i| done.push(i)).await.unwrap_err();
        match err {
            MySqlError::Statement { index, completed, total, sql, message } => {
                assert_eq!((index, completed, total), (1, 1, 3));
                assert_eq!(sql, "CREATE TABLE a (id int)");
                assert!(message.contains("1050"), "{message}");
            }
            other => panic!("expected a statement error, got {other:?}"),
        }
        assert_eq!(done, [0]);
        // DDL is not rolled back: the first statement stayed applied, the third never ran.
        let schema = db.introspect().await.schema;
        assert!(schema.tables.contains_key(&QualifiedName::bare("a")));
        assert!(!schema.tables.contains_key(&QualifiedName::bare("c")));
        // The lock was released: applying again works.
        let again =
            conn.apply(&script(&["CREATE TABLE c (id int)"]), None, &ApplyOptions::default(), &mut |_| {}).await;
        assert!(again.is_ok(), "{again:?}");
    });
}

#[test]
fn drift_is_refused_and_matching_hash_applies() {
    run(async {
        let Some(db) = TestDb::new("apply_drift").await else { return };
        db.exec("CREATE TABLE a (id int)").await;
        let mut conn = db.connect().await;
        let s = script(&["CREATE TABLE b (id int)"]);
        let err = conn.apply(&s, Some("0000"), &ApplyOptions::default(), &mut |_| {}).await.unwrap_err();
        assert!(matches!(&err, MySqlError::Drift { expected, .. } if expected == "0000"), "{err:?}");
        assert!(!db.introspect().await.schema.tables.contains_key(&QualifiedName::bare("b")), "nothing ran");
        let hash = db.introspect().await.schema.content_hash();
        conn.apply(&s, Some(&hash), &ApplyOptions::default(), &mut |_| {}).await.expect("apply with the right hash");
        assert!(db.introspect().await.schema.tables.contains_key(&QualifiedName::bare("b")));
    });
}

#[test]
fn held_lock_times_out_as_locked() {
    run(async {
        let Some(db) = TestDb::new("apply_lock").await else { return };
        let mut holder = db.raw().await;
        use mysql_async::prelude::Queryable;
        let got: Option<i64> =
            holder.exec_first("SELECT GET_LOCK(?, 0)", (format!("schemasync:{}", db.name),)).await.expect("lock");
        assert_eq!(got, Some(1));
        let mut conn = db.connect().await;
        let options = ApplyOptions { lock_name_timeout: Duration::from_secs(1), ..ApplyOptions::default() };
        let started = std::time::Instant::now();
        let err = conn.apply(&script(&["CREATE TABLE a (id int)"]), None, &options, &mut |_| {}).await.unwrap_err();
        assert!(matches!(&err, MySqlError::Locked { database, .. } if *database == db.name), "{err:?}");
        assert!(started.elapsed() >= Duration::from_millis(900));
        assert!(db.introspect().await.schema.tables.is_empty());
        holder.disconnect().await.expect("disconnect");
    });
}

#[test]
fn wrong_dialect_is_refused() {
    run(async {
        let Some(db) = TestDb::new("apply_dialect").await else { return };
        let mut conn = db.connect().await;
        let s = Script::new(Dialect::Postgres);
        let err = conn.apply(&s, None, &ApplyOptions::default(), &mut |_| {}).await.unwrap_err();
        assert!(matches!(err, MySqlError::WrongDialect { .. }));
    });
}

/// `KILL CONNECTION <id>` from a session of its own, waiting until the server
/// has done it. Blocking on purpose: called from the progress callback, it
/// makes the kill land exactly between two statements of the apply.
fn kill_from_another_session(id: u32) {
    let url = schemasync_testkit::with_database(&schemasync_testkit::mysql_url(), "");
    let url = url.trim_end_matches('/').replacen("mariadb://", "mysql://", 1);
    let killer = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            use mysql_async::prelude::Queryable;
            let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&url).expect("url")).await.expect("conn");
            conn.query_drop(format!("KILL CONNECTION {id}")).await.expect("KILL CONNECTION");
            conn.disconnect().await.expect("disconnect");
        });
    });
    killer.join().expect("killer thread");
}

/// The apply's own connection is killed after statement k of n: the error
/// says exactly which statements ran, those stay applied, and a plan made
/// again from the database's real state finishes the job.
#[test]
fn killed_connection_stops_after_statement_k_and_a_new_plan_converges() {
    run(async {
        let fixture = [include_str!("fixtures/constraints.sql"), include_str!("fixtures/triggers.sql")]
            .join("\n")
            // Both fixtures have a `parent`; the trigger one gets its own.
            .replacen("CREATE TABLE parent (id int PRIMARY KEY, a int, b int);", "", 1);
        let Some(source) = TestDb::new("kill_src").await else { return };
        source.exec(&fixture).await;
        let wanted = source.introspect().await.schema;

        let Some(target) = TestDb::new("kill_dst").await else { return };
        let empty = schemasync_model::Schema::new(Dialect::MySql);
        let plan = diff(&empty, &wanted, &DiffOptions::default()).expect("diff");
        let script = schemasync_emit::emit_plan(&plan).expect("emit");
        let n = script.statements.len();
        assert!(n >= 6, "a multi-statement plan:\n{}", script.to_sql());
        let k = n / 2;

        let mut conn = target.connect().await;
        let id = conn.connection_id();
        let mut done = Vec::new();
        let result = conn
            .apply(&script, Some(&empty.content_hash()), &ApplyOptions::default(), &mut |i| {
                done.push(i);
                if i + 1 == k {
                    kill_from_another_session(id);
                }
            })
            .await;
        let err = result.expect_err("the killed connection cannot run statement k+1");
        let text = err.to_string();
        match &err {
            MySqlError::Statement { index, completed, total, sql, .. } => {
                assert_eq!((*index, *completed, *total), (k, k, n), "{text}");
                assert_eq!(sql, &script.statements[k].sql);
            }
            other => panic!("expected a statement error, got {other:?}"),
        }
        assert!(
            text.starts_with(&format!(
                "statement {} of {n} failed; statements 1 to {k} of {n} ran and stay applied",
                k + 1
            )),
            "{text}"
        );
        assert!(text.contains("connection"), "{text}");
        assert_eq!(done, (0..k).collect::<Vec<_>>());

        // What ran stayed; the rest is planned again from the real state.
        let partial = target.introspect().await.schema;
        assert_ne!(partial.content_hash(), empty.content_hash(), "the first k statements stay applied");
        let rest = diff(&partial, &wanted, &DiffOptions::default()).expect("diff");
        let rest_script = schemasync_emit::emit_plan(&rest).expect("emit the rest");
        assert!(!rest_script.statements.is_empty());
        let not_run: Vec<&str> = script.statements[k..].iter().map(|s| s.sql.as_str()).collect();
        for statement in &rest_script.statements {
            assert!(
                not_run.contains(&statement.sql.as_str()),
                "the second plan redoes work that had run:\n{}\n\nfirst script:\n{}",
                statement.sql,
                script.to_sql()
            );
        }
        let mut again = target.connect().await;
        again
            .apply(&rest_script, Some(&partial.content_hash()), &ApplyOptions::default(), &mut |_| {})
            .await
            .unwrap_or_else(|e| panic!("applying the rest failed: {e}\n{}", rest_script.to_sql()));
        let after = target.introspect().await.schema;
        assert_eq!(after.to_pretty_json(), wanted.to_pretty_json());
        let residue = diff(&after, &wanted, &DiffOptions::default()).expect("re-diff");
        assert!(residue.changes.is_empty(), "{:?}", residue.changes);
    });
}
