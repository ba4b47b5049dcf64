//! Sequences (PostgreSQL) and the options identity columns share with them.

use serde::{Deserialize, Serialize};

use crate::keyed::Keyed;
use crate::privilege::Grant;
use crate::{QualifiedName, is_false};

/// Sequence options; `None` means the engine default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceOptions {
    /// AS type (`bigint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// START WITH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// INCREMENT BY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    /// MINVALUE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<i64>,
    /// MAXVALUE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<i64>,
    /// CACHE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    /// CYCLE.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
}

/// A sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    /// Qualified name.
    pub name: QualifiedName,
    /// Options.
    #[serde(default)]
    pub options: SequenceOptions,
    /// OWNED BY table and column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(QualifiedName, String)>,
    /// Owner (opt-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Privileges (opt-in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Sequence {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}
