//! Names and keys: objects are identified by qualified names, never by catalog ids.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A possibly schema-qualified object name. SQLite and MySQL schemas use
/// `schema: None` (the database is the namespace); PostgreSQL always sets it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualifiedName {
    /// Namespace (PostgreSQL schema), if the dialect has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Object name, exactly as stored in the catalog.
    pub name: String,
}

impl QualifiedName {
    /// A name in an explicit namespace (or none).
    pub fn new(schema: Option<&str>, name: impl Into<String>) -> Self {
        QualifiedName { schema: schema.map(str::to_owned), name: name.into() }
    }

    /// A name without namespace (SQLite, MySQL).
    pub fn bare(name: impl Into<String>) -> Self {
        QualifiedName { schema: None, name: name.into() }
    }
}

impl fmt::Display for QualifiedName {
    /// Unquoted, for messages only; SQL goes through `Dialect::quote_qualified`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl From<&str> for QualifiedName {
    fn from(name: &str) -> Self {
        QualifiedName::bare(name)
    }
}

/// Whether a routine is a function, a procedure or an aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    /// Returns a value.
    Function,
    /// Called with CALL.
    Procedure,
    /// PostgreSQL aggregate.
    Aggregate,
}

/// Identifies a routine: PostgreSQL overloads share a name and differ by
/// their identity argument list; MySQL functions and procedures live in
/// separate namespaces, hence the kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutineKey {
    /// Function or procedure.
    pub kind: RoutineKind,
    /// Qualified name.
    pub name: QualifiedName,
    /// Identity argument types, e.g. `integer, text` (empty for none).
    #[serde(default)]
    pub signature: String,
}

impl fmt::Display for RoutineKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name, self.signature)
    }
}

/// A reference to any object of a schema: used for dependencies and messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ObjectKey {
    /// A namespace.
    Namespace { name: String },
    /// An extension.
    Extension { name: String },
    /// A collation.
    Collation { name: QualifiedName },
    /// A user-defined type (enum, composite, range, domain).
    Type { name: QualifiedName },
    /// A sequence.
    Sequence { name: QualifiedName },
    /// A table.
    Table { name: QualifiedName },
    /// A column of a table or view.
    Column { table: QualifiedName, column: String },
    /// A view (in dependency lists: a view or a materialized view).
    View { name: QualifiedName },
    /// A materialized view, where statements must say so (`COMMENT ON
    /// MATERIALIZED VIEW`).
    MaterializedView { name: QualifiedName },
    /// An index, named within its table.
    Index { table: QualifiedName, name: String },
    /// A named constraint of a table.
    Constraint { table: QualifiedName, name: String },
    /// A function or procedure.
    Routine { key: RoutineKey },
    /// A trigger, named within its table.
    Trigger { table: QualifiedName, name: String },
    /// A row-level security policy.
    Policy { table: QualifiedName, name: String },
    /// A rewrite rule, named within its table.
    Rule { table: QualifiedName, name: String },
    /// Extended statistics.
    Statistics { name: QualifiedName },
    /// A scheduled event (MySQL).
    Event { name: QualifiedName },
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectKey::Namespace { name } => write!(f, "schema {name}"),
            ObjectKey::Extension { name } => write!(f, "extension {name}"),
            ObjectKey::Collation { name } => write!(f, "collation {name}"),
            ObjectKey::Rule { table, name } => write!(f, "rule {name} on {table}"),
            ObjectKey::Statistics { name } => write!(f, "statistics {name}"),
            ObjectKey::Type { name } => write!(f, "type {name}"),
            ObjectKey::Sequence { name } => write!(f, "sequence {name}"),
            ObjectKey::Table { name } => write!(f, "table {name}"),
            ObjectKey::Column { table, column } => write!(f, "column {table}.{column}"),
            ObjectKey::View { name } => write!(f, "view {name}"),
            ObjectKey::MaterializedView { name } => write!(f, "materialized view {name}"),
            ObjectKey::Index { table, name } => write!(f, "index {name} on {table}"),
            ObjectKey::Constraint { table, name } => write!(f, "constraint {name} on {table}"),
            ObjectKey::Routine { key } => write!(f, "routine {key}"),
            ObjectKey::Trigger { table, name } => write!(f, "trigger {name} on {table}"),
            ObjectKey::Policy { table, name } => write!(f, "policy {name} on {table}"),
            ObjectKey::Event { name } => write!(f, "event {name}"),
        }
    }
}
