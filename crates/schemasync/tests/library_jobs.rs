//! The three jobs through the library, with a schema edited in code.

use schemasync::{
    Column, HistoryStore, Location, QualifiedName, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus,
    VersionKind,
};
use schemasync_testkit::TestDir;

const V1: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE INDEX users_name ON users (name);";

#[test]
fn edit_in_code_sync_many_and_roll_back() {
    let dir = TestDir::new();
    let mut syncer = Syncer::new(SqliteHistory::open(&dir.path("h/history.db")).unwrap());
    let a = Location::Sqlite { path: dir.sqlite_db("a.db", V1) };
    let b = Location::Sqlite { path: dir.path("b.db") };
    let opts = SyncOptions::default();

    // b is new; a, the source, is recorded as its version 1.
    let reports = syncer.sync(&Source::Database(a.clone()), std::slice::from_ref(&b), &opts).unwrap();
    assert_eq!(reports[0].status, TargetStatus::Applied, "{:?}", reports[0].error);

    let mut wanted = syncer.inspect(&a).unwrap().schema;
    wanted
        .require_table_mut(&QualifiedName::bare("users"))
        .unwrap()
        .add_column(Column::new("email", "text").not_null().default_expr("''"))
        .unwrap();
    let plans = syncer.plan_all(&wanted, "edited", &[a.clone(), b.clone()], &opts).unwrap();
    assert!(plans.iter().all(|p| p.script.to_sql().contains("ADD COLUMN \"email\" text NOT NULL DEFAULT ''")));
    let reports = syncer.apply_all(&plans, &opts);
    assert!(reports.iter().all(|r| r.status == TargetStatus::Applied), "{reports:?}");
    assert_eq!(reports[0].baseline_version, None, "a was recorded as version 1 when it served as the source");
    assert_eq!(reports[0].version, Some(2));
    assert_eq!(reports[1].version, Some(2));

    let history = syncer.history().list(&a.history_key().unwrap()).unwrap();
    assert_eq!(history.iter().map(|v| v.kind).collect::<Vec<_>>(), [VersionKind::Baseline, VersionKind::Sync]);
    assert_eq!(history[1].parent, Some(1));

    // Drift: a changes after planning; applying the stale plan is refused.
    let stale = syncer.plan_rollback(&a, 1, &opts.clone().allow_destructive(true)).unwrap();
    rusqlite::Connection::open(a.sqlite_path().unwrap()).unwrap().execute_batch("CREATE TABLE extra (x)").unwrap();
    let refused = syncer.apply(&stale, &opts.clone().allow_destructive(true));
    assert_eq!(refused.status, TargetStatus::Refused, "{refused:?}");
    assert!(refused.error.as_deref().unwrap_or_default().contains("changed since it was planned"));

    // Roll back to version 1 for real: the out-of-band change is recorded first.
    let plan = syncer.plan_rollback(&a, 1, &opts.clone().allow_destructive(true)).unwrap();
    let done = syncer.apply(&plan, &opts.clone().allow_destructive(true));
    assert_eq!(done.status, TargetStatus::Applied, "{done:?}");
    let now = syncer.inspect(&a).unwrap().schema;
    let v1 = syncer.history().get(&a.history_key().unwrap(), 1).unwrap();
    assert_eq!(now.content_hash(), v1.hash);
    let kinds: Vec<VersionKind> =
        syncer.history().list(&a.history_key().unwrap()).unwrap().iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [VersionKind::Baseline, VersionKind::Sync, VersionKind::Snapshot, VersionKind::Rollback]);
}

#[test]
fn json_snapshot_and_history_sources() {
    let dir = TestDir::new();
    let mut syncer = Syncer::new(SqliteHistory::open(&dir.path("history.db")).unwrap());
    let a = Location::Sqlite { path: dir.sqlite_db("a.db", V1) };
    let snapshot = syncer.inspect(&a).unwrap().schema.to_pretty_json();
    let json = dir.file("a.json", &snapshot);
    let b = Location::Sqlite { path: dir.path("b.db") };
    let reports = syncer.sync(&Source::JsonFile(json), std::slice::from_ref(&b), &SyncOptions::default()).unwrap();
    assert_eq!(reports[0].status, TargetStatus::Applied);
    let version = syncer.snapshot(&a, "by hand").unwrap();
    assert_eq!(version.kind, VersionKind::Baseline);
    let c = Location::Sqlite { path: dir.path("c.db") };
    let source = Source::History { database: a.clone(), version: version.number };
    let reports = syncer.sync(&source, std::slice::from_ref(&c), &SyncOptions::default()).unwrap();
    assert_eq!(reports[0].status, TargetStatus::Applied);
    assert_eq!(syncer.inspect(&c).unwrap().schema.content_hash(), version.hash);
}

#[test]
fn an_existing_target_without_history_gets_a_baseline_first() {
    let dir = TestDir::new();
    let mut syncer = Syncer::new(SqliteHistory::in_memory().unwrap());
    let existing = Location::Sqlite { path: dir.sqlite_db("old.db", "CREATE TABLE legacy (x TEXT);") };
    let source = Source::SqlFile(dir.file("s.sql", V1));
    let options = SyncOptions::default().allow_destructive(true);
    let reports = syncer.sync(&source, std::slice::from_ref(&existing), &options).unwrap();
    assert_eq!(reports[0].status, TargetStatus::Applied, "{:?}", reports[0].error);
    assert_eq!((reports[0].baseline_version, reports[0].version), (Some(1), Some(2)));
    let baseline = syncer.history().get(&existing.history_key().unwrap(), 1).unwrap();
    assert_eq!(baseline.kind, VersionKind::Baseline);
    assert!(baseline.schema.tables.contains_key(&QualifiedName::bare("legacy")));
    // Rolling back to the baseline restores the legacy table.
    let plan = syncer.plan_rollback(&existing, 1, &options).unwrap();
    assert_eq!(syncer.apply(&plan, &options).status, TargetStatus::Applied);
    assert!(syncer.inspect(&existing).unwrap().schema.tables.contains_key(&QualifiedName::bare("legacy")));
}
