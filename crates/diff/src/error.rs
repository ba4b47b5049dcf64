//! Errors of the differ.

/// What can stop a diff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The two schemas are of different dialects.
    #[error("cannot diff a {from} schema against a {to} schema")]
    DialectMismatch {
        /// Dialect of the current schema.
        from: schemasync_model::Dialect,
        /// Dialect of the wanted schema.
        to: schemasync_model::Dialect,
    },
    /// The changes depend on each other in a cycle that cannot be broken.
    #[error("dependency cycle between changes: {0}")]
    DependencyCycle(String),
    /// MySQL/MariaDB: a step of the ordered plan that the server would refuse
    /// because of a foreign key (a key it needs dropped with none taking
    /// over, a column it uses dropped or retyped, a referenced table
    /// dropped). Found by playing the plan before anything runs: DDL commits
    /// statement by statement there, so such a plan would stop half-applied.
    #[error("{change} would fail: {problem} (MySQL/MariaDB refuse it, and DDL already run stays applied)")]
    ForeignKeyOrder {
        /// The change, as `Change::describe` puts it.
        change: String,
        /// What the server would refuse.
        problem: String,
    },
    /// A change the dialect cannot make.
    #[error("unsupported change: {0}")]
    Unsupported(String),
}
