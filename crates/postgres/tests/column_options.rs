//! Per-column attribute settings on a real PostgreSQL 15 server (issue 12,
//! "false same"): a source with every setting, a target without, diff +
//! emit + apply, rows kept, nothing left to do, and `pg_dump -s` of both
//! writing the same ALTER COLUMN lines; then back to the defaults.

use std::process::Command;

use schemasync_diff::{DiffOptions, diff};
use schemasync_model::{ColumnCompression, ColumnStorage, HazardKind, QualifiedName, Schema};
use schemasync_postgres::{ApplyOptions, IntrospectOptions, PgConfig, PgConnection, connect};
use schemasync_testkit::{Server, ServerDb};

/// The tables of both databases, with rows.
const TABLES: &str = "
    CREATE TABLE public.docs (id integer PRIMARY KEY, body text, code character varying(20),
                              price numeric(12,2), n integer, tags text[]);
    INSERT INTO public.docs SELECT g, repeat('x', g), 'c' || g, g, g % 7, ARRAY['a', 'b']
        FROM generate_series(1, 200) g;
    CREATE TABLE public.\"odd \"\"name\" (\"weird \"\"col\"\" x\" text, k bigint);
    INSERT INTO public.\"odd \"\"name\" VALUES ('a', 1), ('b', 2);
    CREATE TABLE public.events (k integer, body text) PARTITION BY RANGE (k);
    CREATE TABLE public.events_1 PARTITION OF public.events FOR VALUES FROM (0) TO (100);
    INSERT INTO public.events SELECT g, 'e' FROM generate_series(0, 99) g;";

/// Every setting, on both tables of the source.
const SETTINGS: &str = "
    ALTER TABLE public.docs
        ALTER COLUMN body SET STATISTICS 1000, ALTER COLUMN body SET STORAGE MAIN,
        ALTER COLUMN body SET COMPRESSION lz4,
        ALTER COLUMN code SET STORAGE EXTERNAL,
        ALTER COLUMN code SET (n_distinct = -0.5, n_distinct_inherited = 20),
        ALTER COLUMN price SET STATISTICS 0, ALTER COLUMN price SET STORAGE EXTENDED,
        ALTER COLUMN n SET (n_distinct = 1e3),
        ALTER COLUMN tags SET COMPRESSION pglz;
    ALTER TABLE public.\"odd \"\"name\"
        ALTER COLUMN \"weird \"\"col\"\" x\" SET STATISTICS 5,
        ALTER COLUMN \"weird \"\"col\"\" x\" SET STORAGE PLAIN,
        ALTER COLUMN k SET (n_distinct = 2);
    -- A partitioned table and its partition, each with settings of its own
    -- (the storage set on both by recursion).
    ALTER TABLE public.events ALTER COLUMN body SET STORAGE MAIN;
    ALTER TABLE ONLY public.events ALTER COLUMN body SET STATISTICS 300;
    ALTER TABLE public.events_1 ALTER COLUMN body SET STATISTICS 50, ALTER COLUMN k SET (n_distinct = 7);";

/// Only in the source: created by the plan, then given its settings.
const FRESH: &str = "
    CREATE TABLE public.fresh (id integer, note text);
    ALTER TABLE public.fresh ALTER COLUMN note SET STATISTICS 42, ALTER COLUMN note SET STORAGE EXTERNAL,
        ALTER COLUMN note SET COMPRESSION lz4, ALTER COLUMN id SET (n_distinct = -1);";

async fn open(db: &ServerDb) -> PgConnection {
    let config = PgConfig::parse(db.url()).expect("test URL");
    connect(&config).await.expect("connect")
}

async fn schema(conn: &PgConnection) -> Schema {
    conn.introspect(&IntrospectOptions::default()).await.expect("introspect").schema
}

async fn count(conn: &PgConnection, table: &str) -> i64 {
    conn.client().query_one(&format!("SELECT count(*) FROM {table}"), &[]).await.expect("count").get(0)
}

