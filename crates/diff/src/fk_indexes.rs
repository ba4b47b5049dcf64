//! MySQL/MariaDB (InnoDB): the keys foreign keys need, through the plan.
//!
//! InnoDB needs, for every foreign key, a key on the referencing table whose
//! leading columns are the key's columns in order, and one on the referenced
//! table whose leading columns are the referenced columns (the primary key
//! counts). It refuses to drop a key a foreign key still needs (error 1553),
//! to change the type of a column a foreign key uses (1832), and DDL commits
//! statement by statement, so a plan that fails there is left half-applied.
//! Three steps keep plans clear of that:
//!
//! 1. [`keep_implicit_indexes`]: MySQL creates a key for a foreign key that
//!    has none, named like the constraint, and the introspector reads it as
//!    an ordinary index. A wanted schema written without it (by hand, in
//!    code) still gets it on the server, so where the current table has it,
//!    the wanted one is given it too instead of planning its drop.
//! 2. [`arrange`]: a key drop that would leave a kept foreign key without a
//!    key is written into one ALTER TABLE with a key of the plan that takes
//!    over (MySQL checks the keys against the table as the whole statement
//!    leaves it), as [`TableOp::DropIndex`] / [`TableOp::AddIndex`]. Without
//!    such a key the foreign key is dropped before and added again after (a
//!    detour, with its hazards). An index the server may have created for a
//!    foreign key (plain, not unique, whole columns) disappears on its own
//!    as soon as another key starts with its columns; when the plan drops it
//!    and creates such a key, both go into one statement, so the drop never
//!    names an index the server has removed already.
//! 3. [`check`]: after ordering, the plan is played step by step on the keys
//!    and foreign keys of the current schema; a step the server would refuse
//!    is a [`DiffError::ForeignKeyOrder`] at plan time, before anything runs.
//!
//! Which keys each foreign key depends on, in both schemas, is also what
//! `deps` uses to order drops of foreign keys before drops of their keys and
//! creations of keys before the foreign keys that need them
//! ([`supporting_indexes`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use schemasync_model::{ForeignKey, Index, IndexKind, IndexTarget, QualifiedName, Schema, Table};

use crate::change::{Change, TableOp};
use crate::error::DiffError;
use crate::plan::PlannedChange;

/// A key as far as foreign keys are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    /// Index name; `PRIMARY` for the primary key.
    name: String,
    /// The leading whole-column parts (a prefix part or an expression ends them).
    columns: Vec<String>,
    /// Plain, not unique, whole columns only, no comment, method or option:
    /// what the server creates for a foreign key, and drops by itself once
    /// another key starts with the same columns.
    maybe_generated: bool,
}

impl Key {
    fn of_index(index: &Index) -> Key {
        let mut columns = Vec::new();
        if index.kind == IndexKind::Plain && index.predicate.is_none() {
            for part in &index.parts {
                match &part.target {
                    IndexTarget::Column(c) if part.prefix_length.is_none() => columns.push(c.clone()),
                    _ => break,
                }
            }
        }
        let maybe_generated = !index.unique
            && index.kind == IndexKind::Plain
            && columns.len() == index.parts.len()
            && !columns.is_empty()
            && index.comment.is_none()
            && index.method.is_none()
            && index.options.is_empty()
            && index.parts.iter().all(|p| !p.descending);
        Key { name: index.name.clone(), columns, maybe_generated }
    }

    fn named(name: impl Into<String>, columns: &[String]) -> Key {
        Key { name: name.into(), columns: columns.to_vec(), maybe_generated: false }
    }

    /// Whether its leading columns are `columns`, in order.
    fn supports(&self, columns: &[String]) -> bool {
        !columns.is_empty()
            && self.columns.len() >= columns.len()
            && self.columns.iter().zip(columns).all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    /// Whether the server may drop this key by itself when `other` is created.
    fn shadowed_by(&self, other: &Key) -> bool {
        self.maybe_generated && other.name != self.name && other.supports(&self.columns)
    }
}

/// Whether `index` is what the server creates for `fk` when no key serves
/// it: plain, on exactly its columns, named like the constraint (MariaDB
/// and MySQL use the constraint's name) or, for a key created without a
/// name, like its first column.
fn servers_own(index: &Index, fk: &ForeignKey) -> bool {
    let key = Key::of_index(index);
    let named = fk.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&index.name))
        || fk.columns.first().is_some_and(|c| c.eq_ignore_ascii_case(&index.name));
    named && key.maybe_generated && key.columns.len() == fk.columns.len() && key.supports(&fk.columns)
}

