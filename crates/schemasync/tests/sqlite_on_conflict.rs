//! SQLite `ON CONFLICT` clauses of NOT NULL, UNIQUE and PRIMARY KEY survive
//! the whole round trip (SQL -> introspect -> emit -> fresh database ->
//! introspect), and adding or removing them is planned as a table rebuild
//! that converges.

use schemasync::{Change, ConflictResolution, DiffOptions, Location, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::TestDir;

const WITH: &str = "
CREATE TABLE items (
    id INTEGER PRIMARY KEY ON CONFLICT REPLACE,
    code TEXT UNIQUE ON CONFLICT REPLACE,
    name TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'unnamed'
);
CREATE INDEX items_name ON items (name);
";

const WITHOUT: &str = "
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,
    name TEXT NOT NULL DEFAULT 'unnamed'
);
CREATE INDEX items_name ON items (name);
";

fn load(sql: &str) -> schemasync::Schema {
    schemasync_sqlite::load_sql(sql).unwrap_or_else(|e| panic!("{e}\n{sql}")).schema
}

#[test]
fn clauses_survive_introspect_emit_and_reload() {
    let read = load(WITH);
    let items = read.tables.values().next().expect("one table");
    assert_eq!(items.primary_key.as_ref().and_then(|pk| pk.on_conflict), Some(ConflictResolution::Replace));
    assert_eq!(items.uniques.first().and_then(|u| u.on_conflict), Some(ConflictResolution::Replace));
    assert_eq!(items.column("name").and_then(|c| c.not_null_on_conflict), Some(ConflictResolution::Replace));

    let sql = schemasync::emit_schema(&read).expect("emit").to_sql();
    let reread = load(&sql);
    assert_eq!(reread, read, "emitted as:\n{sql}");
    assert_eq!(reread.content_hash(), read.content_hash());
    assert_ne!(load(WITHOUT).content_hash(), read.content_hash());
}

#[test]
fn adding_and_removing_clauses_rebuilds_and_converges() {
    let (with, without) = (load(WITH), load(WITHOUT));
    for (from, to) in [(&without, &with), (&with, &without)] {
        let plan = schemasync::diff(from, to, &DiffOptions::default()).expect("diff");
        assert!(
            plan.changes.iter().any(|c| matches!(&c.change, Change::RebuildTable { .. })),
            "not a rebuild: {:?}",
            plan.changes
        );
    }

    let dir = TestDir::new();
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let target = Location::Sqlite { path: dir.path("t.db") };
    let options = SyncOptions::default().allow_destructive(true);
    for (step, wanted) in [("create without", &without), ("add clauses", &with), ("remove clauses", &without)] {
        let plan = syncer.plan(wanted, step, &target, &options).expect("plan");
        let report = syncer.apply(&plan, &options);
        assert!(
            matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged),
            "{step}: {:?}\n{}",
            report.error,
            plan.script.to_sql()
        );
        let now = syncer.inspect(&target).expect("inspect").schema;
        assert_eq!(&now, wanted, "{step}: database is not the wanted schema after\n{}", plan.script.to_sql());
        let again = syncer.plan(wanted, step, &target, &options).expect("plan again");
        assert!(again.plan.is_empty(), "{step}: second plan:\n{}", again.script.to_sql());
    }

    // The clauses the database ended with in the middle step did take effect.
    let plan = syncer.plan(&with, "add again", &target, &options).expect("plan");
    let report = syncer.apply(&plan, &options);
    assert!(matches!(report.status, TargetStatus::Applied), "{:?}", report.error);
    let conn = rusqlite::Connection::open(dir.path("t.db")).expect("open");
    conn.execute_batch(
        "INSERT INTO items (id, code, name) VALUES (1, 'a', 'first');
         INSERT INTO items (id, code, name) VALUES (2, 'a', NULL);",
    )
    .expect("REPLACE resolves both conflicts");
    let row: (i64, String) =
        conn.query_row("SELECT id, name FROM items", [], |r| Ok((r.get(0)?, r.get(1)?))).expect("one row");
    assert_eq!(row, (2, "unnamed".to_owned()));
}
