use schemasync_history::{HistoryError, HistoryStore, NewVersion, SqliteHistory, Version, VersionKind};
use schemasync_model::{Column, Dialect, Index, Schema, Table};
use std::path::Path;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn schema(tables: &[&str]) -> Result<Schema, schemasync_model::ModelError> {
    let mut schema = Schema::new(Dialect::Postgres);
    for name in tables {
        schema.add_table(
            Table::new(*name)
                .with_column(Column::new("id", "integer").not_null())
                .with_column(Column::new("email", "text").not_null().default_expr("''"))
                .with_primary_key(["id"])
                .with_index(Index::on_columns(format!("{name}_email"), ["email"]).unique()),
        )?;
    }
    Ok(schema)
}

fn new_version(database: &str, kind: VersionKind, tables: &[&str]) -> Result<NewVersion, schemasync_model::ModelError> {
    Ok(NewVersion {
        database: database.to_owned(),
        kind,
        schema: schema(tables)?,
        script: tables.iter().map(|t| format!("CREATE TABLE {t} (id integer);\n")).collect(),
        message: format!("{} tables", tables.len()),
    })
}

#[test]
fn numbers_versions_per_database_with_a_parent_chain() -> TestResult {
    let mut history = SqliteHistory::in_memory()?;
    assert!(history.latest("a")?.is_none());
    assert!(history.list("a")?.is_empty());
    assert!(history.databases()?.is_empty());

    let a1 = history.record(new_version("a", VersionKind::Baseline, &[])?)?;
    let b1 = history.record(new_version("b", VersionKind::Baseline, &["x"])?)?;
    let a2 = history.record(new_version("a", VersionKind::Sync, &["users"])?)?;
    let a3 = history.record(new_version("a", VersionKind::Rollback, &[])?)?;

    assert_eq!((a1.number, a1.parent), (1, None));
    assert_eq!((b1.number, b1.parent), (1, None));
    assert_eq!((a2.number, a2.parent), (2, Some(1)));
    assert_eq!((a3.number, a3.parent), (3, Some(2)));
    assert_eq!(a1.hash, a3.hash);
    assert_ne!(a1.hash, a2.hash);

    let listed = history.list("a")?;
    assert_eq!(listed.iter().map(|v| v.number).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(listed[1], a2.summary());
    assert_eq!(listed[1].statements, 1);
    assert_eq!(listed[1].kind, VersionKind::Sync);
    assert_eq!(history.latest("a")?, Some(a3.clone()));
    assert_eq!(history.get("a", 2)?, a2);
    assert_eq!(history.databases()?, ["a", "b"]);
    assert!(a1.created_at.ends_with('Z') && a1.created_at.len() == 20);
    Ok(())
}

#[test]
fn getting_a_missing_version_names_it() -> TestResult {
    let mut history = SqliteHistory::in_memory()?;
    history.record(new_version("db", VersionKind::Baseline, &[])?)?;
    for number in [0, 2, u64::MAX] {
        match history.get("db", number) {
            Err(HistoryError::NoSuchVersion { database, number: n }) => {
                assert_eq!((database.as_str(), n), ("db", number))
            }
            other => panic!("expected NoSuchVersion, got {other:?}"),
        }
    }
    assert!(matches!(history.get("other", 1), Err(HistoryError::NoSuchVersion { .. })));
    Ok(())
}

#[test]
fn snapshots_round_trip_with_the_same_hash() -> TestResult {
    let mut history = SqliteHistory::in_memory()?;
    let original = schema(&["users", "orders", "ünïcode \"quoted\""])?;
    let recorded = history.record(NewVersion {
        database: "postgres://db:5432/hr".into(),
        kind: VersionKind::Snapshot,
        schema: original.clone(),
        script: String::new(),
        message: "it's '); DROP TABLE versions; --".into(),
    })?;
    assert_eq!(recorded.hash, original.content_hash());
    let read = history.get("postgres://db:5432/hr", 1)?;
    assert_eq!(read.schema.content_hash(), original.content_hash());
    assert_eq!(read.schema, original.normalized());
    assert_eq!(read.message, "it's '); DROP TABLE versions; --");
    assert_eq!(read, recorded);
    assert_eq!(history.list("postgres://db:5432/hr")?[0].statements, 0);
    Ok(())
}

#[test]
fn versions_serialize_as_json() -> TestResult {
    let mut history = SqliteHistory::in_memory()?;
    let version = history.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    let json = serde_json::to_string(&version)?;
    assert!(json.contains("\"kind\":\"sync\""));
    let back: Version = serde_json::from_str(&json)?;
    assert_eq!(back, version);
    Ok(())
}

#[test]
fn history_persists_across_reopen() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("nested").join("deeper").join("history.db");
    {
        let mut history = SqliteHistory::open(&path)?;
        history.record(new_version("db", VersionKind::Baseline, &[])?)?;
        history.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    }
    assert!(path.is_file());
    let mut history = SqliteHistory::open(&path)?;
    assert_eq!(history.path(), path);
    assert_eq!(history.list("db")?.len(), 2);
    let third = history.record(new_version("db", VersionKind::Snapshot, &["t", "u"])?)?;
    assert_eq!((third.number, third.parent), (3, Some(2)));
    assert_eq!(history.get("db", 2)?.schema, schema(&["t"])?);
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

#[test]
fn damaged_rows_are_errors_not_panics() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("history.db");
    let mut history = SqliteHistory::open(&path)?;
    history.record(new_version("db", VersionKind::Baseline, &[])?)?;
    history.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    let conn = rusqlite::Connection::open(&path)?;
    conn.execute("UPDATE versions SET kind = 'bogus' WHERE number = 1", [])?;
    conn.execute("UPDATE versions SET snapshot = '{not json' WHERE number = 2", [])?;
    assert!(matches!(history.list("db"), Err(HistoryError::CorruptRecord { number: 1, .. })));
    assert!(matches!(history.get("db", 2), Err(HistoryError::CorruptRecord { number: 2, .. })));
    assert!(matches!(history.latest("db"), Err(HistoryError::CorruptRecord { number: 2, .. })));
    Ok(())
}

#[test]
fn concurrent_writers_get_distinct_numbers() -> TestResult {
    const PER_WRITER: usize = 15;
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("history.db");
    // Both writers open the new file at the same time, too.
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let path = path.clone();
            std::thread::spawn(move || -> Result<Vec<u64>, String> {
                let mut history = SqliteHistory::open(&path).map_err(|e| e.to_string())?;
                let mut numbers = Vec::new();
                for i in 0..PER_WRITER {
                    let new = NewVersion {
                        database: "shared".into(),
                        kind: VersionKind::Sync,
                        schema: Schema::new(Dialect::Sqlite),
                        script: String::new(),
                        message: format!("writer {writer} step {i}"),
                    };
                    numbers.push(history.record(new).map_err(|e| e.to_string())?.number);
                }
                Ok(numbers)
            })
        })
        .collect();
    let mut all = Vec::new();
    for writer in writers {
        let numbers = writer.join().map_err(|_| "writer thread panicked")??;
        assert!(numbers.windows(2).all(|w| w[0] < w[1]));
        all.extend(numbers);
    }
    all.sort_unstable();
    assert_eq!(all, (1..=2 * PER_WRITER as u64).collect::<Vec<_>>());

    let history = SqliteHistory::open(&path)?;
    let listed = history.list("shared")?;
    assert_eq!(listed.len(), 2 * PER_WRITER);
    for version in listed {
        assert_eq!(version.parent, version.number.checked_sub(1).filter(|&p| p > 0));
    }
    Ok(())
}
