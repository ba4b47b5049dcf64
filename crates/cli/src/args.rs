//! The command-line surface. Scripts depend on it: change it only by adding.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Keep database schemas in sync: plan, review, apply, roll back.
#[derive(Debug, Parser)]
#[command(name = "schemasync", version, about)]
#[command(
    after_help = "SOURCE: sqlite:PATH | postgres://... | mysql://... | PATH.sql | PATH.json | history:TARGET@VERSION\n\
TARGET: sqlite:PATH | postgres://... | mysql://... | ENV/NAME (a database of schemasync.toml)\n\
Exit codes: 0 success, 1 (diff) schemas differ, 2 error, 3 refused: data-loss hazards without --allow-destructive,\n\
4 (apply) a target's schema changed since the plan was made"
)]
pub struct Cli {
    /// Log what the library does to stderr: -v connections, introspection,
    /// statements, history writes; -vv adds each statement's SQL; -vvv
    /// everything. RUST_LOG (e.g. `debug`, `schemasync_postgres=debug`) wins.
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Project config [default: schemasync.toml in the current folder or the nearest parent].
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make every TARGET match SOURCE: show each plan with its hazards, then apply target by target.
    Sync {
        /// Where the wanted schema comes from.
        #[arg(long, value_name = "SOURCE")]
        from: String,
        #[command(flatten)]
        targets: TargetArgs,
        /// Show the plans, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply plans that lose data (dropped tables or columns, narrowed types).
        #[arg(long)]
        allow_destructive: bool,
        #[command(flatten)]
        rollout: RolloutArgs,
        /// Create target databases that do not exist yet on their server
        /// (SQLite files are always created).
        #[arg(long)]
        create: bool,
        /// PostgreSQL online mode: new indexes on existing tables are built
        /// with CREATE INDEX CONCURRENTLY, after the transaction.
        #[arg(long)]
        online: bool,
        #[command(flatten)]
        renames: RenameArgs,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        timeouts: TimeoutArgs,
        #[command(flatten)]
        history: HistoryArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Message recorded with the new versions.
        #[arg(short = 'm', long)]
        message: Option<String>,
    },
    /// Plan SOURCE against every TARGET and write the reviewed plan (apply it later with `apply`).
    Plan {
        /// Where the wanted schema comes from.
        #[arg(long, value_name = "SOURCE")]
        from: String,
        #[command(flatten)]
        targets: TargetArgs,
        /// Write the plan file here (else only show it).
        #[arg(short = 'o', long = "output", value_name = "PLAN.json")]
        output: Option<PathBuf>,
        /// Plan missing server databases as new ones (apply creates them).
        #[arg(long)]
        create: bool,
        /// PostgreSQL online mode (see `sync --online`).
        #[arg(long)]
        online: bool,
        /// Targets read at the same time [default: the environment's, else 1].
        #[arg(long, value_name = "N")]
        parallel: Option<usize>,
        #[command(flatten)]
        renames: RenameArgs,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        history: HistoryArg,
        /// Output: text (the plans, grouped) or json (the plan file itself when no -o).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Apply a plan file exactly as reviewed. Exit 4 when a target changed since the plan.
    Apply {
        /// The plan file written by `plan -o`.
        #[arg(value_name = "PLAN.json")]
        plan: PathBuf,
        /// Apply plans that lose data.
        #[arg(long)]
        allow_destructive: bool,
        #[command(flatten)]
        rollout: RolloutArgs,
        #[command(flatten)]
        timeouts: TimeoutArgs,
        #[command(flatten)]
        history: HistoryArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Message recorded with the new versions.
        #[arg(short = 'm', long)]
        message: Option<String>,
    },
    /// Print the SQL that makes TARGET match SOURCE. Exit 0 same, 1 differs, 2 error.
    Diff {
        /// Wanted schema.
        source: String,
        /// Schema to change (any SOURCE form is accepted).
        target: String,
        #[command(flatten)]
        renames: RenameArgs,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        history: HistoryArg,
    },
    /// Print a schema as SQL or JSON.
    Inspect {
        /// Schema to print.
        source: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SchemaFormat::Sql)]
        format: SchemaFormat,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        history: HistoryArg,
    },
    /// Record the current schema of TARGET as a version.
    Snapshot {
        /// Database to record.
        target: String,
        /// Message recorded with the version.
        #[arg(short = 'm', long)]
        message: Option<String>,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        history: HistoryArg,
    },
    /// Read the recorded versions of a database.
    History {
        #[command(subcommand)]
        command: HistoryCommand,
    },
    /// Sync TARGET back to one of its recorded versions.
    Rollback {
        /// Databases to roll back (each to its own version VERSION).
        #[arg(value_name = "TARGET", required_unless_present = "env")]
        targets: Vec<String>,
        /// Roll back every database of this environment of schemasync.toml.
        #[arg(long, value_name = "ENV", conflicts_with = "targets")]
        env: Option<String>,
        #[command(flatten)]
        rollout: RolloutArgs,
        /// Version number to return to.
        #[arg(long, value_name = "VERSION")]
        to: u64,
        /// Show the plan, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply a plan that loses data.
        #[arg(long)]
        allow_destructive: bool,
        #[command(flatten)]
        renames: RenameArgs,
        #[command(flatten)]
        engine: EngineArgs,
        #[command(flatten)]
        timeouts: TimeoutArgs,
        #[command(flatten)]
        history: HistoryArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Message recorded with the new version.
        #[arg(short = 'm', long)]
        message: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// List the versions of TARGET.
    List {
        /// Database.
        target: String,
        #[command(flatten)]
        history: HistoryArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Show one version of TARGET.
    Show {
        /// Database.
        target: String,
        /// Version number.
        version: u64,
        #[command(flatten)]
        history: HistoryArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SchemaFormat::Sql)]
        format: SchemaFormat,
    },
}

