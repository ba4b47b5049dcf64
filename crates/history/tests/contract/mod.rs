//! The contract every history store keeps, as functions generic over a
//! [`Backend`] (how to make a fresh history and open stores on it), and
//! [`contract_tests!`], which instantiates each as a `#[test]` for one
//! backend. `sqlite_history.rs` and `postgres_history.rs` run it.
#![allow(dead_code)]

use schemasync_history::{
    HistoryError, HistoryStore, IntentId, IntentStatus, NewIntent, NewVersion, Outcome, Version, VersionKind,
};
use schemasync_model::{Column, Dialect, Index, Schema, Table};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A fresh, empty history of one kind, and how to open stores on it (as
/// separate processes or machines would).
pub trait Backend: Sized + Sync {
    type Store: HistoryStore + Send;
    /// The name of the versions table, for damaging rows with raw SQL.
    const VERSIONS: &'static str;

    /// A new empty history; `None` when this backend cannot be tested here
    /// (after one SKIP line).
    fn fresh() -> Option<Self>;
    fn open(&self) -> Result<Self::Store, HistoryError>;
    fn open_read_only(&self) -> Result<Self::Store, HistoryError>;
    /// Run raw SQL on the history's storage.
    fn exec(&self, sql: &str) -> TestResult;
    /// Everything stored, byte for byte, to prove that a reader wrote nothing.
    fn contents(&self) -> Result<Vec<u8>, Box<dyn std::error::Error>>;
    /// The key `own_database_key` must return.
    fn own_key(&self) -> Result<Option<String>, Box<dyn std::error::Error>>;
}

/// One `#[test]` per contract function, for the backend type given.
macro_rules! contract_tests {
    ($backend:ty) => {
        $crate::contract::contract_tests!(@each $backend;
            numbers_versions_per_database_with_a_parent_chain,
            getting_a_missing_version_names_it,
            snapshots_round_trip_with_the_same_hash,
            versions_serialize_as_json,
            history_persists_across_reopen,
            damaged_rows_are_errors_not_panics,
            concurrent_writers_get_distinct_numbers,
            two_stores_see_each_others_records,
            one_intent_completed_by_two_stores_at_once_is_completed_once,
            an_intent_is_pending_until_completed_with_its_version,
            not_applied_records_no_version_and_an_interrupted_intent_can_still_be_completed,
            a_pending_intent_survives_the_process_and_is_seen_read_only,
            the_store_names_its_own_database,
        );
    };
    (@each $backend:ty; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() -> contract::TestResult {
                match <$backend as contract::Backend>::fresh() {
                    Some(backend) => contract::$name(&backend),
                    None => Ok(()),
                }
            }
        )*
    };
}
pub(crate) use contract_tests;