/// Every key of a table: primary key, unique constraints, indexes.
fn keys_of(table: &Table) -> Vec<Key> {
    let mut out = Vec::new();
    if let Some(pk) = &table.primary_key {
        out.push(Key::named("PRIMARY", &pk.columns));
    }
    for unique in &table.uniques {
        out.push(Key::named(unique.name.clone().unwrap_or_default(), &unique.columns));
    }
    out.extend(table.indexes.values().map(Key::of_index));
    out
}

/// The indexes of `schema` (by table and name) that a foreign key of `table`
/// can use: on the referencing side and on the referenced side. The primary
/// key and unique constraints are left out: they are no separate changes.
pub(crate) fn supporting_indexes(
    schema: &Schema,
    table: &QualifiedName,
    fk: &ForeignKey,
) -> Vec<(QualifiedName, String)> {
    let mut out = Vec::new();
    let sides = [(table, &fk.columns), (&fk.ref_table, &fk.ref_columns)];
    for (side, columns) in sides {
        let Some(t) = schema.tables.get(side) else { continue };
        for index in t.indexes.values() {
            if Key::of_index(index).supports(columns) {
                out.push((side.clone(), index.name.clone()));
            }
        }
    }
    out
}

/// Step 1: `wanted` with the index MySQL creates for a foreign key, where
/// the wanted table lacks any key for it and the current table has that
/// index (named like the foreign key, on exactly its columns).
pub(crate) fn keep_implicit_indexes<'a>(current: &Schema, wanted: Cow<'a, Schema>) -> Cow<'a, Schema> {
    let mut additions: Vec<(QualifiedName, Index)> = Vec::new();
    for (name, table) in wanted.tables.iter().filter(|(_, t)| !t.foreign_keys.is_empty()) {
        let Some(old) = current.tables.get(name) else { continue };
        let keys = keys_of(table);
        for fk in &table.foreign_keys {
            if keys.iter().any(|k| k.supports(&fk.columns)) {
                continue;
            }
            let own = old.indexes.values().find(|i| servers_own(i, fk) && !table.indexes.contains_key(&i.name));
            if let Some(index) = own
                && !additions.iter().any(|(t, i)| t == name && i.name == index.name)
            {
                additions.push((name.clone(), index.clone()));
            }
        }
    }
    if additions.is_empty() {
        return wanted;
    }
    let mut wanted = wanted.into_owned();
    for (name, index) in additions {
        if let Some(table) = wanted.tables.get_mut(&name) {
            table.indexes.insert(index.name.clone(), index);
        }
    }
    Cow::Owned(wanted)
}

/// A foreign key by its referencing table.
type Fk<'a> = (&'a QualifiedName, &'a ForeignKey);

/// Where a key of a table goes away or comes from in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A `DropIndex` / `CreateIndex` change, by position.
    Change(usize),
    /// An operation of an `AlterTable` change.
    Op(usize),
}

/// The key drops and creations of one table in the plan.
#[derive(Default)]
struct TableKeys {
    dropped: Vec<(Key, Source)>,
    created: Vec<(Key, Source)>,
}

