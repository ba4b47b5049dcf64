//! Applying scripts: progress, failures midway, drift, the named lock.

mod common;

use std::time::Duration;

use common::{TestDb, run};
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
            MySqlError::Statement { index, completed, sql, message } => {
                assert_eq!((index, completed), (1, 1));
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
