//! Scheduled events. The schedule is rebuilt as the text written after
//! `ON SCHEDULE`; the body is the statement written after `DO`.

use std::collections::BTreeMap;

use schemasync_model::{Dialect, Event, QualifiedName};

use crate::MySqlError;
use crate::row::Cells;

/// Rows of `events.sql`; `show_create` gives each event's `SHOW CREATE
/// EVENT` statement, whose tail is the body as written (see `raw_bodies`).
pub(super) fn read(rows: &[Cells], show_create: &BTreeMap<String, String>) -> Result<Vec<Event>, MySqlError> {
    let mut events = Vec::new();
    for row in rows {
        let name = row.text(0)?;
        let label = format!("event {name}");
        let statement = show_create.get(&name).map(String::as_str);
        let body =
            super::raw_bodies::exact_body(statement, &row.text_or_empty(9)?, row.opt_text(11)?.as_deref(), &label)?;
        let kind = row.text(1)?;
        let schedule = if kind == "ONE TIME" {
            format!("AT {}", Dialect::MySql.quote_string(&row.text_or_empty(2)?))
        } else {
            let mut schedule = format!("EVERY {} {}", interval_value(&row.text_or_empty(3)?), row.text_or_empty(4)?);
            if let Some(starts) = row.opt_text(5)? {
                schedule.push_str(&format!(" STARTS {}", Dialect::MySql.quote_string(&starts)));
            }
            if let Some(ends) = row.opt_text(6)? {
                schedule.push_str(&format!(" ENDS {}", Dialect::MySql.quote_string(&ends)));
            }
            schedule
        };
        events.push(Event {
            name: QualifiedName::bare(name),
            schedule,
            preserve: row.text_or_empty(8)? == "PRESERVE",
            enabled: row.text_or_empty(7)? == "ENABLED",
            body,
            comment: Some(row.text_or_empty(10)?).filter(|c| !c.is_empty()),
            sql_mode: row.opt_text(11)?,
        });
    }
    Ok(events)
}

/// A whole number stays bare; compound values (`'1:30'` for HOUR_MINUTE)
/// are string literals, which MariaDB prints already quoted and MySQL bare.
fn interval_value(value: &str) -> String {
    let value = value.trim();
    if value.starts_with('\'') || value.chars().all(|c| c.is_ascii_digit()) && !value.is_empty() {
        value.to_owned()
    } else {
        Dialect::MySql.quote_string(value)
    }
}

#[cfg(test)]
mod tests {
    use super::interval_value;

    #[test]
    fn interval_values() {
        assert_eq!(interval_value("1"), "1");
        assert_eq!(interval_value("'1:30'"), "'1:30'");
        assert_eq!(interval_value("1:30"), "'1:30'");
    }
}
