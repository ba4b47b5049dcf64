//! Nothing is applied that cannot be recorded: a history that is read-only,
//! full, or the target itself refuses the sync before any statement runs
//! (the target stays byte for byte, or schema for schema, as it was); a run
//! that dies between the intent and its completion leaves a pending intent
//! that the next sync settles with the state it finds.

mod faults;

use std::path::Path;

use faults::Tmpfs;
use schemasync::{
    HistoryError, HistoryStore, Intent, IntentId, IntentStatus, Location, NewIntent, NewVersion, Outcome, Refusal,
    Source, SqliteHistory, SyncOptions, Syncer, TargetReport, TargetStatus, Version, VersionKind, VersionSummary,
};
use schemasync_testkit::{Server, ServerDb, TestDir};

const V1: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);";
/// Drops `audit`: a destructive plan, so "nothing ran" includes no DROP.
const V2: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);";

fn destructive() -> SyncOptions {
    SyncOptions::default().allow_destructive(true)
}

fn sync_file<H: HistoryStore>(syncer: &mut Syncer<H>, source: &Path, target: &Location) -> Vec<TargetReport> {
    syncer.sync(&Source::SqlFile(source.to_owned()), std::slice::from_ref(target), &destructive()).expect("sync")
}

fn assert_refused_by_history(report: &TargetReport, path: &Path, cause: &str) {
    assert_eq!(report.status, TargetStatus::Refused, "{report:?}");
    assert_eq!(report.refusal, Some(Refusal::History), "{report:?}");
    let error = report.error.as_deref().unwrap_or_default();
    assert!(error.contains(&path.display().to_string()), "history path not named: {error}");
    assert!(error.contains(cause), "cause {cause:?} not named: {error}");
    assert!(error.contains("nothing was applied"), "{error}");
}

#[test]
fn a_read_only_history_refuses_and_the_sqlite_target_is_byte_identical() {
    let Some(fs) = Tmpfs::mount("1m") else { return };
    let dir = TestDir::new();
    let history = fs.path("history.db");
    let target = Location::Sqlite { path: dir.sqlite_db("t.db", V1) };
    Syncer::new(SqliteHistory::open(&history).expect("history")).snapshot(&target, "before").expect("snapshot");
    fs.remount_read_only();
    let before = std::fs::read(target.sqlite_path().unwrap()).unwrap();

    let mut syncer = Syncer::new(SqliteHistory::open(&history).expect("a read-only file still opens"));
    let reports = sync_file(&mut syncer, &dir.file("v2.sql", V2), &target);
    assert_refused_by_history(&reports[0], &history, "readonly");
    assert_eq!(std::fs::read(target.sqlite_path().unwrap()).unwrap(), before, "the target changed");
}

#[test]
fn a_full_disk_under_the_history_refuses_and_the_target_is_byte_identical() {
    let Some(fs) = Tmpfs::mount("64k") else { return };
    let dir = TestDir::new();
    let history = fs.path("history.db");
    let target = Location::Sqlite { path: dir.sqlite_db("t.db", V1) };
    let mut syncer = Syncer::new(SqliteHistory::open(&history).expect("history"));
    syncer.snapshot(&target, "before").expect("snapshot");
    fs.fill();
    let before = std::fs::read(target.sqlite_path().unwrap()).unwrap();

    let reports = sync_file(&mut syncer, &dir.file("v2.sql", V2), &target);
    assert_refused_by_history(&reports[0], &history, "full");
    assert_eq!(std::fs::read(target.sqlite_path().unwrap()).unwrap(), before, "the target changed");
    assert!(syncer.history().pending(&target.history_key().unwrap()).unwrap().is_empty());
}

