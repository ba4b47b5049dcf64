//! Views and materialized views.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::index::Index;
use crate::keyed::Keyed;
use crate::privilege::Grant;
use crate::{ObjectKey, QualifiedName, is_false};

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// Qualified name.
    pub name: QualifiedName,
    /// The query (the text after `AS`), normalized by the introspector.
    pub definition: String,
    /// MATERIALIZED (PostgreSQL).
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// Explicit column names (`CREATE VIEW v (a, b) AS ...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// WITH [CASCADED|LOCAL] CHECK OPTION.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_option: Option<CheckOption>,
    /// Options (`security_barrier=true`, `security_invoker=true`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// MySQL ALGORITHM / SQL SECURITY / DEFINER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<MySqlViewOptions>,
    /// Indexes of a materialized view.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub indexes: BTreeMap<String, Index>,
    /// Objects this view reads (tables, views, functions), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<ObjectKey>,
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

impl View {
    /// A plain view.
    pub fn new(name: impl Into<QualifiedName>, definition: impl Into<String>) -> Self {
        View {
            name: name.into(),
            definition: definition.into(),
            materialized: false,
            columns: Vec::new(),
            check_option: None,
            options: Vec::new(),
            mysql: None,
            indexes: BTreeMap::new(),
            depends_on: Vec::new(),
            owner: None,
            grants: Vec::new(),
            comment: None,
        }
    }
}

impl Keyed for View {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}

/// CHECK OPTION scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOption {
    /// LOCAL.
    Local,
    /// CASCADED.
    Cascaded,
}

/// MySQL view attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MySqlViewOptions {
    /// ALGORITHM (`UNDEFINED`, `MERGE`, `TEMPTABLE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// SQL SECURITY (`DEFINER`, `INVOKER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    /// DEFINER (normalized away unless asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definer: Option<String>,
}
