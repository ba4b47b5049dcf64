//! sync (plan and apply in one run) and rollback.

use anyhow::{Context, Result};
use schemasync::{HistoryStore, Location, Source, Syncer, TargetPlan, TargetReport};

use super::{engine_options, exit_code, locations, open_for_reading, open_store, rollout, sync_options, targets};
use crate::args::{Command, ReportFormat};
use crate::config::{Config, Named};
use crate::rollout_view::{View, plans_text};
use crate::{EXIT_OK, render};

pub fn run(command: Command, config: &Config) -> Result<u8> {
    match command {
        Command::Sync {
            from,
            targets: target_args,
            dry_run,
            allow_destructive,
            rollout: rollout_args,
            create,
            online,
            renames,
            engine,
            timeouts,
            history,
            format,
            message,
        } => {
            let path = history.resolve(config)?;
            let store = if dry_run { open_for_reading(&path)? } else { open_store(&path)? };
            let mut syncer = Syncer::new(store).with_engine_options(engine_options(&engine, &timeouts)?);
            let source = Source::parse(&config.resolve(&from)?.url)?;
            let named = targets(&target_args, config)?;
            let targets = locations(&named)?;
            let rollout = rollout(&rollout_args, target_args.env.as_deref(), config)?;
            let resolved =
                syncer.resolve(&source, targets.first()).with_context(|| format!("reading source {source}"))?;
            if format == ReportFormat::Text {
                render::skipped(&resolved.skipped);
            }
            // More targets than in flight: keep no target's schema between
            // planning and applying (each is read again first), so memory
            // follows the targets in flight, not their number.
            let light = !dry_run && targets.len() > rollout.parallel;
            let mut options = sync_options(allow_destructive, message)
                .create_missing(create)
                .light_plans(light)
                .skip_row_checks(rollout_args.skip_row_checks);
            options.diff.online = online;
            options.diff.column_renames = crate::renames::column_renames(&renames, &resolved.schema)?;
            let plans = syncer.plan_all_parallel(
                &resolved.schema,
                &source.to_string(),
                &targets,
                &options,
                rollout.parallel,
            )?;
            let reports = show_and_apply(&mut syncer, &plans, &named, &options, &rollout, dry_run, format)?;
            let code = exit_code(&reports, dry_run);
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
            targets: target_names,
            env,
            rollout: rollout_args,
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
            let path = history.resolve(config)?;
            let store = if dry_run { open_for_reading(&path)? } else { open_store(&path)? };
            let mut syncer = Syncer::new(store).with_engine_options(engine_options(&engine, &timeouts)?);
            let named = match &env {
                Some(env) => config.environment(env)?,
                None => target_names.iter().map(|t| config.resolve(t)).collect::<Result<_>>()?,
            };
            let targets = locations(&named)?;
            let rollout = rollout(&rollout_args, env.as_deref(), config)?;
            let mut plans = Vec::with_capacity(targets.len());
            for (target, name) in targets.iter().zip(&named) {
                let mut options = sync_options(allow_destructive, message.clone());
                if !renames.columns.is_empty() {
                    let version = syncer.history().get(&syncer.database_key(target)?, to)?;
                    options.diff.column_renames = crate::renames::column_renames(&renames, &version.schema)?;
                }
                plans.push(
                    syncer
                        .plan_rollback(target, to, &options)
                        .with_context(|| format!("rolling back {}", name.name))?,
                );
            }
            let options = sync_options(allow_destructive, message).skip_row_checks(rollout_args.skip_row_checks);
            let reports = show_and_apply(&mut syncer, &plans, &named, &options, &rollout, dry_run, format)?;
            Ok(exit_code(&reports, dry_run))
        }
        other => anyhow::bail!("internal: {other:?} is not sync or rollback"),
    }
}

/// Show the plans; unless a dry run, roll them out; show each target's
/// status and the summary.
pub(super) fn show_and_apply<H: HistoryStore + Send>(
    syncer: &mut Syncer<H>,
    plans: &[TargetPlan],
    named: &[Named],
    options: &schemasync::SyncOptions,
    rollout: &schemasync::Rollout,
    dry_run: bool,
    format: ReportFormat,
) -> Result<Vec<TargetReport>> {
    let names: Vec<String> = named.iter().map(display_name).collect();
    if format == ReportFormat::Text {
        print!("{}", plans_text(plans, &names));
    }
    let view = View::new(format, names, plans.iter().map(|p| p.target.to_string()).collect(), dry_run);
    if dry_run {
        let reports: Vec<TargetReport> = plans.iter().map(|plan| plan.dry_run_report(options)).collect();
        view.report_all(&reports)?;
        return Ok(reports);
    }
    let reports = syncer.rollout(plans, options, rollout, &|event| view.observe(event));
    view.finish(&reports)?;
    Ok(reports)
}

/// How a target is shown: its config name, else its location without
/// credentials.
pub(super) fn display_name(named: &Named) -> String {
    if named.from_config {
        return named.name.clone();
    }
    Location::parse(&named.url).map_or_else(|_| named.name.clone(), |l| l.to_string())
}
