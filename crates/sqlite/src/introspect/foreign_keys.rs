//! Cross-checking the foreign keys read from the DDL against
//! `PRAGMA foreign_key_list`, which knows columns and actions but not names
//! or deferrability.

use std::collections::BTreeMap;

use rusqlite::Connection;
use schemasync_model::ForeignKey;

use crate::SqliteError;

/// One foreign key reduced to what both sources know, lowercased (SQLite
/// compares these names case-insensitively).
fn signature(columns: &[String], parent: &str, ref_columns: &[String], on_update: &str, on_delete: &str) -> String {
    format!("{}|{parent}|{}|{on_update}|{on_delete}", columns.join(","), ref_columns.join(",")).to_ascii_lowercase()
}

#[derive(Default)]
struct PragmaFk {
    columns: Vec<String>,
    parent: String,
    ref_columns: Vec<String>,
    on_update: String,
    on_delete: String,
}

/// Whether the DDL-derived foreign keys agree with SQLite's own view.
pub(crate) fn check(conn: &Connection, table: &str, fks: &[ForeignKey]) -> Result<(), SqliteError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete \
         FROM pragma_foreign_key_list(?1, 'main') ORDER BY id, seq",
    )?;
    let mut rows = stmt.query([table])?;
    let mut by_id: BTreeMap<i64, PragmaFk> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let fk = by_id.entry(row.get(0)?).or_default();
        fk.parent = row.get(1)?;
        fk.columns.push(row.get(2)?);
        if let Some(to) = row.get::<_, Option<String>>(3)? {
            fk.ref_columns.push(to);
        }
        fk.on_update = row.get(4)?;
        fk.on_delete = row.get(5)?;
    }
    let mut from_pragma: Vec<String> =
        by_id.values().map(|f| signature(&f.columns, &f.parent, &f.ref_columns, &f.on_update, &f.on_delete)).collect();
    let mut from_ddl: Vec<String> = fks
        .iter()
        .map(|f| {
            let update = f.on_update.as_sql();
            signature(&f.columns, &f.ref_table.name, &f.ref_columns, update, f.on_delete.as_sql())
        })
        .collect();
    from_pragma.sort();
    from_ddl.sort();
    if from_pragma == from_ddl {
        Ok(())
    } else {
        Err(SqliteError::Parse {
            object: format!("table {table}"),
            message: format!(
                "foreign keys read from the DDL ({}) differ from PRAGMA foreign_key_list ({})",
                from_ddl.join("; "),
                from_pragma.join("; ")
            ),
        })
    }
}
