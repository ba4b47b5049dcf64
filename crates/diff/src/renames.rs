//! Column renames from explicit hints. The current schema is rewritten as if
//! the renames had already run (the engines carry a rename through to keys,
//! indexes and foreign keys), so everything after compares like with like and
//! the renames themselves become `RenameColumn` operations.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemasync_model::{IndexPart, IndexTarget, QualifiedName, Schema, Table};

/// Accepted renames per table, in hint order: (old, new).
pub(crate) type Renames = BTreeMap<QualifiedName, Vec<(String, String)>>;

/// Apply the hints that make sense to `from` and return them. A hint is used
/// only when the table exists on both sides, the old column exists only in
/// `from` and the new one only in `to`; anything else is ignored, so a stale
/// hint can never break a diff.
/// `from` is copied only when a hint applies.
pub(crate) fn apply(from: &mut Cow<'_, Schema>, to: &Schema, hints: &[(QualifiedName, String, String)]) -> Renames {
    let mut renames = Renames::new();
    for (table_name, old, new) in hints {
        let (Some(current), Some(wanted)) = (from.tables.get(table_name), to.tables.get(table_name)) else {
            continue;
        };
        let valid = old != new
            && current.column(old).is_some()
            && current.column(new).is_none()
            && wanted.column(new).is_some()
            && wanted.column(old).is_none();
        if !valid {
            continue;
        }
        let from = from.to_mut();
        if let Some(table) = from.tables.get_mut(table_name) {
            rename_in_table(table, old, new);
        }
        for table in from.tables.values_mut() {
            for fk in table.foreign_keys.iter_mut().filter(|fk| &fk.ref_table == table_name) {
                rename_in(&mut fk.ref_columns, old, new);
            }
        }
        for trigger in from.triggers.values_mut().filter(|t| &t.table == table_name) {
            rename_in(&mut trigger.update_columns, old, new);
        }
        for seq in from.sequences.values_mut() {
            if let Some((owner, column)) = &mut seq.owned_by
                && owner == table_name
                && column == old
            {
                column.clone_from(new);
            }
        }
        renames.entry(table_name.clone()).or_default().push((old.clone(), new.clone()));
    }
    if !renames.is_empty() {
        from.to_mut().normalize();
    }
    renames
}

fn rename_in(columns: &mut [String], old: &str, new: &str) {
    for column in columns.iter_mut().filter(|c| *c == old) {
        *column = new.to_owned();
    }
}

fn rename_part(part: &mut IndexPart, old: &str, new: &str) {
    if let IndexTarget::Column(column) = &mut part.target
        && column == old
    {
        *column = new.to_owned();
    }
}

fn rename_in_table(table: &mut Table, old: &str, new: &str) {
    if let Some(column) = table.column_mut(old) {
        column.name = new.to_owned();
    }
    if let Some(pk) = &mut table.primary_key {
        rename_in(&mut pk.columns, old, new);
    }
    for unique in &mut table.uniques {
        rename_in(&mut unique.columns, old, new);
    }
    for fk in &mut table.foreign_keys {
        rename_in(&mut fk.columns, old, new);
    }
    for exclusion in &mut table.exclusions {
        for element in &mut exclusion.elements {
            rename_part(&mut element.part, old, new);
        }
        rename_in(&mut exclusion.include, old, new);
    }
    for index in table.indexes.values_mut() {
        for part in &mut index.parts {
            rename_part(part, old, new);
        }
        rename_in(&mut index.include, old, new);
    }
}
