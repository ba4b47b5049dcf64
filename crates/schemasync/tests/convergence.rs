//! Convergence on a real SQLite: for random schema pairs (a, b), syncing a
//! database holding a to b leaves a database whose schema is b (as SQLite
//! reads it back), and a second plan is empty; diff(a, a) is empty.

use proptest::prelude::*;
use schemasync::{DiffOptions, Location, Schema, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::TestDir;

/// The schema as SQLite itself reads it back after creating it from scratch:
/// generated schemas may spell things the introspector normalizes.
fn as_sqlite_reads_it(schema: &Schema) -> Schema {
    let script = schemasync::emit_schema(schema).expect("emit");
    let sql = script.to_sql();
    schemasync_sqlite::load_sql(&sql).unwrap_or_else(|e| panic!("{e}\n{sql}")).schema
}

fn converge(a: &Schema, b: &Schema) -> Result<(), TestCaseError> {
    let (a, b) = (as_sqlite_reads_it(a), as_sqlite_reads_it(b));
    prop_assert!(schemasync::diff(&a, &a, &DiffOptions::default()).unwrap().is_empty());
    prop_assert!(schemasync::diff(&b, &b, &DiffOptions::default()).unwrap().is_empty());

    let dir = TestDir::new();
    let mut syncer = Syncer::new(SqliteHistory::in_memory().unwrap());
    let target = Location::Sqlite { path: dir.path("t.db") };
    let options = SyncOptions::default().allow_destructive(true);
    for (step, wanted) in [("create a", &a), ("a -> b", &b), ("b -> a", &a)] {
        let plan = syncer.plan(wanted, step, &target, &options).unwrap();
        let report = syncer.apply(&plan, &options);
        prop_assert!(
            matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged),
            "{step}: {:?}\n{}",
            report.error,
            plan.script.to_sql()
        );
        let now = syncer.inspect(&target).unwrap().schema;
        prop_assert_eq!(
            now.to_pretty_json(),
            wanted.to_pretty_json(),
            "{}: database is not the wanted schema after\n{}",
            step,
            plan.script.to_sql()
        );
        let again = syncer.plan(wanted, step, &target, &options).unwrap();
        prop_assert!(again.plan.is_empty(), "{step}: second plan:\n{}", again.script.to_sql());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_pairs_converge((a, b) in schemasync_diff::testing::sqlite_schema_pair()) {
        converge(&a, &b)?;
    }

    #[test]
    fn unrelated_schemas_converge(a in schemasync_diff::testing::sqlite_schema(), b in schemasync_diff::testing::sqlite_schema()) {
        converge(&a, &b)?;
    }
}
