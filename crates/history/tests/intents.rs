//! Apply intents of the SQLite store: the file layout before intents and
//! its migration, and every way a file can refuse to be written. The
//! store-independent intent rules are in `contract/mod.rs`.

mod faults;

use faults::Tmpfs;
use schemasync_history::{HistoryError, HistoryStore, NewIntent, NewVersion, Outcome, SqliteHistory, VersionKind};
use schemasync_model::{Dialect, Schema};
use std::path::Path;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn intent(database: &str, script: &str) -> NewIntent {
    NewIntent {
        database: database.to_owned(),
        kind: VersionKind::Sync,
        from_hash: "from".to_owned(),
        to_hash: "to".to_owned(),
        script: script.to_owned(),
        message: "sync from test".to_owned(),
    }
}

fn version(database: &str, kind: VersionKind) -> NewVersion {
    NewVersion {
        database: database.to_owned(),
        kind,
        schema: Schema::new(Dialect::Sqlite),
        script: "CREATE TABLE t (id integer);".to_owned(),
        message: "after".to_owned(),
    }
}

/// The layout of the first format, exactly as that code created it.
const FORMAT_1: &str = "
CREATE TABLE versions (
    database   TEXT    NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    kind       TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    snapshot   TEXT    NOT NULL,
    script     TEXT    NOT NULL,
    statements INTEGER NOT NULL,
    parent     INTEGER,
    created_at TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    PRIMARY KEY (database, number)
);
PRAGMA application_id = 1397971278;
PRAGMA user_version = 1;
";

fn format_1_file(path: &Path) -> TestResult {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(FORMAT_1)?;
    let snapshot = Schema::new(Dialect::Sqlite).normalized();
    conn.execute(
        "INSERT INTO versions VALUES ('db', 1, 'baseline', ?1, ?2, '', 0, NULL, '2026-01-01T00:00:00Z', 'old')",
        rusqlite::params![snapshot.content_hash(), snapshot.to_canonical_json()],
    )?;
    Ok(())
}

fn user_version(path: &Path) -> Result<i64, rusqlite::Error> {
    rusqlite::Connection::open(path)?.query_row("PRAGMA user_version", [], |r| r.get(0))
}

#[test]
fn a_history_of_the_first_format_is_read_as_is_and_migrated_when_opened_for_writing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("old.db");
    format_1_file(&path)?;
    let before = std::fs::read(&path)?;

    let reader = SqliteHistory::open_read_only(&path)?;
    assert_eq!(reader.list("db")?.len(), 1);
    assert!(reader.pending("db")?.is_empty());
    drop(reader);
    assert_eq!(std::fs::read(&path)?, before, "reading migrated the file");

    let mut history = SqliteHistory::open(&path)?;
    assert_eq!(user_version(&path)?, 2);
    assert_eq!(history.get("db", 1)?.message, "old");
    let id = history.begin(intent("db", "CREATE TABLE t (id integer);"))?;
    let v2 = history.complete(id, Outcome::Applied(version("db", VersionKind::Sync)))?;
    assert_eq!(v2.map(|v| (v.number, v.parent)), Some((2, Some(1))));
    drop(history);
    // Opening again finds the new layout and leaves it alone.
    let again = SqliteHistory::open(&path)?;
    assert_eq!(again.list("db")?.len(), 2);
    Ok(())
}

fn assert_not_writable(result: Result<impl std::fmt::Debug, HistoryError>, path: &Path, cause: &str) {
    match result {
        Err(error @ HistoryError::NotWritable { .. }) => {
            let text = error.to_string();
            assert!(text.contains(&path.display().to_string()), "{text}");
            assert!(text.contains(cause), "expected {cause:?} in {text}");
        }
        other => panic!("expected NotWritable for {}, got {other:?}", path.display()),
    }
}

#[test]
fn a_read_only_file_system_refuses_the_intent() -> TestResult {
    let Some(fs) = Tmpfs::mount("1m") else { return Ok(()) };
    let path = fs.path("history.db");
    SqliteHistory::open(&path)?.record(version("db", VersionKind::Baseline))?;
    fs.remount_read_only();
    let before = std::fs::read(&path)?;
    let mut history = SqliteHistory::open(&path)?;
    assert_not_writable(history.begin(intent("db", "DROP TABLE t;")), &path, "readonly");
    assert!(history.pending("db")?.is_empty());
    assert_eq!(history.list("db")?.len(), 1, "still readable");
    assert_eq!(std::fs::read(&path)?, before);
    Ok(())
}

#[test]
fn a_read_only_file_system_refuses_a_migration_but_reads() -> TestResult {
    let Some(fs) = Tmpfs::mount("1m") else { return Ok(()) };
    let path = fs.path("old.db");
    format_1_file(&path)?;
    fs.remount_read_only();
    assert_not_writable(SqliteHistory::open(&path), &path, "readonly");
    assert_eq!(SqliteHistory::open_read_only(&path)?.list("db")?.len(), 1);
    Ok(())
}

#[test]
fn a_full_disk_refuses_the_intent() -> TestResult {
    let Some(fs) = Tmpfs::mount("64k") else { return Ok(()) };
    let path = fs.path("history.db");
    let mut history = SqliteHistory::open(&path)?;
    fs.fill();
    let before = std::fs::read(&path)?;
    // Larger than what is left, so the file must grow.
    let script = "CREATE TABLE t (id integer);\n".repeat(4000);
    assert_not_writable(history.begin(intent("db", &script)), &path, "full");
    assert!(history.pending("db")?.is_empty());
    assert_eq!(std::fs::read(&path)?, before);
    Ok(())
}

#[test]
fn a_locked_file_refuses_the_intent() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("history.db");
    let mut history = SqliteHistory::open(&path)?;
    let holder = rusqlite::Connection::open(&path)?;
    holder.execute_batch("BEGIN EXCLUSIVE")?;
    assert_not_writable(history.begin(intent("db", "x")), &path, "locked");
    holder.execute_batch("ROLLBACK")?;
    history.begin(intent("db", "x"))?;
    Ok(())
}

#[test]
fn a_corrupt_file_is_refused_naming_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("history.db");
    std::fs::write(&path, "garbage ".repeat(512))?;
    for result in [SqliteHistory::open(&path), SqliteHistory::open_read_only(&path)] {
        match result {
            Err(error @ HistoryError::Corrupt { .. }) => {
                assert!(error.to_string().contains(&path.display().to_string()), "{error}")
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    assert_eq!(std::fs::read(&path)?, "garbage ".repeat(512).into_bytes());
    Ok(())
}
