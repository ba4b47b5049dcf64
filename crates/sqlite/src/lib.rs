//! SQLite engine for schemasync: open a database file, read its schema into
//! the model (everything SQLite has: tables with generated columns,
//! collations, AUTOINCREMENT, STRICT, WITHOUT ROWID, virtual tables; partial
//! and expression indexes; views; triggers), read a `.sql` schema script
//! exactly by running it in memory, and apply a script in one transaction.
//!
//! ```
//! let found = schemasync_sqlite::load_sql(
//!     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL DEFAULT '');
//!      CREATE INDEX users_email ON users (email);",
//! )?;
//! let users = &found.schema.tables[&"users".into()];
//! assert_eq!(users.columns[1].default.as_deref(), Some("''"));
//! assert!(users.indexes.contains_key("users_email"));
//! # Ok::<(), schemasync_sqlite::SqliteError>(())
//! ```
//!
//! # Text kept in the model, and how to write it back
//!
//! Expression texts are taken from the stored DDL and passed through
//! [`normalize_sql_text`] (tokens kept as written, whitespace and comments
//! collapsed). Writing them back verbatim in these forms reads back the same
//! schema (`tests/roundtrip.rs` holds a reference renderer):
//!
//! - column: `"name" <data_type> [NOT NULL] [DEFAULT <default>] [COLLATE "<collation>"]
//!   [GENERATED ALWAYS AS (<expr>) STORED|VIRTUAL]`; `default` keeps its
//!   parentheses (`(datetime('now'))`), `data_type` may be empty;
//! - `[CONSTRAINT "n"] PRIMARY KEY ("a", ...)`, with ` AUTOINCREMENT` after the
//!   single column when that column has `auto_increment`
//!   (`PRIMARY KEY ("id" AUTOINCREMENT)` or column-level `PRIMARY KEY AUTOINCREMENT`);
//! - `[CONSTRAINT "n"] UNIQUE (...)`, `[CONSTRAINT "n"] CHECK (<expr>)`,
//!   `[CONSTRAINT "n"] FOREIGN KEY (...) REFERENCES "p" [(...)] [ON DELETE x] [ON UPDATE x]
//!   [DEFERRABLE INITIALLY DEFERRED|IMMEDIATE]`;
//! - table options after `)`: `WITHOUT ROWID`, `STRICT`, comma-separated;
//!   virtual tables: `CREATE VIRTUAL TABLE "t" USING <virtual_using>`;
//! - index parts: `"col"` or `<expr>` or `(<expr>)` (enclosing parentheses of
//!   a whole part are dropped on reading), then `[COLLATE "c"] [DESC]`;
//!   `WHERE <predicate>`;
//! - `CREATE VIEW "v" [("a", ...)] AS <definition>`;
//! - `CREATE TRIGGER "t" BEFORE|AFTER|INSTEAD OF INSERT|DELETE|UPDATE [OF "a", ...]
//!   ON "x" FOR EACH ROW [WHEN <when>] <body>` (`body` is `BEGIN ... END`).
//!
//! Names in the model are raw (unquoted); column names in constraints, FK
//! parents and trigger tables use the declared spelling, since SQLite matches
//! them ASCII case-insensitively.
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod apply;
mod ddl_parser;
mod error;
mod introspect;
mod load;
mod normalize;
mod observe;
mod open;

pub use apply::{ApplyReport, apply};
pub use error::SqliteError;
pub use introspect::{Introspection, SkippedObject, introspect};
pub use load::load_sql;
pub use normalize::normalize_sql_text;
pub use open::open;

/// Entry points for `fuzz/` only, not a public API: the DDL parsers are
/// internal, and fuzzing them through `introspect` alone would only reach the
/// statements SQLite itself accepts.
#[doc(hidden)]
pub mod fuzzing {
    use crate::ddl_parser::{create_index, create_table, create_trigger, create_view, create_virtual};

    /// Run every DDL parser on `sql`, discarding the results.
    pub fn parse_ddl(sql: &str) {
        let _ = create_table::parse_create_table(sql);
        let _ = create_index::parse_create_index(sql);
        let _ = create_view::parse_create_view(sql);
        let _ = create_trigger::parse_create_trigger(sql);
        let _ = create_virtual::is_virtual_table(sql);
        let _ = create_virtual::parse_create_virtual(sql);
    }
}

/// The driver version this crate is built against.
pub use rusqlite;
