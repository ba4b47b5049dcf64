//! The SQL the SQLite emitter writes runs on SQLite and does what it says.

mod support;

use rusqlite::{Connection, params};
use schemasync_diff::{Change, ColumnPosition, DiffOptions, PlannedChange, TableOp, diff};
use schemasync_emit::{emit_plan, emit_schema};
use schemasync_model::{
    Column, ConflictResolution, Dialect, QualifiedName, Schema, Table, TriggerEvent, TriggerTiming,
};
use support::*;

/// Apply a script the way the SQLite engine does: foreign keys off around the
/// transaction when the script rebuilds tables, and a foreign key check
/// before commit.
fn apply(conn: &Connection, changes: Vec<PlannedChange>) {
    let script = emit_plan(&plan(changes)).expect("renders");
    if script.disable_foreign_keys {
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    }
    conn.execute_batch("BEGIN").unwrap();
    for statement in &script.statements {
        if let Err(e) = conn.execute_batch(&statement.sql) {
            panic!("{e}\nwhile running:\n{}", statement.sql);
        }
    }
    let violations: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(violations, 0, "foreign key violations after:\n{}", script.to_sql());
    conn.execute_batch("COMMIT; PRAGMA foreign_keys = ON").unwrap();
}

fn connect() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn index_names(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_index_list(?1) WHERE origin = 'c' ORDER BY name").unwrap();
    stmt.query_map([table], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn library(conn: &Connection) {
    apply(conn, vec![change(create(authors())), change(create(books()))]);
}

#[test]
fn tables_with_every_constraint_kind_are_created_and_enforced() {
    let conn = connect();
    library(&conn);
    conn.execute("INSERT INTO authors (name) VALUES ('Ann')", []).unwrap();
    conn.execute("INSERT INTO books (id, author_id, title, price) VALUES (1, 1, 'Dune', 9.5)", []).unwrap();

    // Defaults, generated columns and the AUTOINCREMENT sequence.
    let (slug, len, payload, created): (String, i64, Vec<u8>, Option<String>) = conn
        .query_row("SELECT slug, title_len, payload, created FROM books WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!((slug.as_str(), len, payload, created.is_some()), ("dune", 4, vec![0x00, 0xff], true));
    assert_eq!(count(&conn, "SELECT count(*) FROM sqlite_sequence WHERE name = 'authors'"), 1);
    assert_eq!(count(&conn, "SELECT count(*) FROM books WHERE stamp IS NOT NULL AND title_len = 4"), 1);

    // CHECK, UNIQUE (with the column's NOCASE collation), FOREIGN KEY, NOT NULL.
    assert!(conn.execute("INSERT INTO books (id, price) VALUES (2, -1)", []).is_err());
    assert!(conn.execute("INSERT INTO authors (name) VALUES ('ANN')", []).is_err());
    assert!(conn.execute("INSERT INTO books (id, author_id) VALUES (3, 99)", []).is_err());
    assert!(conn.execute("INSERT INTO books (id, title, author_id) VALUES (4, 'Dune', 1)", []).is_err());
    assert!(conn.execute("INSERT INTO authors (name) VALUES (NULL)", []).is_err());
    // ON DELETE CASCADE.
    conn.execute("DELETE FROM authors", []).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM books"), 0);
}

#[test]
fn strict_without_rowid_virtual_and_implicit_key_references_run() {
    let conn = connect();
    library(&conn);
    let mut pairs = Table::new("pairs")
        .with_column(Column::new("a", "INTEGER").not_null())
        .with_column(Column::new("b", "TEXT").not_null())
        .with_primary_key(["a", "b"]);
    pairs.options = sqlite_options(true, true, None);
    let notes =
        Table::new("notes").with_column(Column::new("book", "INTEGER")).with_foreign_key(fk(&["book"], "books", &[]));
    let mut docs = Table::new("docs");
    docs.options = sqlite_options(false, false, Some("fts5(title, body)"));
    apply(&conn, vec![change(create(pairs)), change(create(notes)), change(create(docs))]);

    assert!(conn.execute("INSERT INTO pairs VALUES ('x', 'y')", []).is_err(), "STRICT rejects text in INTEGER");
    conn.execute("INSERT INTO pairs VALUES (1, 'y')", []).unwrap();
    assert!(conn.execute("INSERT INTO notes VALUES (42)", []).is_err(), "references books' primary key");
    conn.execute("INSERT INTO docs VALUES ('t', 'hello world')", []).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM docs WHERE docs MATCH 'hello'"), 1);
}

#[test]
fn indexes_views_and_triggers_run() {
    let conn = connect();
    library(&conn);
    let mut idx = index("books_by_title", &["title"]).unique().where_("price > 0");
    idx.parts[0].collation = Some("NOCASE".into());
    idx.parts.push(expression_part("lower(slug)"));
    let mut v = view("cheap books", "SELECT id, title FROM books WHERE price < 10");
    v.columns = vec!["book id".into(), "title".into()];
    let mut touch = trigger(
        "books",
        "books_touch",
        TriggerTiming::After,
        TriggerEvent::Update,
        "BEGIN\n  UPDATE books SET created = 'touched' WHERE id = NEW.id;\nEND",
    );
    touch.update_columns = vec!["title".into()];
    touch.when = Some("OLD.title IS NOT NEW.title".into());
    let insert_via_view = trigger(
        "cheap books",
        "cheap insert",
        TriggerTiming::InsteadOf,
        TriggerEvent::Insert,
        "BEGIN INSERT INTO books (id, title, price) VALUES (NEW.\"book id\", NEW.title, 1); END",
    );
    apply(
        &conn,
        vec![
            change(Change::CreateIndex { table: QualifiedName::bare("books"), index: idx.clone() }),
            change(Change::CreateView(v.clone())),
            change(Change::CreateTrigger(touch.clone())),
            change(Change::CreateTrigger(insert_via_view.clone())),
        ],
    );
    conn.execute("INSERT INTO \"cheap books\" VALUES (7, 'Emma')", []).unwrap();
    assert!(conn.execute("INSERT INTO books (id, title, price) VALUES (8, 'EMMA', 2)", []).is_err());
    conn.execute("UPDATE books SET title = 'Persuasion' WHERE id = 7", []).unwrap();
    let created: String = conn.query_row("SELECT created FROM books WHERE id = 7", [], |r| r.get(0)).unwrap();
    assert_eq!(created, "touched");

    apply(
        &conn,
        vec![
            change(Change::DropTrigger(insert_via_view)),
            change(Change::DropTrigger(touch)),
            change(Change::DropView(v)),
            change(Change::DropIndex { table: QualifiedName::bare("books"), index: idx }),
        ],
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM sqlite_schema WHERE type IN ('view', 'trigger', 'index') AND sql IS NOT NULL"
        ),
        0
    );
}

#[test]
fn alter_table_operations_run() {
    let conn = connect();
    library(&conn);
    conn.execute("INSERT INTO books (id, title) VALUES (1, 'Dune')", []).unwrap();
    let ops = vec![
        TableOp::AddColumn {
            column: Column::new("email", "TEXT").not_null().default_expr("'none'").collate("NOCASE"),
            position: ColumnPosition::Last,
        },
        TableOp::AddColumn {
            column: Column::new("seen", "INTEGER").default_expr("-2"),
            position: ColumnPosition::Last,
        },
        TableOp::DropColumn(Column::new("payload", "BLOB")),
        TableOp::RenameColumn { from: "anything".into(), to: "whatever".into() },
    ];
    apply(&conn, vec![change(Change::AlterTable { table: QualifiedName::bare("books"), ops })]);
    let (email, seen): (String, i64) =
        conn.query_row("SELECT email, seen FROM books", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((email.as_str(), seen), ("none", -2));
    assert!(conn.prepare("SELECT payload FROM books").is_err());
    conn.prepare("SELECT whatever FROM books").unwrap();
}

#[test]
fn rebuild_keeps_rows_and_recreates_indexes() {
    let conn = connect();
    let mut reviews = Table::new("reviews")
        .with_column(Column::new("id", "INTEGER").not_null())
        .with_column(Column::new("book_id", "INTEGER").not_null())
        .with_primary_key(["id"]);
    reviews.foreign_keys.push(fk(&["book_id"], "books", &["id"]));
    let old_books = books().with_index(index("books_by_title", &["title"]));
    apply(&conn, vec![change(create(authors())), change(create(old_books.clone())), change(create(reviews))]);
    conn.execute("INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bob')", []).unwrap();
    for (id, author, price) in [(1, 1, Some(5.0)), (2, 2, None), (3, 1, Some(12.0))] {
        conn.execute(
            "INSERT INTO books (id, author_id, title, price, payload) VALUES (?1, ?2, ?3, ?4, X'01')",
            params![id, author, format!("Book {id}"), price],
        )
        .unwrap();
    }
    conn.execute("INSERT INTO reviews VALUES (10, 2), (11, 3)", []).unwrap();
    let cheap = view("cheap", "SELECT id FROM books WHERE price < 10");
    let guard = trigger("books", "guard", TriggerTiming::Before, TriggerEvent::Delete, "BEGIN SELECT 1; END");
    apply(&conn, vec![change(Change::CreateView(cheap.clone())), change(Change::CreateTrigger(guard.clone()))]);

    let mut new_books = old_books.clone();
    new_books.remove_column("payload");
    new_books.columns.push(Column::new("isbn", "TEXT"));
    if let Some(price) = new_books.column_mut("price") {
        price.nullable = false;
        price.default = Some("0".into());
    }
    new_books.indexes.clear();
    new_books = new_books
        .with_index(index("books_by_isbn", &["isbn"]).unique())
        .with_index(index("books_by_author", &["author_id"]));
    // The differ drops dependents before the rebuild and recreates them after.
    apply(
        &conn,
        vec![
            change(Change::DropTrigger(guard.clone())),
            change(Change::DropView(cheap.clone())),
            change(Change::RebuildTable { from: old_books, to: new_books }),
            change(Change::CreateView(cheap)),
            change(Change::CreateTrigger(guard)),
        ],
    );

    let mut stmt = conn.prepare("SELECT id, author_id, title, price, slug, isbn FROM books ORDER BY id").unwrap();
    let rows: Vec<(i64, i64, String, f64, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        [
            (1, 1, "Book 1".into(), 5.0, "book 1".into(), None),
            (2, 2, "Book 2".into(), 0.0, "book 2".into(), None),
            (3, 1, "Book 3".into(), 12.0, "book 3".into(), None),
        ]
    );
    assert_eq!(index_names(&conn, "books"), ["books_by_author", "books_by_isbn"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '_schemasync_new_%'"), 0);
    assert_eq!(count(&conn, "SELECT count(*) FROM cheap"), 2);
    // References into the rebuilt table still resolve and are still enforced.
    assert_eq!(count(&conn, "SELECT count(*) FROM reviews JOIN books ON books.id = reviews.book_id"), 2);
    assert!(conn.execute("INSERT INTO reviews VALUES (12, 99)", []).is_err());
    assert!(
        conn.execute("INSERT INTO books (id, author_id, title) VALUES (4, 99, 'x')", []).is_err(),
        "author_id FK kept"
    );
}

#[test]
fn hostile_identifiers_survive_every_statement_kind() {
    let conn = connect();
    conn.execute_batch("CREATE TABLE x (id INTEGER)").unwrap();
    let column = "naïve 名前 \"q\"";
    let table = Table::new(HOSTILE)
        .with_column(Column::new("id", "INTEGER").not_null())
        .with_column(Column::new(column, "TEXT").default_expr("'it''s'"))
        .with_primary_key(["id"])
        .with_check(check(Some("chk; DROP TABLE x"), "id > 0"));
    let idx = index("idx; DROP TABLE x", &[column]);
    let v = view("v; DROP TABLE x", &format!("SELECT * FROM {}", Dialect::Sqlite.quote_ident(HOSTILE)));
    apply(
        &conn,
        vec![
            change(create(table.clone())),
            change(Change::CreateIndex { table: table.name.clone(), index: idx.clone() }),
            change(Change::AlterTable {
                table: table.name.clone(),
                ops: vec![
                    TableOp::AddColumn { column: Column::new("x\"y", "TEXT"), position: ColumnPosition::Last },
                    TableOp::RenameColumn { from: "x\"y".into(), to: "z]".into() },
                ],
            }),
        ],
    );
    conn.execute("INSERT INTO \"a\"\"b; DROP TABLE x\" (id) VALUES (1)", []).unwrap();

    let mut wanted = table.clone();
    wanted.columns.push(Column::new("z]", "TEXT"));
    wanted.columns.push(Column::new("extra", "TEXT"));
    wanted = wanted.with_index(idx);
    let mut current = table.clone();
    current.columns.push(Column::new("z]", "TEXT"));
    apply(
        &conn,
        vec![change(Change::RebuildTable { from: current, to: wanted.clone() }), change(Change::CreateView(v.clone()))],
    );
    let value: String =
        conn.query_row("SELECT \"naïve 名前 \"\"q\"\"\" FROM \"v; DROP TABLE x\"", [], |r| r.get(0)).unwrap();
    assert_eq!(value, "it's");
    assert_eq!(index_names(&conn, HOSTILE), ["idx; DROP TABLE x"]);

    apply(&conn, vec![change(Change::DropView(v)), change(Change::DropTable(wanted))]);
    assert_eq!(count(&conn, "SELECT count(*) FROM sqlite_schema"), 1, "only the bystander table x is left");
}

#[test]
fn rebuild_keeps_the_autoincrement_counter() {
    let conn = connect();
    apply(&conn, vec![change(create(authors()))]);
    conn.execute("INSERT INTO authors (name) VALUES ('a'), ('b'), ('c')", []).unwrap();
    conn.execute("DELETE FROM authors WHERE id = 3", []).unwrap();
    let mut wanted = authors();
    wanted.columns.push(Column::new("born", "INTEGER").default_expr("(1900)"));
    apply(&conn, vec![change(Change::RebuildTable { from: authors(), to: wanted })]);
    conn.execute("INSERT INTO authors (name) VALUES ('d')", []).unwrap();
    let id: i64 = conn.query_row("SELECT id FROM authors WHERE name = 'd'", [], |r| r.get(0)).unwrap();
    assert_eq!(id, 4, "id 3 was handed out before the rebuild and must not come back");
    assert_eq!(count(&conn, "SELECT count(*) FROM sqlite_sequence"), 1);
}

#[test]
fn emit_schema_creates_every_object() {
    let mut schema = Schema::new(Dialect::Sqlite);
    schema.add_table(books().with_index(index("books_by_title", &["title"]))).unwrap();
    schema.add_table(authors()).unwrap();
    schema.add_view(view("cheap", "SELECT id FROM books WHERE price < 10")).unwrap();
    schema
        .add_trigger(trigger("books", "guard", TriggerTiming::Before, TriggerEvent::Delete, "BEGIN SELECT 1; END"))
        .unwrap();
    let script = emit_schema(&schema).expect("renders");
    assert!(!script.disable_foreign_keys);
    let conn = connect();
    conn.execute_batch("BEGIN").unwrap();
    for statement in &script.statements {
        if let Err(e) = conn.execute_batch(&statement.sql) {
            panic!("{e}\nwhile running:\n{}", statement.sql);
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    let mut stmt =
        conn.prepare("SELECT type, name FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name").unwrap();
    let objects: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let objects: Vec<(&str, &str)> = objects.iter().map(|(t, n)| (t.as_str(), n.as_str())).collect();
    assert_eq!(
        objects,
        [
            ("index", "books_by_title"),
            ("table", "authors"),
            ("table", "books"),
            ("table", "sqlite_sequence"),
            ("trigger", "guard"),
            ("view", "cheap"),
        ]
    );
}

#[test]
fn emit_schema_of_an_empty_schema_is_empty() {
    assert!(emit_schema(&Schema::new(Dialect::Sqlite)).unwrap().is_empty());
}

/// Differ and emitter together: a change that needs a rebuild, a column
/// rename riding along and a view over the table, applied to a table with rows.
#[test]
fn diffed_rebuild_with_rename_keeps_rows() {
    let mut before = Schema::new(Dialect::Sqlite);
    before.add_table(authors()).unwrap();
    before.add_table(books().with_index(index("books_by_title", &["title"]))).unwrap();
    before.add_view(view("cheap", "SELECT id, title FROM books WHERE price < 10")).unwrap();
    let mut after = before.clone();
    if let Some(books) = after.table_mut(&QualifiedName::bare("books")) {
        books.checks.retain(|c| c.name.is_none());
        if let Some(price) = books.column_mut("price") {
            price.nullable = false;
        }
        if let Some(anything) = books.column_mut("anything") {
            anything.name = "renamed".into();
        }
    }
    let conn = connect();
    let script = emit_schema(&before).unwrap();
    conn.execute_batch(&script.to_sql()).unwrap();
    conn.execute_batch(
        "INSERT INTO authors (name) VALUES ('Ann');
         INSERT INTO books (id, author_id, title, price, anything) VALUES (1, 1, 'Dune', NULL, 'kept');",
    )
    .unwrap();

    let mut options = DiffOptions::default();
    options.column_renames.push((QualifiedName::bare("books"), "anything".into(), "renamed".into()));
    let plan = diff(&before, &after, &options).unwrap();
    let script = emit_plan(&plan).unwrap();
    assert!(script.disable_foreign_keys, "{}", script.to_sql());
    conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN").unwrap();
    for statement in &script.statements {
        if let Err(e) = conn.execute_batch(&statement.sql) {
            panic!("{e}\nwhile running:\n{}", statement.sql);
        }
    }
    assert_eq!(count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    conn.execute_batch("COMMIT; PRAGMA foreign_keys = ON").unwrap();

    let (price, renamed): (f64, String) =
        conn.query_row("SELECT price, renamed FROM books WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((price, renamed.as_str()), (0.0, "kept"));
    assert_eq!(index_names(&conn, "books"), ["books_by_title"]);
    assert_eq!(count(&conn, "SELECT count(*) FROM cheap"), 1);
}

#[test]
fn rebuild_keeps_implicit_rowids() {
    let conn = connect();
    let old = Table::new("notes").with_column(Column::new("body", "TEXT"));
    apply(&conn, vec![change(create(old.clone()))]);
    conn.execute_batch("INSERT INTO notes (body) VALUES ('a'), ('b'), ('c'); DELETE FROM notes WHERE body = 'a';")
        .unwrap();
    let mut new = old.clone();
    new.columns.insert(0, Column::new("tag", "TEXT"));
    apply(&conn, vec![change(Change::RebuildTable { from: old, to: new })]);
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT rowid, body FROM notes ORDER BY rowid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, [(2, "b".to_owned()), (3, "c".to_owned())]);
}

/// The clauses the emitter writes are the ones SQLite enforces: REPLACE on
/// NOT NULL falls back to the default, IGNORE on UNIQUE skips the row,
/// REPLACE on the primary key replaces it.
#[test]
fn conflict_clauses_are_enforced() {
    let conn = connect();
    let mut table = Table::new("t")
        .with_column(Column::new("id", "INTEGER"))
        .with_column(Column::new("code", "TEXT"))
        .with_column(Column::new("note", "TEXT").not_null().default_expr("'none'"))
        .with_primary_key(["id"]);
    if let Some(pk) = table.primary_key.as_mut() {
        pk.on_conflict = Some(ConflictResolution::Replace);
    }
    let mut code_unique = unique(None, &["code"]);
    code_unique.on_conflict = Some(ConflictResolution::Ignore);
    table.uniques.push(code_unique);
    if let Some(note) = table.column_mut("note") {
        note.not_null_on_conflict = Some(ConflictResolution::Replace);
    }
    apply(&conn, vec![change(create(table))]);
    conn.execute_batch(
        "INSERT INTO t VALUES (1, 'a', NULL);
         INSERT INTO t VALUES (2, 'a', 'skipped');
         INSERT INTO t VALUES (1, 'b', 'replaced');",
    )
    .unwrap();
    let rows: Vec<(i64, String, String)> = conn
        .prepare("SELECT id, code, note FROM t ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows, [(1, "b".to_owned(), "replaced".to_owned())]);
}

/// A rebuild into a table whose new UNIQUE skips conflicting rows must not
/// skip any while copying: the copy fails as it would without the clause.
#[test]
fn rebuild_copy_does_not_follow_the_new_conflict_clauses() {
    let conn = connect();
    let before = Table::new("t").with_column(Column::new("code", "TEXT"));
    apply(&conn, vec![change(create(before.clone()))]);
    conn.execute_batch("INSERT INTO t VALUES ('a'), ('a'), ('b')").unwrap();
    let mut after = before.clone();
    let mut code_unique = unique(None, &["code"]);
    code_unique.on_conflict = Some(ConflictResolution::Ignore);
    after.uniques.push(code_unique);
    let script = emit_plan(&plan(vec![change(Change::RebuildTable { from: before, to: after })])).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    let failed = script.statements.iter().find_map(|s| conn.execute_batch(&s.sql).err().map(|e| (e, &s.sql)));
    conn.execute_batch("ROLLBACK").unwrap();
    let (error, sql) = failed.expect("the copy fails on the duplicate");
    assert!(sql.starts_with("INSERT OR ABORT INTO"), "{sql}");
    assert!(error.to_string().contains("UNIQUE"), "{error}");
    assert_eq!(count(&conn, "SELECT count(*) FROM t"), 3);
}
