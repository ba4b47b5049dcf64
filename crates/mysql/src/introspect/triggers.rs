//! Triggers. MySQL allows several triggers per table, timing and event; their
//! firing order is kept only when there is more than one.

use std::collections::BTreeMap;

use schemasync_model::{QualifiedName, Trigger, TriggerEvent, TriggerTiming};

use super::SkippedObject;
use crate::MySqlError;
use crate::row::Cells;

/// Rows of `triggers.sql`: table, name, timing, event, order, statement,
/// orientation, sql_mode; `show_create` gives each trigger's `SHOW CREATE
/// TRIGGER` statement, whose tail is the body as written (see `raw_bodies`).
pub(super) fn read(
    rows: &[Cells],
    show_create: &BTreeMap<String, String>,
    skipped: &mut Vec<SkippedObject>,
) -> Result<Vec<Trigger>, MySqlError> {
    let mut triggers = Vec::new();
    let mut group_sizes: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    let mut groups = Vec::new();
    for row in rows {
        let table = row.text(0)?;
        let name = row.text(1)?;
        let (timing_text, event_text) = (row.text(2)?, row.text(3)?);
        let timing = match timing_text.as_str() {
            "BEFORE" => TriggerTiming::Before,
            "AFTER" => TriggerTiming::After,
            other => {
                skipped.push(SkippedObject::new(format!("trigger {name}"), format!("unknown timing {other}")));
                continue;
            }
        };
        let event = match event_text.as_str() {
            "INSERT" => TriggerEvent::Insert,
            "UPDATE" => TriggerEvent::Update,
            "DELETE" => TriggerEvent::Delete,
            other => {
                skipped.push(SkippedObject::new(format!("trigger {name}"), format!("unknown event {other}")));
                continue;
            }
        };
        let statement = show_create.get(&name).map(String::as_str);
        let body = super::raw_bodies::exact_body(
            statement,
            &row.text_or_empty(5)?,
            row.opt_text(7)?.as_deref(),
            &format!("trigger {name}"),
        )?;
        let group = (table.clone(), timing_text, event_text);
        *group_sizes.entry(group.clone()).or_default() += 1;
        groups.push((group, row.opt_u32(4)?));
        triggers.push(Trigger {
            table: QualifiedName::bare(table),
            name,
            timing,
            events: vec![event],
            update_columns: Vec::new(),
            for_each_row: row.text_or_empty(6)? != "STATEMENT",
            when: None,
            body,
            constraint: false,
            deferrable: Default::default(),
            order: None,
            disabled: false,
            depends_on: Vec::new(),
            comment: None,
            sql_mode: row.opt_text(7)?,
        });
    }
    for (trigger, (group, order)) in triggers.iter_mut().zip(groups) {
        if group_sizes.get(&group).copied().unwrap_or(0) > 1 {
            trigger.order = order;
        }
    }
    Ok(triggers)
}
