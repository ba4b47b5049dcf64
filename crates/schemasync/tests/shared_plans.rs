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

/// Light plans hold no target's schema: each target is read again before it
/// is applied, its prior state recorded as it really is, and a target that
/// changed since planning is refused as drift while the others apply.
#[test]
fn light_plans_read_each_target_again_and_refuse_one_that_moved() {
    let dir = TestDir::new();
    let source = dir.sqlite_db("source.db", "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '')");
    let targets: Vec<Location> = (0..4)
        .map(|i| {
            let db = dir.sqlite_db(
                &format!("t{i}.db"),
                &format!("CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE own{i} (x)"),
            );
            Location::parse(&format!("sqlite:{}", db.display())).unwrap()
        })
        .collect();
    let mut syncer = Syncer::new(SqliteHistory::in_memory().unwrap());
    let wanted = syncer.inspect(&Location::parse(&format!("sqlite:{}", source.display())).unwrap()).unwrap().schema;
    let options = SyncOptions::default().light_plans(true).allow_destructive(true);
    let plans = syncer.plan_all(&wanted, "source", &targets, &options).unwrap();
    // Four different starting schemas, none of them kept.
    for plan in &plans {
        assert!(plan.current.tables.is_empty(), "a light plan keeps no schema of its target");
    }
    let moved = dir.path("t2.db");
    rusqlite::Connection::open(&moved).unwrap().execute_batch("CREATE TABLE late (y)").unwrap();
    let reports = syncer.rollout(&plans, &options, &schemasync::Rollout::default().parallel(2), &|_| {});
    let statuses: Vec<TargetStatus> = reports.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [TargetStatus::Applied, TargetStatus::Applied, TargetStatus::Refused, TargetStatus::Applied]);
    assert_eq!(reports[2].refusal, Some(schemasync::Refusal::Drift));
    // The baseline is the target as it was, not an empty schema.
    let key = targets[0].history_key().unwrap();
    let baseline = schemasync::HistoryStore::get(syncer.history(), &key, 1).unwrap();
    assert!(
        baseline.schema.tables.keys().any(|k| k.to_string().contains("own0")),
        "{:?}",
        baseline.schema.tables.keys()
    );
    for (i, target) in targets.iter().enumerate().filter(|(i, _)| *i != 2) {
        let rest = syncer.plan(&wanted, "re-diff", target, &SyncOptions::default().allow_destructive(true)).unwrap();
        assert!(rest.script.is_empty(), "{i}: {}", rest.script.to_sql());
    }
}
