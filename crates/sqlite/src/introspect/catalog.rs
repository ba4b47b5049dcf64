//! Reading `sqlite_master` and `PRAGMA table_list`, and deciding which tables
//! are SQLite's own or shadow tables of a virtual table.

use std::collections::HashMap;

use rusqlite::{Connection, ErrorCode};

use crate::SqliteError;
use crate::ddl_parser::create_virtual::{is_virtual_table, parse_create_virtual};

/// One row of `sqlite_master`.
#[derive(Debug, Clone)]
pub(crate) struct MasterRow {
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) tbl_name: String,
    pub(crate) sql: Option<String>,
}

/// The `main` database's schema rows, in creation order.
pub(crate) fn read_master(conn: &Connection) -> Result<Vec<MasterRow>, SqliteError> {
    let mut stmt = conn.prepare_cached("SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY rowid")?;
    let rows = stmt.query_map([], |row| {
        Ok(MasterRow { kind: row.get(0)?, name: row.get(1)?, tbl_name: row.get(2)?, sql: row.get(3)? })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// `PRAGMA table_list` type per table name of `main` (`table`, `view`,
/// `virtual`, `shadow`). Empty when the pragma cannot run (older SQLite, or a
/// schema object it cannot resolve); the name-based rules of
/// [`shadow_owner`] then still apply.
pub(crate) fn read_table_kinds(conn: &Connection) -> Result<HashMap<String, String>, SqliteError> {
    let read = || -> rusqlite::Result<HashMap<String, String>> {
        let mut stmt = conn.prepare_cached("SELECT name, type FROM pragma_table_list() WHERE schema = 'main'")?;
        let rows = stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        rows.collect()
    };
    match read() {
        Ok(map) => Ok(map),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::Unknown) => Ok(HashMap::new()),
        Err(e) => Err(e.into()),
    }
}

/// Whether a name is reserved for SQLite's own tables.
pub(crate) fn is_internal(name: &str) -> bool {
    name.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("sqlite_"))
}

/// Shadow table suffixes of the virtual table modules SQLite ships, for when
/// the module is not loaded and `table_list` cannot tell.
fn known_shadow_suffixes(module: &str) -> &'static [&'static str] {
    match module {
        "fts5" => &["data", "idx", "content", "docsize", "config"],
        "fts3" | "fts4" => &["content", "segments", "segdir", "docsize", "stat"],
        "rtree" | "rtree_i32" | "geopoly" => &["node", "parent", "rowid"],
        _ => &[],
    }
}

/// Virtual tables of the schema: name and lowercase module name.
pub(crate) fn virtual_tables(rows: &[MasterRow]) -> Vec<(String, String)> {
    rows.iter()
        .filter(|r| r.kind == "table")
        .filter_map(|r| r.sql.as_deref().filter(|s| is_virtual_table(s)).map(|s| (r, s)))
        .filter_map(|(r, sql)| parse_create_virtual(sql).ok().map(|def| (r.name.clone(), def.module)))
        .collect()
}

/// The virtual table that `name` is a shadow table of, if any.
pub(crate) fn shadow_owner<'a>(
    name: &str,
    kind_from_pragma: Option<&str>,
    virtuals: &'a [(String, String)],
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let owner_prefix = |vtab: &str| {
        let prefix = format!("{}_", vtab.to_ascii_lowercase());
        lower.strip_prefix(&prefix).map(str::to_owned)
    };
    let mut best: Option<&'a str> = None;
    for (vtab, module) in virtuals {
        let Some(suffix) = owner_prefix(vtab) else { continue };
        let by_pragma = kind_from_pragma == Some("shadow");
        let by_name = known_shadow_suffixes(module).contains(&suffix.as_str());
        if (by_pragma || by_name) && best.is_none_or(|b| b.len() < vtab.len()) {
            best = Some(vtab);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_names() {
        assert!(is_internal("sqlite_sequence"));
        assert!(is_internal("SQLITE_stat1"));
        assert!(!is_internal("sqlite"));
        assert!(!is_internal("äsqlite_x"));
    }

    #[test]
    fn shadow_tables_by_name() {
        let v = vec![("docs".to_owned(), "fts5".to_owned()), ("docs_x".to_owned(), "custom".to_owned())];
        assert_eq!(shadow_owner("docs_data", None, &v), Some("docs"));
        assert_eq!(shadow_owner("Docs_Config", None, &v), Some("docs"));
        assert_eq!(shadow_owner("docs_other", None, &v), None);
        assert_eq!(shadow_owner("docs_x_y", Some("shadow"), &v), Some("docs_x"));
        assert_eq!(shadow_owner("other", Some("shadow"), &v), None);
    }
}
