//! PostgreSQL rewrite rules and extended statistics: objects attached to a
//! table whose whole definition PostgreSQL prints itself
//! (`pg_get_ruledef`, `pg_get_statisticsobjdef`), so they are kept verbatim.

use serde::{Deserialize, Serialize};

use crate::QualifiedName;
use crate::keyed::Keyed;

/// `CREATE RULE` on a table or view (the `_RETURN` rule of a view is the
/// view itself and is not one of these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The table or view.
    pub table: QualifiedName,
    /// Rule name (unique per table).
    pub name: String,
    /// The full `CREATE RULE ...` statement.
    pub definition: String,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Rule {
    type Key = (QualifiedName, String);
    fn key(&self) -> (QualifiedName, String) {
        (self.table.clone(), self.name.clone())
    }
}

/// `CREATE STATISTICS`: extended planner statistics over columns or
/// expressions of one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statistics {
    /// Schema-qualified name.
    pub name: QualifiedName,
    /// The table.
    pub table: QualifiedName,
    /// The full `CREATE STATISTICS ...` statement.
    pub definition: String,
    /// `ALTER STATISTICS ... SET STATISTICS n` (unset: the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<i32>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Statistics {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}
