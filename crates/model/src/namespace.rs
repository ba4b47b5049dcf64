//! Namespaces, extensions and scheduled events.

use serde::{Deserialize, Serialize};

use crate::keyed::Keyed;
use crate::privilege::Grant;
use crate::{QualifiedName, is_false};

/// A PostgreSQL schema (namespace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Namespace {
    /// Name.
    pub name: String,
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

impl Keyed for Namespace {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// A PostgreSQL extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Name.
    pub name: String,
    /// Schema it is installed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Extension {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// A MySQL scheduled event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Name.
    pub name: QualifiedName,
    /// Schedule (`EVERY 1 DAY STARTS '...'`, `AT '...'`).
    pub schedule: String,
    /// ON COMPLETION PRESERVE.
    #[serde(default, skip_serializing_if = "is_false")]
    pub preserve: bool,
    /// ENABLE (true) / DISABLE.
    #[serde(default = "crate::default_true")]
    pub enabled: bool,
    /// The body (`DO ...`).
    pub body: String,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The `sql_mode` the event was created under (it is kept with the event
    /// and applies when it runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_mode: Option<String>,
}

impl Keyed for Event {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}
