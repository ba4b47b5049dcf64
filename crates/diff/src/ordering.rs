//! Execution order: a petgraph graph whose nodes are changes and whose edges
//! say "must run before", sorted topologically with a deterministic
//! tie-break (phase rank, then the change's description, then the order in
//! which the differ produced it).
//!
//! Edge rules, for a change A and another change B:
//! 1. A needs X and B creates X: B before A.
//! 2. A needs X and B alters X: B before A (weak when A is itself an alter).
//! 3. A (old state) needs X and B drops X: A before B.
//! 4. A is a pure drop that needs X and B alters X: A before B (a view is
//!    dropped before the table it reads is altered or rebuilt).
//! 5. B drops X and A creates X again: B before A.
//! 6. B creates X and A alters X: B before A.
//! 7. Several changes altering X keep the order the differ produced them in.
//!
//! Strong edges must form no cycle: a cycle among them is a
//! [`DiffError::DependencyCycle`] naming the changes. Weak edges (found by
//! scanning text) are added afterwards, in a fixed order, unless they would
//! close a cycle.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use petgraph::Direction;
use petgraph::algo::{has_path_connecting, tarjan_scc};
use petgraph::graphmap::DiGraphMap;

/// A graph over change (or table) positions. A fixed hasher keeps it free of
/// random state; iteration follows insertion order either way.
type Graph = DiGraphMap<usize, (), std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>>;

use crate::change::Change;
use crate::deps::{Dep, DepContext, Deps};
use crate::error::DiffError;
use crate::plan::PlannedChange;

/// Where a change goes when nothing else decides: drops of dependents first,
/// then drops of what they depended on, then creates from the bottom up.
fn rank(change: &Change) -> u8 {
    match change {
        Change::DropTrigger(_) => 0,
        Change::DropEvent(_) => 1,
        Change::DropPolicy { .. } => 2,
        Change::DropRule(_) | Change::DropStatistics(_) => 2,
        Change::DropView(_) => 3,
        Change::DropForeignKey { .. } => 4,
        Change::DropIndex { .. } => 5,
        Change::DropTable(_) => 6,
        Change::DropRoutine(_) => 7,
        Change::DropSequence(_) => 8,
        Change::DropType(_) => 9,
        Change::DropCollation(_) => 9,
        Change::DropExtension(_) => 10,
        Change::DropNamespace(_) => 11,
        Change::CreateNamespace(_) => 20,
        Change::CreateExtension(_) => 21,
        Change::AlterExtension { .. } => 22,
        Change::CreateCollation(_) => 22,
        Change::CreateType(_) => 23,
        Change::AlterType { .. } => 24,
        Change::CreateSequence(_) => 25,
        Change::CreateRoutine(_) => 26,
        Change::ReplaceRoutine { .. } => 27,
        Change::AlterTable { .. } => 28,
        Change::RebuildTable { .. } => 29,
        Change::CreateTable { .. } => 30,
        Change::AlterSequence { .. } => 31,
        Change::AddForeignKey { .. } => 32,
        Change::CreateIndex { .. } => 33,
        Change::CreateView(_) => 34,
        Change::CreateTrigger(_) => 35,
        Change::CreatePolicy { .. } => 36,
        Change::CreateRule(_) | Change::CreateStatistics(_) => 36,
        Change::CreateEvent(_) => 37,
        Change::SetComment { .. } => 38,
        Change::SetPrivileges { .. } => 39,
        Change::ValidateConstraint { .. } => 40,
    }
}

fn index<'a>(deps: &'a [Deps], pick: impl Fn(&'a Deps) -> &'a Vec<Dep>) -> BTreeMap<&'a Dep, Vec<usize>> {
    let mut out: BTreeMap<&Dep, Vec<usize>> = BTreeMap::new();
    for (i, d) in deps.iter().enumerate() {
        for dep in pick(d) {
            out.entry(dep).or_default().push(i);
        }
    }
    out
}

