//! Generated schemas for the benchmarks.

use std::fmt::Write as _;

/// DDL for `tables` SQLite tables. With `variant`, every tenth table differs:
/// one gains a column, the next loses its index, the next is replaced by a
/// differently named table (10% of tables differ in all).
pub fn sqlite_ddl(tables: usize, variant: bool) -> String {
    let mut sql = String::with_capacity(tables * 400);
    for i in 0..tables {
        let changed = variant && i % 10 == 0;
        let kind = (i / 10) % 3;
        let name = if changed && kind == 2 { format!("t{i}_renamed") } else { format!("t{i}") };
        let _ = write!(
            sql,
            "CREATE TABLE {name} (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL,\n  amount NUMERIC(10,2) NOT NULL DEFAULT 0 CHECK (amount >= 0),\n  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  note TEXT COLLATE NOCASE"
        );
        if i > 0 {
            let parent = if variant && (i - 1) % 10 == 0 && ((i - 1) / 10) % 3 == 2 {
                format!("t{}_renamed", i - 1)
            } else {
                format!("t{}", i - 1)
            };
            let _ = write!(sql, ",\n  parent_id INTEGER REFERENCES {parent} (id) ON DELETE SET NULL");
        }
        if changed && kind == 0 {
            sql.push_str(",\n  extra TEXT");
        }
        sql.push_str("\n);\n");
        if !(changed && kind == 1) {
            let _ = writeln!(sql, "CREATE INDEX {name}_name ON {name} (name, created_at);");
        }
        if i % 50 == 0 {
            let _ = writeln!(sql, "CREATE VIEW {name}_v AS SELECT id, name FROM {name} WHERE amount > 0;");
        }
    }
    sql
}

/// The schema of that DDL, read through an in-memory SQLite database.
///
/// # Panics
/// If the generated DDL does not load (a bug in the generator).
pub fn sqlite_schema(tables: usize, variant: bool) -> schemasync_model::Schema {
    schemasync_sqlite::load_sql(&sqlite_ddl(tables, variant)).expect("generated DDL loads").schema
}
