//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rusqlite::Connection;
use schemasync_model::{QualifiedName, Schema, Table};
use schemasync_sqlite::{Introspection, introspect, load_sql};

/// Load a script, failing the test with SQLite's message.
pub fn load(sql: &str) -> Introspection {
    match load_sql(sql) {
        Ok(found) => found,
        Err(e) => panic!("load_sql failed: {e}"),
    }
}

/// Introspect a connection, failing the test on error.
pub fn inspect(conn: &Connection) -> Introspection {
    match introspect(conn) {
        Ok(found) => found,
        Err(e) => panic!("introspect failed: {e}"),
    }
}

/// The table with this name.
pub fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    match schema.tables.get(&QualifiedName::bare(name)) {
        Some(t) => t,
        None => panic!("no table {name:?} in {:?}", schema.tables.keys().collect::<Vec<_>>()),
    }
}
