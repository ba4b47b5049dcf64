//! Columns and what can hang off one: identity, generation, defaults.

use serde::{Deserialize, Serialize};

use crate::constraint::ConflictResolution;
use crate::is_false;
use crate::sequence::SequenceOptions;

/// A table column. Field order in a table is meaningful and kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Canonical type text for the dialect (`integer`, `character varying(20)`,
    /// `int(10) unsigned`, or the declared type of a SQLite column, which may be empty).
    pub data_type: String,
    /// Whether NULL is allowed.
    #[serde(default = "crate::default_true")]
    pub nullable: bool,
    /// Default expression as SQL text, normalized by the introspector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Collation, when it differs from the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Character set (MySQL), when it differs from the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// `GENERATED ... AS IDENTITY` (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Generated (computed) column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT` on an INTEGER PRIMARY KEY.
    #[serde(default, skip_serializing_if = "is_false")]
    pub auto_increment: bool,
    /// MySQL `ON UPDATE` expression (e.g. `current_timestamp()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// MySQL `INVISIBLE` / SQLite hidden column.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invisible: bool,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// SQLite `NOT NULL ON CONFLICT <resolution>`; only meaningful when the
    /// column is NOT NULL. `None` is SQLite's default, ABORT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_on_conflict: Option<ConflictResolution>,
}

impl Column {
    /// A nullable column without default.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            nullable: true,
            default: None,
            collation: None,
            charset: None,
            identity: None,
            generated: None,
            auto_increment: false,
            on_update: None,
            invisible: false,
            comment: None,
            not_null_on_conflict: None,
        }
    }

    /// Builder: NOT NULL.
    #[must_use]
    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }

    /// Builder: default expression, as SQL text (`''`, `0`, `CURRENT_TIMESTAMP`).
    #[must_use]
    pub fn default_expr(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }

    /// Builder: collation.
    #[must_use]
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }

    /// Builder: generated column.
    #[must_use]
    pub fn generated_as(mut self, expr: impl Into<String>, stored: bool) -> Self {
        self.generated = Some(Generated { expr: expr.into(), stored });
        self
    }

    /// Builder: auto increment.
    #[must_use]
    pub fn auto_increment(mut self) -> Self {
        self.auto_increment = true;
        self
    }

    /// Builder: comment.
    #[must_use]
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}

/// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// ALWAYS (true) or BY DEFAULT (false).
    pub always: bool,
    /// Options of the implicit sequence.
    #[serde(default)]
    pub sequence: SequenceOptions,
}

/// A generated column's expression and storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generated {
    /// The expression as SQL text.
    pub expr: String,
    /// STORED (true) or VIRTUAL (false).
    pub stored: bool,
}
