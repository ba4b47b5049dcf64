//! PostgreSQL plans larger than one transaction can hold (issue 10, item 8):
//! the server's shared lock table has `max_locks_per_transaction` ×
//! (`max_connections` + `max_prepared_transactions`) entries (6,400 by
//! default), and a plan creating 2,000 tables with 2,000 indexes needs
//! about 10,000. Such a plan is split into several transactions when it is
//! planned, says so (hazard `not_atomic`) before anything runs, and a batch
//! that fails leaves the earlier ones committed and recorded, so the next
//! sync continues from there. Catalogs are read with psql; every applied
//! case ends with an empty re-diff.

use std::process::Command;

use schemasync::{
    EngineOptions, HazardKind, HistoryStore, Location, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus,
    VersionKind,
};
use schemasync_testkit::{Server, ServerDb};

fn catalog(db: &ServerDb, sql: &str) -> String {
    let out = Command::new("psql").args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", db.url(), "-c", sql]).output();
    let out = out.expect("psql runs");
    assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `count` tables `t0000…` with an identity key, a text column (so a TOAST
/// table too) and an index each, created in transactions of 100 tables.
fn create_tables(db: &ServerDb, count: usize) {
    for chunk in (0..count).collect::<Vec<_>>().chunks(100) {
        let mut sql = String::new();
        for i in chunk {
            sql.push_str(&format!(
                "CREATE TABLE t{i:04} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
                 CREATE INDEX t{i:04}_name ON t{i:04} (name);\n"
            ));
        }
        db.exec(&sql);
    }
}

fn lock_table_size(db: &ServerDb) -> u64 {
    catalog(
        db,
        "SELECT current_setting('max_locks_per_transaction')::bigint * (current_setting('max_connections')::bigint \
         + current_setting('max_prepared_transactions')::bigint)",
    )
    .parse()
    .expect("a number")
}

#[test]
fn a_plan_larger_than_the_lock_table_runs_in_several_transactions() {
    let Some(source) = ServerDb::create(Server::Postgres, "large_src") else { return };
    let Some(target) = ServerDb::create(Server::Postgres, "large_dst") else { return };
    // Enough tables to overflow this server's lock table in one transaction
    // (2,000 on default settings), whatever it is set to.
    let tables = (lock_table_size(&source) as usize / 3).max(2_000);
    create_tables(&source, tables);
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let wanted = syncer.resolve(&Source::Database(Location::parse(source.url()).unwrap()), None).unwrap().schema;
    assert_eq!(wanted.tables.len(), tables);
    let to = Location::parse(target.url()).unwrap();
    let options = SyncOptions::default();

    let plan = syncer.plan(&wanted, "source", &to, &options).expect("plan");
    let batches = plan.script.transaction_batches().len();
    assert!(batches > 1, "a plan of {} statements was not split", plan.script.statements.len());
    let report = plan.dry_run_report(&options);
    let not_atomic: Vec<_> = report.hazards.iter().filter(|h| h.kind == HazardKind::NotAtomic).collect();
    assert_eq!(not_atomic.len(), 1, "{:?}", report.hazards);
    assert!(not_atomic[0].message.contains(&format!("runs in {batches} transactions")), "{}", not_atomic[0]);
    assert!(!plan.is_destructive(), "not atomic is no data loss");

    let report = syncer.apply(&plan, &options);
    assert_eq!(report.status, TargetStatus::Applied, "{:?}", report.error);
    assert_eq!(
        catalog(&target, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"),
        tables.to_string()
    );
    assert_eq!(
        catalog(&target, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE '%_name'"),
        tables.to_string()
    );
    let rest = syncer.plan(&wanted, "re-diff", &to, &options).unwrap();
    assert!(rest.script.is_empty(), "re-diff not empty:\n{}", rest.script.to_sql());
}

#[test]
fn a_failing_transaction_keeps_the_earlier_ones_and_the_next_sync_finishes() {
    let Some(source) = ServerDb::create(Server::Postgres, "batch_src") else { return };
    let Some(target) = ServerDb::create(Server::Postgres, "batch_dst") else { return };
    source.exec(
        "CREATE TABLE a (id int PRIMARY KEY, note text);
         CREATE INDEX a_note ON a (note);
         CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);
         CREATE TABLE z (id int PRIMARY KEY, v int NOT NULL REFERENCES b);",
    );
    // The target has `z` with a row the new foreign key (to a table the
    // plan creates first) refuses.
    target.exec("CREATE TABLE z (id int PRIMARY KEY, v int NOT NULL); INSERT INTO z VALUES (1, 7), (2, 5);");
    // A budget of one lock: every statement is a transaction of its own.
    let engine = EngineOptions::default().transaction_lock_budget(1);
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history")).with_engine_options(engine);
    let wanted = syncer.resolve(&Source::Database(Location::parse(source.url()).unwrap()), None).unwrap().schema;
    let to = Location::parse(target.url()).unwrap();
    let options = SyncOptions::default();

    let plan = syncer.plan(&wanted, "source", &to, &options).expect("plan");
    let statements = plan.script.statements.len();
    assert_eq!(plan.script.transaction_batches().len(), statements, "{}", plan.script.to_sql());
    let check = plan
        .script
        .statements
        .iter()
        .position(|s| s.sql.starts_with("ALTER TABLE \"public\".\"z\""))
        .expect("the foreign key is added");
    assert!(check > 0, "the failing statement must not be the first:\n{}", plan.script.to_sql());
    // The row checks find the orphan before anything runs...
    let refused = syncer.apply(&plan, &options);
    assert_eq!(refused.status, TargetStatus::Refused, "{refused:?}");
    assert_eq!(refused.refusal, Some(schemasync::Refusal::FailsOnRows), "{refused:?}");
    assert!(refused.error.as_deref().unwrap_or("").contains("foreign key"), "{refused:?}");
    assert_eq!(catalog(&target, "SELECT count(*) FROM pg_class WHERE relname = 'b'"), "0", "nothing ran");
    // ... and without them the batches run until the failing one.
    let options = SyncOptions::default().skip_row_checks(true);
    let report = syncer.apply(&plan, &options);
    assert_eq!(report.status, TargetStatus::Failed, "{report:?}");
    assert!(report.error.as_deref().unwrap_or("").contains("violates"), "{report:?}");
    // What ran before the failing transaction stayed; the foreign key did not.
    assert_eq!(
        catalog(&target, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'z'::regclass"),
        "0"
    );
    assert_eq!(catalog(&target, "SELECT string_agg(id || ':' || v, ',' ORDER BY id) FROM z"), "1:7,2:5");
    let key = syncer.database_key(&to).unwrap();
    let versions = syncer.history().list(&key).unwrap();
    let failed = versions.last().expect("a version");
    assert_eq!(failed.kind, VersionKind::Failed, "{versions:?}");
    assert!(failed.message.contains(&format!("failed after {check} of {statements}")), "{}", failed.message);

    // Fixed by hand, the next sync plans from the state reached and finishes.
    target.exec("INSERT INTO b (id) VALUES (5), (7)");
    let plan = syncer.plan(&wanted, "source", &to, &options).expect("plan");
    assert!(plan.script.statements.len() < statements, "{}", plan.script.to_sql());
    let report = syncer.apply(&plan, &options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert_eq!(
        catalog(
            &target,
            "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        ),
        "a,b,z"
    );
    assert_eq!(catalog(&target, "SELECT string_agg(id || ':' || v, ',' ORDER BY id) FROM z"), "1:7,2:5");
    let rest = syncer.plan(&wanted, "re-diff", &to, &options).unwrap();
    assert!(rest.script.is_empty(), "re-diff not empty:\n{}", rest.script.to_sql());
}

#[test]
fn a_plan_that_fits_stays_one_transaction() {
    let Some(source) = ServerDb::create(Server::Postgres, "fits_src") else { return };
    let Some(target) = ServerDb::create(Server::Postgres, "fits_dst") else { return };
    create_tables(&source, 20);
    let syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let wanted = syncer.resolve(&Source::Database(Location::parse(source.url()).unwrap()), None).unwrap().schema;
    let plan =
        syncer.plan(&wanted, "source", &Location::parse(target.url()).unwrap(), &SyncOptions::default()).unwrap();
    assert_eq!(plan.script.transaction_batches().len(), 1);
    assert!(plan.script.transaction_starts.is_empty());
    assert!(plan.script.hazards().all(|h| h.kind != HazardKind::NotAtomic));
}
