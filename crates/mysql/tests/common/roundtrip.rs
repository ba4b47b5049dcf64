//! The fixed point: a schema read from one database, written into an empty
//! one with the reference renderer, reads back identical.
#![allow(dead_code)]

use mysql_async::prelude::Queryable;
use schemasync_model::Schema;

use super::TestDb;
use super::render::create_schema;

/// Write `schema` into the (empty) database `target`, following CONVENTIONS.md.
pub async fn write(schema: &Schema, target: &TestDb) {
    let (statements, mut views) = create_schema(schema);
    let mut conn = target.raw().await;
    for statement in &statements {
        conn.query_drop(statement).await.unwrap_or_else(|e| panic!("rendered SQL failed: {e}\n{statement}"));
    }
    // Views may read views: retry the failed ones while that makes progress.
    while !views.is_empty() {
        let attempted = views.len();
        let mut failed = Vec::new();
        let mut last_error = String::new();
        for view in views.drain(..) {
            if let Err(e) = conn.query_drop(&view).await {
                last_error = format!("{e}\n{view}");
                failed.push(view);
            }
        }
        assert!(failed.len() < attempted, "views cannot be created: {last_error}");
        views = failed;
    }
    conn.disconnect().await.expect("disconnect");
}

/// Assert that `schema` survives being written into a fresh database and read back.
pub async fn assert_fixed_point(schema: &Schema) {
    let Some(target) = TestDb::new("mysql_roundtrip").await else { return };
    write(schema, &target).await;
    let again = target.introspect().await.schema;
    assert_eq!(again.to_pretty_json(), schema.to_pretty_json(), "the schema changed on a round trip");
    assert_eq!(again.content_hash(), schema.content_hash());
}
