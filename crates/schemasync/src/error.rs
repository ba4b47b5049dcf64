//! Errors of the facade: each says what went wrong and where.

/// What can stop a sync.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A database location or source could not be parsed.
    #[error("invalid location {input:?}: {reason}")]
    BadLocation {
        /// The input, without password.
        input: String,
        /// Why.
        reason: String,
    },
    /// A plan file that cannot be applied as it is (not a plan file, a
    /// newer format, changed after it was written, or its targets no longer
    /// resolve to the databases planned).
    #[error("plan file {place}: {reason}")]
    PlanFile {
        /// The file or target concerned.
        place: String,
        /// Why.
        reason: String,
    },
    /// A URL scheme schemasync does not know.
    #[error("unknown scheme {scheme:?} in {input:?}: expected sqlite:, postgres:// or mysql://")]
    UnknownScheme {
        /// The input, without password.
        input: String,
        /// The scheme.
        scheme: String,
    },
    /// The engine is not part of this build.
    #[error("the {engine} engine is not available in this build of schemasync")]
    EngineNotBuilt {
        /// Engine name.
        engine: &'static str,
    },
    /// The database does not exist.
    #[error("{location}: database does not exist{hint}")]
    NoSuchDatabase {
        /// Where it was looked for.
        location: String,
        /// What to do about it, if anything.
        hint: &'static str,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Source and target are of different engines.
    #[error("cannot sync a {source_dialect} schema ({source_name}) into a {target_dialect} database ({target})")]
    DialectMismatch {
        /// Source description.
        source_name: String,
        /// Source dialect.
        source_dialect: schemasync_model::Dialect,
        /// Target description.
        target: String,
        /// Target dialect.
        target_dialect: schemasync_model::Dialect,
    },
    /// A `.sql` source needs a dialect, and none could be inferred.
    #[error("cannot tell which engine {path} is written for: give a database target")]
    UnknownSqlDialect {
        /// The file.
        path: String,
    },
    /// The target changed since it was planned.
    #[error("{target} changed since it was planned (schema hash {actual}, planned against {expected}): plan again")]
    Drift {
        /// Target.
        target: String,
        /// Hash planned against.
        expected: String,
        /// Hash found.
        actual: String,
    },
    /// The plan would lose data and destructive changes were not allowed.
    /// (The target is not repeated in the message: reports already lead with it.)
    #[error("plan has data-loss hazards ({hazards}); nothing was changed (allow destructive changes to apply it)")]
    Destructive {
        /// Target.
        target: String,
        /// Hazard summary.
        hazards: String,
    },
    /// SQLite engine error.
    #[cfg(feature = "sqlite")]
    #[error("{place}: {source}")]
    Sqlite {
        /// File.
        place: String,
        /// Cause.
        source: schemasync_sqlite::SqliteError,
    },
    /// PostgreSQL engine error.
    #[cfg(feature = "postgres")]
    #[error("{place}: {source}")]
    Postgres {
        /// Database (without password) or file.
        place: String,
        /// Cause.
        source: schemasync_postgres::PostgresError,
    },
    /// MySQL engine error.
    #[cfg(feature = "mysql")]
    #[error("{place}: {source}")]
    MySql {
        /// Database (without password) or file.
        place: String,
        /// Cause.
        source: schemasync_mysql::MySqlError,
    },
    /// An engine without transactional DDL failed part-way: `completed`
    /// statements ran. Syncing again plans from the real state and finishes.
    #[error("{source} ({completed} statement(s) had already run; sync again to finish)")]
    PartlyApplied {
        /// Target.
        place: String,
        /// Statements that ran before the failure.
        completed: usize,
        /// The failure.
        source: Box<Error>,
    },
    /// The differ failed.
    #[error(transparent)]
    Diff(#[from] schemasync_diff::DiffError),
    /// The emitter failed.
    #[error(transparent)]
    Emit(#[from] schemasync_emit::EmitError),
    /// The history store failed.
    #[error("history: {0}")]
    History(#[from] schemasync_history::HistoryError),
    /// A `.sql` load into a scratch database was stopped by
    /// [`crate::EngineOptions::interrupt_scratch_loads`]; its scratch
    /// database was dropped (or is left to the next load's sweep).
    #[error("{place}: interrupted while it was being read in a scratch database")]
    Interrupted {
        /// The file.
        place: String,
    },
    /// A schema that cannot go to SQL as it is, refused before anything
    /// runs: text that would not stay in its clause, a shape error (duplicate
    /// columns, keys on missing columns), or a name or size over the target
    /// engine's limits. The message names the field.
    #[error("{place}: {source}")]
    Invalid {
        /// The source (file, version) or the target.
        place: String,
        /// Every problem found.
        source: schemasync_sql::SqlError,
    },
    /// A snapshot or edit was invalid.
    #[error("{place}: {source}")]
    Model {
        /// Where.
        place: String,
        /// Cause.
        source: schemasync_model::ModelError,
    },
}
