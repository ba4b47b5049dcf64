//! Comments. How they travel depends on the dialect:
//!
//! - PostgreSQL keeps comments apart from definitions (`COMMENT ON`). Objects
//!   are compared without their comments, created without them, and every
//!   comment that differs from what the target will have after the structural
//!   changes becomes a [`Change::SetComment`] (also for objects created by the
//!   plan, whose payloads carry no comments).
//! - MySQL writes comments inside column, index, routine and event
//!   definitions, so a changed comment is an ordinary definition change
//!   (`AlterColumn`, index drop + create, ...). Only the table comment, which
//!   has no definition of its own to ride on, becomes a `SetComment` with an
//!   [`ObjectKey::Table`] target (`ALTER TABLE ... COMMENT = ...`).
//! - SQLite cannot store comments at all. They are stripped from both schemas
//!   before diffing, so a comment difference never yields a change that could
//!   not be emitted.

use std::collections::{BTreeMap, BTreeSet};

use schemasync_model::{ObjectKey, QualifiedName, Schema, Table, TypeKind, View};

use crate::change::{Change, TableOp};

/// Whether [`strip_all`] would remove anything.
pub(crate) fn has_any(schema: &Schema) -> bool {
    schema.namespaces.values().any(|ns| ns.comment.is_some())
        || schema.extensions.values().any(|ext| ext.comment.is_some())
        || schema.collations.values().any(|c| c.comment.is_some())
        || schema.rules.values().any(|r| r.comment.is_some())
        || schema.statistics.values().any(|s| s.comment.is_some())
        || schema.types.values().any(|ty| {
            ty.comment.is_some()
                || matches!(&ty.kind, TypeKind::Domain { checks, .. } if checks.iter().any(|c| c.comment.is_some()))
        })
        || schema.sequences.values().any(|seq| seq.comment.is_some())
        || schema.tables.values().any(table_has_any)
        || schema
            .views
            .values()
            .any(|view| view.comment.is_some() || view.indexes.values().any(|i| i.comment.is_some()))
        || schema.routines.values().any(|routine| routine.comment.is_some())
        || schema.triggers.values().any(|trigger| trigger.comment.is_some())
        || schema.events.values().any(|event| event.comment.is_some())
}

fn table_has_any(table: &Table) -> bool {
    table.comment.is_some()
        || table.columns.iter().any(|c| c.comment.is_some())
        || table.uniques.iter().any(|u| u.comment.is_some())
        || table.checks.iter().any(|c| c.comment.is_some())
        || table.foreign_keys.iter().any(|f| f.comment.is_some())
        || table.exclusions.iter().any(|e| e.comment.is_some())
        || table.indexes.values().any(|i| i.comment.is_some())
        || table.policies.values().any(|p| p.comment.is_some())
}

/// Remove every comment of the schema.
pub(crate) fn strip_all(schema: &mut Schema) {
    for ns in schema.namespaces.values_mut() {
        ns.comment = None;
    }
    for ext in schema.extensions.values_mut() {
        ext.comment = None;
    }
    for c in schema.collations.values_mut() {
        c.comment = None;
    }
    for r in schema.rules.values_mut() {
        r.comment = None;
    }
    for s in schema.statistics.values_mut() {
        s.comment = None;
    }
    for ty in schema.types.values_mut() {
        ty.comment = None;
        if let TypeKind::Domain { checks, .. } = &mut ty.kind {
            for check in checks.iter_mut() {
                check.comment = None;
            }
        }
    }
    for seq in schema.sequences.values_mut() {
        seq.comment = None;
    }
    for table in schema.tables.values_mut() {
        strip_table(table);
    }
    for view in schema.views.values_mut() {
        view.comment = None;
        for index in view.indexes.values_mut() {
            index.comment = None;
        }
    }
    for routine in schema.routines.values_mut() {
        routine.comment = None;
    }
    for trigger in schema.triggers.values_mut() {
        trigger.comment = None;
    }
    for event in schema.events.values_mut() {
        event.comment = None;
    }
    // Comments take part in the sort order of constraints.
    schema.normalize();
}

