//! Objects other than tables, views and triggers: namespaces, extensions,
//! types, sequences, routines and events.

use std::collections::BTreeSet;

use schemasync_model::{QualifiedName, Routine, Schema, Sequence, TypeKind, UserType};

use crate::change::Change;
use crate::tables::TableOutcome;

/// Push the changes of namespaces, extensions, types, sequences, routines and
/// events. Returns the routines that are dropped and created again (their
/// dependents must follow them).
pub(crate) fn diff_objects(
    from: &Schema,
    to: &Schema,
    tables: &TableOutcome,
    out: &mut Vec<Change>,
) -> BTreeSet<QualifiedName> {
    for (name, ns) in &from.namespaces {
        if !to.namespaces.contains_key(name) {
            out.push(Change::DropNamespace(ns.clone()));
        }
    }
    for (name, ns) in &to.namespaces {
        if !from.namespaces.contains_key(name) {
            out.push(Change::CreateNamespace(ns.clone()));
        }
    }
    for (name, ext) in &from.extensions {
        if !to.extensions.contains_key(name) {
            out.push(Change::DropExtension(ext.clone()));
        }
    }
    for (name, ext) in &to.extensions {
        match from.extensions.get(name) {
            None => out.push(Change::CreateExtension(ext.clone())),
            Some(old) if old != ext => out.push(Change::AlterExtension { from: old.clone(), to: ext.clone() }),
            Some(_) => {}
        }
    }
    for (name, old) in &from.collations {
        if to.collations.get(name) != Some(old) {
            out.push(Change::DropCollation(old.clone()));
        }
    }
    for (name, new) in &to.collations {
        if from.collations.get(name) != Some(new) {
            out.push(Change::CreateCollation(new.clone()));
        }
    }
    diff_types(from, to, out);
    diff_sequences(from, to, tables, out);
    let recreated = diff_routines(from, to, out);
    for (name, event) in &from.events {
        if to.events.get(name) != Some(event) {
            out.push(Change::DropEvent(event.clone()));
        }
    }
    for (name, event) in &to.events {
        if from.events.get(name) != Some(event) {
            out.push(Change::CreateEvent(event.clone()));
        }
    }
    recreated
}

fn diff_types(from: &Schema, to: &Schema, out: &mut Vec<Change>) {
    for (name, old) in &from.types {
        if !to.types.contains_key(name) {
            out.push(Change::DropType(old.clone()));
        }
    }
    for (name, new) in &to.types {
        match from.types.get(name) {
            None => out.push(Change::CreateType(new.clone())),
            Some(old) if old == new => {}
            Some(old) if can_alter_type(old, new) => {
                out.push(Change::AlterType { from: old.clone(), to: new.clone() });
            }
            Some(old) => {
                out.push(Change::DropType(old.clone()));
                out.push(Change::CreateType(new.clone()));
            }
        }
    }
}

/// Enum labels can only be added (in any position) in place; domains keep
/// their base type and collation; composite attributes can be added, dropped
/// and retyped. Everything else is a drop + create.
fn can_alter_type(old: &UserType, new: &UserType) -> bool {
    match (&old.kind, &new.kind) {
        (TypeKind::Enum { labels: a }, TypeKind::Enum { labels: b }) => is_subsequence(a, b),
        (
            TypeKind::Domain { base_type: t1, collation: c1, .. },
            TypeKind::Domain { base_type: t2, collation: c2, .. },
        ) => t1 == t2 && c1 == c2,
        (TypeKind::Composite { .. }, TypeKind::Composite { .. }) => true,
        _ => false,
    }
}

/// Whether `small` appears in `big` in the same order (gaps allowed).
pub(crate) fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut rest = big.iter();
    small.iter().all(|label| rest.any(|b| b == label))
}

fn diff_sequences(from: &Schema, to: &Schema, tables: &TableOutcome, out: &mut Vec<Change>) {
    // PostgreSQL drops a sequence together with the column that owns it.
    let vanishes = |seq: &Sequence| {
        seq.owned_by
            .as_ref()
            .is_some_and(|(table, column)| tables.gone_columns.contains(&(table.clone(), column.clone())))
    };
    for (name, old) in &from.sequences {
        if !to.sequences.contains_key(name) && !vanishes(old) {
            out.push(Change::DropSequence(old.clone()));
        }
    }
    for (name, new) in &to.sequences {
        match from.sequences.get(name) {
            Some(old) if !vanishes(old) => {
                if old != new {
                    out.push(Change::AlterSequence { from: old.clone(), to: new.clone() });
                }
            }
            _ => {
                // OWNED BY needs the column, and the column's default needs
                // the sequence: create it unowned, then set the owner.
                let unowned = Sequence { owned_by: None, ..new.clone() };
                out.push(Change::CreateSequence(unowned.clone()));
                if new.owned_by.is_some() {
                    out.push(Change::AlterSequence { from: unowned, to: new.clone() });
                }
            }
        }
    }
}

fn diff_routines(from: &Schema, to: &Schema, out: &mut Vec<Change>) -> BTreeSet<QualifiedName> {
    let mut recreated = BTreeSet::new();
    for (key, old) in &from.routines {
        if !to.routines.contains_key(key) {
            out.push(Change::DropRoutine(old.clone()));
        }
    }
    for (key, new) in &to.routines {
        match from.routines.get(key) {
            None => out.push(Change::CreateRoutine(new.clone())),
            // `depends_on` is derived data: no statement changes it.
            Some(old)
                if Routine { depends_on: Vec::new(), ..old.clone() }
                    == Routine { depends_on: Vec::new(), ..new.clone() } => {}
            // CREATE OR REPLACE keeps dependents but cannot change the
            // argument list (names, defaults) or the return type; aggregates
            // have no OR REPLACE at all, so their dependents are recreated.
            Some(old)
                if old.arguments == new.arguments
                    && old.returns == new.returns
                    && new.kind != schemasync_model::RoutineKind::Aggregate =>
            {
                out.push(Change::ReplaceRoutine { from: old.clone(), to: new.clone() });
            }
            Some(old) => {
                out.push(Change::DropRoutine(old.clone()));
                out.push(Change::CreateRoutine(new.clone()));
                recreated.insert(new.name.clone());
            }
        }
    }
    recreated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn subsequence() {
        assert!(is_subsequence(&labels(&["a", "c"]), &labels(&["a", "b", "c"])));
        assert!(!is_subsequence(&labels(&["c", "a"]), &labels(&["a", "b", "c"])));
        assert!(!is_subsequence(&labels(&["a", "d"]), &labels(&["a", "b", "c"])));
        assert!(is_subsequence(&[], &labels(&["a"])));
    }
}