fn table_keys(changes: &[Change]) -> BTreeMap<QualifiedName, TableKeys> {
    let mut out: BTreeMap<QualifiedName, TableKeys> = BTreeMap::new();
    for (i, change) in changes.iter().enumerate() {
        match change {
            Change::DropIndex { table, index } => {
                out.entry(table.clone()).or_default().dropped.push((Key::of_index(index), Source::Change(i)));
            }
            Change::CreateIndex { table, index } => {
                out.entry(table.clone()).or_default().created.push((Key::of_index(index), Source::Change(i)));
            }
            Change::AlterTable { table, ops } => {
                let entry = out.entry(table.clone()).or_default();
                for op in ops {
                    match op {
                        TableOp::DropPrimaryKey(pk) => {
                            entry.dropped.push((Key::named("PRIMARY", &pk.columns), Source::Op(i)))
                        }
                        TableOp::DropUnique(u) => {
                            entry
                                .dropped
                                .push((Key::named(u.name.clone().unwrap_or_default(), &u.columns), Source::Op(i)));
                        }
                        TableOp::DropIndex(index) => entry.dropped.push((Key::of_index(index), Source::Op(i))),
                        TableOp::AddPrimaryKey(pk) => {
                            entry.created.push((Key::named("PRIMARY", &pk.columns), Source::Op(i)))
                        }
                        TableOp::AddUnique(u) => {
                            entry
                                .created
                                .push((Key::named(u.name.clone().unwrap_or_default(), &u.columns), Source::Op(i)));
                        }
                        TableOp::AddIndex(index) => entry.created.push((Key::of_index(index), Source::Op(i))),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Step 2: rearrange the changes of a MySQL plan so that no key drop leaves
/// a kept foreign key without a key, before the changes are ordered.
pub(crate) fn arrange(from: &Schema, to: &Schema, changes: &mut Vec<Change>) {
    let dropped_fks: BTreeSet<(QualifiedName, ForeignKey)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropForeignKey { table, foreign_key } => Some((table.clone(), foreign_key.clone())),
            _ => None,
        })
        .collect();
    let dropped_tables: BTreeSet<&QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable(t) => Some(&t.name),
            _ => None,
        })
        .collect();
    // Foreign keys that exist before and after and that the plan leaves in place.
    let kept: Vec<Fk<'_>> = from
        .tables
        .values()
        .filter(|t| !dropped_tables.contains(&t.name))
        .flat_map(|t| t.foreign_keys.iter().map(move |fk| (&t.name, fk)))
        .filter(|(table, fk)| {
            to.tables.get(*table).is_some_and(|t| t.foreign_keys.contains(fk))
                && !dropped_fks.contains(&((*table).clone(), (*fk).clone()))
                && !dropped_tables.contains(&fk.ref_table)
        })
        .collect();

    let by_table = table_keys(changes);
    // Per table: the changes to write into its ALTER TABLE.
    let mut fuse: BTreeMap<QualifiedName, BTreeSet<usize>> = BTreeMap::new();
    let mut detour: Vec<(QualifiedName, ForeignKey)> = Vec::new();
    for (table, fk) in &kept {
        let sides = [(*table, &fk.columns), (&fk.ref_table, &fk.ref_columns)];
        let mut needs_detour = false;
        for (side, columns) in sides {
            let (Some(old), Some(keys)) = (from.tables.get(side), by_table.get(side)) else { continue };
            let dropped: Vec<&(Key, Source)> = keys.dropped.iter().filter(|(k, _)| k.supports(columns)).collect();
            if dropped.is_empty() {
                continue;
            }
            let survives =
                keys_of(old).iter().any(|k| k.supports(columns) && !keys.dropped.iter().any(|(d, _)| d.name == k.name));
            if survives {
                continue;
            }
            // Prefer a key the table's own ALTER TABLE creates, then an index.
            let mut takers: Vec<&(Key, Source)> = keys.created.iter().filter(|(k, _)| k.supports(columns)).collect();
            takers.sort_by_key(|(_, s)| matches!(s, Source::Change(_)));
            let Some((_, taker)) = takers.first() else {
                needs_detour = true;
                continue;
            };
            let set = fuse.entry(side.clone()).or_default();
            for source in dropped.iter().map(|(_, s)| s).chain(std::iter::once(taker)) {
                if let Source::Change(i) = source {
                    set.insert(*i);
                }
            }
        }
        if needs_detour {
            detour.push(((*table).clone(), (*fk).clone()));
        }
    }
    // Indexes the server may drop by itself once a key of the plan starts
    // with their columns: their drop goes into the statement creating it.
    for (table, keys) in &by_table {
        for (gone, gone_source) in &keys.dropped {
            let Some((_, taker)) = keys.created.iter().find(|(k, _)| gone.shadowed_by(k)) else { continue };
            let set = fuse.entry(table.clone()).or_default();
            for source in [gone_source, taker] {
                if let Source::Change(i) = source {
                    set.insert(*i);
                }
            }
        }
    }
    // An index kept by the plan that is the server's own for a foreign key
    // (named like it, on its columns) would go by itself when a key of the
    // plan starts with its columns: it is created again, as an ordinary
    // index, in the statement creating that key.
    let mut recreate: BTreeMap<QualifiedName, Vec<Index>> = BTreeMap::new();
    for (table, keys) in &by_table {
        let (Some(old), Some(new)) = (from.tables.get(table), to.tables.get(table)) else { continue };
        for (name, index) in &old.indexes {
            let key = Key::of_index(index);
            let own = old.foreign_keys.iter().any(|fk| servers_own(index, fk));
            let kept = new.indexes.get(name) == Some(index) && !keys.dropped.iter().any(|(d, _)| &d.name == name);
            if !own || !kept {
                continue;
            }
            let Some((_, taker)) = keys.created.iter().find(|(k, _)| key.shadowed_by(k)) else { continue };
            recreate.entry(table.clone()).or_default().push(index.clone());
            let set = fuse.entry(table.clone()).or_default();
            if let Source::Change(i) = taker {
                set.insert(*i);
            }
        }
    }
    write_into_alter_tables(changes, fuse, recreate);
    for (table, fk) in detour {
        changes.push(Change::DropForeignKey { table: table.clone(), foreign_key: fk.clone() });
        changes.push(Change::AddForeignKey { table, foreign_key: fk });
    }
}

/// Move the `DropIndex` / `CreateIndex` changes at the given positions into
/// their table's ALTER TABLE (the last one, or a new one where it has none).
/// `recreate` are indexes dropped and added again in that statement.
fn write_into_alter_tables(
    changes: &mut Vec<Change>,
    fuse: BTreeMap<QualifiedName, BTreeSet<usize>>,
    recreate: BTreeMap<QualifiedName, Vec<Index>>,
) {
    if fuse.is_empty() && recreate.is_empty() {
        return;
    }
    let mut moved: BTreeSet<usize> = BTreeSet::new();
    let mut new_ops: BTreeMap<QualifiedName, (Vec<TableOp>, Vec<TableOp>)> = BTreeMap::new();
    for (table, indexes) in &recreate {
        let (drops, adds) = new_ops.entry(table.clone()).or_default();
        drops.extend(indexes.iter().cloned().map(TableOp::DropIndex));
        adds.extend(indexes.iter().cloned().map(TableOp::AddIndex));
    }
    for (table, positions) in &fuse {
        let (drops, adds) = new_ops.entry(table.clone()).or_default();
        for &i in positions {
            match changes.get(i) {
                Some(Change::DropIndex { index, .. }) => drops.push(TableOp::DropIndex(index.clone())),
                Some(Change::CreateIndex { index, .. }) => adds.push(TableOp::AddIndex(index.clone())),
                _ => continue,
            }
            moved.insert(i);
        }
    }
    let last_alter: BTreeMap<QualifiedName, usize> = changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::AlterTable { table, .. } if new_ops.contains_key(table) => Some((table.clone(), i)),
            _ => None,
        })
        .collect();
    for (table, (drops, adds)) in new_ops {
        let ops_of_table = drops.into_iter().chain(adds);
        match last_alter.get(&table).and_then(|&i| changes.get_mut(i)) {
            Some(Change::AlterTable { ops, .. }) => ops.extend(ops_of_table),
            _ => changes.push(Change::AlterTable { table, ops: ops_of_table.collect() }),
        }
    }
    let mut position = 0;
    changes.retain(|_| {
        let keep = !moved.contains(&position);
        position += 1;
        keep
    });
}

