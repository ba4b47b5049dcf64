//! Tables: which are created, dropped, recreated, rebuilt or altered, and the
//! changes of their indexes, foreign keys and policies.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

/// A graph over change (or table) positions. A fixed hasher keeps it free of
/// random state; iteration follows insertion order either way.
type Graph = DiGraphMap<usize, (), std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>>;
use schemasync_model::{Column, Dialect, Index, IndexPart, IndexTarget, Policy, QualifiedName, Schema, Table};

use crate::change::{Change, TableOp};
use crate::columns::alter_ops;
use crate::constraints::changed;
use crate::renames::Renames;
use crate::sqlite_capability::{self, SqlitePlan};
use crate::tokens::identifiers;

/// What the table changes mean for the objects around the tables.
#[derive(Debug, Default)]
pub(crate) struct TableOutcome {
    /// Tables rebuilt (SQLite) or dropped and created again: their triggers
    /// and the views reading them must be dropped before and created after.
    pub replaced: BTreeSet<QualifiedName>,
    /// Tables whose columns are dropped, retyped or renamed in place: views
    /// reading them are recreated (PostgreSQL refuses such an ALTER under a
    /// view, and a MySQL view would be left invalid).
    pub reshaped: BTreeSet<QualifiedName>,
    /// Columns that cease to exist, including those of dropped tables.
    pub gone_columns: BTreeSet<(QualifiedName, String)>,
    /// Tables dropped for good.
    pub dropped: BTreeSet<QualifiedName>,
}

