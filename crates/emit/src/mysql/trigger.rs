//! CREATE TRIGGER / DROP TRIGGER. Firing order among triggers of one table,
//! timing and event is kept by creating them in order (see `layout`), not by
//! FOLLOWS/PRECEDES, which would need the names of their neighbours.

use std::fmt::Write;

use schemasync_model::{Deferrable, QualifiedName, Trigger, TriggerEvent, TriggerTiming};

use crate::EmitError;
use crate::render::{non_empty, render};

use super::{name, unsupported};

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
            "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW {body}",
            trigger_name(trigger),
            name(&trigger.table)
        )?;
        Ok(())
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
