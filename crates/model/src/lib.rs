//! The schemasync schema model: plain owned data describing a database schema
//! for PostgreSQL, MySQL/MariaDB and SQLite.
//!
//! Objects are identified by qualified names, never by catalog ids, so a
//! snapshot taken today diffs cleanly against one taken next year. Unordered
//! collections are name-keyed `BTreeMap`s (serialized as arrays of objects);
//! ordered ones (columns, key parts, enum labels) are `Vec`s.
//!
//! ```
//! use schemasync_model::{Column, Dialect, Schema, Table};
//!
//! let mut schema = Schema::new(Dialect::Sqlite);
//! schema.add_table(
//!     Table::new("users")
//!         .with_column(Column::new("id", "INTEGER").not_null())
//!         .with_column(Column::new("email", "TEXT").not_null().default_expr("''"))
//!         .with_primary_key(["id"]),
//! )?;
//! assert_eq!(schema.content_hash(), Schema::from_json(&schema.to_canonical_json())?.content_hash());
//! # Ok::<(), schemasync_model::ModelError>(())
//! ```
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod canonical;
mod collation;
mod column;
mod constraint;
mod dialect;
mod error;
mod index;
pub mod keyed;
mod name;
mod namespace;
mod normalized;
mod privilege;
mod routine;
mod rule;
mod schema;
mod script;
mod sequence;
mod summary;
mod table;
mod tls_failure;
mod transactions;
mod trigger;
mod user_type;
mod view;

pub use collation::Collation;
pub use column::{Column, ColumnCompression, ColumnStorage, Generated, Identity};
pub use constraint::{
    CheckConstraint, ConflictResolution, Deferrable, ExclusionConstraint, ExclusionElement, FkAction, FkMatch,
    ForeignKey, PrimaryKey, UniqueConstraint,
};
pub use dialect::Dialect;
pub use error::ModelError;
pub use index::{Index, IndexKind, IndexPart, IndexTarget};
pub use name::{ObjectKey, QualifiedName, RoutineKey, RoutineKind};
pub use namespace::{Event, Extension, Namespace};
pub use privilege::Grant;
pub use routine::Routine;
pub use rule::{Rule, Statistics};
pub use schema::Schema;
pub use script::{Hazard, HazardKind, Script, Statement};
pub use sequence::{Sequence, SequenceOptions};
pub use summary::ObjectCounts;
pub use table::{
    PartitionDef, PartitionOf, PartitionStrategy, Partitioning, Policy, PolicyCommand, Table, TableOptions,
};
pub use tls_failure::TlsFailure;
pub use trigger::{Trigger, TriggerEvent, TriggerTiming};
pub use user_type::{CompositeAttribute, TypeKind, UserType};
pub use view::{CheckOption, MySqlViewOptions, View};

// serde helpers shared by the model's types.
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn is_zero(value: &u32) -> bool {
    *value == 0
}

pub(crate) fn default_true() -> bool {
    true
}
