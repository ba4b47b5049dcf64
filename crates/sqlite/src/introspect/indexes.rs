//! Explicit indexes: the CREATE INDEX text merged with `index_xinfo`, which
//! tells column parts (canonical name) from expression parts (cid -2).

use rusqlite::Connection;
use schemasync_model::{Index, IndexPart, IndexTarget};

use crate::SqliteError;
use crate::ddl_parser::create_index::parse_create_index;

/// One key column of `pragma_index_xinfo`.
#[derive(Debug)]
struct KeyColumn {
    cid: i64,
    name: Option<String>,
    descending: bool,
}

fn parse_error(index: &str, message: impl Into<String>) -> SqliteError {
    SqliteError::Parse { object: format!("index {index}"), message: message.into() }
}

/// Read an explicit index (one with stored SQL).
pub(crate) fn read_index(conn: &Connection, name: &str, sql: &str) -> Result<Index, SqliteError> {
    let def = parse_create_index(sql).map_err(|e| parse_error(name, e.message))?;
    let mut stmt = conn.prepare_cached(
        "SELECT cid, name, \"desc\" FROM pragma_index_xinfo(?1, 'main') WHERE \"key\" = 1 ORDER BY seqno",
    )?;
    let keys = stmt
        .query_map([name], |row| Ok(KeyColumn { cid: row.get(0)?, name: row.get(1)?, descending: row.get(2)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    if keys.len() != def.parts.len() {
        return Err(parse_error(
            name,
            format!("found {} key parts in the DDL but SQLite reports {}", def.parts.len(), keys.len()),
        ));
    }
    let parts = def
        .parts
        .into_iter()
        .zip(keys)
        .map(|(part, key)| {
            let target = match key.name {
                Some(column) if key.cid >= 0 => IndexTarget::Column(column),
                _ => IndexTarget::Expression(part.text),
            };
            IndexPart { target, descending: key.descending, collation: part.collation, ..IndexPart::column("") }
        })
        .collect();
    Ok(Index { unique: def.unique, parts, predicate: def.predicate, ..Index::on_columns(name, Vec::<String>::new()) })
}
