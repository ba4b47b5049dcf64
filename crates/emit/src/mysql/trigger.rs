//! CREATE TRIGGER / DROP TRIGGER. Firing order among triggers of one table,
//! timing and event: the differ names, in a created trigger's `depends_on`,
//! the trigger of the same table it is placed against, written `PRECEDES` for
//! the first of its group (`order == Some(1)`) and `FOLLOWS` otherwise.
//! Triggers of one group created by the plan are also written together in
//! their order (see `layout`), so a script of a whole schema, without
//! neighbours, still creates them in firing order.

use std::fmt::Write;

use schemasync_model::{Deferrable, ObjectKey, QualifiedName, Trigger, TriggerEvent, TriggerTiming};

use crate::EmitError;
use crate::render::{non_empty, render};

use super::{ident, name, unsupported};

/// `CREATE TRIGGER `tr` BEFORE|AFTER INSERT|UPDATE|DELETE ON `t` FOR EACH ROW <body>`.
pub(super) fn create_trigger(trigger: &Trigger) -> Result<String, EmitError> {
    let what = || format!("trigger {} on {}", trigger.name, trigger.table);
    let timing = match trigger.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => return Err(unsupported(format!("INSTEAD OF {}", what()))),
    };
    // A MySQL trigger fires on exactly one event.
    let event = match trigger.events.as_slice() {
        [event @ (TriggerEvent::Insert | TriggerEvent::Update | TriggerEvent::Delete)] => event.as_sql(),
        [] => return Err(EmitError::invalid(format!("{}: no event", what()))),
        events => {
            let events: Vec<&str> = events.iter().map(|e| e.as_sql()).collect();
            return Err(unsupported(format!("events {} of {}", events.join(", "), what())));
        }
    };
    if !trigger.for_each_row {
        return Err(unsupported(format!("statement-level {}", what())));
    }
    if !trigger.update_columns.is_empty() || trigger.when.is_some() {
        return Err(unsupported(format!("UPDATE OF columns or WHEN condition of {}", what())));
    }
    if trigger.constraint || trigger.deferrable != Deferrable::NotDeferrable || trigger.disabled {
        return Err(unsupported(format!("constraint, deferrable or disabled {}", what())));
    }
    if trigger.comment.is_some() {
        return Err(unsupported(format!("comment on {}", what())));
    }
    let body = non_empty(&trigger.body, || format!("body of {}", what()))?;
    render(|w| {
        write!(
            w,
            "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW ",
            trigger_name(trigger),
            name(&trigger.table)
        )?;
        if let Some(neighbour) = neighbour(trigger) {
            let placement = if trigger.order == Some(1) { "PRECEDES" } else { "FOLLOWS" };
            write!(w, "{placement} {} ", ident(neighbour))?;
        }
        w.write_str(body)?;
        Ok(())
    })
}

/// The trigger of the same table this one is placed against, if the differ
/// named one.
fn neighbour(trigger: &Trigger) -> Option<&str> {
    trigger.depends_on.iter().find_map(|key| match key {
        ObjectKey::Trigger { table, name } if *table == trigger.table && *name != trigger.name => Some(name.as_str()),
        _ => None,
    })
}

/// `DROP TRIGGER `tr``.
pub(super) fn drop_trigger(trigger: &Trigger) -> String {
    format!("DROP TRIGGER {}", trigger_name(trigger))
}

/// Trigger names are unique per database and a trigger lives in its table's
/// database, so a table in another database qualifies the trigger too.
fn trigger_name(trigger: &Trigger) -> String {
    name(&QualifiedName { schema: trigger.table.schema.clone(), name: trigger.name.clone() })
}
