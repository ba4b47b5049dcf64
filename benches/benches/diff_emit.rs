//! diff + emit of two generated 10,000-table schemas that differ in 10% of
//! their tables (goal: under 100 ms), the content hash of one of them (what
//! a diff computes twice, alongside), and SQLite introspection of 1,000 tables.

use std::sync::OnceLock;

use criterion::{Criterion, criterion_group, criterion_main};
use schemasync_diff::DiffOptions;
use schemasync_model::Schema;

/// The two 10,000-table schemas, generated once: loading them takes longer
/// than all the measurements.
fn schemas() -> &'static (Schema, Schema) {
    static SCHEMAS: OnceLock<(Schema, Schema)> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        (schemasync_benches::sqlite_schema(10_000, false), schemasync_benches::sqlite_schema(10_000, true))
    })
}

fn diff_and_emit(c: &mut Criterion) {
    let (from, to) = schemas();
    let mut group = c.benchmark_group("diff_emit");
    group.sample_size(20);
    group.bench_function("10000_tables_10pct_changed", |b| {
        b.iter(|| {
            let plan = schemasync_diff::diff(from, to, &DiffOptions::default()).expect("diff");
            schemasync_emit::emit_plan(&plan).expect("emit")
        });
    });
    group.finish();
}

fn content_hash(c: &mut Criterion) {
    let (from, _) = schemas();
    let mut group = c.benchmark_group("content_hash");
    group.sample_size(20);
    group.bench_function("10000_tables", |b| b.iter(|| from.content_hash()));
    group.finish();
}

fn introspect(c: &mut Criterion) {
    let dir = tempfile_dir();
    let path = dir.join("bench_1000.db");
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(&schemasync_benches::sqlite_ddl(1_000, false)).expect("load");
    let mut group = c.benchmark_group("sqlite_introspect");
    group.sample_size(20);
    group.bench_function("1000_tables", |b| b.iter(|| schemasync_sqlite::introspect(&conn).expect("introspect")));
    group.finish();
    let _ = std::fs::remove_file(&path);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("schemasync-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

criterion_group!(benches, diff_and_emit, content_hash, introspect);
criterion_main!(benches);
