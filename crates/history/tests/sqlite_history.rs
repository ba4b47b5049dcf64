//! The SQLite store: the shared contract (`contract/mod.rs`) on a file in a
//! temporary directory, and what is particular to files.

mod contract;

use contract::{Backend, TestResult, new_version, schema};
use schemasync_history::{HistoryError, HistoryStore, SqliteHistory, VersionKind};
use std::path::{Path, PathBuf};

/// A history file in a fresh temporary directory (in folders that do not
/// exist yet, which opening creates).
struct SqliteFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Backend for SqliteFile {
    type Store = SqliteHistory;
    const VERSIONS: &'static str = "versions";

    fn fresh() -> Option<Self> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("nested").join("deeper").join("history.db");
        Some(SqliteFile { _dir: dir, path })
    }

    fn open(&self) -> Result<SqliteHistory, HistoryError> {
        SqliteHistory::open(&self.path)
    }

    fn open_read_only(&self) -> Result<SqliteHistory, HistoryError> {
        SqliteHistory::open_read_only(&self.path)
    }

    fn exec(&self, sql: &str) -> TestResult {
        rusqlite::Connection::open(&self.path)?.execute_batch(sql)?;
        Ok(())
    }

    fn contents(&self) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        Ok(std::fs::read(&self.path)?)
    }

    fn own_key(&self) -> Result<Option<String>, Box<dyn std::error::Error>> {
        let dotted = self.path.parent().map(|p| p.join(".").join("history.db")).unwrap_or_default();
        Ok(Some(schemasync_history::database_key_for_sqlite(&dotted)?))
    }
}

contract::contract_tests!(SqliteFile);

#[test]
fn an_in_memory_store_keeps_the_contract_while_it_lives() -> TestResult {
    let mut history = SqliteHistory::in_memory()?;
    let v1 = history.record(new_version("a", VersionKind::Baseline, &[])?)?;
    assert_eq!(history.get("a", 1)?, v1);
    assert_eq!(history.own_database_key()?, None);
    assert_eq!(history.path(), Path::new(":memory:"));
    Ok(())
}

#[test]
fn the_file_is_created_with_its_folders_and_named() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("nested").join("deeper").join("history.db");
    SqliteHistory::open(&path)?.record(new_version("db", VersionKind::Baseline, &[])?)?;
    assert!(path.is_file());
    let history = SqliteHistory::open(&path)?;
    assert_eq!(history.path(), path);
    assert_eq!(history.get("db", 1)?.schema, schema(&[])?);
    Ok(())
}

fn expect_corrupt(path: &Path) {
    match SqliteHistory::open(path) {
        Err(err @ HistoryError::Corrupt { .. }) => {
            let message = err.to_string();
            assert!(message.contains("not a usable schemasync history file"), "{message}");
            assert!(message.contains(&path.display().to_string()), "{message}");
        }
        other => panic!("expected Corrupt for {}, got {other:?}", path.display()),
    }
}

#[test]
fn refuses_files_that_are_not_a_history() -> TestResult {
    let dir = tempfile::tempdir()?;

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, (0..4096u32).map(|i| (i * 7 % 251) as u8).collect::<Vec<_>>())?;
    expect_corrupt(&garbage);

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "just some notes, not a database at all\n".repeat(20))?;
    expect_corrupt(&text);

    let foreign = dir.path().join("foreign.db");
    {
        let conn = rusqlite::Connection::open(&foreign)?;
        conn.execute_batch("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); PRAGMA user_version = 7;")?;
    }
    expect_corrupt(&foreign);
    // Refusing must not have changed the file.
    let conn = rusqlite::Connection::open(&foreign)?;
    let version: i64 = conn.query_row("SELECT user_version FROM pragma_user_version", [], |r| r.get(0))?;
    assert_eq!(version, 7);

    let unversioned = dir.path().join("unversioned.db");
    rusqlite::Connection::open(&unversioned)?.execute_batch("CREATE TABLE versions (x)")?;
    expect_corrupt(&unversioned);
    Ok(())
}

#[test]
fn refuses_a_history_from_a_newer_schemasync() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("history.db");
    drop(SqliteHistory::open(&path)?);
    rusqlite::Connection::open(&path)?.execute_batch("PRAGMA user_version = 99")?;
    match SqliteHistory::open(&path) {
        Err(HistoryError::UnsupportedFormat { found: 99, supported: 2, .. }) => Ok(()),
        other => panic!("expected UnsupportedFormat, got {other:?}"),
    }
}
