//! Reading a `.sql` schema script exactly: SQLite itself runs it in a private
//! in-memory database, then that database is introspected.

use rusqlite::Connection;
use rusqlite::limits::Limit;

use crate::{Introspection, SqliteError, introspect};

/// Run `sql` in a fresh in-memory database and introspect the result.
pub fn load_sql(sql: &str) -> Result<Introspection, SqliteError> {
    let conn = Connection::open_in_memory()?;
    // A schema script has no business touching files: ATTACH could create one.
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0)?;
    // Seed rows may come in any order relative to their parents; only the schema matters here.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    conn.execute_batch(sql).map_err(|e| SqliteError::Script { message: e.to_string() })?;
    introspect(&conn)
}