/// Push the table changes of the diff onto `out`.
pub(crate) fn diff_tables(from: &Schema, to: &Schema, renames: &Renames, out: &mut Vec<Change>) -> TableOutcome {
    let dialect = to.dialect;
    let mut outcome = TableOutcome::default();

    let mut recreated: BTreeSet<QualifiedName> = BTreeSet::new();
    let mut in_place: Vec<(&Table, &Table)> = Vec::new();
    // Drops: tables gone for good and tables recreated. Creates: new tables
    // and tables recreated. Both in key order, as the maps hold them.
    let mut dropping: Vec<&Table> = Vec::new();
    let mut creating: Vec<&Table> = Vec::new();
    for pair in matched(&from.tables, &to.tables) {
        match pair {
            Matched::Gone(old) => dropping.push(old),
            Matched::New(new) => creating.push(new),
            Matched::Both(old, new) => {
                // `from` carries the renames already: an otherwise equal table may still have some to run.
                if old == new && !renames.contains_key(&new.name) {
                    continue;
                }
                if must_recreate(dialect, old, new) {
                    recreated.insert(new.name.clone());
                    dropping.push(old);
                    creating.push(new);
                } else {
                    in_place.push((old, new));
                }
            }
        }
    }

    let drop_cycles = if dialect == Dialect::Sqlite { BTreeSet::new() } else { fk_cycles(&dropping) };
    for table in &dropping {
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            if drop_cycles.contains(&(table.name.clone(), i)) {
                out.push(Change::DropForeignKey { table: table.name.clone(), foreign_key: fk.clone() });
            }
        }
    }
    for table in &dropping {
        out.push(Change::DropTable((*table).clone()));
        for column in &table.columns {
            outcome.gone_columns.insert((table.name.clone(), column.name.clone()));
        }
        if !recreated.contains(&table.name) {
            outcome.dropped.insert(table.name.clone());
        }
    }

    let create_cycles = if dialect == Dialect::Sqlite { BTreeSet::new() } else { fk_cycles(&creating) };
    for table in &creating {
        let deferred: Vec<usize> =
            (0..table.foreign_keys.len()).filter(|i| create_cycles.contains(&(table.name.clone(), *i))).collect();
        out.push(Change::CreateTable { table: (*table).clone(), deferred_foreign_keys: deferred.clone() });
        for fk in deferred.iter().filter_map(|i| table.foreign_keys.get(*i)) {
            out.push(Change::AddForeignKey { table: table.name.clone(), foreign_key: fk.clone() });
        }
        index_changes(&table.name, &BTreeMap::new(), &table.indexes, out);
        policy_changes(&table.name, &BTreeMap::new(), &table.policies, out);
    }
    outcome.replaced.extend(recreated.iter().cloned());

    // Tokenizing every view and trigger is needed only when a column is dropped.
    let mentioned_ids = OnceCell::new();
    let mentioned = |id: &str| mentioned_ids.get_or_init(|| mentioned_identifiers(from, to)).contains(id);
    let no_renames = Vec::new();
    let mut ops_by_table: BTreeMap<QualifiedName, Vec<TableOp>> = BTreeMap::new();
    for (old, new) in in_place {
        let table_renames = renames.get(&new.name).unwrap_or(&no_renames);
        let rename_ops = || -> Vec<TableOp> {
            table_renames.iter().map(|(a, b)| TableOp::RenameColumn { from: a.clone(), to: b.clone() }).collect()
        };
        for column in old.columns.iter().filter(|c| new.column(&c.name).is_none()) {
            outcome.gone_columns.insert((old.name.clone(), column.name.clone()));
        }
        if dialect == Dialect::Sqlite {
            match sqlite_capability::plan(old, new, table_renames, &mentioned) {
                SqlitePlan::Rebuild => {
                    if !table_renames.is_empty() {
                        // Renamed first, so that the rebuild copies the renamed columns' data.
                        out.push(Change::AlterTable { table: new.name.clone(), ops: rename_ops() });
                    }
                    out.push(Change::RebuildTable { from: old.clone(), to: new.clone() });
                    outcome.replaced.insert(new.name.clone());
                }
                SqlitePlan::Alter(ops) => {
                    if !ops.is_empty() {
                        out.push(Change::AlterTable { table: new.name.clone(), ops });
                    }
                    index_changes(&new.name, &old.indexes, &new.indexes, out);
                }
            }
            continue;
        }
        // Some generated-column changes cannot be made in place (PostgreSQL
        // 15: a new expression, or becoming generated; MySQL: switching
        // between VIRTUAL and STORED, becoming generated, or a VIRTUAL one
        // becoming regular, which MariaDB and MySQL refuse): such a column
        // is dropped first, with what goes with it, and added again below.
        let without_regenerated;
        let old = match regenerated_columns(dialect, old, new) {
            gone if gone.is_empty() => old,
            gone => {
                out.push(Change::AlterTable {
                    table: new.name.clone(),
                    ops: gone.iter().map(|c| TableOp::DropColumn((*c).clone())).collect(),
                });
                outcome.reshaped.insert(new.name.clone());
                let names: BTreeSet<String> = gone.iter().map(|c| c.name.clone()).collect();
                without_regenerated = without_columns(dialect, old, &names);
                &without_regenerated
            }
        };
        let ops = alter_ops(dialect, old, new, table_renames);
        if ops.iter().any(reshapes) {
            outcome.reshaped.insert(new.name.clone());
        }
        if !ops.is_empty() {
            out.push(Change::AlterTable { table: new.name.clone(), ops: ops.clone() });
        }
        ops_by_table.insert(new.name.clone(), ops);
        index_changes(&new.name, &old.indexes, &new.indexes, out);
        let (fk_gone, fk_new) = changed(&old.foreign_keys, &new.foreign_keys, |f| f.name.as_deref());
        for fk in fk_gone {
            out.push(Change::DropForeignKey { table: new.name.clone(), foreign_key: fk });
        }
        for fk in fk_new {
            out.push(Change::AddForeignKey { table: new.name.clone(), foreign_key: fk });
        }
        policy_changes(&new.name, &old.policies, &new.policies, out);
    }

    if dialect != Dialect::Sqlite {
        recreate_touched_foreign_keys(from, to, &recreated, &ops_by_table, out);
    }
    outcome
}

