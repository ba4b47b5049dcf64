//! Indexes (on tables and materialized views).

use serde::{Deserialize, Serialize};

use crate::is_false;

/// An index. Unique constraints are modelled separately; a unique index that
/// backs no constraint is an `Index` with `unique: true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// UNIQUE.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// Access method (`btree`, `hash`, `gin`, `gist`, MySQL `BTREE`/`HASH`), when not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// MySQL FULLTEXT / SPATIAL.
    #[serde(default, skip_serializing_if = "IndexKind::is_plain")]
    pub kind: IndexKind,
    /// Key parts in order.
    pub parts: Vec<IndexPart>,
    /// INCLUDE columns (PostgreSQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Partial index predicate (WHERE ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// PostgreSQL 15 `NULLS NOT DISTINCT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Storage parameters (`fillfactor=70`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Index {
    /// A plain index on columns.
    pub fn on_columns<I, S>(name: impl Into<String>, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Index {
            name: name.into(),
            unique: false,
            method: None,
            kind: IndexKind::Plain,
            parts: columns.into_iter().map(|c| IndexPart::column(c)).collect(),
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            options: Vec::new(),
            comment: None,
        }
    }

    /// Builder: UNIQUE.
    #[must_use]
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Builder: partial index.
    #[must_use]
    pub fn where_(mut self, predicate: impl Into<String>) -> Self {
        self.predicate = Some(predicate.into());
        self
    }
}

/// MySQL index flavour.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    /// An ordinary index.
    #[default]
    Plain,
    /// FULLTEXT, optionally `WITH PARSER`.
    Fulltext {
        /// Parser plugin name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parser: Option<String>,
    },
    /// SPATIAL.
    Spatial,
}

impl IndexKind {
    fn is_plain(&self) -> bool {
        *self == IndexKind::Plain
    }
}

/// What an index part indexes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexTarget {
    /// A column by name.
    Column(String),
    /// An expression as SQL text.
    Expression(String),
}

/// One key part of an index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexPart {
    /// Column or expression.
    pub target: IndexTarget,
    /// DESC.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    /// NULLS FIRST (true) / NULLS LAST (false), when not the default for the direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    /// COLLATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Operator class (PostgreSQL), when not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// Prefix length (MySQL `col(10)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_length: Option<u32>,
}

impl IndexPart {
    /// An ascending part on a column.
    pub fn column(name: impl Into<String>) -> Self {
        IndexPart {
            target: IndexTarget::Column(name.into()),
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
            prefix_length: None,
        }
    }

    /// An ascending part on an expression.
    pub fn expression(expr: impl Into<String>) -> Self {
        IndexPart { target: IndexTarget::Expression(expr.into()), ..IndexPart::column("") }
    }
}
