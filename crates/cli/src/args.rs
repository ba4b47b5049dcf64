//! The command-line surface. Scripts depend on it: change it only by adding.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Keep database schemas in sync: plan, review, apply, roll back.
#[derive(Debug, Parser)]
#[command(name = "schemasync", version, about)]
#[command(
    after_help = "SOURCE: sqlite:PATH | postgres://... | mysql://... | PATH.sql | PATH.json | history:TARGET@VERSION\n\
TARGET: sqlite:PATH | postgres://... | mysql://...\n\
Exit codes: 0 success, 1 (diff) schemas differ, 2 error, 3 refused: data-loss hazards without --allow-destructive"
)]
pub struct Cli {
    /// Log what the library does to stderr: -v connections, introspection,
    /// statements, history writes; -vv adds each statement's SQL; -vvv
    /// everything. RUST_LOG (e.g. `debug`, `schemasync_postgres=debug`) wins.
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
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
        /// Databases to change.
        #[arg(long, value_name = "TARGET", num_args = 1.., required = true)]
        to: Vec<String>,
        /// Show the plans, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply plans that lose data (dropped tables or columns, narrowed types).
        #[arg(long)]
        allow_destructive: bool,
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
        /// Database to roll back.
        target: String,
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

#[derive(Debug, clap::Args)]
pub struct HistoryArg {
    /// History store [default: $SCHEMASYNC_HISTORY, else .schemasync/history.db].
    #[arg(long = "history", value_name = "PATH")]
    pub path: Option<PathBuf>,
}

impl HistoryArg {
    pub fn resolve(&self) -> PathBuf {
        if let Some(path) = &self.path {
            return path.clone();
        }
        match std::env::var_os("SCHEMASYNC_HISTORY") {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => PathBuf::from(".schemasync/history.db"),
        }
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    Sql,
    Json,
}
