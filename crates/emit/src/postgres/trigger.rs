//! CREATE TRIGGER / DROP TRIGGER.

use schemasync_model::{Deferrable, Trigger, TriggerEvent};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list, write_parenthesized};

use super::constraint::deferrable;
use super::{D, ident, qname, unsupported};

/// `CREATE [CONSTRAINT ]TRIGGER "tr" <timing> <events> ON "s"."t"
/// [ DEFERRABLE ...] FOR EACH ROW|STATEMENT[ WHEN (<when>)] <body>`, then
/// `ALTER TABLE ... DISABLE TRIGGER` for a disabled one.
pub(super) fn create_trigger(trigger: &Trigger) -> Result<Vec<String>, EmitError> {
    let what = || format!("trigger {} on {}", trigger.name, trigger.table);
    if trigger.events.is_empty() {
        return Err(EmitError::invalid(format!("{}: no event", what())));
    }
    if !trigger.update_columns.is_empty() && !trigger.events.contains(&TriggerEvent::Update) {
        return Err(EmitError::invalid(format!("{}: UPDATE OF columns without an UPDATE event", what())));
    }
    if trigger.order.is_some() {
        return Err(unsupported(format!("FOLLOWS / PRECEDES ordering of {}", what())));
    }
    if !trigger.constraint && trigger.deferrable != Deferrable::NotDeferrable {
        return Err(EmitError::invalid(format!("{}: only constraint triggers can be deferrable", what())));
    }
    let body = non_empty(&trigger.body, || format!("body of {}", what()))?;
    let table = qname(&trigger.table);
    let create = render(|w| {
        w.push_str(if trigger.constraint { "CREATE CONSTRAINT TRIGGER " } else { "CREATE TRIGGER " });
        w.push_str(&ident(&trigger.name));
        w.push(' ');
        w.push_str(trigger.timing.as_sql());
        w.push(' ');
        for (i, event) in trigger.events.iter().enumerate() {
            if i > 0 {
                w.push_str(" OR ");
            }
            w.push_str(event.as_sql());
            if *event == TriggerEvent::Update && !trigger.update_columns.is_empty() {
                w.push_str(" OF ");
                write_ident_list(w, D, &trigger.update_columns)?;
            }
        }
        w.push_str(" ON ");
        w.push_str(&table);
        w.push_str(&deferrable(trigger.deferrable));
        w.push_str(if trigger.for_each_row { " FOR EACH ROW" } else { " FOR EACH STATEMENT" });
        if let Some(when) = &trigger.when {
            w.push_str(" WHEN ");
            write_parenthesized(w, non_empty(when, || format!("WHEN condition of {}", what()))?)?;
        }
        w.push(' ');
        w.push_str(body);
        Ok(())
    })?;
    let mut out = vec![create];
    if trigger.disabled {
        out.push(format!("ALTER TABLE {table} DISABLE TRIGGER {}", ident(&trigger.name)));
    }
    Ok(out)
}

/// `DROP TRIGGER "tr" ON "s"."t"`.
pub(super) fn drop_trigger(trigger: &Trigger) -> Result<String, EmitError> {
    Ok(format!("DROP TRIGGER {} ON {}", ident(&trigger.name), qname(&trigger.table)))
}
