//! One source planned for many targets holds one copy of what they share
//! (issue 10, item 8): the wanted schema always, and plan and script for
//! targets that start from the same schema; a different target gets its own.

use std::sync::Arc;

use schemasync::{Location, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::TestDir;

#[test]
fn identical_targets_share_one_plan_and_a_different_one_gets_its_own() {
    let dir = TestDir::new();
    let source = dir.sqlite_db("source.db", "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '')");
    let mut targets: Vec<Location> = (0..5)
        .map(|i| Location::parse(&format!("sqlite:{}", dir.path(&format!("new{i}.db")).display())).unwrap())
        .collect();
    let other = dir.sqlite_db("other.db", "CREATE TABLE a (id INTEGER PRIMARY KEY); INSERT INTO a VALUES (1)");
    targets.push(Location::parse(&format!("sqlite:{}", other.display())).unwrap());

    let mut syncer = Syncer::new(SqliteHistory::in_memory().unwrap());
    let wanted = syncer.inspect(&Location::parse(&format!("sqlite:{}", source.display())).unwrap()).unwrap().schema;
    let options = SyncOptions::default();
    let plans = syncer.plan_all(&wanted, "source", &targets, &options).unwrap();
    for plan in &plans[1..] {
        assert!(Arc::ptr_eq(&plan.wanted, &plans[0].wanted));
    }
    for plan in &plans[1..5] {
        assert!(Arc::ptr_eq(&plan.script, &plans[0].script) && Arc::ptr_eq(&plan.plan, &plans[0].plan));
    }
    assert!(!Arc::ptr_eq(&plans[5].script, &plans[0].script));
    assert_ne!(plans[5].script.to_sql(), plans[0].script.to_sql());

    // Shared or not, each applies to its own target and converges.
    for report in syncer.apply_all(&plans, &options) {
        assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    }
    for target in &targets {
        let rest = syncer.plan(&wanted, "re-diff", target, &options).unwrap();
        assert!(rest.script.is_empty(), "{target}: {}", rest.script.to_sql());
    }
}
