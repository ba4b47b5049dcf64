//! CREATE TRIGGER / DROP TRIGGER.

use std::fmt::Write;

use schemasync_model::{Deferrable, Trigger, TriggerEvent};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list};

use super::{D, ident, object_name, unsupported};

/// `CREATE TRIGGER "tr" <timing> <event>[ OF "a", "b"] ON "t" FOR EACH ROW[ WHEN <when>] <body>`.
pub(super) fn create_trigger(trigger: &Trigger) -> Result<String, EmitError> {
    let what = || format!("trigger {} on {}", trigger.name, trigger.table);
    let table = object_name(&trigger.table)?;
    // A SQLite trigger fires on exactly one event, for each row.
    let event = match trigger.events.as_slice() {
        [event @ (TriggerEvent::Insert | TriggerEvent::Update | TriggerEvent::Delete)] => *event,
        [] => return Err(EmitError::invalid(format!("{}: no event", what()))),
        events => {
            let events: Vec<&str> = events.iter().map(|e| e.as_sql()).collect();
            return Err(unsupported(format!("events {} of {}", events.join(", "), what())));
        }
    };
    if !trigger.update_columns.is_empty() && event != TriggerEvent::Update {
        return Err(EmitError::invalid(format!("{}: UPDATE OF columns on a non-UPDATE trigger", what())));
    }
    if !trigger.for_each_row {
        return Err(unsupported(format!("statement-level {}", what())));
    }
    if trigger.constraint || trigger.deferrable != Deferrable::NotDeferrable {
        return Err(unsupported(format!("constraint {}", what())));
    }
    if trigger.order.is_some() || trigger.disabled {
        return Err(unsupported(format!("ordering or disabling of {}", what())));
    }
    let body = non_empty(&trigger.body, || format!("body of {}", what()))?;
    render(|w| {
        write!(w, "CREATE TRIGGER {} {} {}", ident(&trigger.name), trigger.timing.as_sql(), event.as_sql())?;
        if !trigger.update_columns.is_empty() {
            w.write_str(" OF ")?;
            write_ident_list(w, D, &trigger.update_columns)?;
        }
        write!(w, " ON {table} FOR EACH ROW")?;
        if let Some(when) = &trigger.when {
            write!(w, " WHEN {}", non_empty(when, || format!("WHEN condition of {}", what()))?)?;
        }
        write!(w, " {body}")?;
        Ok(())
    })
}

/// `DROP TRIGGER "tr"`: trigger names are unique per database in SQLite.
pub(super) fn drop_trigger(trigger: &Trigger) -> Result<String, EmitError> {
    render(|w| Ok(write!(w, "DROP TRIGGER {}", ident(&trigger.name))?))
}