fn strip_table(table: &mut Table) {
    table.comment = None;
    for column in &mut table.columns {
        column.comment = None;
    }
    for unique in &mut table.uniques {
        unique.comment = None;
    }
    for check in &mut table.checks {
        check.comment = None;
    }
    for fk in &mut table.foreign_keys {
        fk.comment = None;
    }
    for exclusion in &mut table.exclusions {
        exclusion.comment = None;
    }
    for index in table.indexes.values_mut() {
        index.comment = None;
    }
    for policy in table.policies.values_mut() {
        policy.comment = None;
    }
}

/// Every commentable object of a PostgreSQL schema with its comment.
/// Unnamed constraints cannot be addressed by `COMMENT ON` and are left out.
fn collect(schema: &Schema) -> BTreeMap<ObjectKey, Option<String>> {
    let mut out = BTreeMap::new();
    for ns in schema.namespaces.values() {
        out.insert(ObjectKey::Namespace { name: ns.name.clone() }, ns.comment.clone());
    }
    for ext in schema.extensions.values() {
        out.insert(ObjectKey::Extension { name: ext.name.clone() }, ext.comment.clone());
    }
    for c in schema.collations.values() {
        out.insert(ObjectKey::Collation { name: c.name.clone() }, c.comment.clone());
    }
    for r in schema.rules.values() {
        out.insert(ObjectKey::Rule { table: r.table.clone(), name: r.name.clone() }, r.comment.clone());
    }
    for s in schema.statistics.values() {
        out.insert(ObjectKey::Statistics { name: s.name.clone() }, s.comment.clone());
    }
    for ty in schema.types.values() {
        out.insert(ObjectKey::Type { name: ty.name.clone() }, ty.comment.clone());
    }
    for seq in schema.sequences.values() {
        out.insert(ObjectKey::Sequence { name: seq.name.clone() }, seq.comment.clone());
    }
    for table in schema.tables.values() {
        collect_table(table, &mut out);
    }
    for view in schema.views.values() {
        out.insert(view_key(view), view.comment.clone());
        for index in view.indexes.values() {
            out.insert(ObjectKey::Index { table: view.name.clone(), name: index.name.clone() }, index.comment.clone());
        }
    }
    for routine in schema.routines.values() {
        out.insert(ObjectKey::Routine { key: routine.routine_key() }, routine.comment.clone());
    }
    for trigger in schema.triggers.values() {
        out.insert(
            ObjectKey::Trigger { table: trigger.table.clone(), name: trigger.name.clone() },
            trigger.comment.clone(),
        );
    }
    out
}

fn collect_table(table: &Table, out: &mut BTreeMap<ObjectKey, Option<String>>) {
    let name = &table.name;
    out.insert(ObjectKey::Table { name: name.clone() }, table.comment.clone());
    for column in &table.columns {
        out.insert(column_key(name, &column.name), column.comment.clone());
    }
    let constraints = table
        .uniques
        .iter()
        .map(|u| (&u.name, &u.comment))
        .chain(table.checks.iter().map(|c| (&c.name, &c.comment)))
        .chain(table.foreign_keys.iter().map(|f| (&f.name, &f.comment)));
    for (constraint, comment) in constraints {
        if let Some(constraint) = constraint {
            out.insert(constraint_key(name, constraint), comment.clone());
        }
    }
    for exclusion in &table.exclusions {
        out.insert(constraint_key(name, &exclusion.name), exclusion.comment.clone());
    }
    for index in table.indexes.values() {
        out.insert(ObjectKey::Index { table: name.clone(), name: index.name.clone() }, index.comment.clone());
    }
    for policy in table.policies.values() {
        out.insert(ObjectKey::Policy { table: name.clone(), name: policy.name.clone() }, policy.comment.clone());
    }
}

/// Views and materialized views are commented on differently.
fn view_key(view: &View) -> ObjectKey {
    let name = view.name.clone();
    if view.materialized { ObjectKey::MaterializedView { name } } else { ObjectKey::View { name } }
}

fn column_key(table: &QualifiedName, column: &str) -> ObjectKey {
    ObjectKey::Column { table: table.clone(), column: column.to_owned() }
}

