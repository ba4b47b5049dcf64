//! Functions and procedures.

use serde::{Deserialize, Serialize};

use crate::keyed::Keyed;
use crate::privilege::Grant;
use crate::{ObjectKey, QualifiedName, RoutineKey, RoutineKind};

/// A function, procedure or aggregate. The definition is kept as the engine
/// prints it (`pg_get_functiondef`, `SHOW CREATE FUNCTION`), since routine
/// bodies are opaque to a schema tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routine {
    /// Kind, name and identity signature.
    pub kind: RoutineKind,
    /// Qualified name.
    pub name: QualifiedName,
    /// Identity argument types (`integer, text`).
    #[serde(default)]
    pub signature: String,
    /// Full argument list with names, modes and defaults.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub arguments: String,
    /// Return type (functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// Language (`plpgsql`, `sql`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The complete `CREATE ...` statement, normalized.
    pub definition: String,
    /// Objects the routine depends on (types, tables for `%TYPE`), sorted.
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
    /// MySQL: the `sql_mode` the routine was created under (it is kept with
    /// the routine and applies when it runs). `None` elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_mode: Option<String>,
}

impl Routine {
    /// The key of this routine.
    pub fn routine_key(&self) -> RoutineKey {
        RoutineKey { kind: self.kind, name: self.name.clone(), signature: self.signature.clone() }
    }
}

impl Keyed for Routine {
    type Key = RoutineKey;
    fn key(&self) -> RoutineKey {
        self.routine_key()
    }
}
