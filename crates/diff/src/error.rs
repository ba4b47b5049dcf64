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
    /// A change the dialect cannot make.
    #[error("unsupported change: {0}")]
    Unsupported(String),
}