/// One entry of two name-ordered maps walked side by side.
enum Matched<'a, T> {
    Gone(&'a T),
    New(&'a T),
    Both(&'a T, &'a T),
}

/// The entries of `from` and `to` paired by key, in key order: one pass over
/// both maps rather than a lookup per entry, which on schemas of thousands
/// of tables is most of the cost of finding the few that changed.
fn matched<'a, K: Ord, T>(from: &'a BTreeMap<K, T>, to: &'a BTreeMap<K, T>) -> impl Iterator<Item = Matched<'a, T>> {
    let mut old = from.iter().peekable();
    let mut new = to.iter().peekable();
    std::iter::from_fn(move || match (old.peek(), new.peek()) {
        (Some((a, _)), Some((b, _))) => match a.cmp(b) {
            std::cmp::Ordering::Less => old.next().map(|(_, t)| Matched::Gone(t)),
            std::cmp::Ordering::Greater => new.next().map(|(_, t)| Matched::New(t)),
            std::cmp::Ordering::Equal => match (old.next(), new.next()) {
                (Some((_, a)), Some((_, b))) => Some(Matched::Both(a, b)),
                _ => None,
            },
        },
        (Some(_), None) => old.next().map(|(_, t)| Matched::Gone(t)),
        (None, Some(_)) => new.next().map(|(_, t)| Matched::New(t)),
        (None, None) => None,
    })
}

/// Changes ALTER TABLE cannot make in any dialect: virtual tables (SQLite)
/// and partitioning.
fn must_recreate(dialect: Dialect, old: &Table, new: &Table) -> bool {
    let virtual_table = dialect == Dialect::Sqlite
        && (old.options.sqlite_virtual_using().is_some() || new.options.sqlite_virtual_using().is_some());
    virtual_table || old.partitioning != new.partitioning || old.partition_of != new.partition_of
}

/// Columns of `old` that must be dropped and added again to become their
/// `new` shape.
fn regenerated_columns<'a>(dialect: Dialect, old: &'a Table, new: &Table) -> Vec<&'a Column> {
    let stored = |c: &Column| c.generated.as_ref().map(|g| g.stored);
    old.columns
        .iter()
        .filter(|c| {
            new.column(&c.name).is_some_and(|n| match dialect {
                Dialect::Postgres => n.generated.is_some() && n.generated != c.generated,
                // A STORED column becomes regular in place, keeping its values.
                Dialect::MySql => stored(n) != stored(c) && (n.generated.is_some() || stored(c) == Some(false)),
                _ => false,
            })
        })
        .collect()
}

/// `table` without `columns` and without what the engine drops with them:
/// constraints that name them, and indexes that name them (PostgreSQL) or
/// the columns' parts of indexes (MySQL, which drops an index only when no
/// part is left).
fn without_columns(dialect: Dialect, table: &Table, columns: &BTreeSet<String>) -> Table {
    let lower: BTreeSet<String> = columns.iter().map(|c| c.to_lowercase()).collect();
    let names = |list: &[String]| list.iter().any(|c| columns.contains(c));
    let reads = |text: &str| identifiers(text).iter().any(|id| lower.contains(id));
    let part_reads = |part: &IndexPart| match &part.target {
        IndexTarget::Column(c) => columns.contains(c),
        IndexTarget::Expression(e) => reads(e),
    };
    let mut out = table.clone();
    out.columns.retain(|c| !columns.contains(&c.name));
    if out.primary_key.as_ref().is_some_and(|pk| names(&pk.columns)) {
        out.primary_key = None;
    }
    out.uniques.retain(|u| !names(&u.columns));
    out.checks.retain(|c| !reads(&c.expr));
    out.foreign_keys.retain(|f| !names(&f.columns));
    out.exclusions.retain(|x| !x.elements.iter().any(|e| part_reads(&e.part)));
    if dialect == Dialect::MySql {
        for index in out.indexes.values_mut() {
            index.parts.retain(|p| !part_reads(p));
        }
        out.indexes.retain(|_, i| !i.parts.is_empty());
    } else {
        out.indexes.retain(|_, i| !i.parts.iter().any(part_reads) && !i.predicate.as_deref().is_some_and(reads));
    }
    out
}

/// Whether an operation changes what existing readers of the table see.
fn reshapes(op: &TableOp) -> bool {
    match op {
        TableOp::DropColumn(_) | TableOp::RenameColumn { .. } => true,
        TableOp::AlterColumn { from, to } => from.data_type != to.data_type || from.collation != to.collation,
        _ => false,
    }
}

/// Lowercased identifiers of every view and trigger of both schemas.
fn mentioned_identifiers(from: &Schema, to: &Schema) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for schema in [from, to] {
        for view in schema.views.values() {
            out.extend(identifiers(&view.definition));
            out.extend(view.columns.iter().map(|c| c.to_lowercase()));
        }
        for trigger in schema.triggers.values() {
            out.extend(identifiers(&trigger.body));
            if let Some(when) = &trigger.when {
                out.extend(identifiers(when));
            }
            out.extend(trigger.update_columns.iter().map(|c| c.to_lowercase()));
        }
    }
    out
}

