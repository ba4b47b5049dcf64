//! Real-world SQLite schemas (from `SCHEMASYNC_CORPUS_DIR`): each syncs into an
//! empty database and converges, its data survives a rebuild of every table,
//! and syncing back to empty and again converges.

use std::collections::BTreeMap;
use std::path::Path;

use schemasync::{Column, Location, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{TestDir, corpus, fill_one_row_each};

type Rows = BTreeMap<String, Vec<Vec<String>>>;

/// Every row of every table, as text, sorted: the data a sync must not lose.
fn all_rows(db: &Path, schema: &Schema) -> Rows {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = Rows::new();
    for table in schema.tables.values() {
        if table.options.sqlite_virtual_using().is_some() {
            continue;
        }
        let cols: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.name != "schemasync_probe" && c.generated.is_none())
            .map(|c| format!("quote({})", schemasync::Dialect::Sqlite.quote_ident(&c.name)))
            .collect();
        if cols.is_empty() {
            continue;
        }
        let sql =
            format!("SELECT {} FROM {}", cols.join(", "), schemasync::Dialect::Sqlite.quote_qualified(&table.name));
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut rows: Vec<Vec<String>> = stmt
            .query_map([], |r| (0..cols.len()).map(|i| r.get::<_, String>(i)).collect::<Result<Vec<_>, _>>())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        out.insert(table.name.to_string(), rows);
    }
    out
}

fn sync_ok(syncer: &mut Syncer<SqliteHistory>, wanted: &Schema, target: &Location, what: &str) {
    let options = SyncOptions::default().allow_destructive(true);
    let plan = syncer.plan(wanted, what, target, &options).unwrap_or_else(|e| panic!("{what}: plan: {e}"));
    let report = syncer.apply(&plan, &options);
    assert!(
        matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged),
        "{what}: {:?}: {:?}\n{}",
        report.status,
        report.error,
        plan.script.to_sql()
    );
    assert!(report.warnings.is_empty(), "{what}: {:?}", report.warnings);
    let again = syncer.plan(wanted, what, target, &options).unwrap();
    assert!(again.plan.is_empty(), "{what}: second plan not empty:\n{}", again.script.to_sql());
}

#[test]
fn real_world_sqlite_schemas_converge() {
    let Some(files) = corpus("sqlite") else { return };
    assert!(!files.is_empty(), "no SQLite schemas in the corpus");
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = TestDir::new();
        let mut syncer = Syncer::new(SqliteHistory::open(&dir.path("history.db")).unwrap());
        let source = syncer.resolve(&Source::SqlFile(file.clone()), None).unwrap().schema;
        assert!(!source.tables.is_empty(), "{name}: no tables read");
        let target_path = dir.path("target.db");
        let target = Location::Sqlite { path: target_path.clone() };

        // Into an empty database.
        sync_ok(&mut syncer, &source, &target, &format!("{name}: initial sync"));
        let conn = rusqlite::Connection::open(&target_path).unwrap();
        let filled = fill_one_row_each(&conn);
        drop(conn);
        assert!(filled > 0, "{name}: no rows could be inserted");
        let before = all_rows(&target_path, &source);

        // A column added in front of every table forces a rebuild of each.
        let mut probed = source.clone();
        for table in probed.tables.values_mut() {
            if table.options.sqlite_virtual_using().is_none() {
                table.columns.insert(0, Column::new("schemasync_probe", "TEXT"));
            }
        }
        sync_ok(&mut syncer, &probed, &target, &format!("{name}: rebuild every table"));
        assert_eq!(all_rows(&target_path, &source), before, "{name}: data changed by the rebuild");

        // Back to the original, then to empty, then again from empty.
        sync_ok(&mut syncer, &source, &target, &format!("{name}: back to the source"));
        assert_eq!(all_rows(&target_path, &source), before, "{name}: data changed going back");
        sync_ok(&mut syncer, &Schema::new(source.dialect), &target, &format!("{name}: to empty"));
        sync_ok(&mut syncer, &source, &target, &format!("{name}: again from empty"));
    }
}