fn constraint_key(table: &QualifiedName, name: &str) -> ObjectKey {
    ObjectKey::Constraint { table: table.clone(), name: name.to_owned() }
}

/// Objects the changes create (or create again): they start without a comment.
fn created_keys(changes: &[Change]) -> BTreeSet<ObjectKey> {
    let mut out = BTreeSet::new();
    for change in changes {
        match change {
            Change::CreateNamespace(ns) => {
                out.insert(ObjectKey::Namespace { name: ns.name.clone() });
            }
            Change::CreateExtension(ext) => {
                out.insert(ObjectKey::Extension { name: ext.name.clone() });
            }
            Change::CreateCollation(c) => {
                out.insert(ObjectKey::Collation { name: c.name.clone() });
            }
            Change::CreateRule(r) => {
                out.insert(ObjectKey::Rule { table: r.table.clone(), name: r.name.clone() });
            }
            Change::CreateStatistics(s) => {
                out.insert(ObjectKey::Statistics { name: s.name.clone() });
            }
            Change::CreateType(ty) => {
                out.insert(ObjectKey::Type { name: ty.name.clone() });
            }
            Change::CreateSequence(seq) => {
                out.insert(ObjectKey::Sequence { name: seq.name.clone() });
            }
            Change::CreateTable { table, .. } | Change::RebuildTable { to: table, .. } => {
                let mut keys = BTreeMap::new();
                collect_table(table, &mut keys);
                // Indexes and policies are created by their own changes.
                out.extend(
                    keys.into_keys().filter(|k| !matches!(k, ObjectKey::Index { .. } | ObjectKey::Policy { .. })),
                );
            }
            Change::AlterTable { table, ops } => {
                for op in ops {
                    let name = match op {
                        TableOp::AddColumn { column, .. } => {
                            out.insert(column_key(table, &column.name));
                            continue;
                        }
                        TableOp::AddUnique(u) => u.name.as_deref(),
                        TableOp::AddCheck(c) => c.name.as_deref(),
                        TableOp::AddExclusion(e) => Some(e.name.as_str()),
                        _ => None,
                    };
                    if let Some(name) = name {
                        out.insert(constraint_key(table, name));
                    }
                }
            }
            Change::AddForeignKey { table, foreign_key } => {
                if let Some(name) = &foreign_key.name {
                    out.insert(constraint_key(table, name));
                }
            }
            Change::CreateIndex { table, index } => {
                out.insert(ObjectKey::Index { table: table.clone(), name: index.name.clone() });
            }
            Change::CreateView(view) => {
                out.insert(view_key(view));
            }
            Change::CreateRoutine(routine) => {
                out.insert(ObjectKey::Routine { key: routine.routine_key() });
            }
            Change::CreateTrigger(trigger) => {
                out.insert(ObjectKey::Trigger { table: trigger.table.clone(), name: trigger.name.clone() });
            }
            Change::CreatePolicy { table, policy } => {
                out.insert(ObjectKey::Policy { table: table.clone(), name: policy.name.clone() });
            }
            _ => {}
        }
    }
    out
}

/// PostgreSQL: the `SetComment` changes that give every object of `to` its
/// comment, given the structural `changes` (which create objects uncommented).
pub(crate) fn postgres_comments(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    let created = created_keys(changes);
    let have = collect(from);
    collect(to)
        .into_iter()
        .filter_map(|(key, want)| {
            let current = if created.contains(&key) { None } else { have.get(&key).cloned().flatten() };
            (current != want).then_some(Change::SetComment { target: key, comment: want })
        })
        .collect()
}

/// MySQL: table comments of tables that are kept (a created table carries
/// its comment in its definition).
pub(crate) fn mysql_table_comments(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    let created: BTreeSet<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable { table, .. } => Some(&table.name),
            _ => None,
        })
        .collect();
    to.tables
        .values()
        .filter(|t| !created.contains(&t.name))
        .filter_map(|t| {
            let old = from.tables.get(&t.name)?;
            (old.comment != t.comment).then(|| Change::SetComment {
                target: ObjectKey::Table { name: t.name.clone() },
                comment: t.comment.clone(),
            })
        })
        .collect()
}
