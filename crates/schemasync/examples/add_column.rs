//! The library in a few lines: copy a schema into two new databases, add a
//! column in code and roll it out, then roll one database back.
//!
//! `cargo run -p schemasync --example add_column [DIR]` (default: a new temporary folder).
#![allow(clippy::print_stdout)]

use schemasync::{Column, Location, QualifiedName, Source, SqliteHistory, SyncOptions, Syncer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = match std::env::args().nth(1) {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::env::temp_dir().join(format!("schemasync-example-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir)?;
    let mut syncer = Syncer::new(SqliteHistory::open(&dir.join("history.db"))?);
    let targets =
        [Location::Sqlite { path: dir.join("hr_prod.db") }, Location::Sqlite { path: dir.join("hr_prod_2.db") }];

    // 1. Sync to new databases: the schema of examples/hr.sql.
    let hr_sql = dir.join("hr.sql");
    std::fs::write(&hr_sql, include_str!("../../../examples/hr.sql"))?;
    for report in syncer.sync(&Source::SqlFile(hr_sql), &targets, &SyncOptions::default())? {
        println!("{}: {} (version {:?})", report.target, report.status, report.version);
    }

    // 2. Edit the schema in code and sync it one to many, after review.
    let mut wanted = syncer.inspect(&targets[0])?.schema;
    wanted
        .require_table_mut(&QualifiedName::bare("employees"))?
        .add_column(Column::new("email", "TEXT").not_null().default_expr("''"))?;
    let options = SyncOptions::default().message("add employees.email");
    let plans = syncer.plan_all(&wanted, "edited in code", &targets, &options)?;
    for plan in &plans {
        println!("-- {}\n{}", plan.target, plan.script.to_sql());
        for hazard in plan.plan.hazards() {
            println!("--   hazard {hazard}");
        }
    }
    for report in syncer.apply_all(&plans, &options) {
        println!("{}: {} (version {:?})", report.target, report.status, report.version);
    }

    // 3. Roll hr_prod back to its first version (drops the column: destructive).
    let options = SyncOptions::default().allow_destructive(true);
    let rollback = syncer.plan_rollback(&targets[0], 1, &options)?;
    let report = syncer.apply(&rollback, &options);
    println!("{}: {} (version {:?})", report.target, report.status, report.version);
    Ok(())
}