/// The state [`check`] plays the plan on: per table, its keys, foreign keys
/// and columns (type, character set, collation).
#[derive(Debug, Clone, Default)]
struct SimTable {
    keys: Vec<Key>,
    /// Keys the server may have dropped by itself (see [`Key::shadowed_by`]).
    shadowed: BTreeSet<String>,
    fks: Vec<ForeignKey>,
}

impl SimTable {
    fn of(table: &Table) -> SimTable {
        SimTable { keys: keys_of(table), shadowed: BTreeSet::new(), fks: table.foreign_keys.clone() }
    }

    fn add_key(&mut self, key: Key) {
        let shadowed: Vec<String> = self.keys.iter().filter(|k| k.shadowed_by(&key)).map(|k| k.name.clone()).collect();
        self.shadowed.extend(shadowed);
        self.keys.retain(|k| k.name != key.name);
        self.keys.push(key);
    }

    fn drop_key(&mut self, name: &str) {
        self.keys.retain(|k| k.name != name);
        self.shadowed.remove(name);
    }

    fn supported(&self, columns: &[String]) -> bool {
        self.keys.iter().any(|k| k.supports(columns))
    }
}

type Sim = BTreeMap<QualifiedName, SimTable>;

fn fk_label(fk: &ForeignKey) -> String {
    fk.name.clone().unwrap_or_else(|| format!("({})", fk.columns.join(", ")))
}

fn refused(change: &Change, problem: String) -> DiffError {
    DiffError::ForeignKeyOrder { change: change.describe(), problem }
}

