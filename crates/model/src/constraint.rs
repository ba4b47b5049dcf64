//! Table constraints. Names are optional because SQLite constraints are often
//! unnamed; PostgreSQL and MySQL introspection always fills them in.

use serde::{Deserialize, Serialize};

use crate::index::IndexPart;
use crate::{QualifiedName, is_false};

/// PRIMARY KEY.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimaryKey {
    /// Constraint name, if named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Key columns in order.
    pub columns: Vec<String>,
    /// SQLite `ON CONFLICT` resolution; `None` is SQLite's default, ABORT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_conflict: Option<ConflictResolution>,
}

/// UNIQUE constraint (as opposed to a unique index, see [`crate::Index`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueConstraint {
    /// Constraint name, if named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Columns in order.
    pub columns: Vec<String>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
    /// Comment (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// SQLite `ON CONFLICT` resolution; `None` is SQLite's default, ABORT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_conflict: Option<ConflictResolution>,
}

/// What SQLite does when a row breaks a NOT NULL, UNIQUE or PRIMARY KEY
/// constraint that carries `ON CONFLICT <resolution>` and the statement names
/// none of its own (`INSERT OR ...` overrides it).
///
/// ABORT, SQLite's default, has no variant: a constraint written with
/// `ON CONFLICT ABORT` behaves exactly like one without, so the model holds
/// both as `None` and they compare, hash and diff equal. A CHECK constraint
/// accepts the clause but SQLite ignores it there, so checks do not carry one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictResolution {
    /// ROLLBACK: abort the statement and roll back the transaction.
    Rollback,
    /// FAIL: stop the statement, keeping the rows it already changed.
    Fail,
    /// IGNORE: skip the offending row.
    Ignore,
    /// REPLACE: delete the rows in the way (UNIQUE, PRIMARY KEY) or use the
    /// column default (NOT NULL).
    Replace,
}

impl ConflictResolution {
    /// SQL spelling, as written after `ON CONFLICT`.
    pub fn as_sql(self) -> &'static str {
        match self {
            ConflictResolution::Rollback => "ROLLBACK",
            ConflictResolution::Fail => "FAIL",
            ConflictResolution::Ignore => "IGNORE",
            ConflictResolution::Replace => "REPLACE",
        }
    }
}

/// CHECK constraint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConstraint {
    /// Constraint name, if named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Boolean expression as SQL text (without the surrounding `CHECK (...)`).
    pub expr: String,
    /// PostgreSQL `NOT VALID`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// PostgreSQL `NO INHERIT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    /// MySQL `NOT ENFORCED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_enforced: bool,
    /// Comment (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// FOREIGN KEY.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// Constraint name, if named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Referencing columns.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: QualifiedName,
    /// Referenced columns (empty: the referenced table's primary key, SQLite only).
    pub ref_columns: Vec<String>,
    /// ON DELETE.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    /// ON UPDATE.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
    /// MATCH type.
    #[serde(default, skip_serializing_if = "FkMatch::is_default")]
    pub match_type: FkMatch,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
    /// PostgreSQL `NOT VALID`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_valid: bool,
    /// Comment (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Referential action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    /// NO ACTION (the default everywhere).
    #[default]
    NoAction,
    /// RESTRICT.
    Restrict,
    /// CASCADE.
    Cascade,
    /// SET NULL.
    SetNull,
    /// SET DEFAULT.
    SetDefault,
}

impl FkAction {
    fn is_default(&self) -> bool {
        *self == FkAction::NoAction
    }

    /// SQL spelling.
    pub fn as_sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// FOREIGN KEY ... MATCH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkMatch {
    /// MATCH SIMPLE (default).
    #[default]
    Simple,
    /// MATCH FULL.
    Full,
    /// MATCH PARTIAL.
    Partial,
}

impl FkMatch {
    fn is_default(&self) -> bool {
        *self == FkMatch::Simple
    }
}

/// DEFERRABLE state of a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    /// NOT DEFERRABLE (default).
    #[default]
    NotDeferrable,
    /// DEFERRABLE INITIALLY IMMEDIATE.
    InitiallyImmediate,
    /// DEFERRABLE INITIALLY DEFERRED.
    InitiallyDeferred,
}

impl Deferrable {
    fn is_default(&self) -> bool {
        *self == Deferrable::NotDeferrable
    }
}

/// PostgreSQL EXCLUDE constraint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionConstraint {
    /// Constraint name.
    pub name: String,
    /// Index method (`gist`, ...).
    pub method: String,
    /// Elements: an index part and its operator (`&&`, `=`).
    pub elements: Vec<ExclusionElement>,
    /// INCLUDE columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// WHERE predicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Deferrability.
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One `part WITH operator` of an exclusion constraint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionElement {
    /// Column or expression with ordering and opclass.
    pub part: IndexPart,
    /// Operator.
    pub operator: String,
}