#[test]
fn the_history_file_as_a_target_is_refused_with_every_other_target() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let mut syncer = Syncer::new(SqliteHistory::open(&history).expect("history"));
    let before = std::fs::read(&history).unwrap();
    // Another spelling of the same file.
    let itself = Location::Sqlite { path: dir.root().join(".").join("history.db") };
    let other = Location::Sqlite { path: dir.path("other.db") };
    let reports =
        syncer.sync(&Source::SqlFile(dir.file("v2.sql", V2)), &[other.clone(), itself], &destructive()).expect("sync");
    assert_eq!(reports[1].refusal, Some(Refusal::TargetIsHistory), "{reports:?}");
    assert!(reports[1].error.as_deref().unwrap_or_default().contains("history store itself"), "{reports:?}");
    assert_eq!(reports[0].refusal, Some(Refusal::OtherTargetIsHistory), "{reports:?}");
    assert!(reports.iter().all(|r| r.status == TargetStatus::Refused));
    assert_eq!(std::fs::read(&history).unwrap(), before);
    assert!(!other.sqlite_path().unwrap().exists(), "another target was applied");
}

/// A store whose completion fails, as if the process died right after the
/// script ran: the intent it began stays pending.
#[derive(Debug)]
struct DiesBeforeCompleting(SqliteHistory);

impl HistoryStore for DiesBeforeCompleting {
    fn record(&mut self, new: NewVersion) -> Result<Version, HistoryError> {
        self.0.record(new)
    }
    fn list(&self, database: &str) -> Result<Vec<VersionSummary>, HistoryError> {
        self.0.list(database)
    }
    fn get(&self, database: &str, number: u64) -> Result<Version, HistoryError> {
        self.0.get(database, number)
    }
    fn latest(&self, database: &str) -> Result<Option<Version>, HistoryError> {
        self.0.latest(database)
    }
    fn databases(&self) -> Result<Vec<String>, HistoryError> {
        self.0.databases()
    }
    fn begin(&mut self, intent: NewIntent) -> Result<IntentId, HistoryError> {
        self.0.begin(intent)
    }
    fn complete(&mut self, _id: IntentId, _outcome: Outcome) -> Result<Option<Version>, HistoryError> {
        Err(HistoryError::NotWritable { path: self.0.path().to_owned(), cause: "the process died".into() })
    }
    fn pending(&self, database: &str) -> Result<Vec<Intent>, HistoryError> {
        self.0.pending(database)
    }
    fn own_database_key(&self) -> Result<Option<String>, HistoryError> {
        self.0.own_database_key()
    }
}

#[test]
fn a_crash_between_intent_and_completion_is_visible_and_the_next_sync_records_the_real_state() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let target = Location::Sqlite { path: dir.sqlite_db("t.db", V1) };
    let key = target.history_key().unwrap();
    let v2 = dir.file("v2.sql", V2);

    let mut dying = Syncer::new(DiesBeforeCompleting(SqliteHistory::open(&history).expect("history")));
    let reports = sync_file(&mut dying, &v2, &target);
    assert_eq!(reports[0].status, TargetStatus::Failed, "{reports:?}");
    assert!(reports[0].error.as_deref().unwrap_or_default().contains("stays pending"), "{reports:?}");
    drop(dying);

    let reader = SqliteHistory::open_read_only(&history).expect("history");
    let pending = reader.pending(&key).unwrap();
    assert_eq!(pending.len(), 1, "the intent is not visible");
    assert_eq!(pending[0].status, IntentStatus::Pending);
    assert!(pending[0].script.contains("DROP TABLE"), "{:?}", pending[0].script);
    let kinds: Vec<VersionKind> = reader.list(&key).unwrap().iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [VersionKind::Baseline], "only the prior state was recorded");
    drop(reader);

    // The next sync finds the script applied, records that state, and has nothing left to do.
    let mut syncer = Syncer::new(SqliteHistory::open(&history).expect("history"));
    let reports = sync_file(&mut syncer, &v2, &target);
    assert_eq!(reports[0].status, TargetStatus::Unchanged, "{reports:?}");
    assert!(reports[0].warnings.iter().any(|w| w.contains("never completed")), "{reports:?}");
    assert!(syncer.history().pending(&key).unwrap().is_empty());
    let versions = syncer.history().list(&key).unwrap();
    assert_eq!(versions.iter().map(|v| v.kind).collect::<Vec<_>>(), [VersionKind::Baseline, VersionKind::Sync]);
    let now = syncer.inspect(&target).unwrap().schema;
    assert_eq!(versions[1].hash, now.content_hash());
    let wanted = syncer.resolve(&Source::SqlFile(v2), Some(&target)).unwrap().schema;
    assert!(schemasync::diff(&now, &wanted, &Default::default()).unwrap().is_empty());
}

