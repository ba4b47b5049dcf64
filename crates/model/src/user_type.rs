//! User-defined types: enums, composites, ranges, domains (PostgreSQL).

use serde::{Deserialize, Serialize};

use crate::QualifiedName;
use crate::constraint::CheckConstraint;
use crate::keyed::Keyed;
use crate::privilege::Grant;

/// A user-defined type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserType {
    /// Qualified name.
    pub name: QualifiedName,
    /// What kind of type.
    pub kind: TypeKind,
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

impl Keyed for UserType {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}

/// The kind of a user-defined type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TypeKind {
    /// `CREATE TYPE ... AS ENUM (labels)`; label order matters.
    Enum {
        /// Labels in sort order.
        labels: Vec<String>,
    },
    /// `CREATE TYPE ... AS (attributes)`.
    Composite {
        /// Attributes in order.
        attributes: Vec<CompositeAttribute>,
    },
    /// `CREATE TYPE ... AS RANGE (...)`.
    Range {
        /// SUBTYPE.
        subtype: String,
        /// SUBTYPE_OPCLASS.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subtype_opclass: Option<String>,
        /// COLLATION.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<String>,
        /// CANONICAL function.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        canonical: Option<String>,
        /// SUBTYPE_DIFF function.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subtype_diff: Option<String>,
        /// MULTIRANGE_TYPE_NAME.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        multirange: Option<String>,
    },
    /// `CREATE DOMAIN`.
    Domain {
        /// Underlying type.
        base_type: String,
        /// NOT NULL.
        #[serde(default, skip_serializing_if = "crate::is_false")]
        not_null: bool,
        /// DEFAULT.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
        /// COLLATE.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<String>,
        /// CHECK constraints (sorted).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        checks: Vec<CheckConstraint>,
    },
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeAttribute {
    /// Attribute name.
    pub name: String,
    /// Type text.
    pub data_type: String,
    /// COLLATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}
