//! Triggers on tables and views.

use schemasync_model::{
    Deferrable, ObjectKey, QualifiedName, RoutineKey, RoutineKind, Trigger, TriggerEvent, TriggerTiming,
};
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use super::text::{trigger_body, trigger_when};
use crate::PostgresError;

/// `tgtype` bits.
const ROW: i32 = 1;
const BEFORE: i32 = 2;
const INSERT: i32 = 4;
const DELETE: i32 = 8;
const UPDATE: i32 = 16;
const TRUNCATE: i32 = 32;
const INSTEAD: i32 = 64;

pub(crate) fn read_triggers(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "triggers");
        let table_oid: u32 = f.get("table_oid")?;
        let Some(table) = b.oids.tables.get(&table_oid).or_else(|| b.oids.views.get(&table_oid)).cloned() else {
            continue;
        };
        let name: String = f.get("name")?;
        let shown = format!("{table} trigger {name}");
        if f.get::<bool>("has_transition_tables")? {
            b.skip(shown, "triggers with REFERENCING transition tables are not modelled");
            continue;
        }
        if f.get::<bool>("has_from")? {
            b.skip(shown, "constraint triggers with FROM are not modelled");
            continue;
        }
        let definition: String = f.get("definition")?;
        let body = trigger_body(&definition).ok_or_else(|| f.unexpected(format!("{shown}: no EXECUTE FUNCTION")))?;
        let bits: i32 = f.get("trigger_type")?;
        let timing = if bits & BEFORE != 0 {
            TriggerTiming::Before
        } else if bits & INSTEAD != 0 {
            TriggerTiming::InsteadOf
        } else {
            TriggerTiming::After
        };
        let events = [(INSERT, TriggerEvent::Insert), (UPDATE, TriggerEvent::Update), (DELETE, TriggerEvent::Delete)]
            .into_iter()
            .chain([(TRUNCATE, TriggerEvent::Truncate)])
            .filter(|(bit, _)| bits & bit != 0)
            .map(|(_, e)| e)
            .collect();
        let constraint: bool = f.get("is_constraint")?;
        let deferrable = match (f.get::<bool>("deferrable")?, f.get::<bool>("deferred")?) {
            (false, _) => Deferrable::NotDeferrable,
            (true, false) => Deferrable::InitiallyImmediate,
            (true, true) => Deferrable::InitiallyDeferred,
        };
        let function = RoutineKey {
            kind: RoutineKind::Function,
            name: QualifiedName::new(Some(&f.get::<String>("function_schema")?), f.get::<String>("function_name")?),
            signature: f.get::<Option<String>>("function_signature")?.unwrap_or_default(),
        };
        let trigger = Trigger {
            sql_mode: None,
            table: table.clone(),
            name: name.clone(),
            timing,
            events,
            update_columns: f.list("update_columns")?,
            for_each_row: bits & ROW != 0,
            when: trigger_when(&definition),
            body,
            constraint,
            deferrable,
            order: None,
            disabled: f.flag("enabled")? == 'D',
            depends_on: vec![ObjectKey::Routine { key: function }],
            comment: f.get("comment")?,
        };
        b.schema.triggers.insert((table, name), trigger);
    }
    Ok(())
}