/// Sort `changes` into execution order.
pub(crate) fn order(changes: Vec<PlannedChange>, ctx: &DepContext<'_>) -> Result<Vec<PlannedChange>, DiffError> {
    let deps: Vec<Deps> = changes.iter().map(|c| ctx.deps(&c.change)).collect();
    let creators = index(&deps, |d| &d.creates);
    let droppers = index(&deps, |d| &d.drops);
    let alterers = index(&deps, |d| &d.alters);
    let none = Vec::new();

    let mut strong: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut weak: BTreeSet<(usize, usize)> = BTreeSet::new();
    // Weak edges from what the old state of an object reads come last: a
    // text scan cannot tell overloaded routines apart, and a new state that
    // reads a routine before it exists fails for certain, whereas a drop
    // ordered before an old reader is usually a different overload.
    let mut weak_old: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut add = |before: usize, after: usize, is_strong: bool| {
        if before != after {
            if is_strong {
                strong.insert((before, after));
            } else {
                weak.insert((before, after));
            }
        }
    };
    for (a, d) in deps.iter().enumerate() {
        let a_alters = !d.alters.is_empty();
        let pure_drop = d.creates.is_empty() && d.alters.is_empty();
        for (dep, s) in &d.needs {
            for &b in creators.get(dep).unwrap_or(&none) {
                add(b, a, *s);
            }
            for &b in alterers.get(dep).unwrap_or(&none) {
                add(b, a, *s && !a_alters);
            }
        }
        for (dep, s) in &d.old_needs {
            let mut add_old = |before: usize, after: usize| {
                if *s {
                    add(before, after, true);
                } else if before != after {
                    weak_old.insert((before, after));
                }
            };
            for &b in droppers.get(dep).unwrap_or(&none) {
                add_old(a, b);
            }
            if pure_drop {
                for &b in alterers.get(dep).unwrap_or(&none) {
                    add_old(a, b);
                }
            }
        }
    }
    for (dep, dropping) in &droppers {
        // Overloads of one name come and go independently: only the same
        // signature (`RoutineSig`) must be dropped before it is created.
        if matches!(dep, Dep::Routine(_) | Dep::RoutineCall(..)) {
            continue;
        }
        // Name reuse across tables can be cyclic (two rebuilt tables swapping
        // index names); `index_names` settles what these weak edges cannot.
        let strong_reuse = !matches!(dep, Dep::IndexName(..) | Dep::TriggerName(..));
        for &a in creators.get(dep).unwrap_or(&none) {
            for &b in dropping {
                add(b, a, strong_reuse);
            }
        }
    }
    for (dep, altering) in &alterers {
        for &b in creators.get(dep).unwrap_or(&none) {
            for &a in altering {
                add(b, a, true);
            }
        }
        for pair in altering.windows(2) {
            if let [b, a] = pair {
                add(*b, *a, true);
            }
        }
    }

    let mut graph = Graph::new();
    for i in 0..changes.len() {
        graph.add_node(i);
    }
    for &(b, a) in &strong {
        graph.add_edge(b, a, ());
    }
    let cycles: Vec<String> = tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1)
        .map(|scc| {
            let mut names: Vec<String> =
                scc.iter().filter_map(|&i| changes.get(i)).map(|c| c.change.describe()).collect();
            names.sort();
            names.join(", ")
        })
        .collect();
    if !cycles.is_empty() {
        let mut cycles = cycles;
        cycles.sort();
        return Err(DiffError::DependencyCycle(cycles.join("; ")));
    }
    for &(b, a) in weak.difference(&strong).chain(weak_old.difference(&strong)) {
        if !has_path_connecting(&graph, a, b, None) {
            graph.add_edge(b, a, ());
        }
    }

    // Kahn's algorithm; the heap always yields the smallest ready change.
    let keys: Vec<(u8, String)> = changes.iter().map(|c| (rank(&c.change), c.change.describe())).collect();
    let mut waiting: Vec<usize> =
        (0..changes.len()).map(|i| graph.neighbors_directed(i, Direction::Incoming).count()).collect();
    let mut ready: BinaryHeap<Reverse<(&(u8, String), usize)>> = BinaryHeap::new();
    for (i, key) in keys.iter().enumerate() {
        if waiting.get(i) == Some(&0) {
            ready.push(Reverse((key, i)));
        }
    }
    let mut sequence = Vec::with_capacity(changes.len());
    while let Some(Reverse((_, i))) = ready.pop() {
        sequence.push(i);
        for next in graph.neighbors_directed(i, Direction::Outgoing) {
            if let Some(count) = waiting.get_mut(next) {
                *count = count.saturating_sub(1);
                if *count == 0
                    && let Some(key) = keys.get(next)
                {
                    ready.push(Reverse((key, next)));
                }
            }
        }
    }
    if sequence.len() != changes.len() {
        // Unreachable given the cycle check above; never panic regardless.
        return Err(DiffError::DependencyCycle("changes could not be ordered".into()));
    }
    let mut slots: Vec<Option<PlannedChange>> = changes.into_iter().map(Some).collect();
    Ok(sequence.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect())
}
