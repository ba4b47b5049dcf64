//! Collations created by users (PostgreSQL `CREATE COLLATION`).

use serde::{Deserialize, Serialize};

use crate::keyed::Keyed;
use crate::{QualifiedName, is_false};

/// A user-defined collation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collation {
    /// Schema-qualified name.
    pub name: QualifiedName,
    /// `icu` or `libc`.
    pub provider: String,
    /// ICU locale (`und-u-ks-level2`); unset for libc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// libc `LC_COLLATE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_collate: Option<String>,
    /// libc `LC_CTYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_ctype: Option<String>,
    /// `deterministic = false` (ICU only): equal strings may differ in bytes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nondeterministic: bool,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Collation {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}
