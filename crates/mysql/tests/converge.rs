//! Convergence with the real emitter: introspect a fixture, render it with
//! `schemasync_emit`, apply that script to an empty database with this
//! crate's `apply`, introspect again: the schemas must be equal and a new
//! plan empty.

mod common;

use common::{TestDb, run};
use schemasync_diff::{DiffOptions, diff};
use schemasync_mysql::ApplyOptions;

async fn converges(prefix: &str, fixture: &str) {
    let Some(source) = TestDb::new(prefix).await else { return };
    source.exec(fixture).await;
    let schema = source.introspect().await.schema;
    let script = schemasync_emit::emit_schema(&schema).unwrap_or_else(|e| panic!("emit failed: {e}"));
    let Some(target) = TestDb::new(prefix).await else { return };
    let mut conn = target.connect().await;
    let empty = schemasync_model::Schema::new(schemasync_model::Dialect::MySql).content_hash();
    conn.apply(&script, Some(&empty), &ApplyOptions::default(), &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("applying the emitted script failed: {e}\n\n{}", script.to_sql()));
    let again = target.introspect().await.schema;
    assert_eq!(again.to_pretty_json(), schema.to_pretty_json(), "script:\n{}", script.to_sql());
    let plan = diff(&again, &schema, &DiffOptions::default()).expect("diff");
    assert!(plan.changes.is_empty(), "a second sync would plan {:?}", plan.changes);
}

#[test]
fn columns_converge() {
    run(converges("conv_columns", include_str!("fixtures/columns.sql")));
}

#[test]
fn indexes_converge() {
    run(converges("conv_indexes", include_str!("fixtures/indexes.sql")));
}

#[test]
fn constraints_converge() {
    run(converges("conv_constraints", include_str!("fixtures/constraints.sql")));
}

#[test]
fn options_converge() {
    run(converges("conv_options", include_str!("fixtures/options.sql")));
}

#[test]
fn partitions_converge() {
    run(converges("conv_partitions", include_str!("fixtures/partitions.sql")));
}

#[test]
fn views_converge() {
    run(converges("conv_views", include_str!("fixtures/views.sql")));
}

#[test]
fn triggers_converge() {
    run(converges("conv_triggers", include_str!("fixtures/triggers.sql")));
}

#[test]
fn routines_converge() {
    run(converges("conv_routines", include_str!("fixtures/routines.sql")));
}

#[test]
fn events_converge() {
    run(converges("conv_events", include_str!("fixtures/events.sql")));
}

/// A sync stopped by a failing statement reports how many ran; those stay
/// applied, and a plan computed again from the database holds only the rest.
#[test]
fn interrupted_apply_resumes_with_the_rest() {
    run(async {
        let fixture = [
            include_str!("fixtures/constraints.sql"),
            include_str!("fixtures/routines.sql"),
            include_str!("fixtures/events.sql"),
        ]
        .join("\n");
        let Some(source) = TestDb::new("resume_src").await else { return };
        source.exec(&fixture).await;
        let schema = source.introspect().await.schema;
        let script = schemasync_emit::emit_schema(&schema).expect("emit");
        let statements: Vec<&str> = script.statements.iter().map(|s| s.sql.as_str()).collect();
        // Break the run after some tables, before the routines and events.
        let cut = statements.iter().rposition(|s| s.starts_with("CREATE TABLE")).expect("a place to cut");
        let mut broken = script.clone();
        broken.statements.insert(cut, schemasync_model::Statement::new("DROP TABLE `no such table`"));

        let Some(target) = TestDb::new("resume_dst").await else { return };
        let mut conn = target.connect().await;
        let mut done = Vec::new();
        match conn.apply(&broken, None, &ApplyOptions::default(), &mut |i| done.push(i)).await {
            Err(schemasync_mysql::MySqlError::Statement { index, completed, .. }) => {
                assert_eq!((index, completed), (cut, cut));
                assert_eq!(done, (0..cut).collect::<Vec<_>>());
            }
            other => panic!("expected a statement error, got {other:?}"),
        }

        // A second plan from the database: only what did not run yet.
        let partial = target.introspect().await.schema;
        let rest = diff(&partial, &schema, &DiffOptions::default()).expect("diff");
        assert!(!rest.changes.is_empty());
        let rest_script = schemasync_emit::emit_plan(&rest).expect("emit the rest");
        let not_run: Vec<&str> = statements[cut..].to_vec();
        for statement in &rest_script.statements {
            assert!(
                not_run.contains(&statement.sql.as_str()),
                "the second plan redoes or changes work:\n{}\n\nfirst script:\n{}",
                statement.sql,
                script.to_sql()
            );
        }
        conn.apply(&rest_script, Some(&partial.content_hash()), &ApplyOptions::default(), &mut |_| {})
            .await
            .unwrap_or_else(|e| panic!("applying the rest failed: {e}\n{}", rest_script.to_sql()));
        let again = target.introspect().await.schema;
        assert_eq!(again.to_pretty_json(), schema.to_pretty_json());
        assert!(diff(&again, &schema, &DiffOptions::default()).expect("diff").changes.is_empty());
    });
}
