//! Owners and privileges (PostgreSQL; read only when asked for, since roles
//! differ between environments). Like comments they are kept apart from
//! definitions: objects are compared without them and created without them,
//! and every owner or grant set that differs from what the target will have
//! after the structural changes becomes a [`Change::SetPrivileges`]. An object the plan creates (or creates again)
//! starts with no grants and an unknown owner.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use schemasync_model::{Grant, Schema, TypeKind};

use crate::change::{Change, Securable, TableOp};

/// Whether [`strip_all`] would remove anything.
pub(crate) fn has_any(schema: &Schema) -> bool {
    schema.namespaces.values().any(|o| o.owner.is_some() || !o.grants.is_empty())
        || schema.types.values().any(|o| o.owner.is_some() || !o.grants.is_empty())
        || schema.sequences.values().any(|o| o.owner.is_some() || !o.grants.is_empty())
        || schema.tables.values().any(|o| o.owner.is_some() || !o.grants.is_empty())
        || schema.views.values().any(|o| o.owner.is_some() || !o.grants.is_empty())
        || schema.routines.values().any(|o| o.owner.is_some() || !o.grants.is_empty())
}

pub(crate) fn strip_all(schema: &mut Schema) {
    for o in schema.namespaces.values_mut() {
        (o.owner, o.grants) = (None, Vec::new());
    }
    for o in schema.types.values_mut() {
        (o.owner, o.grants) = (None, Vec::new());
    }
    for o in schema.sequences.values_mut() {
        (o.owner, o.grants) = (None, Vec::new());
    }
    for o in schema.tables.values_mut() {
        (o.owner, o.grants) = (None, Vec::new());
    }
    for o in schema.views.values_mut() {
        (o.owner, o.grants) = (None, Vec::new());
    }
    for o in schema.routines.values_mut() {
        (o.owner, o.grants) = (None, Vec::new());
    }
}

/// Owner and grants of one object.
struct Held<'a> {
    owner: Option<&'a str>,
    grants: Cow<'a, [Grant]>,
}

fn collect(schema: &Schema) -> BTreeMap<Securable, Held<'_>> {
    let mut out = BTreeMap::new();
    for o in schema.namespaces.values() {
        out.insert(Securable::Namespace { name: o.name.clone() }, held(&o.owner, &o.grants));
    }
    for o in schema.types.values() {
        let domain = matches!(o.kind, TypeKind::Domain { .. });
        out.insert(Securable::Type { name: o.name.clone(), domain }, held(&o.owner, &o.grants));
    }
    for o in schema.sequences.values() {
        out.insert(Securable::Sequence { name: o.name.clone() }, held(&o.owner, &o.grants));
    }
    for o in schema.tables.values() {
        out.insert(Securable::Table { name: o.name.clone() }, held(&o.owner, &o.grants));
    }
    for o in schema.views.values() {
        out.insert(Securable::View { name: o.name.clone(), materialized: o.materialized }, held(&o.owner, &o.grants));
    }
    for o in schema.routines.values() {
        out.insert(Securable::Routine { key: o.routine_key() }, held(&o.owner, &o.grants));
    }
    out
}

fn held<'a>(owner: &'a Option<String>, grants: &'a [Grant]) -> Held<'a> {
    Held { owner: owner.as_deref(), grants: Cow::Borrowed(grants) }
}

/// Objects the changes create (or create again), and columns they drop from
/// kept tables (a dropped column takes its column grants with it).
struct Effects {
    created: BTreeSet<Securable>,
    dropped_columns: BTreeMap<Securable, BTreeSet<String>>,
}

fn effects(changes: &[Change]) -> Effects {
    let mut created = BTreeSet::new();
    let mut dropped_columns: BTreeMap<Securable, BTreeSet<String>> = BTreeMap::new();
    for change in changes {
        match change {
            Change::CreateNamespace(ns) => {
                created.insert(Securable::Namespace { name: ns.name.clone() });
            }
            Change::CreateType(ty) => {
                let domain = matches!(ty.kind, TypeKind::Domain { .. });
                created.insert(Securable::Type { name: ty.name.clone(), domain });
            }
            Change::CreateSequence(seq) => {
                created.insert(Securable::Sequence { name: seq.name.clone() });
            }
            Change::CreateTable { table, .. } | Change::RebuildTable { to: table, .. } => {
                created.insert(Securable::Table { name: table.name.clone() });
            }
            Change::CreateView(view) => {
                created.insert(Securable::View { name: view.name.clone(), materialized: view.materialized });
            }
            Change::CreateRoutine(routine) => {
                created.insert(Securable::Routine { key: routine.routine_key() });
            }
            Change::AlterTable { table, ops } => {
                for op in ops {
                    if let TableOp::DropColumn(column) = op {
                        dropped_columns
                            .entry(Securable::Table { name: table.clone() })
                            .or_default()
                            .insert(column.name.clone());
                    }
                }
            }
            _ => {}
        }
    }
    Effects { created, dropped_columns }
}

/// Grants left once `dropped` columns are gone: column grants lose those
/// columns, and a column grant left with none disappears.
fn without_columns(grants: &[Grant], dropped: &BTreeSet<String>) -> Vec<Grant> {
    grants
        .iter()
        .filter_map(|g| {
            if g.columns.is_empty() {
                return Some(g.clone());
            }
            let columns: Vec<String> = g.columns.iter().filter(|c| !dropped.contains(*c)).cloned().collect();
            (!columns.is_empty()).then(|| Grant { columns, ..g.clone() })
        })
        .collect()
}

/// PostgreSQL: the owner and grant changes that give every object of `to`
/// its owner and privileges, after the structural `changes`. Objects of `to`
/// without an owner (privileges not read) get no owner change.
pub(crate) fn postgres_privileges(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    // Every object has an owner once privileges are read: a wanted schema
    // with none was read without them, and says nothing about them.
    if !has_any(to) {
        return Vec::new();
    }
    let Effects { created, dropped_columns } = effects(changes);
    let mut have = collect(from);
    for (key, dropped) in &dropped_columns {
        if let Some(held) = have.get_mut(key) {
            held.grants = Cow::Owned(without_columns(&held.grants, dropped));
        }
    }
    let mut out = Vec::new();
    for (key, want) in collect(to) {
        let current = if created.contains(&key) { None } else { have.get(&key) };
        let owner = want.owner.filter(|&o| current.and_then(|c| c.owner) != Some(o)).map(str::to_owned);
        let current_grants: &[Grant] = current.map_or(&[], |c| &c.grants);
        let revoke: Vec<Grant> = current_grants.iter().filter(|g| !want.grants.contains(g)).cloned().collect();
        let grant: Vec<Grant> = want.grants.iter().filter(|g| !current_grants.contains(g)).cloned().collect();
        if owner.is_some() || !revoke.is_empty() || !grant.is_empty() {
            out.push(Change::SetPrivileges { target: key, revoke, owner, grant });
        }
    }
    out
}