#[test]
fn a_crash_before_anything_ran_is_settled_as_nothing_applied() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let target = Location::Sqlite { path: dir.sqlite_db("t.db", V1) };
    let key = target.history_key().unwrap();
    let mut syncer = Syncer::new(SqliteHistory::open(&history).expect("history"));
    let baseline = syncer.snapshot(&target, "before").unwrap();
    // What a run killed right after writing its intent leaves.
    let mut store = SqliteHistory::open(&history).unwrap();
    store
        .begin(NewIntent {
            database: key.clone(),
            kind: VersionKind::Sync,
            from_hash: baseline.hash.clone(),
            to_hash: "somewhere else".into(),
            script: "DROP TABLE audit;".into(),
            message: "sync from a killed run".into(),
        })
        .unwrap();
    drop(store);

    let reports = sync_file(&mut syncer, &dir.file("v2.sql", V2), &target);
    assert_eq!(reports[0].status, TargetStatus::Applied, "{reports:?}");
    assert!(reports[0].warnings.iter().any(|w| w.contains("nothing of it had been applied")), "{reports:?}");
    let kinds: Vec<VersionKind> = syncer.history().list(&key).unwrap().iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [VersionKind::Baseline, VersionKind::Sync]);
    assert!(syncer.history().pending(&key).unwrap().is_empty());
    let again = sync_file(&mut syncer, &dir.file("v2b.sql", V2), &target);
    assert_eq!(again[0].status, TargetStatus::Unchanged, "{again:?}");
}

/// A read-only history on a server target: refused, schema unchanged.
fn server_target_unchanged_with_a_read_only_history(server: Server, v1: &str, v2: &str) {
    let Some(fs) = Tmpfs::mount("1m") else { return };
    let Some(db) = ServerDb::create(server, "ro_history") else { return };
    db.exec(v1);
    let dir = TestDir::new();
    let history = fs.path("history.db");
    let target = Location::parse(db.url()).unwrap();
    Syncer::new(SqliteHistory::open(&history).expect("history")).snapshot(&target, "before").expect("snapshot");
    fs.remount_read_only();

    let mut syncer = Syncer::new(SqliteHistory::open(&history).expect("history"));
    let before = syncer.inspect(&target).unwrap().schema;
    let reports = sync_file(&mut syncer, &dir.file("v2.sql", v2), &target);
    assert_refused_by_history(&reports[0], &history, "readonly");
    let after = syncer.inspect(&target).unwrap().schema;
    assert_eq!(after.content_hash(), before.content_hash(), "the target changed");
    assert!(after.to_canonical_json().contains("audit"), "the DROP ran");
}

#[test]
fn postgres_target_unchanged_with_a_read_only_history() {
    server_target_unchanged_with_a_read_only_history(
        Server::Postgres,
        "CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE audit (id int PRIMARY KEY);",
        "CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text);",
    );
}

#[test]
fn mysql_target_unchanged_with_a_read_only_history() {
    server_target_unchanged_with_a_read_only_history(
        Server::MySql,
        "CREATE TABLE users (id int PRIMARY KEY, name varchar(20) NOT NULL); CREATE TABLE audit (id int PRIMARY KEY);",
        "CREATE TABLE users (id int PRIMARY KEY, name varchar(20) NOT NULL, email varchar(50));",
    );
}
