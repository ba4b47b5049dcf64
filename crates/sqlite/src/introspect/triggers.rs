//! Triggers.

use schemasync_model::{Deferrable, QualifiedName, Trigger};

use super::names::{Names, canonical_column};
use crate::SqliteError;
use crate::ddl_parser::create_trigger::parse_create_trigger;

/// Read a trigger; `columns` are those of the table or view it is on (for
/// canonical `UPDATE OF` names), `names` every table and view.
pub(crate) fn read_trigger(name: &str, sql: &str, columns: &[String], names: &Names) -> Result<Trigger, SqliteError> {
    let def = parse_create_trigger(sql)
        .map_err(|e| SqliteError::Parse { object: format!("trigger {name}"), message: e.message })?;
    let table = names.canonical(&def.table);
    let update_columns =
        def.update_columns.iter().map(|c| canonical_column(columns.iter().map(String::as_str), c)).collect();
    let depends_on = names.mentioned(&def.identifiers, &[table.as_str()]);
    Ok(Trigger {
        sql_mode: None,
        table: QualifiedName::bare(table),
        name: name.to_owned(),
        timing: def.timing,
        events: vec![def.event],
        update_columns,
        for_each_row: true,
        when: def.when,
        body: def.body,
        constraint: false,
        deferrable: Deferrable::NotDeferrable,
        order: None,
        disabled: false,
        depends_on,
        comment: None,
    })
}
