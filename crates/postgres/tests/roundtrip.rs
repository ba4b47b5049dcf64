//! The fixed point: introspect → emit → apply to an empty database →
//! introspect gives the same schema (every text field is PostgreSQL's own
//! deparse, which it reproduces when the text is written back).

mod common;

use common::TestDb;
use schemasync_postgres::{ApplyOptions, IntrospectOptions};

#[tokio::test]
async fn introspect_emit_apply_is_a_fixed_point() {
    let Some(source) = TestDb::new("pg_fix_src").await else { return };
    source.exec(include_str!("fixtures/everything.sql")).await;
    let original = source.schema().await;
    let script = match schemasync_emit::emit_schema(&original) {
        Ok(script) => script,
        Err(e) => panic!("emit failed: {e}"),
    };
    let Some(target) = TestDb::new("pg_fix_dst").await else { return };
    let mut conn = target.conn().await;
    if let Err(e) = conn.apply(&script, None, &ApplyOptions::default()).await {
        panic!("apply failed: {e}\n--- script ---\n{}", script.to_sql());
    }
    let copy = conn.introspect(&IntrospectOptions::default()).await.unwrap().schema;
    if copy != original {
        let a = original.to_pretty_json();
        let b = copy.to_pretty_json();
        let diff: Vec<String> = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .filter(|(_, (x, y))| x != y)
            .take(20)
            .map(|(i, (x, y))| format!("line {i}: {x}  !=  {y}"))
            .collect();
        panic!("schemas differ:\n{}\n--- script ---\n{}", diff.join("\n"), script.to_sql());
    }
    assert_eq!(copy.content_hash(), original.content_hash());
}