/// Step 3: play `changes` on the keys and foreign keys of `from` and refuse
/// the plan when a step would leave a foreign key without a key on either
/// side, drop or retype a column a foreign key uses, drop a table still
/// referenced, or drop an index the server may already have dropped.
pub(crate) fn check(from: &Schema, changes: &[PlannedChange]) -> Result<(), DiffError> {
    let mut sim: Sim = from.tables.values().map(|t| (t.name.clone(), SimTable::of(t))).collect();
    for planned in changes {
        let change = &planned.change;
        // Only what the step breaks counts: a current schema that already
        // lacks a key (read from elsewhere than InnoDB) is not this plan's doing.
        let touched = touched_by(change);
        let parents = matches!(change, Change::AlterTable { .. } | Change::DropIndex { .. });
        let before: BTreeSet<String> = touched.iter().flat_map(|t| unsupported(&sim, t, parents)).collect();
        match change {
            Change::CreateTable { table, deferred_foreign_keys } => {
                let mut state = SimTable::of(table);
                state.fks = table
                    .foreign_keys
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !deferred_foreign_keys.contains(i))
                    .map(|(_, fk)| fk.clone())
                    .collect();
                sim.insert(table.name.clone(), state);
                auto_create_keys(&mut sim, &table.name);
            }
            Change::DropTable(table) => {
                let referenced = sim.iter().find_map(|(name, t)| {
                    (name != &table.name).then_some(())?;
                    t.fks.iter().find(|fk| fk.ref_table == table.name).map(|fk| (name.clone(), fk_label(fk)))
                });
                if let Some((by, fk)) = referenced {
                    return Err(refused(change, format!("foreign key {fk} of {by} still references {}", table.name)));
                }
                sim.remove(&table.name);
            }
            Change::AlterTable { table, ops } => {
                alter(&mut sim, change, table, ops)?;
            }
            Change::CreateIndex { table, index } => {
                if let Some(t) = sim.get_mut(table) {
                    // An index named like an added foreign key is written
                    // into its statement (emit's layout) and replaces the
                    // one the server would have created.
                    t.add_key(Key::of_index(index));
                }
            }
            Change::DropIndex { table, index } => {
                if let Some(t) = sim.get_mut(table) {
                    if t.shadowed.contains(&index.name) {
                        return Err(refused(
                            change,
                            format!(
                                "the server may already have dropped {} (an index it creates for a foreign key \
                                 goes when another key starts with its columns)",
                                index.name
                            ),
                        ));
                    }
                    t.drop_key(&index.name);
                }
            }
            Change::AddForeignKey { table, foreign_key } => {
                if let Some(t) = sim.get_mut(table) {
                    t.fks.push(foreign_key.clone());
                }
                auto_create_keys(&mut sim, table);
            }
            Change::DropForeignKey { table, foreign_key } => {
                if let Some(t) = sim.get_mut(table) {
                    match t.fks.iter().position(|f| f.name == foreign_key.name && f.columns == foreign_key.columns) {
                        Some(i) => {
                            t.fks.remove(i);
                        }
                        None => {
                            return Err(refused(
                                change,
                                format!("foreign key {} does not exist", fk_label(foreign_key)),
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
        if let Some(problem) = touched.iter().flat_map(|t| unsupported(&sim, t, parents)).find(|p| !before.contains(p))
        {
            return Err(refused(change, problem));
        }
    }
    Ok(())
}

/// MySQL creates a key for a foreign key of `table` that has none.
fn auto_create_keys(sim: &mut Sim, table: &QualifiedName) {
    let Some(t) = sim.get_mut(table) else { return };
    let missing: Vec<ForeignKey> = t.fks.iter().filter(|fk| !t.supported(&fk.columns)).cloned().collect();
    for fk in missing {
        let name = fk.name.clone().unwrap_or_else(|| fk.columns.first().cloned().unwrap_or_default());
        let mut key = Key::named(name, &fk.columns);
        key.maybe_generated = true;
        t.add_key(key);
    }
}

/// The foreign keys of `table` and those referencing it that lack a key,
/// each as a sentence.
fn unsupported(sim: &Sim, table: &QualifiedName, parents: bool) -> Vec<String> {
    let mut out = Vec::new();
    let Some(t) = sim.get(table) else { return out };
    for fk in &t.fks {
        if !t.supported(&fk.columns) {
            out.push(format!(
                "foreign key {} of {table} would have no key on ({})",
                fk_label(fk),
                fk.columns.join(", ")
            ));
        }
        // A parent outside the schema (another database) is not checked.
        if let Some(parent) = sim.get(&fk.ref_table)
            && !parent.supported(&fk.ref_columns)
        {
            out.push(format!(
                "foreign key {} of {table} would have no key on {} ({})",
                fk_label(fk),
                fk.ref_table,
                fk.ref_columns.join(", ")
            ));
        }
    }
    // Only a change that takes keys away can break the keys others reference.
    for (child, c) in sim.iter().filter(|(name, _)| parents && *name != table) {
        for fk in c.fks.iter().filter(|fk| &fk.ref_table == table) {
            if !t.supported(&fk.ref_columns) {
                out.push(format!(
                    "foreign key {} of {child} would have no key on {table} ({})",
                    fk_label(fk),
                    fk.ref_columns.join(", ")
                ));
            }
        }
    }
    out
}

/// The tables whose keys or foreign keys a change alters.
fn touched_by(change: &Change) -> Vec<QualifiedName> {
    match change {
        Change::CreateTable { table, .. } => vec![table.name.clone()],
        Change::AlterTable { table, .. } | Change::DropIndex { table, .. } | Change::AddForeignKey { table, .. } => {
            vec![table.clone()]
        }
        _ => Vec::new(),
    }
}

/// One ALTER TABLE, played as the server does: all operations, then the checks.
fn alter(sim: &mut Sim, change: &Change, table: &QualifiedName, ops: &[TableOp]) -> Result<(), DiffError> {
    let used_by = |sim: &Sim, column: &str| -> Option<String> {
        let t = sim.get(table)?;
        if let Some(fk) = t.fks.iter().find(|fk| fk.columns.iter().any(|c| c.eq_ignore_ascii_case(column))) {
            return Some(format!("foreign key {} of {table}", fk_label(fk)));
        }
        sim.iter().find_map(|(child, c)| {
            c.fks
                .iter()
                .find(|fk| &fk.ref_table == table && fk.ref_columns.iter().any(|r| r.eq_ignore_ascii_case(column)))
                .map(|fk| format!("foreign key {} of {child}", fk_label(fk)))
        })
    };
    // Renames first: MySQL renames the column in the keys and foreign keys.
    let mut renames: Vec<(&str, &str)> = Vec::new();
    for op in ops {
        match op {
            TableOp::DropColumn(column) => {
                if let Some(by) = used_by(sim, &column.name) {
                    return Err(refused(change, format!("column {} is used by {by}", column.name)));
                }
            }
            TableOp::AlterColumn { from, to } => {
                let retyped =
                    from.data_type != to.data_type || from.charset != to.charset || from.collation != to.collation;
                if retyped && let Some(by) = used_by(sim, &from.name) {
                    return Err(refused(change, format!("the type of column {} changes under {by}", from.name)));
                }
            }
            TableOp::RenameColumn { from, to } => renames.push((from, to)),
            _ => {}
        }
    }
    let rename = |c: &mut String| {
        if let Some((_, to)) = renames.iter().find(|(from, _)| from.eq_ignore_ascii_case(c)) {
            *c = (*to).to_owned();
        }
    };
    for (name, t) in sim.iter_mut() {
        for fk in &mut t.fks {
            if &fk.ref_table == table {
                fk.ref_columns.iter_mut().for_each(rename);
            }
        }
        if name == table {
            for fk in &mut t.fks {
                fk.columns.iter_mut().for_each(rename);
            }
            for key in &mut t.keys {
                key.columns.iter_mut().for_each(rename);
            }
        }
    }
    let Some(t) = sim.get_mut(table) else { return Ok(()) };
    let mut added = Vec::new();
    for op in ops {
        match op {
            TableOp::DropColumn(column) => {
                // MySQL takes the column out of its keys and drops a key
                // left without parts.
                for key in &mut t.keys {
                    key.columns.retain(|c| !c.eq_ignore_ascii_case(&column.name));
                }
            }
            TableOp::DropPrimaryKey(_) => t.drop_key("PRIMARY"),
            TableOp::DropUnique(u) => t.drop_key(u.name.as_deref().unwrap_or_default()),
            TableOp::DropIndex(index) => t.drop_key(&index.name),
            TableOp::AddPrimaryKey(pk) => added.push(Key::named("PRIMARY", &pk.columns)),
            TableOp::AddUnique(u) => added.push(Key::named(u.name.clone().unwrap_or_default(), &u.columns)),
            TableOp::AddIndex(index) => added.push(Key::of_index(index)),
            _ => {}
        }
    }
    for key in added {
        t.add_key(key);
    }
    Ok(())
}
