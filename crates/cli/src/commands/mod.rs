//! One function per subcommand; each returns the exit code.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use schemasync::{
    EngineOptions, HistoryStore, Location, Refusal, Source, SqliteHistory, SyncOptions, Syncer, TargetPlan,
    TargetReport, TargetStatus,
};

use crate::args::{Command, EngineArgs, HistoryCommand, ReportFormat, SchemaFormat, TimeoutArgs};
use crate::render;
use crate::{EXIT_DIFFERS, EXIT_ERROR, EXIT_OK, EXIT_REFUSED};

pub fn run(command: Command) -> Result<u8> {
    match command {
        Command::Sync {
            from,
            to,
            dry_run,
            allow_destructive,
            create,
            online,
            renames,
            engine,
            timeouts,
            history,
            format,
            message,
        } => {
            let store = if dry_run { open_for_reading(&history.resolve())? } else { open_store(&history.resolve())? };
            let mut syncer = Syncer::new(store).with_engine_options(engine_options(&engine, &timeouts)?);
            let source = Source::parse(&from)?;
            let targets = to.iter().map(|t| Location::parse(t)).collect::<Result<Vec<_>, _>>()?;
            let resolved =
                syncer.resolve(&source, targets.first()).with_context(|| format!("reading source {source}"))?;
            if format == ReportFormat::Text {
                render::skipped(&resolved.skipped);
            }
            let mut options = sync_options(allow_destructive, message).create_missing(create);
            options.diff.online = online;
            options.diff.column_renames = crate::renames::column_renames(&renames, &resolved.schema)?;
            let plans = syncer.plan_all(&resolved.schema, &source.to_string(), &targets, &options)?;
            let code = finish(&mut syncer, &plans, &options, dry_run, format)?;
            // The source's own state is kept too, so it can be rolled back.
            if !dry_run && code == EXIT_OK {
                let recorded = syncer.record_source(&source, &resolved.schema)?;
                if let (Some(version), ReportFormat::Text) = (recorded, format) {
                    println!("{source}: recorded as version {version} (sync source)");
                }
            }
            Ok(code)
        }
        Command::Rollback {
            target,
            to,
            dry_run,
            allow_destructive,
            renames,
            engine,
            timeouts,
            history,
            format,
            message,
        } => {
            let store = if dry_run { open_for_reading(&history.resolve())? } else { open_store(&history.resolve())? };
            let mut syncer = Syncer::new(store).with_engine_options(engine_options(&engine, &timeouts)?);
            let target = Location::parse(&target)?;
            let mut options = sync_options(allow_destructive, message);
            if !renames.columns.is_empty() {
                let version = syncer.history().get(&target.history_key()?, to)?;
                options.diff.column_renames = crate::renames::column_renames(&renames, &version.schema)?;
            }
            let plan = syncer.plan_rollback(&target, to, &options)?;
            finish(&mut syncer, std::slice::from_ref(&plan), &options, dry_run, format)
        }
        Command::Diff { source, target, renames, engine, history } => {
            let source = Source::parse(&source)?;
            let target = Source::parse(&target)?;
            let syncer = syncer_for_reading(&[&source, &target], &history.resolve())?
                .with_engine_options(engine_options(&engine, &TimeoutArgs::default())?);
            let on = database_of(&target).or_else(|| database_of(&source));
            let wanted = syncer.resolve(&source, on).with_context(|| format!("reading {source}"))?.schema;
            let current = syncer.resolve(&target, on).with_context(|| format!("reading {target}"))?.schema;
            if wanted.dialect != current.dialect {
                anyhow::bail!(
                    "cannot diff a {} schema ({source}) against a {} schema ({target})",
                    wanted.dialect,
                    current.dialect
                );
            }
            let mut options = schemasync::DiffOptions::default();
            options.column_renames = crate::renames::column_renames(&renames, &wanted)?;
            let plan = schemasync::diff(&current, &wanted, &options)?;
            let script = schemasync::emit_plan(&plan)?;
            print!("{}", render::script_with_hazards(&script));
            Ok(if script.is_empty() { EXIT_OK } else { EXIT_DIFFERS })
        }
        Command::Inspect { source, format, engine, history } => {
            let source = Source::parse(&source)?;
            let syncer = syncer_for_reading(&[&source], &history.resolve())?
                .with_engine_options(engine_options(&engine, &TimeoutArgs::default())?);
            let resolved =
                syncer.resolve(&source, database_of(&source)).with_context(|| format!("reading {source}"))?;
            render::skipped(&resolved.skipped);
            match format {
                SchemaFormat::Sql => print!("{}", schemasync::emit_schema(&resolved.schema)?.to_sql()),
                SchemaFormat::Json => println!("{}", resolved.schema.to_pretty_json()),
            }
            Ok(EXIT_OK)
        }
        Command::Snapshot { target, message, engine, history } => {
            let mut syncer = Syncer::new(open_store(&history.resolve())?)
                .with_engine_options(engine_options(&engine, &TimeoutArgs::default())?);
            let target = Location::parse(&target)?;
            let version = syncer.snapshot(&target, message.as_deref().unwrap_or("snapshot"))?;
            println!("recorded version {} of {} ({})", version.number, target, &version.hash);
            Ok(EXIT_OK)
        }
        Command::History { command } => match command {
            HistoryCommand::List { target, history, format } => {
                let store = open_for_reading(&history.resolve())?;
                let target = Location::parse(&target)?;
                let key = target.history_key()?;
                let versions = store.list(&key)?;
                let pending = store.pending(&key)?;
                match format {
                    ReportFormat::Text => print!("{}", render::version_list(&target, &versions, &pending)),
                    ReportFormat::Json => {
                        // The JSON stays a list of versions; incomplete applies are told apart.
                        render::pending_notes(&target, &pending);
                        println!("{}", serde_json::to_string_pretty(&versions)?);
                    }
                }
                Ok(EXIT_OK)
            }
            HistoryCommand::Show { target, version, history, format } => {
                let store = open_for_reading(&history.resolve())?;
                let target = Location::parse(&target)?;
                let found = store.get(&target.history_key()?, version)?;
                match format {
                    SchemaFormat::Sql => print!("{}", render::version_sql(&found)?),
                    SchemaFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
                }
                Ok(EXIT_OK)
            }
        },
    }
}

