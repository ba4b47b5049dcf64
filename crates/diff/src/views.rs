//! Views and triggers, including the ones that did not change but must be
//! dropped and created again because something they read is replaced.
//!
//! A view (or trigger) is recreated when it reads a table that is rebuilt or
//! recreated, a table whose columns are dropped/retyped/renamed in place, a
//! view that is itself recreated or dropped, or a routine that is dropped and
//! created again. "Reads" is `depends_on` plus a conservative identifier scan
//! of the text: a false positive costs one needless drop + create, a miss
//! makes the script fail (SQLite's table rename re-checks every view and
//! trigger; PostgreSQL refuses to drop or retype what a view uses).

mod mysql_triggers;

use std::collections::BTreeSet;

use schemasync_model::{Dialect, ObjectKey, QualifiedName, Schema, Trigger, View};

use mysql_triggers::Fate;

use crate::change::Change;
use crate::tables::{TableOutcome, index_changes};
use crate::tokens::identifiers;

/// Names a view or trigger may read, both exact and as lowercased bare names
/// for the identifier scan.
#[derive(Default)]
struct Affected {
    names: BTreeSet<QualifiedName>,
    lower: BTreeSet<String>,
}

impl Affected {
    fn insert(&mut self, name: &QualifiedName) {
        self.names.insert(name.clone());
        self.lower.insert(name.name.to_lowercase());
    }

    fn read_by(&self, depends_on: &[ObjectKey], texts: &[&str], routines: &BTreeSet<QualifiedName>) -> bool {
        let by_key = depends_on.iter().any(|key| match key {
            ObjectKey::Table { name } | ObjectKey::View { name } | ObjectKey::MaterializedView { name } => {
                self.names.contains(name)
            }
            ObjectKey::Column { table, .. } => self.names.contains(table),
            ObjectKey::Routine { key } => routines.contains(&key.name),
            _ => false,
        });
        by_key || texts.iter().any(|text| identifiers(text).iter().any(|id| self.lower.contains(id)))
    }
}

/// The definition of a view without its indexes (diffed separately) and its
/// `depends_on`: derived data, which introspectors and hand-built schemas
/// fill in differently, and which no statement could change.
fn shape(view: &View) -> View {
    View { indexes: Default::default(), depends_on: Vec::new(), ..view.clone() }
}

/// A trigger without its derived `depends_on`.
fn trigger_shape(trigger: &Trigger) -> Trigger {
    Trigger { depends_on: Vec::new(), ..trigger.clone() }
}

/// Push view and trigger changes.
pub(crate) fn diff_views_and_triggers(
    from: &Schema,
    to: &Schema,
    tables: &TableOutcome,
    recreated_routines: &BTreeSet<QualifiedName>,
    out: &mut Vec<Change>,
) {
    let mut affected = Affected::default();
    for name in tables.replaced.iter().chain(&tables.reshaped) {
        affected.insert(name);
    }
    let mut recreate: BTreeSet<QualifiedName> = BTreeSet::new();
    for (name, old) in &from.views {
        match to.views.get(name) {
            Some(new) if shape(new) == shape(old) => {}
            Some(_) => {
                recreate.insert(name.clone());
                affected.insert(name);
            }
            None => affected.insert(name),
        }
    }
    // Readers of recreated views are recreated too, transitively.
    loop {
        let more: Vec<QualifiedName> = from
            .views
            .values()
            .filter(|v| to.views.contains_key(&v.name) && !recreate.contains(&v.name))
            .filter(|v| affected.read_by(&v.depends_on, &[&v.definition], recreated_routines))
            .map(|v| v.name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        for name in more {
            affected.insert(&name);
            recreate.insert(name);
        }
    }
    for (name, old) in &from.views {
        if !to.views.contains_key(name) {
            out.push(Change::DropView(old.clone()));
        }
    }
    for (name, new) in &to.views {
        match from.views.get(name) {
            Some(old) if !recreate.contains(name) => index_changes(name, &old.indexes, &new.indexes, out),
            old => {
                if let Some(old) = old {
                    out.push(Change::DropView(old.clone()));
                }
                out.push(Change::CreateView(new.clone()));
                index_changes(name, &Default::default(), &new.indexes, out);
            }
        }
    }

    // Triggers: in-place table reshapes do not touch them, replacements do.
    let mut trigger_affected = Affected::default();
    for name in tables.replaced.iter().chain(&recreate) {
        trigger_affected.insert(name);
    }
    for name in from.views.keys().filter(|n| !to.views.contains_key(*n)) {
        trigger_affected.insert(name);
    }
    let forced = |t: &Trigger| {
        let mut texts = vec![t.body.as_str()];
        texts.extend(t.when.as_deref());
        trigger_affected.names.contains(&t.table) || trigger_affected.read_by(&t.depends_on, &texts, recreated_routines)
    };
    let still_there = |table: &QualifiedName| to.tables.contains_key(table) || to.views.contains_key(table);
    for (key, old) in &from.triggers {
        // A trigger whose table or view is dropped goes with it.
        if !to.triggers.contains_key(key) && still_there(&old.table) && !tables.dropped.contains(&old.table) {
            out.push(Change::DropTrigger(old.clone()));
        }
    }
    // MySQL: firing order is kept by placing triggers (see `mysql_triggers`).
    let placed = (to.dialect == Dialect::MySql).then(|| {
        let unordered = |t: &Trigger| Trigger { order: None, ..trigger_shape(t) };
        mysql_triggers::place(from, to, |old, new| unordered(old) == unordered(new) && !forced(old))
    });
    for (key, new) in &to.triggers {
        let old = from.triggers.get(key);
        let fate = match &placed {
            Some(fates) => fates.get(key).cloned().unwrap_or(Fate::Create { anchor: None }),
            None if old.is_some_and(|old| trigger_shape(old) == trigger_shape(new) && !forced(old)) => Fate::Keep,
            None => Fate::Create { anchor: None },
        };
        let Fate::Create { anchor } = fate else { continue };
        if let Some(old) = old {
            out.push(Change::DropTrigger(old.clone()));
        }
        let mut created = new.clone();
        if let Some(anchor) = anchor {
            created.depends_on.push(anchor);
            created.depends_on.sort();
        }
        out.push(Change::CreateTrigger(created));
    }
}
