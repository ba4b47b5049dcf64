//! Introspection sends a fixed number of queries, whatever the number of tables.

mod common;

use common::TestDb;
use schemasync_postgres::IntrospectOptions;

fn tables(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "CREATE TABLE public.t{i} (id int PRIMARY KEY, parent int REFERENCES public.t{i} (id), name text CHECK (name <> ''));
                 CREATE INDEX t{i}_name ON public.t{i} (lower(name));
                 CREATE VIEW public.v{i} AS SELECT id FROM public.t{i};
                 COMMENT ON TABLE public.t{i} IS 'table {i}';"
            )
        })
        .collect()
}

async fn count_queries(n: usize) -> Option<(usize, usize)> {
    let db = TestDb::new(&format!("pg_scale_{n}")).await?;
    db.exec(&tables(n)).await;
    let conn = db.conn().await;
    let before = conn.queries_issued();
    let found = conn.introspect(&IntrospectOptions::default()).await.unwrap();
    assert_eq!(found.schema.tables.len(), n);
    assert_eq!(found.schema.views.len(), n);
    let with_privileges = {
        let start = conn.queries_issued();
        conn.introspect(&IntrospectOptions { privileges: true, ..Default::default() }).await.unwrap();
        conn.queries_issued() - start
    };
    Some((conn.queries_issued() - before - with_privileges, with_privileges))
}

#[tokio::test]
async fn query_count_does_not_grow_with_tables() {
    let Some((small, small_priv)) = count_queries(5).await else { return };
    let Some((large, large_priv)) = count_queries(50).await else { return };
    assert_eq!(small, large);
    assert_eq!(small_priv, large_priv);
    // One query per object kind (27 kinds, including the session setup).
    assert!(small <= 27, "{small} queries");
    assert_eq!(small_priv, small + 1);
}