fn engine_options(engine: &EngineArgs, timeouts: &TimeoutArgs) -> Result<EngineOptions> {
    let mut options = EngineOptions::default()
        .include_schemas(engine.schemas.iter().cloned())
        .exclude_schemas(engine.exclude_schemas.iter().cloned())
        .privileges(engine.privileges);
    if let Some(seconds) = timeouts.lock_timeout {
        options = options.lock_timeout(seconds_arg("--lock-timeout", seconds)?);
    }
    if let Some(seconds) = timeouts.statement_timeout {
        options = options.statement_timeout(seconds_arg("--statement-timeout", seconds)?);
    }
    Ok(options)
}

fn seconds_arg(flag: &str, seconds: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("{flag} {seconds}: expected a positive number of seconds"))
}

fn sync_options(allow_destructive: bool, message: Option<String>) -> SyncOptions {
    let mut options = SyncOptions::default().allow_destructive(allow_destructive);
    if let Some(message) = message {
        options = options.message(message);
    }
    options
}

/// Print the plans; unless dry-run, apply them and print each target's status.
fn finish(
    syncer: &mut Syncer<SqliteHistory>,
    plans: &[TargetPlan],
    options: &SyncOptions,
    dry_run: bool,
    format: ReportFormat,
) -> Result<u8> {
    if format == ReportFormat::Text {
        for plan in plans {
            print!("{}", render::plan(plan));
        }
    }
    let reports: Vec<TargetReport> = if dry_run {
        plans.iter().map(|plan| plan.dry_run_report(options)).collect()
    } else {
        syncer.apply_all(plans, options)
    };
    match format {
        ReportFormat::Text => {
            for report in &reports {
                println!("{}", render::status_line(report));
            }
        }
        ReportFormat::Json => println!("{}", render::reports_json(&reports, dry_run)?),
    }
    Ok(exit_code(&reports, dry_run))
}

fn exit_code(reports: &[TargetReport], dry_run: bool) -> u8 {
    if dry_run {
        return EXIT_OK;
    }
    let data_loss = reports.iter().any(|r| r.refusal == Some(Refusal::DataLoss));
    if data_loss {
        return EXIT_REFUSED;
    }
    if reports.iter().any(|r| matches!(r.status, TargetStatus::Failed | TargetStatus::Refused)) {
        return EXIT_ERROR;
    }
    EXIT_OK
}

/// The history for commands that record: created if missing, migrated if old.
fn open_store(history: &Path) -> Result<SqliteHistory> {
    SqliteHistory::open(history).with_context(|| format!("opening history {}", history.display()))
}

/// The history for commands that only read: never created, migrated or
/// written. A missing file reads as an empty history.
fn open_for_reading(history: &Path) -> Result<SqliteHistory> {
    if !history.exists() {
        return Ok(SqliteHistory::in_memory()?);
    }
    SqliteHistory::open_read_only(history).with_context(|| format!("opening history {}", history.display()))
}

/// Reading commands touch the history file only when a source comes from it.
fn syncer_for_reading(sources: &[&Source], history: &Path) -> Result<Syncer<SqliteHistory>> {
    if sources.iter().any(|s| matches!(s, Source::History { .. })) {
        return Ok(Syncer::new(open_for_reading(history)?));
    }
    Ok(Syncer::new(SqliteHistory::in_memory()?))
}

/// The database a source names, where `.sql` files are parsed.
fn database_of(source: &Source) -> Option<&Location> {
    match source {
        Source::Database(loc) | Source::History { database: loc, .. } => Some(loc),
        _ => None,
    }
}