/// Foreign keys (table, position) whose two tables are distinct members of
/// one reference cycle among `tables`: those cannot be created inline (or
/// dropped with their table) in any order, so they get their own change.
fn fk_cycles(tables: &[&Table]) -> BTreeSet<(QualifiedName, usize)> {
    let index: BTreeMap<&QualifiedName, usize> = tables.iter().enumerate().map(|(i, t)| (&t.name, i)).collect();
    let mut graph = Graph::new();
    for (i, table) in tables.iter().enumerate() {
        graph.add_node(i);
        for fk in &table.foreign_keys {
            if let Some(&j) = index.get(&fk.ref_table)
                && j != i
            {
                graph.add_edge(i, j, ());
            }
        }
    }
    let mut component = BTreeMap::new();
    for (c, scc) in tarjan_scc(&graph).into_iter().enumerate() {
        for node in scc {
            component.insert(node, c);
        }
    }
    let mut out = BTreeSet::new();
    for (i, table) in tables.iter().enumerate() {
        for (k, fk) in table.foreign_keys.iter().enumerate() {
            let Some(&j) = index.get(&fk.ref_table) else { continue };
            if j != i && component.contains_key(&i) && component.get(&i) == component.get(&j) {
                out.insert((table.name.clone(), k));
            }
        }
    }
    out
}

/// Unchanged foreign keys that must be dropped and added again because the
/// columns or keys they rest on change: the referenced table is recreated,
/// its referenced key is dropped, or a column on either end changes type.
fn recreate_touched_foreign_keys(
    from: &Schema,
    to: &Schema,
    recreated: &BTreeSet<QualifiedName>,
    ops_by_table: &BTreeMap<QualifiedName, Vec<TableOp>>,
    out: &mut Vec<Change>,
) {
    let no_ops = Vec::new();
    for (name, old) in &from.tables {
        let Some(new) = to.tables.get(name) else { continue };
        if recreated.contains(name) {
            continue;
        }
        let ops = ops_by_table.get(name).unwrap_or(&no_ops);
        for fk in old.foreign_keys.iter().filter(|fk| new.foreign_keys.contains(fk)) {
            let ref_ops = ops_by_table.get(&fk.ref_table).unwrap_or(&no_ops);
            let mysql = to.dialect == Dialect::MySql;
            let touched = recreated.contains(&fk.ref_table)
                || ops.iter().any(|op| retypes_any(op, &fk.columns, mysql))
                || ref_ops
                    .iter()
                    .any(|op| retypes_any(op, &fk.ref_columns, mysql) || (!mysql && drops_key_of(op, &fk.ref_columns)));
            if touched {
                out.push(Change::DropForeignKey { table: name.clone(), foreign_key: fk.clone() });
                out.push(Change::AddForeignKey { table: name.clone(), foreign_key: fk.clone() });
            }
        }
    }
}

/// Whether `op` changes the type of one of `columns`; on MySQL also its
/// character set or collation, which the server refuses under a foreign
/// key just the same (error 1832).
fn retypes_any(op: &TableOp, columns: &[String], mysql: bool) -> bool {
    matches!(op, TableOp::AlterColumn { from, to }
        if (from.data_type != to.data_type
            || (mysql && (from.charset != to.charset || from.collation != to.collation)))
            && columns.contains(&to.name))
}

fn drops_key_of(op: &TableOp, columns: &[String]) -> bool {
    let overlaps = |key: &[String]| columns.is_empty() || key.iter().any(|c| columns.contains(c));
    match op {
        TableOp::DropPrimaryKey(pk) => overlaps(&pk.columns),
        TableOp::DropUnique(u) => overlaps(&u.columns),
        _ => false,
    }
}

/// Index changes of one table or materialized view: by name; a changed index
/// is dropped and created again.
pub(crate) fn index_changes(
    table: &QualifiedName,
    from: &BTreeMap<String, Index>,
    to: &BTreeMap<String, Index>,
    out: &mut Vec<Change>,
) {
    for (name, old) in from {
        if to.get(name) != Some(old) {
            out.push(Change::DropIndex { table: table.clone(), index: old.clone() });
        }
    }
    for (name, new) in to {
        if from.get(name) != Some(new) {
            out.push(Change::CreateIndex { table: table.clone(), index: new.clone() });
        }
    }
}

fn policy_changes(
    table: &QualifiedName,
    from: &BTreeMap<String, Policy>,
    to: &BTreeMap<String, Policy>,
    out: &mut Vec<Change>,
) {
    for (name, old) in from {
        if to.get(name) != Some(old) {
            out.push(Change::DropPolicy { table: table.clone(), policy: old.clone() });
        }
    }
    for (name, new) in to {
        if from.get(name) != Some(new) {
            out.push(Change::CreatePolicy { table: table.clone(), policy: new.clone() });
        }
    }
}
