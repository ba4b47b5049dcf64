//! PostgreSQL rewrite rules and extended statistics. Both are kept as the
//! server prints them and have no ALTER worth planning: a changed one is
//! dropped and created again. They go with their table, so they are also
//! recreated when the table (or view) is replaced, reshaped, or dropped and
//! created again by the plan, and a rule is recreated when a relation its
//! definition reads is.

use std::collections::BTreeSet;

use schemasync_model::{QualifiedName, Schema};

use crate::change::Change;
use crate::tables::TableOutcome;
use crate::tokens::identifiers;

/// Push the rule and statistics changes; `out` holds the changes planned
/// so far (views dropped and created again are taken from it).
pub(crate) fn diff_rules_and_statistics(from: &Schema, to: &Schema, tables: &TableOutcome, out: &mut Vec<Change>) {
    if from.rules.is_empty() && to.rules.is_empty() && from.statistics.is_empty() && to.statistics.is_empty() {
        return;
    }
    let mut touched: BTreeSet<QualifiedName> = tables.replaced.iter().chain(&tables.reshaped).cloned().collect();
    for change in out.iter() {
        match change {
            Change::DropView(view) => {
                touched.insert(view.name.clone());
            }
            Change::DropTable(table) => {
                touched.insert(table.name.clone());
            }
            _ => {}
        }
    }
    let touched_bare: BTreeSet<String> = touched.iter().map(|n| n.name.to_lowercase()).collect();
    let reads_touched = |definition: &str| identifiers(definition).iter().any(|id| touched_bare.contains(id));

    let mut changes = Vec::new();
    for (key, old) in &from.rules {
        if to.rules.get(key) != Some(old) || touched.contains(&old.table) || reads_touched(&old.definition) {
            changes.push(Change::DropRule(old.clone()));
        }
    }
    for (key, new) in &to.rules {
        let kept = from.rules.get(key) == Some(new) && !touched.contains(&new.table) && !reads_touched(&new.definition);
        if !kept {
            changes.push(Change::CreateRule(new.clone()));
        }
    }
    for (name, old) in &from.statistics {
        if to.statistics.get(name) != Some(old) || touched.contains(&old.table) {
            changes.push(Change::DropStatistics(old.clone()));
        }
    }
    for (name, new) in &to.statistics {
        if from.statistics.get(name) != Some(new) || touched.contains(&new.table) {
            changes.push(Change::CreateStatistics(new.clone()));
        }
    }
    out.extend(changes);
}
