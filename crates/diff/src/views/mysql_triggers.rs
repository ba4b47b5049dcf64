//! MySQL trigger firing order. Triggers sharing a table, timing and event
//! fire in `Trigger::order`; a new trigger goes last unless created with
//! `FOLLOWS x` / `PRECEDES x`. Renumbering alone changes nothing on the
//! server, so triggers are compared without their `order`, and only those
//! whose relative order is wrong are dropped and created again: as few as
//! possible, because a dropped trigger does not fire until it is back, and
//! MySQL DDL is not transactional.
//!
//! Every trigger created in a group is placed against a neighbour that
//! exists by then: `FOLLOWS` its wanted predecessor (kept, or created just
//! before it), or, for the first of the group, `PRECEDES` the first kept
//! trigger. The neighbour is recorded in the created trigger's `depends_on`
//! as an [`ObjectKey::Trigger`] of the same table, which also orders the
//! creation after the neighbour's; the emitter writes `PRECEDES` for the
//! first of a group (`order == Some(1)`) and `FOLLOWS` otherwise.

use std::collections::BTreeMap;

use schemasync_model::{ObjectKey, QualifiedName, Schema, Trigger, TriggerEvent, TriggerTiming};

use crate::columns::longest_increasing;

/// A trigger's key in `Schema::triggers`.
type Key = (QualifiedName, String);

/// What becomes of one trigger of the wanted schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fate {
    /// It exists, unchanged, in a correct relative order: nothing to do.
    Keep,
    /// It is created (or dropped and created again) next to `anchor`.
    Create {
        /// The trigger it is placed against, if its group has another.
        anchor: Option<ObjectKey>,
    },
}

type Group = (QualifiedName, TriggerTiming, Vec<TriggerEvent>);

fn group_of(trigger: &Trigger) -> Group {
    (trigger.table.clone(), trigger.timing, trigger.events.clone())
}

/// Triggers by firing point, each list in firing order.
fn groups(schema: &Schema) -> BTreeMap<Group, Vec<&Trigger>> {
    let mut out: BTreeMap<Group, Vec<&Trigger>> = BTreeMap::new();
    for trigger in schema.triggers.values() {
        out.entry(group_of(trigger)).or_default().push(trigger);
    }
    for members in out.values_mut() {
        members.sort_by(|a, b| (a.order, &a.name).cmp(&(b.order, &b.name)));
    }
    out
}

/// The fate of every trigger of `to`. `unchanged(old, new)`: the trigger
/// of `from` is the wanted one but for its `order`, and nothing forces it
/// to be recreated.
pub(super) fn place(from: &Schema, to: &Schema, unchanged: impl Fn(&Trigger, &Trigger) -> bool) -> BTreeMap<Key, Fate> {
    let mut old_position: BTreeMap<Key, usize> = BTreeMap::new();
    for members in groups(from).into_values() {
        for (i, trigger) in members.into_iter().enumerate() {
            old_position.insert((trigger.table.clone(), trigger.name.clone()), i);
        }
    }
    let mut fates = BTreeMap::new();
    for members in groups(to).into_values() {
        let key = |t: &Trigger| (t.table.clone(), t.name.clone());
        // Unchanged triggers, with their place in the current group.
        let candidates: Vec<(usize, usize)> = members
            .iter()
            .enumerate()
            .filter_map(|(i, new)| {
                let old = from.triggers.get(&key(new))?;
                let at = old_position.get(&key(new))?;
                (unchanged(old, new) && group_of(old) == group_of(new)).then_some((i, *at))
            })
            .collect();
        let positions: Vec<usize> = candidates.iter().map(|(_, at)| *at).collect();
        let kept: Vec<usize> =
            longest_increasing(&positions).into_iter().filter_map(|c| candidates.get(c).map(|(i, _)| *i)).collect();
        let first_kept = kept.first().and_then(|&i| members.get(i));
        let anchor_key = |t: &Trigger| ObjectKey::Trigger { table: t.table.clone(), name: t.name.clone() };
        for (i, trigger) in members.iter().enumerate() {
            let fate = if kept.contains(&i) {
                Fate::Keep
            } else {
                let anchor = match i.checked_sub(1).and_then(|p| members.get(p)) {
                    Some(previous) => Some(anchor_key(previous)),
                    None => first_kept.map(|k| anchor_key(k)),
                };
                Fate::Create { anchor }
            };
            fates.insert(key(trigger), fate);
        }
    }
    fates
}
