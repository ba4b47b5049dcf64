//! Applying scripts: transaction, rollback, drift check, advisory lock.

mod common;

use std::time::{Duration, Instant};

use common::{TestDb, public};
use schemasync_model::{Dialect, Script, Statement};
use schemasync_postgres::{ApplyOptions, PostgresError};

fn script(statements: &[&str]) -> Script {
    let mut script = Script::new(Dialect::Postgres);
    script.statements = statements.iter().map(|s| Statement::new(*s)).collect();
    script
}

#[tokio::test]
async fn applies_in_one_transaction_then_outside_it() {
    let Some(db) = TestDb::new("pg_apply_ok").await else { return };
    let mut conn = db.conn().await;
    let mut s = script(&["CREATE TABLE public.t (id int, email text)", "INSERT INTO public.t VALUES (1, 'a')"]);
    s.statements.push(Statement {
        transactional: false,
        ..Statement::new("CREATE INDEX CONCURRENTLY t_email ON public.t (email)")
    });
    let report = conn.apply(&s, None, &ApplyOptions::default()).await.unwrap();
    assert_eq!((report.statements_run, report.outside_transaction), (3, 1));
    let schema = db.schema().await;
    assert!(schema.tables[&public("t")].indexes.contains_key("t_email"));
    // Settings are back to the server's defaults and the lock is free again.
    let rows = conn
        .client()
        .query("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", &[])
        .await
        .unwrap();
    assert_eq!((rows[0].get::<_, String>(0), rows[0].get::<_, String>(1)), ("0".to_owned(), "0".to_owned()));
    let other = db.conn().await;
    let rows = other
        .client()
        .query(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
             WHERE l.locktype = 'advisory' AND d.datname = current_database()",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 0);
}

#[tokio::test]
async fn failure_rolls_back_and_names_the_statement() {
    let Some(db) = TestDb::new("pg_apply_fail").await else { return };
    db.exec("CREATE TABLE public.keep (id int)").await;
    let mut conn = db.conn().await;
    let s = script(&[
        "CREATE TABLE public.first (id int)",
        "ALTER TABLE public.keep ADD COLUMN x int",
        "ALTER TABLE public.missing ADD COLUMN y int",
        "CREATE TABLE public.never (id int)",
    ]);
    let err = conn.apply(&s, None, &ApplyOptions::default()).await.unwrap_err();
    match err {
        PostgresError::Statement { index, sql, message } => {
            assert_eq!(index, 2);
            assert_eq!(sql, "ALTER TABLE public.missing ADD COLUMN y int");
            assert!(message.contains("relation \"public.missing\" does not exist"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    let schema = db.schema().await;
    assert_eq!(schema.tables.len(), 1);
    assert_eq!(schema.tables[&public("keep")].columns.len(), 1);
    // The connection is usable afterwards.
    conn.apply(&script(&["CREATE TABLE public.after (id int)"]), None, &ApplyOptions::default()).await.unwrap();
}

#[tokio::test]
async fn server_detail_is_part_of_the_message() {
    let Some(db) = TestDb::new("pg_apply_detail").await else { return };
    db.exec("CREATE TABLE public.u (id int); INSERT INTO public.u VALUES (1), (1);").await;
    let mut conn = db.conn().await;
    let err = conn.apply(&script(&["CREATE UNIQUE INDEX u_id ON public.u (id)"]), None, &ApplyOptions::default()).await;
    let Err(PostgresError::Statement { message, .. }) = err else { panic!("expected a statement error") };
    assert!(message.contains("DETAIL: Key (id)=(1) is duplicated."), "{message}");
}

#[tokio::test]
async fn drift_is_refused_with_nothing_changed() {
    let Some(db) = TestDb::new("pg_apply_drift").await else { return };
    db.exec("CREATE TABLE public.t (id int)").await;
    let planned_against = db.schema().await.content_hash();
    let mut conn = db.conn().await;
    // Matching hash: applies.
    conn.apply(&script(&["ALTER TABLE public.t ADD COLUMN a int"]), Some(&planned_against), &ApplyOptions::default())
        .await
        .unwrap();
    // The schema moved on since: refused, nothing applied.
    let err = conn
        .apply(&script(&["ALTER TABLE public.t ADD COLUMN b int"]), Some(&planned_against), &ApplyOptions::default())
        .await
        .unwrap_err();
    let PostgresError::Drift { expected, actual } = err else { panic!("expected drift") };
    assert_eq!(expected, planned_against);
    assert_eq!(actual, db.schema().await.content_hash());
    assert_eq!(db.schema().await.tables[&public("t")].columns.len(), 2);
    // The drift check left the session's search_path alone.
    let rows = conn.client().query("SELECT current_setting('search_path')", &[]).await.unwrap();
    assert_eq!(rows[0].get::<_, String>(0), "\"$user\", public");
}

#[tokio::test]
async fn waits_for_another_sync_then_reports_locked() {
    let Some(db) = TestDb::new("pg_apply_lock").await else { return };
    let holder = db.conn().await;
    holder.client().query("SELECT pg_advisory_lock($1)", &[&lock_key()]).await.unwrap();
    let mut conn = db.conn().await;
    let options = ApplyOptions { lock_timeout: Duration::from_millis(300), ..ApplyOptions::default() };
    let started = Instant::now();
    let err = conn.apply(&script(&["CREATE TABLE public.t (id int)"]), None, &options).await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(250), "did not wait: {:?}", started.elapsed());
    assert!(matches!(err, PostgresError::Locked { ref database, .. } if database == db.config.database()), "{err:?}");
    assert!(db.schema().await.tables.is_empty());
    // Once the other run is done, the sync goes through.
    holder.client().query("SELECT pg_advisory_unlock($1)", &[&lock_key()]).await.unwrap();
    conn.apply(&script(&["CREATE TABLE public.t (id int)"]), None, &options).await.unwrap();
}

/// The key schemasync locks: FNV-1a 64 of "schemasync", as a signed bigint.
fn lock_key() -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"schemasync" {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

#[tokio::test]
async fn refuses_other_dialects() {
    let Some(db) = TestDb::new("pg_apply_dialect").await else { return };
    let mut conn = db.conn().await;
    let s = Script::new(Dialect::Sqlite);
    let err = conn.apply(&s, None, &ApplyOptions::default()).await.unwrap_err();
    assert!(matches!(err, PostgresError::WrongDialect { .. }));
}

#[tokio::test]
async fn a_statement_that_holds_two_statements_runs_neither() {
    let Some(db) = TestDb::new("pg_apply_multi").await else { return };
    db.exec("CREATE TABLE public.victim (id int); INSERT INTO public.victim VALUES (1)").await;
    let before = db.schema().await;
    let mut conn = db.conn().await;
    for transactional in [true, false] {
        let mut s = script(&[]);
        s.statements.push(Statement {
            transactional,
            ..Statement::new("CREATE TABLE public.t (id int); DROP TABLE public.victim")
        });
        let err = conn.apply(&s, None, &ApplyOptions::default()).await.expect_err("refused");
        assert!(matches!(err, PostgresError::Statement { index: 0, .. }), "{err}");
        assert!(err.to_string().contains("multiple commands"), "{err}");
        assert_eq!(db.schema().await, before, "nothing ran");
    }
}
