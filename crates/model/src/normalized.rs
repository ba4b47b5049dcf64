//! Whether a schema is normalized already: what introspectors and snapshots
//! hand over is, and copying a large schema just to normalize it again costs
//! more than hashing or diffing it.
//!
//! The checks mirror `Schema::normalize`; the differ's tests hold them to it.

use crate::{Schema, Table, TableOptions, TypeKind};

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
