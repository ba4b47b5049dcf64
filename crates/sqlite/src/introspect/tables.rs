//! Tables: the CREATE TABLE text merged with `table_xinfo` and checked
//! against `foreign_key_list`.

use rusqlite::Connection;
use schemasync_model::{Column, QualifiedName, Table, TableOptions};

use super::names::canonical_column;
use crate::SqliteError;
use crate::ddl_parser::create_table::parse_create_table;
use crate::ddl_parser::create_virtual::parse_create_virtual;

/// One row of `pragma_table_xinfo`.
#[derive(Debug)]
struct XInfo {
    name: String,
    data_type: String,
    not_null: bool,
    hidden: i64,
}

fn xinfo(conn: &Connection, table: &str) -> rusqlite::Result<Vec<XInfo>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, type, \"notnull\", hidden FROM pragma_table_xinfo(?1, 'main') ORDER BY cid")?;
    let rows = stmt.query_map([table], |row| {
        Ok(XInfo { name: row.get(0)?, data_type: row.get(1)?, not_null: row.get(2)?, hidden: row.get(3)? })
    })?;
    rows.collect()
}

fn parse_error(table: &str, message: impl Into<String>) -> SqliteError {
    SqliteError::Parse { object: format!("table {table}"), message: message.into() }
}

/// Read an ordinary table.
pub(crate) fn read_table(conn: &Connection, name: &str, sql: &str) -> Result<Table, SqliteError> {
    let def = parse_create_table(sql).map_err(|e| parse_error(name, e.message))?;
    let info = xinfo(conn, name)?;
    if info.len() != def.columns.len() {
        return Err(parse_error(
            name,
            format!("found {} columns in the DDL but SQLite reports {}", def.columns.len(), info.len()),
        ));
    }
    let mut table = Table::new(QualifiedName::bare(name));
    for (col, pragma) in def.columns.into_iter().zip(info) {
        if col.name != pragma.name {
            return Err(parse_error(name, format!("column {:?} read as {:?}", pragma.name, col.name)));
        }
        if col.generated.is_some() != matches!(pragma.hidden, 2 | 3) {
            return Err(parse_error(name, format!("generated column {:?} misread", col.name)));
        }
        table.columns.push(Column {
            nullable: !pragma.not_null,
            // The clause belongs to a NOT NULL constraint; without one it
            // has nothing to apply to.
            not_null_on_conflict: col.not_null_on_conflict.filter(|_| pragma.not_null),
            default: col.default,
            collation: col.collation,
            generated: col.generated,
            ..Column::new(col.name, col.data_type)
        });
    }
    let column_names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let canon = |n: &String| canonical_column(column_names.iter().map(String::as_str), n);
    if let Some(mut pk) = def.primary_key {
        pk.columns = pk.columns.iter().map(canon).collect();
        if let (true, [only]) = (def.autoincrement, pk.columns.as_slice()) {
            for col in table.columns.iter_mut().filter(|c| &c.name == only) {
                col.auto_increment = true;
            }
        }
        table.primary_key = Some(pk);
    }
    table.uniques = def.uniques;
    for unique in &mut table.uniques {
        unique.columns = unique.columns.iter().map(canon).collect();
    }
    table.checks = def.checks;
    table.foreign_keys = def.foreign_keys;
    for fk in &mut table.foreign_keys {
        fk.columns = fk.columns.iter().map(canon).collect();
    }
    super::foreign_keys::check(conn, name, &table.foreign_keys)?;
    table.options = TableOptions::Sqlite { strict: def.strict, without_rowid: def.without_rowid, virtual_using: None };
    Ok(table)
}

/// Read a virtual table: its `USING` clause and the visible columns the module declares.
pub(crate) fn read_virtual_table(conn: &Connection, name: &str, sql: &str) -> Result<Table, SqliteError> {
    let def = parse_create_virtual(sql).map_err(|e| parse_error(name, e.message))?;
    let mut table = Table::new(QualifiedName::bare(name));
    // Without the module (not compiled in) SQLite cannot list the columns;
    // the USING clause alone still identifies the table.
    let info = xinfo(conn, name).unwrap_or_default();
    for pragma in info.into_iter().filter(|c| c.hidden == 0) {
        table.columns.push(Column { nullable: !pragma.not_null, ..Column::new(pragma.name, pragma.data_type) });
    }
    table.options = TableOptions::Sqlite { strict: false, without_rowid: false, virtual_using: Some(def.using) };
    Ok(table)
}