pub fn schema(tables: &[&str]) -> Result<Schema, schemasync_model::ModelError> {
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

pub fn new_version(
    database: &str,
    kind: VersionKind,
    tables: &[&str],
) -> Result<NewVersion, schemasync_model::ModelError> {
    Ok(NewVersion {
        database: database.to_owned(),
        kind,
        schema: schema(tables)?,
        script: tables.iter().map(|t| format!("CREATE TABLE {t} (id integer);\n")).collect(),
        message: format!("{} tables", tables.len()),
    })
}

pub fn intent(database: &str, script: &str) -> NewIntent {
    NewIntent {
        database: database.to_owned(),
        kind: VersionKind::Sync,
        from_hash: "from".to_owned(),
        to_hash: "to".to_owned(),
        script: script.to_owned(),
        message: "sync from test".to_owned(),
    }
}

pub fn version(database: &str, kind: VersionKind) -> NewVersion {
    NewVersion {
        database: database.to_owned(),
        kind,
        schema: Schema::new(Dialect::Sqlite),
        script: "CREATE TABLE t (id integer);".to_owned(),
        message: "after".to_owned(),
    }
}

pub fn numbers_versions_per_database_with_a_parent_chain<B: Backend>(backend: &B) -> TestResult {
    let mut history = backend.open()?;
    assert!(history.latest("a")?.is_none());
    assert!(history.list("a")?.is_empty());
    assert!(history.databases()?.is_empty());

    let a1 = history.record(new_version("a", VersionKind::Baseline, &[])?)?;
    let b1 = history.record(new_version("b", VersionKind::Baseline, &["x"])?)?;
    let a2 = history.record(new_version("a", VersionKind::Sync, &["users"])?)?;
    let a3 = history.record(new_version("a", VersionKind::Rollback, &[])?)?;
    // Sorted bytewise, whatever the storage's collation.
    history.record(new_version("B", VersionKind::Baseline, &[])?)?;
    history.record(new_version("a-b", VersionKind::Baseline, &[])?)?;

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
    assert_eq!(history.databases()?, ["B", "a", "a-b", "b"]);
    assert!(a1.created_at.ends_with('Z') && a1.created_at.len() == 20, "{}", a1.created_at);
    Ok(())
}

pub fn getting_a_missing_version_names_it<B: Backend>(backend: &B) -> TestResult {
    let mut history = backend.open()?;
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

pub fn snapshots_round_trip_with_the_same_hash<B: Backend>(backend: &B) -> TestResult {
    let mut history = backend.open()?;
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

pub fn versions_serialize_as_json<B: Backend>(backend: &B) -> TestResult {
    let mut history = backend.open()?;
    let version = history.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    let json = serde_json::to_string(&version)?;
    assert!(json.contains("\"kind\":\"sync\""));
    let back: Version = serde_json::from_str(&json)?;
    assert_eq!(back, version);
    Ok(())
}

pub fn history_persists_across_reopen<B: Backend>(backend: &B) -> TestResult {
    {
        let mut history = backend.open()?;
        history.record(new_version("db", VersionKind::Baseline, &[])?)?;
        history.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    }
    let mut history = backend.open()?;
    assert_eq!(history.list("db")?.len(), 2);
    let third = history.record(new_version("db", VersionKind::Snapshot, &["t", "u"])?)?;
    assert_eq!((third.number, third.parent), (3, Some(2)));
    assert_eq!(history.get("db", 2)?.schema, schema(&["t"])?);
    Ok(())
}

pub fn damaged_rows_are_errors_not_panics<B: Backend>(backend: &B) -> TestResult {
    let mut history = backend.open()?;
    history.record(new_version("db", VersionKind::Baseline, &[])?)?;
    history.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    backend.exec(&format!("UPDATE {} SET kind = 'bogus' WHERE number = 1", B::VERSIONS))?;
    backend.exec(&format!("UPDATE {} SET snapshot = '{{not json' WHERE number = 2", B::VERSIONS))?;
    assert!(matches!(history.list("db"), Err(HistoryError::CorruptRecord { number: 1, .. })));
    assert!(matches!(history.get("db", 2), Err(HistoryError::CorruptRecord { number: 2, .. })));
    assert!(matches!(history.latest("db"), Err(HistoryError::CorruptRecord { number: 2, .. })));
    Ok(())
}

pub fn concurrent_writers_get_distinct_numbers<B: Backend>(backend: &B) -> TestResult {
    const PER_WRITER: usize = 15;
    // Both writers open the new history at the same time, too.
    let all = std::thread::scope(|scope| -> Result<Vec<u64>, String> {
        let writers: Vec<_> = (0..2)
            .map(|writer| {
                scope.spawn(move || -> Result<Vec<u64>, String> {
                    let mut history = backend.open().map_err(|e| e.to_string())?;
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
        Ok(all)
    });
    let mut all = all?;
    all.sort_unstable();
    assert_eq!(all, (1..=2 * PER_WRITER as u64).collect::<Vec<_>>());

    let history = backend.open()?;
    let listed = history.list("shared")?;
    assert_eq!(listed.len(), 2 * PER_WRITER);
    for version in listed {
        assert_eq!(version.parent, version.number.checked_sub(1).filter(|&p| p > 0));
    }
    Ok(())
}

pub fn two_stores_see_each_others_records<B: Backend>(backend: &B) -> TestResult {
    let mut here = backend.open()?;
    let mut there = backend.open()?;
    let reader = backend.open_read_only()?;
    here.record(new_version("db", VersionKind::Baseline, &[])?)?;
    let second = there.record(new_version("db", VersionKind::Sync, &["t"])?)?;
    assert_eq!((second.number, second.parent), (2, Some(1)));
    assert_eq!(here.latest("db")?, Some(second.clone()));
    assert_eq!(reader.latest("db")?, Some(second));
    // An intent begun on one machine is pending on the other, which settles it.
    let id = here.begin(intent("db", "CREATE TABLE u (id integer);"))?;
    assert_eq!(there.pending("db")?.iter().map(|i| i.id).collect::<Vec<_>>(), [id]);
    there.complete(id, Outcome::Interrupted { version: None, note: "found unchanged".into() })?;
    assert!(here.pending("db")?.is_empty() && reader.pending("db")?.is_empty());
    // Its owner was only slow: it may still complete it, once.
    let third = here.complete(id, Outcome::Applied(version("db", VersionKind::Sync)))?;
    assert_eq!(third.map(|v| v.number), Some(3));
    assert!(matches!(
        there.complete(id, Outcome::NotApplied { error: "x".into() }),
        Err(HistoryError::IntentClosed { .. })
    ));
    assert_eq!(reader.list("db")?.len(), 3);
    assert_eq!(reader.databases()?, ["db"]);
    Ok(())
}

pub fn one_intent_completed_by_two_stores_at_once_is_completed_once<B: Backend>(backend: &B) -> TestResult {
    const ROUNDS: usize = 10;
    let mut owner = backend.open()?;
    for _ in 0..ROUNDS {
        let id = owner.begin(intent("db", "x"))?;
        let results = std::thread::scope(|scope| {
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(move || -> Result<Option<u64>, String> {
                        let mut store = backend.open().map_err(|e| e.to_string())?;
                        match store.complete(id, Outcome::Applied(version("db", VersionKind::Sync))) {
                            Ok(recorded) => Ok(recorded.map(|v| v.number)),
                            Err(HistoryError::IntentClosed { .. }) => Ok(None),
                            Err(other) => Err(other.to_string()),
                        }
                    })
                })
                .collect();
            runs.into_iter().map(|run| run.join().unwrap_or_else(|_| Err("panicked".into()))).collect::<Vec<_>>()
        });
        let recorded: Vec<u64> = results.into_iter().collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect();
        assert_eq!(recorded.len(), 1, "completed {} times", recorded.len());
    }
    assert_eq!(owner.list("db")?.len(), ROUNDS);
    Ok(())
}

pub fn an_intent_is_pending_until_completed_with_its_version<B: Backend>(backend: &B) -> TestResult {
    let mut history = backend.open()?;
    let id = history.begin(intent("db", "CREATE TABLE t (id integer);"))?;
    let pending = history.pending("db")?;
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].id, pending[0].status), (id, IntentStatus::Pending));
    assert_eq!((pending[0].from_hash.as_str(), pending[0].to_hash.as_str()), ("from", "to"));
    assert_eq!(pending[0].script, "CREATE TABLE t (id integer);");
    assert_eq!((pending[0].kind, pending[0].message.as_str()), (VersionKind::Sync, "sync from test"));
    assert_eq!((pending[0].version, pending[0].completed_at.as_deref()), (None, None));
    assert!(pending[0].created_at.ends_with('Z') && pending[0].created_at.len() == 20);
    assert!(history.pending("other")?.is_empty());
    assert!(history.list("db")?.is_empty(), "an intent is not a version");

    let recorded = history.complete(id, Outcome::Applied(version("db", VersionKind::Sync)))?;
    assert_eq!(recorded.map(|v| v.number), Some(1));
    assert!(history.pending("db")?.is_empty());
    assert_eq!(history.list("db")?.len(), 1);
    // Once is enough.
    match history.complete(id, Outcome::NotApplied { error: "again".into() }) {
        Err(HistoryError::IntentClosed { id: closed, status, .. }) => {
            assert_eq!((closed, status.as_str()), (id.0, "applied"))
        }
        other => panic!("expected IntentClosed, got {other:?}"),
    }
    for missing in [999, u64::MAX] {
        assert!(matches!(
            history.complete(IntentId(missing), Outcome::NotApplied { error: String::new() }),
            Err(HistoryError::NoSuchIntent { id, .. }) if id == missing
        ));
    }
    Ok(())
}

pub fn not_applied_records_no_version_and_an_interrupted_intent_can_still_be_completed<B: Backend>(
    backend: &B,
) -> TestResult {
    let mut history = backend.open()?;
    let failed = history.begin(intent("db", "x"))?;
    assert_eq!(history.complete(failed, Outcome::NotApplied { error: "syntax".into() })?, None);
    assert!(history.list("db")?.is_empty() && history.pending("db")?.is_empty());

    // A later run found it pending (its owner was only slow), then the owner finished.
    let slow = history.begin(intent("db", "y"))?;
    history.complete(slow, Outcome::Interrupted { version: None, note: "found unchanged".into() })?;
    let done = history.complete(slow, Outcome::Applied(version("db", VersionKind::Sync)))?;
    assert_eq!(done.map(|v| v.number), Some(1));
    // A failed run records the state it reached.
    let partial = history.begin(intent("db", "z"))?;
    let reached = history.complete(
        partial,
        Outcome::Failed { version: version("db", VersionKind::Failed), error: "statement 2 failed".into() },
    )?;
    assert_eq!(reached.map(|v| (v.number, v.kind)), Some((2, VersionKind::Failed)));
    Ok(())
}

pub fn a_pending_intent_survives_the_process_and_is_seen_read_only<B: Backend>(backend: &B) -> TestResult {
    let id = backend.open()?.begin(intent("db", "CREATE TABLE t (id integer);"))?;
    let before = backend.contents()?;
    let mut reader = backend.open_read_only()?;
    assert_eq!(reader.pending("db")?.iter().map(|i| i.id).collect::<Vec<_>>(), [id]);
    assert!(matches!(reader.begin(intent("db", "")), Err(HistoryError::NotWritable { .. })));
    assert!(matches!(reader.record(version("db", VersionKind::Sync)), Err(HistoryError::NotWritable { .. })));
    assert!(matches!(
        reader.complete(id, Outcome::NotApplied { error: String::new() }),
        Err(HistoryError::NotWritable { .. })
    ));
    drop(reader);
    assert!(backend.contents()? == before, "a read-only store wrote the history");
    let mut writer = backend.open()?;
    writer
        .complete(id, Outcome::Interrupted { version: Some(version("db", VersionKind::Failed)), note: "n".into() })?;
    assert!(writer.pending("db")?.is_empty());
    assert_eq!(writer.latest("db")?.map(|v| v.kind), Some(VersionKind::Failed));
    Ok(())
}

pub fn the_store_names_its_own_database<B: Backend>(backend: &B) -> TestResult {
    let expected = backend.own_key()?;
    assert_eq!(backend.open()?.own_database_key()?, expected);
    assert_eq!(backend.open_read_only()?.own_database_key()?, expected);
    Ok(())
}
