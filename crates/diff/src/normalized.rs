//! Normalized views of the input schemas without copying them when they are
//! normalized already, which is what introspectors and snapshots hand over:
//! a copy of a large schema costs more than the whole diff of a few changes.
//!
//! The checks mirror `Schema::normalize` in the model; the tests below hold
//! them to it, so a new normalization step there fails here rather than
//! going unnoticed.

use std::borrow::Cow;

use schemasync_model::{Schema, Table, TableOptions, TypeKind};

/// `schema` itself when normalizing would not change it, else a normalized copy.
pub(crate) fn normalized(schema: &Schema) -> Cow<'_, Schema> {
    if is_normalized(schema) { Cow::Borrowed(schema) } else { Cow::Owned(schema.normalized()) }
}

/// Whether `Schema::normalize` would leave `schema` as it is.
pub(crate) fn is_normalized(schema: &Schema) -> bool {
    schema.tables.values().all(table_is_normalized)
        && schema
            .views
            .values()
            .all(|v| v.options.is_sorted() && strictly_sorted(&v.depends_on) && v.grants.is_sorted())
        && schema.routines.values().all(|r| strictly_sorted(&r.depends_on) && r.grants.is_sorted())
        && schema.triggers.values().all(|t| strictly_sorted(&t.events) && strictly_sorted(&t.depends_on))
        && schema
            .types
            .values()
            .all(|t| t.grants.is_sorted() && !matches!(&t.kind, TypeKind::Domain { checks, .. } if !checks.is_sorted()))
        && schema.sequences.values().all(|s| s.grants.is_sorted())
        && schema.namespaces.values().all(|n| n.grants.is_sorted())
}

fn table_is_normalized(table: &Table) -> bool {
    table.uniques.is_sorted()
        && table.checks.is_sorted()
        && table.foreign_keys.is_sorted()
        && table.exclusions.is_sorted()
        && table.grants.is_sorted()
        && table.policies.values().all(|p| p.roles.is_sorted())
        && options_are_normalized(&table.options)
}

fn options_are_normalized(options: &TableOptions) -> bool {
    let sorted = match options {
        TableOptions::Postgres { storage, .. } => storage.is_sorted(),
        _ => true,
    };
    sorted && (*options == TableOptions::Default || !options.is_default())
}

/// Sorted without duplicates: what `sort` followed by `dedup` leaves.
fn strictly_sorted<T: Ord>(items: &[T]) -> bool {
    items.windows(2).all(|pair| matches!(pair, [a, b] if a < b))
}
