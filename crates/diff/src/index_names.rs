//! Index names are unique per database (SQLite) or schema (PostgreSQL), not
//! per table. Two rebuilt SQLite tables that swap index names need each other
//! to go first; the ordering treats such name edges as weak, and this pass
//! then releases a name still held by another table with an explicit
//! `DropIndex` just before the change that claims it.

use std::collections::BTreeMap;

use schemasync_model::{Dialect, Index, QualifiedName, Schema};

use crate::change::Change;
use crate::plan::PlannedChange;

type Holders = BTreeMap<(Option<String>, String), (QualifiedName, Index)>;

pub(crate) fn release_claimed_names(from: &Schema, changes: Vec<PlannedChange>) -> Vec<PlannedChange> {
    if from.dialect == Dialect::MySql {
        return changes;
    }
    let mut held: Holders = BTreeMap::new();
    for table in from.tables.values() {
        for index in table.indexes.values() {
            held.insert(key(&table.name, &index.name), (table.name.clone(), index.clone()));
        }
    }
    let mut out = Vec::with_capacity(changes.len());
    for planned in changes {
        match &planned.change {
            Change::DropIndex { table, index } => {
                held.remove(&key(table, &index.name));
            }
            Change::DropTable(table) => release_all(&mut held, table),
            Change::RebuildTable { from, to } => {
                release_all(&mut held, from);
                claim(&mut held, &mut out, &to.name, to.indexes.values());
            }
            Change::CreateIndex { table, index } => claim(&mut held, &mut out, table, std::iter::once(index)),
            _ => {}
        }
        out.push(planned);
    }
    out
}

fn key(table: &QualifiedName, index: &str) -> (Option<String>, String) {
    (table.schema.clone(), index.to_owned())
}

fn release_all(held: &mut Holders, table: &schemasync_model::Table) {
    held.retain(|_, (owner, _)| owner != &table.name);
}

fn claim<'a>(
    held: &mut Holders,
    out: &mut Vec<PlannedChange>,
    table: &QualifiedName,
    indexes: impl Iterator<Item = &'a Index>,
) {
    for index in indexes {
        let k = key(table, &index.name);
        if let Some((owner, old)) = held.remove(&k)
            && &owner != table
        {
            out.push(PlannedChange { change: Change::DropIndex { table: owner, index: old }, hazards: Vec::new() });
        }
        held.insert(k, (table.clone(), index.clone()));
    }
}
