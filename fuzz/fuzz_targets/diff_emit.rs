//! Diff and emit between two generated SQLite schemas, checked on SQLite:
//! the script runs on a database holding `from`, and the database then reads
//! back as `to` (an empty re-diff).

#![no_main]

use libfuzzer_sys::fuzz_target;
use schemasync_diff::{DiffOptions, diff};
use schemasync_fuzz::schema_gen::{SchemaSpec, build};
use schemasync_model::Schema;
use schemasync_sqlite::rusqlite::Connection;

/// The schema as SQLite reads it back after creating it: the generator may
/// spell things the introspector normalizes.
fn as_sqlite_reads_it(schema: &Schema) -> Schema {
    let script = schemasync_emit::emit_schema(schema).unwrap_or_else(|e| panic!("emit_schema: {e}\n{schema:?}"));
    let sql = script.to_sql();
    schemasync_sqlite::load_sql(&sql)
        .unwrap_or_else(|e| panic!("SQLite refuses the generated schema: {e}\n{sql}"))
        .schema
}

fuzz_target!(|pair: (SchemaSpec, SchemaSpec)| {
    let from = as_sqlite_reads_it(&build(&pair.0));
    let to = as_sqlite_reads_it(&build(&pair.1));

    let mut conn = Connection::open_in_memory().expect("in-memory database");
    let create = schemasync_emit::emit_schema(&from).expect("emit_schema worked once already");
    schemasync_sqlite::apply(&mut conn, &create, None).unwrap_or_else(|e| panic!("creating from: {e}"));

    let plan = diff(&from, &to, &DiffOptions::default()).unwrap_or_else(|e| panic!("diff: {e}"));
    let script = schemasync_emit::emit_plan(&plan).unwrap_or_else(|e| panic!("emit_plan: {e}"));
    let sql = script.to_sql();
    schemasync_sqlite::apply(&mut conn, &script, Some(&plan.from_hash))
        .unwrap_or_else(|e| panic!("the plan fails on SQLite: {e}\n{sql}"));

    let now = schemasync_sqlite::introspect(&conn).expect("introspect").schema;
    let rest = diff(&now, &to, &DiffOptions::default()).expect("re-diff");
    if !rest.is_empty() {
        let rest_sql = schemasync_emit::emit_plan(&rest).map(|s| s.to_sql()).unwrap_or_default();
        panic!("after\n{sql}\nthe database still differs from `to`:\n{rest_sql}");
    }
});
