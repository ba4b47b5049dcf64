//! Index names are unique per database (SQLite) or schema (PostgreSQL), not
//! per table. Two rebuilt SQLite tables that swap index names need each other
//! to go first; the ordering treats such name edges as weak, and this pass
//! then releases a name still held by another table with an explicit
//! `DropIndex` just before the change that claims it.

use std::collections::{BTreeMap, BTreeSet};

use schemasync_model::{Dialect, Index, QualifiedName, Schema, Table};

use crate::change::Change;
use crate::plan::PlannedChange;

type Key<'a> = (&'a Option<String>, &'a str);

/// Who holds each index name at the current point of the plan. Indexes are
/// borrowed from the schema and the plan; only the few that must be released
/// explicitly are cloned.
#[derive(Default)]
struct Holders<'a> {
    by_name: BTreeMap<Key<'a>, (&'a QualifiedName, &'a Index)>,
    /// The names each table holds, so that releasing a table's names does
    /// not scan every name of the schema.
    by_owner: BTreeMap<&'a QualifiedName, BTreeSet<Key<'a>>>,
}

impl<'a> Holders<'a> {
    fn insert(&mut self, table: &'a QualifiedName, index: &'a Index) {
        let k = key(table, index);
        if let Some((owner, _)) = self.by_name.insert(k, (table, index))
            && let Some(names) = self.by_owner.get_mut(owner)
        {
            names.remove(&k);
        }
        self.by_owner.entry(table).or_default().insert(k);
    }

    fn remove(&mut self, k: &Key<'a>) -> Option<(&'a QualifiedName, &'a Index)> {
        let held = self.by_name.remove(k)?;
        if let Some(names) = self.by_owner.get_mut(held.0) {
            names.remove(k);
        }
        Some(held)
    }

    fn release_all(&mut self, table: &QualifiedName) {
        for k in self.by_owner.remove(table).unwrap_or_default() {
            self.by_name.remove(&k);
        }
    }
}

pub(crate) fn release_claimed_names(from: &Schema, changes: Vec<PlannedChange>) -> Vec<PlannedChange> {
    if from.dialect == Dialect::MySql {
        return changes;
    }
    // Decide first with borrowed data, then build the output.
    let mut releases: Vec<Vec<PlannedChange>> = Vec::with_capacity(changes.len());
    {
        // Only names some change claims can need releasing.
        let claimed = claimed_names(&changes);
        let mut held = Holders::default();
        for table in touched_tables(from, &changes) {
            for index in table.indexes.values().filter(|i| claimed.contains(&key(&table.name, i))) {
                held.insert(&table.name, index);
            }
        }
        for planned in &changes {
            let mut before = Vec::new();
            match &planned.change {
                Change::DropIndex { table, index } => {
                    held.remove(&key(table, index));
                }
                Change::DropTable(table) => held.release_all(&table.name),
                Change::RebuildTable { from, to } => {
                    held.release_all(&from.name);
                    claim(&mut held, &mut before, &to.name, to.indexes.values());
                }
                Change::CreateIndex { table, index } => claim(&mut held, &mut before, table, std::iter::once(index)),
                _ => {}
            }
            releases.push(before);
        }
    }
    let mut out = Vec::with_capacity(changes.len());
    for (planned, before) in changes.into_iter().zip(releases) {
        out.extend(before);
        out.push(planned);
    }
    out
}

/// The tables of `from` that some change is about. A name claimed in the
/// plan can only be held, at the start, by one of them: index names are
/// unique per schema in `to` as in `from`, so a table that holds a claimed
/// name and does not claim it itself must lose it (its index dropped, or the
/// table dropped or rebuilt), which is a change about that table. Walking
/// just these keeps the pass proportional to the plan, not the schema.
fn touched_tables<'a>(from: &'a Schema, changes: &[PlannedChange]) -> Vec<&'a Table> {
    let names: BTreeSet<&QualifiedName> = changes
        .iter()
        .filter_map(|planned| match &planned.change {
            Change::DropIndex { table, .. } | Change::CreateIndex { table, .. } | Change::AlterTable { table, .. } => {
                Some(table)
            }
            Change::DropTable(table) => Some(&table.name),
            Change::RebuildTable { from, .. } => Some(&from.name),
            _ => None,
        })
        .collect();
    names.into_iter().filter_map(|name| from.tables.get(name)).collect()
}

fn claimed_names(changes: &[PlannedChange]) -> BTreeSet<Key<'_>> {
    let mut out = BTreeSet::new();
    for planned in changes {
        match &planned.change {
            Change::RebuildTable { to, .. } => out.extend(to.indexes.values().map(|i| key(&to.name, i))),
            Change::CreateIndex { table, index } => {
                out.insert(key(table, index));
            }
            _ => {}
        }
    }
    out
}

fn key<'a>(table: &'a QualifiedName, index: &'a Index) -> Key<'a> {
    (&table.schema, index.name.as_str())
}

fn claim<'a>(
    held: &mut Holders<'a>,
    out: &mut Vec<PlannedChange>,
    table: &'a QualifiedName,
    indexes: impl Iterator<Item = &'a Index>,
) {
    for index in indexes {
        if let Some((owner, old)) = held.remove(&key(table, index))
            && owner != table
        {
            out.push(PlannedChange {
                change: Change::DropIndex { table: owner.clone(), index: old.clone() },
                hazards: Vec::new(),
            });
        }
        held.insert(table, index);
    }
}
