//! One module per group of subcommands; each returns the exit code.

mod plan_apply;
mod read;
mod sync;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use schemasync::{
    AnyHistory, EngineOptions, Location, Refusal, Rollout, Source, SyncOptions, Syncer, TargetReport, TargetStatus,
};

use crate::args::{Command, EngineArgs, RolloutArgs, TargetArgs, TimeoutArgs};
use crate::config::{Config, Named};
use crate::{EXIT_DRIFT, EXIT_ERROR, EXIT_OK, EXIT_REFUSED};

pub fn run(command: Command, config: &Config) -> Result<u8> {
    match command {
        Command::Sync { .. } | Command::Rollback { .. } => sync::run(command, config),
        Command::Plan { .. } | Command::Apply { .. } => plan_apply::run(command, config),
        _ => read::run(command, config),
    }
}

/// The targets named on the command line (or the environment's), resolved.
fn targets(args: &TargetArgs, config: &Config) -> Result<Vec<Named>> {
    match &args.env {
        Some(env) => config.environment(env),
        None => args.to.iter().map(|t| config.resolve(t)).collect(),
    }
}

/// Parse resolved names into locations.
fn locations(named: &[Named]) -> Result<Vec<Location>> {
    named.iter().map(|n| Location::parse(&n.url).with_context(|| format!("target {}", n.name))).collect()
}

/// Rollout settings: the flags, else the environment's defaults.
fn rollout(args: &RolloutArgs, env: Option<&str>, config: &Config) -> Result<Rollout> {
    let defaults = env.map(|e| config.defaults(e)).unwrap_or_default();
    let parallel = args.parallel.or(defaults.parallel).unwrap_or(1);
    if parallel == 0 {
        anyhow::bail!("--parallel 0: expected at least 1");
    }
    Ok(Rollout::default()
        .parallel(parallel)
        .keep_going(args.keep_going || defaults.keep_going.unwrap_or(false))
        .canary(args.canary.or(defaults.canary).unwrap_or(0)))
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

/// sync and rollback: 0 all applied or unchanged, 3 refused for data loss,
/// 2 anything else that did not apply.
fn exit_code(reports: &[TargetReport], dry_run: bool) -> u8 {
    if dry_run {
        return EXIT_OK;
    }
    if reports.iter().any(|r| r.refusal == Some(Refusal::DataLoss)) {
        return EXIT_REFUSED;
    }
    if reports.iter().any(|r| matches!(r.status, TargetStatus::Failed | TargetStatus::Refused | TargetStatus::Skipped))
    {
        return EXIT_ERROR;
    }
    EXIT_OK
}

/// apply: as [`exit_code`], except that targets refused because their
/// schema moved since the plan give 4 when nothing else went wrong.
fn apply_exit_code(reports: &[TargetReport]) -> u8 {
    let drift = |r: &TargetReport| r.refusal == Some(Refusal::Drift);
    let others: Vec<TargetReport> = reports.iter().filter(|r| !drift(r)).cloned().collect();
    match exit_code(&others, false) {
        EXIT_OK if reports.iter().any(drift) => EXIT_DRIFT,
        code => code,
    }
}

/// The history for commands that record: created if missing, migrated if old.
fn open_store(history: &Path) -> Result<AnyHistory> {
    AnyHistory::open(history_str(history)?).with_context(|| format!("opening history {}", shown(history)))
}

/// The history for commands that only read: never created, migrated or
/// written. A missing one reads as an empty history.
fn open_for_reading(history: &Path) -> Result<AnyHistory> {
    AnyHistory::open_read_only(history_str(history)?).with_context(|| format!("opening history {}", shown(history)))
}

fn history_str(history: &Path) -> Result<&str> {
    history.to_str().with_context(|| format!("history location {} is not UTF-8", history.display()))
}

/// The history location for messages: a server URL without its password.
fn shown(history: &Path) -> String {
    match history.to_str() {
        Some(url) if schemasync::is_server_history(url) => {
            Location::parse(url).map_or_else(|_| "(a PostgreSQL URL)".to_owned(), |l| l.to_string())
        }
        _ => history.display().to_string(),
    }
}

/// Reading commands touch the history only when a source comes from it.
fn syncer_for_reading(sources: &[&Source], history: &Path) -> Result<Syncer<AnyHistory>> {
    if sources.iter().any(|s| matches!(s, Source::History { .. })) {
        return Ok(Syncer::new(open_for_reading(history)?));
    }
    Ok(Syncer::new(AnyHistory::in_memory()?))
}

/// The database a source names, where `.sql` files are parsed.
fn database_of(source: &Source) -> Option<&Location> {
    match source {
        Source::Database(loc) | Source::History { database: loc, .. } => Some(loc),
        _ => None,
    }
}
