//! Plan-level decisions: which changes are written inside another change's
//! statement, and in which order triggers of one firing point are created.
//!
//! - Indexes of a table the plan creates are written inside its
//!   `CREATE TABLE`. A foreign key needs an index on its columns and MySQL
//!   creates one, named after the constraint, when none exists; creating the
//!   plan's own index of that name afterwards then fails with a duplicate key
//!   name (MySQL), and an `AUTO_INCREMENT` column that is only a key through
//!   a secondary index cannot be created without it. For the same reason an
//!   index named like a foreign key added to an existing table is written
//!   into that `ALTER TABLE`. The absorbed `CreateIndex` changes render
//!   nothing; their hazards go with the statement that absorbed them.
//! - MySQL fires triggers of one table, timing and event in creation order,
//!   unless placed with `FOLLOWS` / `PRECEDES` (see `trigger`). Triggers of
//!   such a group that the plan creates are written together, in their
//!   `order`, at the place of the last of them: everything each one needs
//!   comes before that place, a neighbour it follows is either kept or one
//!   of the group created just before it, and nothing else in a plan needs a
//!   trigger to exist.

use std::collections::BTreeMap;

use schemasync_diff::{Change, PlannedChange};
use schemasync_model::{ForeignKey, Index, QualifiedName, Table, TriggerEvent, TriggerTiming};

use super::Absorbed;

/// What to do at one position of the plan.
#[derive(Debug)]
pub(super) enum Slot<'a> {
    /// Nothing: the change is rendered elsewhere.
    Skip,
    /// Render the change, with these indexes written into its statement.
    Render {
        /// Absorbed indexes and the hazards of their `CreateIndex` changes.
        indexes: Vec<Absorbed<'a>>,
    },
    /// Render these trigger creations, in this order.
    Triggers(Vec<&'a PlannedChange>),
}

/// One slot per change of the plan.
#[derive(Debug)]
pub(super) struct Layout<'a> {
    slots: Vec<Slot<'a>>,
}

type TriggerGroup<'a> = (&'a QualifiedName, TriggerTiming, &'a [TriggerEvent]);

impl<'a> Layout<'a> {
    pub(super) fn new(changes: &'a [PlannedChange]) -> Self {
        let mut slots: Vec<Slot<'a>> = changes.iter().map(|_| Slot::Render { indexes: Vec::new() }).collect();
        absorb_indexes(changes, &mut slots);
        group_triggers(changes, &mut slots);
        Layout { slots }
    }

    pub(super) fn slot(&self, position: usize) -> &Slot<'a> {
        self.slots.get(position).unwrap_or(&Slot::Skip)
    }
}

/// Which later `CreateIndex` changes of its table a change takes over.
enum Wanted<'a> {
    /// The indexes of a created table, as the table holds them.
    TableIndexes(&'a Table),
    /// The index named like an added foreign key.
    Named(&'a str),
}

impl Wanted<'_> {
    fn matches(&self, index: &Index) -> bool {
        match self {
            Wanted::TableIndexes(table) => table.indexes.get(&index.name) == Some(index),
            Wanted::Named(name) => index.name == *name,
        }
    }
}

fn absorb_indexes<'a>(changes: &'a [PlannedChange], slots: &mut [Slot<'a>]) {
    for (i, planned) in changes.iter().enumerate() {
        let (table, wanted) = match &planned.change {
            Change::CreateTable { table, .. } => (&table.name, Wanted::TableIndexes(table)),
            Change::AddForeignKey { table, foreign_key: ForeignKey { name: Some(name), .. } } => {
                (table, Wanted::Named(name.as_str()))
            }
            _ => continue,
        };
        let mut absorbed: Vec<(usize, &'a Index)> = Vec::new();
        for (j, later) in changes.iter().enumerate().skip(i + 1) {
            match &later.change {
                Change::CreateIndex { table: t, index } if t == table => {
                    let free = matches!(slots.get(j), Some(Slot::Render { indexes }) if indexes.is_empty());
                    let seen = absorbed.iter().any(|(_, a)| a.name == index.name);
                    if free && !seen && wanted.matches(index) {
                        absorbed.push((j, index));
                    }
                }
                other if touches(other, table) => break,
                _ => {}
            }
        }
        let mut indexes = Vec::with_capacity(absorbed.len());
        for (j, index) in absorbed {
            if let (Some(slot), Some(source)) = (slots.get_mut(j), changes.get(j)) {
                *slot = Slot::Skip;
                indexes.push((index, source.hazards.as_slice()));
            }
        }
        if let Some(slot) = slots.get_mut(i) {
            *slot = Slot::Render { indexes };
        }
    }
}

/// Whether a change reshapes `table` or its keys, after which a later index
/// can no longer be moved before it.
fn touches(change: &Change, table: &QualifiedName) -> bool {
    match change {
        Change::CreateTable { table: t, .. } => &t.name == table,
        Change::DropTable(t) => &t.name == table,
        Change::RebuildTable { to, .. } => &to.name == table,
        Change::AlterTable { table: t, .. }
        | Change::DropIndex { table: t, .. }
        | Change::DropForeignKey { table: t, .. } => t == table,
        _ => false,
    }
}

fn group_triggers<'a>(changes: &'a [PlannedChange], slots: &mut [Slot<'a>]) {
    let mut groups: BTreeMap<TriggerGroup<'a>, Vec<usize>> = BTreeMap::new();
    for (i, planned) in changes.iter().enumerate() {
        if let Change::CreateTrigger(trigger) = &planned.change
            && trigger.order.is_some()
        {
            let key = (&trigger.table, trigger.timing, trigger.events.as_slice());
            groups.entry(key).or_default().push(i);
        }
    }
    for positions in groups.values().filter(|p| p.len() > 1) {
        let mut members: Vec<&'a PlannedChange> = positions.iter().filter_map(|&i| changes.get(i)).collect();
        members.sort_by_key(|m| match &m.change {
            Change::CreateTrigger(t) => (t.order, t.name.as_str()),
            _ => (None, ""),
        });
        for &i in positions {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Slot::Skip;
            }
        }
        if let Some(slot) = positions.last().and_then(|&last| slots.get_mut(last)) {
            *slot = Slot::Triggers(members);
        }
    }
}
