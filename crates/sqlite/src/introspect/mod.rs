//! Reading the schema of the `main` database of a connection into the model.
//! TEMP objects and attached databases are ignored.

mod catalog;
mod foreign_keys;
mod indexes;
mod names;
mod snapshot;
mod tables;
mod triggers;
mod views;

use std::collections::HashMap;
use std::time::Instant;

use rusqlite::Connection;
use schemasync_model::{Dialect, QualifiedName, Schema};

use crate::SqliteError;
use crate::ddl_parser::create_virtual::is_virtual_table;
use catalog::{MasterRow, is_internal, read_master, read_table_kinds, shadow_owner, virtual_tables};
use names::{Names, canonical_column};

/// The schema read from a database, and the objects deliberately left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introspection {
    /// The schema (dialect SQLite, all names without namespace), normalized.
    pub schema: Schema,
    /// Objects not modelled, with the reason.
    pub skipped: Vec<SkippedObject>,
}

/// An object present in the database but not in the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedObject {
    /// Its name.
    pub name: String,
    /// Why it is not modelled (`SQLite internal`, `shadow table of virtual table docs`).
    pub reason: String,
}

impl SkippedObject {
    fn new(name: &str, reason: impl Into<String>) -> Self {
        SkippedObject { name: name.to_owned(), reason: reason.into() }
    }
}

/// Read the schema of the connection's `main` database.
pub fn introspect(conn: &Connection) -> Result<Introspection, SqliteError> {
    tracing::info_span!("introspect", engine = "sqlite").in_scope(|| {
        let started = Instant::now();
        let found = read_schema(conn)?;
        crate::observe::introspected(&found.schema, found.skipped.len(), started);
        Ok(found)
    })
}

fn read_schema(conn: &Connection) -> Result<Introspection, SqliteError> {
    let _snapshot = snapshot::ReadSnapshot::begin(conn);
    let rows = read_master(conn)?;
    let kinds = read_table_kinds(conn)?;
    let virtuals = virtual_tables(&rows);
    let mut schema = Schema::new(Dialect::Sqlite);
    let mut skipped = Vec::new();
    // Lowercased name of each skipped table, so its indexes and triggers are skipped too.
    let mut skipped_tables: HashMap<String, String> = HashMap::new();
    let mut names = Names::default();

    for row in rows.iter().filter(|r| r.kind == "table") {
        let reason = if is_internal(&row.name) {
            Some("SQLite internal".to_owned())
        } else {
            shadow_owner(&row.name, kinds.get(&row.name).map(String::as_str), &virtuals)
                .map(|owner| format!("shadow table of virtual table {owner}"))
        };
        if let Some(reason) = reason {
            skipped_tables.insert(row.name.to_ascii_lowercase(), row.name.clone());
            skipped.push(SkippedObject::new(&row.name, reason));
            continue;
        }
        let sql = required_sql(row)?;
        let table = if is_virtual_table(sql) {
            tables::read_virtual_table(conn, &row.name, sql)?
        } else {
            tables::read_table(conn, &row.name, sql)?
        };
        names.add_table(&row.name);
        schema.tables.insert(table.name.clone(), table);
    }
    for row in rows.iter().filter(|r| r.kind == "view") {
        names.add_view(&row.name);
    }
    for row in rows.iter().filter(|r| r.kind == "view") {
        let view = views::read_view(&row.name, required_sql(row)?, &names)?;
        schema.views.insert(view.name.clone(), view);
    }
    for row in rows.iter().filter(|r| r.kind == "index") {
        // Indexes without SQL back PRIMARY KEY and UNIQUE constraints.
        let Some(sql) = row.sql.as_deref() else { continue };
        if let Some(table) = skipped_tables.get(&row.tbl_name.to_ascii_lowercase()) {
            skipped.push(SkippedObject::new(&row.name, format!("index on skipped table {table}")));
            continue;
        }
        let index = indexes::read_index(conn, &row.name, sql)?;
        let table_name = QualifiedName::bare(names.canonical(&row.tbl_name));
        let table = schema.tables.get_mut(&table_name).ok_or_else(|| SqliteError::Parse {
            object: format!("index {}", row.name),
            message: format!("its table {} was not found", row.tbl_name),
        })?;
        table.indexes.insert(index.name.clone(), index);
    }
    for row in rows.iter().filter(|r| r.kind == "trigger") {
        if let Some(table) = skipped_tables.get(&row.tbl_name.to_ascii_lowercase()) {
            skipped.push(SkippedObject::new(&row.name, format!("trigger on skipped table {table}")));
            continue;
        }
        let on = QualifiedName::bare(names.canonical(&row.tbl_name));
        let columns: Vec<String> = match (schema.tables.get(&on), schema.views.get(&on)) {
            (Some(t), _) => t.columns.iter().map(|c| c.name.clone()).collect(),
            (None, Some(v)) => v.columns.clone(),
            (None, None) => Vec::new(),
        };
        let trigger = triggers::read_trigger(&row.name, required_sql(row)?, &columns, &names)?;
        schema.triggers.insert((trigger.table.clone(), trigger.name.clone()), trigger);
    }
    canonicalize_references(&mut schema, &names);
    schema.normalize();
    Ok(Introspection { schema, skipped })
}

fn required_sql(row: &MasterRow) -> Result<&str, SqliteError> {
    row.sql.as_deref().ok_or_else(|| SqliteError::Parse {
        object: format!("{} {}", row.kind, row.name),
        message: "sqlite_master has no SQL for it".to_owned(),
    })
}

/// Foreign keys name their parent as written; use the parent's own spelling
/// of its name and columns (SQLite matches them case-insensitively).
fn canonicalize_references(schema: &mut Schema, names: &Names) {
    let columns_of: HashMap<QualifiedName, Vec<String>> = schema
        .tables
        .iter()
        .map(|(name, table)| (name.clone(), table.columns.iter().map(|c| c.name.clone()).collect()))
        .collect();
    for table in schema.tables.values_mut() {
        for fk in &mut table.foreign_keys {
            fk.ref_table = QualifiedName::bare(names.canonical(&fk.ref_table.name));
            if let Some(parent_columns) = columns_of.get(&fk.ref_table) {
                let canon = |c: &String| canonical_column(parent_columns.iter().map(String::as_str), c);
                fk.ref_columns = fk.ref_columns.iter().map(canon).collect();
            }
        }
    }
}