/// The databases a command changes: named, or a whole environment.
#[derive(Debug, clap::Args)]
pub struct TargetArgs {
    /// Databases to change.
    #[arg(long, value_name = "TARGET", num_args = 1.., required_unless_present = "env")]
    pub to: Vec<String>,
    /// Every database of this environment of schemasync.toml.
    #[arg(long, value_name = "ENV", conflicts_with = "to")]
    pub env: Option<String>,
}

/// How a change is rolled out over many targets.
#[derive(Debug, Default, clap::Args)]
pub struct RolloutArgs {
    /// Do not look for existing rows that would make the plan fail (a
    /// duplicate under a new unique key, a NULL under a new NOT NULL, ...)
    /// before applying; such a target then fails while applying.
    #[arg(long)]
    pub skip_row_checks: bool,
    /// Targets worked on at the same time [default: the environment's, else 1].
    #[arg(long, value_name = "N")]
    pub parallel: Option<usize>,
    /// Keep starting targets after one failed.
    #[arg(long)]
    pub keep_going: bool,
    /// Apply the first K targets first; stop if any of them fails.
    #[arg(long, value_name = "K")]
    pub canary: Option<usize>,
}

#[derive(Debug, clap::Args)]
pub struct HistoryArg {
    /// History store [default: $SCHEMASYNC_HISTORY, else schemasync.toml's `history`, else .schemasync/history.db].
    #[arg(long = "history", value_name = "PATH")]
    pub path: Option<PathBuf>,
}

impl HistoryArg {
    pub fn resolve(&self, config: &crate::config::Config) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.path {
            return Ok(path.clone());
        }
        if let Some(p) = std::env::var_os("SCHEMASYNC_HISTORY").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(p));
        }
        if let Some(history) = config.history()? {
            return Ok(PathBuf::from(history));
        }
        Ok(PathBuf::from(".schemasync/history.db"))
    }
}

/// What is read from a database (the same for sources and targets).
#[derive(Debug, Default, clap::Args)]
pub struct EngineArgs {
    /// PostgreSQL: read only this schema (repeatable; default: all but the system schemas).
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// PostgreSQL: leave this schema out (repeatable).
    #[arg(long = "exclude-schema", value_name = "NAME")]
    pub exclude_schemas: Vec<String>,
    /// PostgreSQL: read and sync owners and grants too (roles must exist on every target).
    #[arg(long)]
    pub privileges: bool,
}

/// Columns renamed between the target's schema and the wanted one.
#[derive(Debug, Default, clap::Args)]
pub struct RenameArgs {
    /// Column TABLE.OLD is renamed to NEW, keeping its values, instead of
    /// being dropped and added (repeatable; TABLE may be SCHEMA.TABLE).
    #[arg(long = "rename", value_name = "TABLE.OLD=NEW")]
    pub columns: Vec<String>,
}

/// How long applying waits.
#[derive(Debug, Default, clap::Args)]
pub struct TimeoutArgs {
    /// Seconds to wait for a lock held by another session
    /// [default: 5 on PostgreSQL, 60 on MySQL].
    #[arg(long, value_name = "SECONDS")]
    pub lock_timeout: Option<f64>,
    /// PostgreSQL: seconds one statement may run [default: 300].
    #[arg(long, value_name = "SECONDS")]
    pub statement_timeout: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    /// One JSON document per line: one per target as it finishes, then a summary.
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    Sql,
    Json,
}