/// Plan `from → to`, check it is in place (no data-loss hazard), apply it
/// and return the SQL it ran.
async fn sync(conn: &mut PgConnection, from: &Schema, to: &Schema) -> String {
    let plan = diff(from, to, &DiffOptions::default()).expect("diff");
    assert!(!plan.is_empty(), "a difference in column settings is a difference");
    let lossy: Vec<_> = plan.hazards().filter(|h| h.kind == HazardKind::DataLoss).collect();
    assert!(lossy.is_empty(), "{lossy:?}");
    assert!(!plan.hazards().any(|h| h.kind == HazardKind::TableRewrite), "no table rewrite");
    let script = schemasync_emit::emit_plan(&plan).expect("emit");
    let sql = script.to_sql();
    if let Err(e) = conn.apply(&script, Some(&plan.from_hash), &ApplyOptions::default()).await {
        panic!("apply failed: {e}\n{sql}");
    }
    sql
}

/// The `ALTER ... ALTER COLUMN` lines of `pg_dump -s` (the settings).
fn dumped_settings(db: &ServerDb) -> Vec<String> {
    let out = Command::new("pg_dump").args(["-s", "--no-owner", "-d", db.url()]).output().expect("run pg_dump");
    assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8 dump");
    let mut lines = Vec::new();
    let mut statement = String::new();
    for line in text.lines() {
        statement.push_str(line.trim());
        statement.push(' ');
        if line.ends_with(';') {
            let s = statement.trim().to_owned();
            if s.starts_with("ALTER TABLE") && s.contains(" ALTER COLUMN ") && !s.contains(" ADD GENERATED ") {
                lines.push(s);
            }
            statement.clear();
        }
    }
    lines
}

fn docs() -> QualifiedName {
    QualifiedName::new(Some("public"), "docs")
}

#[tokio::test]
async fn settings_are_synced_and_reset() {
    let Some(source) = ServerDb::create(Server::Postgres, "pg_colopt_src") else { return };
    let Some(target) = ServerDb::create(Server::Postgres, "pg_colopt_dst") else { return };
    source.exec(&format!("{TABLES}{SETTINGS}{FRESH}"));
    target.exec(TABLES);

    let wanted = schema(&open(&source).await).await;
    let body = wanted.tables[&docs()].column("body").expect("body");
    assert_eq!(
        (body.statistics, body.storage, body.compression),
        (Some(1000), Some(ColumnStorage::Main), Some(ColumnCompression::Lz4))
    );
    let code = wanted.tables[&docs()].column("code").expect("code");
    assert_eq!(code.attribute_options, ["n_distinct=-0.5", "n_distinct_inherited=20"]);
    // The type's own storage is not a setting.
    assert_eq!(wanted.tables[&docs()].column("id").expect("id").storage, None);

    let mut conn = open(&target).await;
    let before = schema(&conn).await;
    let sql = sync(&mut conn, &before, &wanted).await;
    assert!(sql.contains("SET (n_distinct = -0.5, n_distinct_inherited = 20)"), "{sql}");
    assert_eq!(count(&conn, "public.docs").await, 200);
    assert_eq!(count(&conn, "public.\"odd \"\"name\"").await, 2);
    assert_eq!(count(&conn, "public.events").await, 100);
    let after = schema(&conn).await;
    let rest = diff(&after, &wanted, &DiffOptions::default()).expect("re-diff");
    assert!(rest.is_empty(), "left to do: {:?}\n{sql}", rest.changes);
    assert_eq!(after.content_hash(), wanted.content_hash());
    let dumped = dumped_settings(&source);
    assert_eq!(dumped.len(), 21, "{dumped:#?}");
    assert_eq!(dumped_settings(&target), dumped, "{sql}");

    // Back to the defaults: every setting removed from the wanted schema.
    let mut plain = wanted.clone();
    for table in plain.tables.values_mut() {
        for column in &mut table.columns {
            column.statistics = None;
            column.storage = None;
            column.compression = None;
            column.attribute_options.clear();
        }
    }
    let sql = sync(&mut conn, &after, &plain).await;
    assert!(sql.contains("RESET (n_distinct, n_distinct_inherited)"), "{sql}");
    assert_eq!(count(&conn, "public.docs").await, 200);
    let reset = schema(&conn).await;
    let rest = diff(&reset, &plain, &DiffOptions::default()).expect("re-diff");
    assert!(rest.is_empty(), "left to do: {:?}\n{sql}", rest.changes);
    assert_eq!(dumped_settings(&target), Vec::<String>::new(), "{sql}");
    // A database that never had them dumps the same.
    let Some(never) = ServerDb::create(Server::Postgres, "pg_colopt_never") else { return };
    never.exec(&format!("{TABLES}CREATE TABLE public.fresh (id integer, note text);"));
    assert_eq!(schema(&open(&never).await).await.content_hash(), reset.content_hash());
}
