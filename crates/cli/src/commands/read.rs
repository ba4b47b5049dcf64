//! Commands that read schemas and the history: diff, inspect, snapshot,
//! history list/show.

use anyhow::{Context, Result};
use schemasync::{HistoryStore, Location, Source, Syncer};

use super::{database_of, engine_options, open_for_reading, open_store, syncer_for_reading};
use crate::args::{Command, HistoryCommand, ReportFormat, SchemaFormat, TimeoutArgs};
use crate::config::Config;
use crate::render;
use crate::{EXIT_DIFFERS, EXIT_OK};

pub fn run(command: Command, config: &Config) -> Result<u8> {
    match command {
        Command::Diff { source, target, renames, engine, history } => {
            let source = Source::parse(&config.resolve(&source)?.url)?;
            let target = Source::parse(&config.resolve(&target)?.url)?;
            let syncer = syncer_for_reading(&[&source, &target], &history.resolve(config)?)?
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
            let source = Source::parse(&config.resolve(&source)?.url)?;
            let syncer = syncer_for_reading(&[&source], &history.resolve(config)?)?
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
            let mut syncer = Syncer::new(open_store(&history.resolve(config)?)?)
                .with_engine_options(engine_options(&engine, &TimeoutArgs::default())?);
            let named = config.resolve(&target)?;
            let target = Location::parse(&named.url)?;
            let version = syncer.snapshot(&target, message.as_deref().unwrap_or("snapshot"))?;
            println!("recorded version {} of {} ({})", version.number, named.name, &version.hash);
            Ok(EXIT_OK)
        }
        Command::History { command } => match command {
            HistoryCommand::List { target, history, format } => {
                let syncer = Syncer::new(open_for_reading(&history.resolve(config)?)?);
                let target = Location::parse(&config.resolve(&target)?.url)?;
                let key = syncer.database_key(&target)?;
                let store = syncer.history();
                let versions = store.list(&key)?;
                let pending = store.pending(&key)?;
                match format {
                    ReportFormat::Text => print!("{}", render::version_list(&target, &versions, &pending)),
                    ReportFormat::Json => {
                        // The JSON stays a list of versions; incomplete applies are told apart.
                        render::pending_notes(&target, &pending);
                        println!("{}", serde_json::to_string_pretty(&versions)?);
                    }
                    ReportFormat::Jsonl => {
                        render::pending_notes(&target, &pending);
                        for version in &versions {
                            println!("{}", serde_json::to_string(version)?);
                        }
                    }
                }
                Ok(EXIT_OK)
            }
            HistoryCommand::Show { target, version, history, format } => {
                let syncer = Syncer::new(open_for_reading(&history.resolve(config)?)?);
                let target = Location::parse(&config.resolve(&target)?.url)?;
                let found = syncer.history().get(&syncer.database_key(&target)?, version)?;
                match format {
                    SchemaFormat::Sql => print!("{}", render::version_sql(&found)?),
                    SchemaFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
                }
                Ok(EXIT_OK)
            }
        },
        other => anyhow::bail!("internal: {other:?} is not a reading command"),
    }
}
