//! Real-world PostgreSQL and MySQL schemas (from `SCHEMASYNC_CORPUS_DIR`):
//! each syncs from its `.sql` file into a new database, a second plan is
//! empty, syncing back to empty and again from the file converges.

use schemasync::{EngineOptions, Location, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{Server, ServerDb, corpus};

fn sync_ok(syncer: &mut Syncer<SqliteHistory>, wanted: &Schema, target: &Location, what: &str) -> Result<(), String> {
    let options = SyncOptions::default().allow_destructive(true).create_missing(true);
    let plan = syncer.plan(wanted, what, target, &options).map_err(|e| format!("{what}: plan: {e}"))?;
    let report = syncer.apply(&plan, &options);
    if !matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged) {
        return Err(format!("{what}: {:?}: {}", report.status, report.error.unwrap_or_default()));
    }
    if !report.warnings.is_empty() {
        return Err(format!("{what}: {:?}", report.warnings));
    }
    let again = syncer.plan(wanted, what, target, &options).map_err(|e| format!("{what}: replan: {e}"))?;
    if !again.plan.is_empty() {
        return Err(format!("{what}: second plan not empty:\n{}", again.script.to_sql()));
    }
    Ok(())
}

fn converge_all(server: Server, engine: &str, options: &EngineOptions) {
    let Some(files) = corpus(engine) else { return };
    let mut failures = Vec::new();
    for file in files {
        let name = file.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let Some(db) = ServerDb::reserve(server, &format!("corpus_{name}")) else { return };
        let target = Location::parse(db.url()).expect("test URL");
        let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history")).with_engine_options(options.clone());
        let result = (|| -> Result<(), String> {
            let wanted = syncer
                .resolve(&Source::SqlFile(file.clone()), Some(&target))
                .map_err(|e| format!("{name}: reading: {e}"))?
                .schema;
            sync_ok(&mut syncer, &wanted, &target, &format!("{name}: into a new database"))?;
            sync_ok(&mut syncer, &Schema::new(wanted.dialect), &target, &format!("{name}: back to empty"))?;
            sync_ok(&mut syncer, &wanted, &target, &format!("{name}: again from empty"))
        })();
        if let Err(e) = result {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} schema(s) failed:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn real_world_postgres_schemas_converge() {
    converge_all(Server::Postgres, "postgres", &EngineOptions::default());
}

/// Owners and grants read and synced too: every object gets its owner set
/// (the corpus has no GRANTs of its own; `pg_privileges` covers those).
#[test]
fn real_world_postgres_schemas_converge_with_privileges() {
    converge_all(Server::Postgres, "postgres", &EngineOptions::default().privileges(true));
}

#[test]
fn real_world_mysql_schemas_converge() {
    converge_all(Server::MySql, "mysql", &EngineOptions::default());
}
