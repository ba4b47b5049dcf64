//! plan (write a reviewed plan file) and apply (roll that file out exactly).

use std::path::Path;

use anyhow::{Context, Result};
use schemasync::{AnyHistory, PlanFile, ReadScope, Source, Syncer};

use super::sync::display_name;
use super::{
    apply_exit_code, database_of, engine_options, locations, open_for_reading, open_store, rollout, sync_options,
    targets,
};
use crate::args::{Command, ReportFormat, RolloutArgs, TimeoutArgs};
use crate::config::Config;
use crate::rollout_view::{View, plans_text};
use crate::{EXIT_OK, render};

pub fn run(command: Command, config: &Config) -> Result<u8> {
    match command {
        Command::Plan {
            from,
            targets: target_args,
            output,
            create,
            online,
            parallel,
            renames,
            engine,
            history,
            format,
        } => {
            let source = Source::parse(&config.resolve(&from)?.url)?;
            // Planning never writes the history; it reads it for history: sources.
            let store = match &source {
                Source::History { .. } => open_for_reading(&history.resolve(config)?)?,
                _ => AnyHistory::in_memory()?,
            };
            let syncer = Syncer::new(store).with_engine_options(engine_options(&engine, &TimeoutArgs::default())?);
            let named = targets(&target_args, config)?;
            let targets = locations(&named)?;
            let read = RolloutArgs { parallel, ..RolloutArgs::default() };
            let rollout = rollout(&read, target_args.env.as_deref(), config)?;
            let on = targets.first().or_else(|| database_of(&source));
            let resolved = syncer.resolve(&source, on).with_context(|| format!("reading source {source}"))?;
            if format == ReportFormat::Text {
                render::skipped(&resolved.skipped);
            }
            // The file holds no target's schema, so neither do the plans.
            let mut options = sync_options(false, None).create_missing(create).light_plans(true);
            options.diff.online = online;
            options.diff.column_renames = crate::renames::column_renames(&renames, &resolved.schema)?;
            let plans = syncer.plan_all_parallel(
                &resolved.schema,
                &source.to_string(),
                &targets,
                &options,
                rollout.parallel,
            )?;
            // Config names are written as such; a URL without its password.
            let specs: Vec<String> = named
                .iter()
                .map(|n| if n.from_config { n.name.clone() } else { PlanFile::target_spec(&n.url) })
                .collect();
            let file = PlanFile::new(
                &source.to_string(),
                &resolved.schema,
                &plans,
                &specs,
                &options.diff,
                ReadScope::of(syncer.engine_options()),
            )?;
            if let Some(path) = &output {
                write_atomically(path, &file.to_json())?;
            }
            let destructive = plans.iter().filter(|p| p.is_destructive()).count();
            let up_to_date = plans.iter().filter(|p| p.script.is_empty() && p.exists).count();
            match format {
                ReportFormat::Text => {
                    let names: Vec<String> = named.iter().map(display_name).collect();
                    print!("{}", plans_text(&plans, &names));
                    let written = output.as_ref().map_or_else(
                        || " (not written: give -o PLAN.json to apply it later)".to_owned(),
                        |p| format!("; written to {}", p.display()),
                    );
                    println!(
                        "plan: {} target(s), {} distinct plan(s), {up_to_date} up to date, {destructive} with data-loss \
                         hazards{written}",
                        plans.len(),
                        file.plans.len()
                    );
                }
                ReportFormat::Json | ReportFormat::Jsonl => match &output {
                    None => println!("{}", file.to_json()),
                    Some(path) => println!(
                        "{}",
                        serde_json::json!({
                            "plan": path.display().to_string(),
                            "targets": plans.len(),
                            "plans": file.plans.len(),
                            "up_to_date": up_to_date,
                            "destructive": destructive,
                        })
                    ),
                },
            }
            Ok(EXIT_OK)
        }
        Command::Apply { plan, allow_destructive, rollout: rollout_args, timeouts, history, format, message } => {
            let json = std::fs::read_to_string(&plan).with_context(|| format!("reading plan {}", plan.display()))?;
            let file = PlanFile::from_json(&json, &plan.display().to_string())?;
            let named = file.targets.iter().map(|t| config.resolve(&t.target)).collect::<Result<Vec<_>>>()?;
            let targets = locations(&named)?;
            let rollout = rollout(&rollout_args, None, config)?;
            let mut syncer = Syncer::new(open_store(&history.resolve(config)?)?)
                .with_engine_options(engine_options(&Default::default(), &timeouts)?);
            let options = sync_options(allow_destructive, message).skip_row_checks(rollout_args.skip_row_checks);
            let names: Vec<String> = named.iter().map(display_name).collect();
            if format == ReportFormat::Text {
                let plans = file.target_plans(&targets)?;
                print!("{}", plans_text(&plans, &names));
            }
            let view = View::new(format, names, targets.iter().map(ToString::to_string).collect(), false);
            let reports = syncer.rollout_file(&file, &targets, &options, &rollout, &|event| view.observe(event))?;
            view.finish(&reports)?;
            Ok(apply_exit_code(&reports))
        }
        other => anyhow::bail!("internal: {other:?} is not plan or apply"),
    }
}

/// Write the whole file or nothing: a reviewed plan is never half-written.
fn write_atomically(path: &Path, contents: &str) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, contents).with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
