//! Errors of the emitter.

use schemasync_diff::DiffError;
use schemasync_model::Dialect;

/// What can stop rendering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The dialect cannot express this change (or this part of an object).
    #[error("{dialect} cannot express: {what}")]
    Unsupported {
        /// Dialect.
        dialect: Dialect,
        /// What, e.g. `create sequence s` or `alter column c on table t`.
        what: String,
    },
    /// The object cannot be rendered as valid SQL in any dialect
    /// (a table without columns, an empty key, an empty expression).
    #[error("cannot render {what}")]
    Invalid {
        /// What is wrong, naming the object.
        what: String,
    },
    /// [`crate::emit_schema`] could not compute the changes that create the schema.
    #[error("cannot plan the schema: {0}")]
    Diff(#[from] DiffError),
    /// The text sink refused a write. Rendering goes to a `String`, which never
    /// refuses, so this is only here to avoid a panic path.
    #[error("writing SQL text failed")]
    Format,
}

impl From<std::fmt::Error> for EmitError {
    fn from(_: std::fmt::Error) -> Self {
        EmitError::Format
    }
}

impl EmitError {
    pub(crate) fn unsupported(dialect: Dialect, what: impl Into<String>) -> Self {
        EmitError::Unsupported { dialect, what: what.into() }
    }

    pub(crate) fn invalid(what: impl Into<String>) -> Self {
        EmitError::Invalid { what: what.into() }
    }
}
