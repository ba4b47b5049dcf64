//! Options of the differ.

use serde::{Deserialize, Serialize};

use schemasync_model::QualifiedName;

/// How to diff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DiffOptions {
    /// Column renames to plan as RENAME instead of drop + add: (table, old, new).
    #[serde(default)]
    pub column_renames: Vec<(QualifiedName, String, String)>,
    /// PostgreSQL online mode: CREATE INDEX CONCURRENTLY, constraints NOT VALID then VALIDATE.
    #[serde(default)]
    pub online: bool,
}
