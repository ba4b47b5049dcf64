//! Render a [`schemasync_diff::Plan`] or a whole schema as SQL for its dialect.
//! Pure: no I/O, not async.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

use schemasync_diff::Plan;
use schemasync_model::{Schema, Script};

/// What can stop rendering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// The dialect cannot express this change.
    #[error("{dialect} cannot express: {what}")]
    Unsupported {
        /// Dialect.
        dialect: schemasync_model::Dialect,
        /// What.
        what: String,
    },
}

/// Render a plan as a script in the plan's dialect.
pub fn emit_plan(plan: &Plan) -> Result<Script, EmitError> {
    Err(EmitError::Unsupported { dialect: plan.dialect, what: "emitter under construction".into() })
}

/// Render a whole schema as a CREATE script.
pub fn emit_schema(schema: &Schema) -> Result<Script, EmitError> {
    Err(EmitError::Unsupported { dialect: schema.dialect, what: "emitter under construction".into() })
}
