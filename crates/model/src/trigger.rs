//! Triggers.

use serde::{Deserialize, Serialize};

use crate::constraint::Deferrable;
use crate::keyed::Keyed;
use crate::{ObjectKey, QualifiedName, is_false};

/// A trigger on a table or view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Table or view the trigger is on.
    pub table: QualifiedName,
    /// Trigger name.
    pub name: String,
    /// BEFORE / AFTER / INSTEAD OF.
    pub timing: TriggerTiming,
    /// Events (sorted: insert, update, delete, truncate).
    pub events: Vec<TriggerEvent>,
    /// `UPDATE OF columns`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub update_columns: Vec<String>,
    /// FOR EACH ROW (true) or STATEMENT.
    #[serde(default = "crate::default_true")]
    pub for_each_row: bool,
    /// WHEN condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The action: a statement list (`BEGIN ... END` for SQLite and MySQL) or
    /// `EXECUTE FUNCTION f(args)` (PostgreSQL).
    pub body: String,
    /// PostgreSQL CONSTRAINT trigger.
    #[serde(default, skip_serializing_if = "is_false")]
    pub constraint: bool,
    /// Deferrability of a constraint trigger.
    #[serde(default, skip_serializing_if = "is_not_deferrable")]
    pub deferrable: Deferrable,
    /// MySQL `FOLLOWS`/`PRECEDES` ordering: position among triggers of the
    /// same timing and event (1-based); `None` when there is only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<u32>,
    /// Disabled (PostgreSQL `ALTER TABLE ... DISABLE TRIGGER`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    /// Objects the trigger depends on (its function), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<ObjectKey>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// MySQL: the `sql_mode` the trigger was created under (it is kept with
    /// the trigger and applies when it fires). `None` elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_mode: Option<String>,
}

fn is_not_deferrable(d: &Deferrable) -> bool {
    *d == Deferrable::NotDeferrable
}

impl Keyed for Trigger {
    type Key = (QualifiedName, String);
    fn key(&self) -> (QualifiedName, String) {
        (self.table.clone(), self.name.clone())
    }
}

/// When a trigger fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    /// BEFORE.
    Before,
    /// AFTER.
    After,
    /// INSTEAD OF.
    InsteadOf,
}

impl TriggerTiming {
    /// SQL spelling.
    pub fn as_sql(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
    }
}

/// What fires a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    /// INSERT.
    Insert,
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// TRUNCATE (PostgreSQL).
    Truncate,
}

impl TriggerEvent {
    /// SQL spelling.
    pub fn as_sql(self) -> &'static str {
        match self {
            TriggerEvent::Insert => "INSERT",
            TriggerEvent::Update => "UPDATE",
            TriggerEvent::Delete => "DELETE",
            TriggerEvent::Truncate => "TRUNCATE",
        }
    }
}
