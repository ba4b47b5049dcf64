//! Base tables and their options (engine, character set, collation, row format, comment).

use std::collections::BTreeMap;

use schemasync_model::{QualifiedName, Table, TableOptions};

use super::SkippedObject;
use crate::MySqlError;
use crate::row::Cells;

/// Tables by name, with everything but their options still to be filled in.
pub(super) type Tables = BTreeMap<String, Table>;

/// Rows of `tables.sql`.
pub(super) fn read(rows: &[Cells], skipped: &mut Vec<SkippedObject>) -> Result<Tables, MySqlError> {
    let mut tables = Tables::new();
    for row in rows {
        let name = row.text(0)?;
        let kind = row.text(1)?;
        if kind != "BASE TABLE" {
            let reason = match kind.as_str() {
                "SEQUENCE" => "MariaDB sequences are not modelled".to_owned(),
                "SYSTEM VERSIONED" => "system-versioned tables are not modelled".to_owned(),
                other => format!("table type {other} is not modelled"),
            };
            skipped.push(SkippedObject::new(format!("table {name}"), reason));
            continue;
        }
        let collation = row.opt_text(3)?;
        // Charset names never contain '_', so the collation's prefix is its
        // charset when the collations table does not list it.
        let charset =
            row.opt_text(4)?.or_else(|| collation.as_deref().and_then(|c| c.split('_').next()).map(str::to_owned));
        let mut table = Table::new(QualifiedName::bare(name.clone()));
        table.options = TableOptions::MySql {
            engine: row.opt_text(2)?,
            charset,
            collation,
            row_format: row_format(&row.text_or_empty(5)?),
        };
        table.comment = Some(row.text_or_empty(6)?).filter(|c| !c.is_empty());
        tables.insert(name, table);
    }
    Ok(tables)
}

/// `ROW_FORMAT` when it was given explicitly (`CREATE_OPTIONS` holds `row_format=DYNAMIC`).
fn row_format(create_options: &str) -> Option<String> {
    create_options.split_whitespace().find_map(|option| {
        let (key, value) = option.split_once('=')?;
        key.eq_ignore_ascii_case("row_format").then(|| value.to_ascii_uppercase())
    })
}

/// The table's default character set and collation.
pub(super) fn defaults(table: &Table) -> (Option<&str>, Option<&str>) {
    match &table.options {
        TableOptions::MySql { charset, collation, .. } => (charset.as_deref(), collation.as_deref()),
        _ => (None, None),
    }
}

/// The table's storage engine, uppercase.
pub(super) fn engine(table: &Table) -> String {
    match &table.options {
        TableOptions::MySql { engine: Some(engine), .. } => engine.to_ascii_uppercase(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::row_format;

    #[test]
    fn reads_row_format() {
        assert_eq!(row_format("row_format=DYNAMIC").as_deref(), Some("DYNAMIC"));
        assert_eq!(row_format("partitioned stats_persistent=1 row_format=compressed").as_deref(), Some("COMPRESSED"));
        assert_eq!(row_format("partitioned"), None);
    }
}
