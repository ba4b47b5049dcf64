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
    // IGNORED indexes (Index.options = ["IGNORED"]) are left out until the
    // emitter writes index options; introspect.rs covers them.
    let fixture: String = include_str!("fixtures/indexes.sql")
        .lines()
        .filter(|line| !line.contains("IGNORED"))
        .map(|line| format!("{line}\n"))
        .collect();
    run(converges("conv_indexes", &fixture));
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
