//! One fixture per object kind on the real servers: `tests/fixtures/<engine>/
//! <kind>/a.sql` and `b.sql` are two states of the same objects. Each runs
//! the whole cycle on one database: create (empty → a), alter (a → b), alter
//! back (b → a), drop (a → empty); every step must apply cleanly, leave no
//! warning, and end with an empty re-diff.

use std::path::{Path, PathBuf};

use schemasync::{Location, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{Server, ServerDb};

fn fixtures(engine: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(engine);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.join("a.sql").is_file() && p.join("b.sql").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no fixtures under {}", root.display());
    dirs
}

/// Apply `wanted` to `target` and check the result; the step's name in errors.
fn step(syncer: &mut Syncer<SqliteHistory>, wanted: &Schema, target: &Location, what: &str) -> Result<(), String> {
    let options = SyncOptions::default().allow_destructive(true).create_missing(true);
    let plan = syncer.plan(wanted, what, target, &options).map_err(|e| format!("{what}: plan: {e}"))?;
    let sql = plan.script.to_sql();
    let report = syncer.apply(&plan, &options);
    if !matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged) {
        return Err(format!("{what}: {:?}: {}\n{sql}", report.status, report.error.unwrap_or_default()));
    }
    if !report.warnings.is_empty() {
        return Err(format!("{what}: {:?}\n{sql}", report.warnings));
    }
    let again = syncer.plan(wanted, what, target, &options).map_err(|e| format!("{what}: re-plan: {e}"))?;
    if !again.script.is_empty() {
        return Err(format!("{what}: re-diff not empty:\n{}\n--- applied ---\n{sql}", again.script.to_sql()));
    }
    Ok(())
}

fn run_all(server: Server, engine: &str) {
    let mut failures = Vec::new();
    for dir in fixtures(engine) {
        let kind = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let Some(db) = ServerDb::reserve(server, &format!("fx_{kind}")) else { return };
        let target = Location::parse(db.url()).expect("test URL");
        let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
        let result = (|| -> Result<(), String> {
            let read = |file: &str| {
                syncer
                    .resolve(&Source::SqlFile(dir.join(file)), Some(&target))
                    .map(|r| r.schema)
                    .map_err(|e| format!("{kind}: reading {file}: {e}"))
            };
            let (a, b) = (read("a.sql")?, read("b.sql")?);
            if a == b {
                return Err(format!("{kind}: a.sql and b.sql read the same"));
            }
            let empty = Schema::new(a.dialect);
            step(&mut syncer, &a, &target, &format!("{kind}: create"))?;
            step(&mut syncer, &b, &target, &format!("{kind}: alter a -> b"))?;
            step(&mut syncer, &a, &target, &format!("{kind}: alter b -> a"))?;
            step(&mut syncer, &empty, &target, &format!("{kind}: drop"))
        })();
        if let Err(e) = result {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn postgres_fixture_per_object_kind_creates_alters_both_ways_and_drops() {
    run_all(Server::Postgres, "postgres");
}

#[test]
fn mysql_fixture_per_object_kind_creates_alters_both_ways_and_drops() {
    run_all(Server::MySql, "mysql");
}
