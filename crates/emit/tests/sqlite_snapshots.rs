//! The SQL the SQLite emitter writes, one snapshot per change kind.

mod support;

use schemasync_diff::{Change, ColumnPosition, TableOp};
use schemasync_emit::{EmitError, emit_plan};
use schemasync_model::{
    Column, ConflictResolution, Dialect, Extension, HazardKind, IndexPart, IndexTarget, Namespace, ObjectKey,
    PrimaryKey, QualifiedName, Table, TriggerEvent, TriggerTiming,
};
use support::*;

fn emit(changes: Vec<schemasync_diff::PlannedChange>) -> String {
    show(&emit_plan(&plan(changes)).expect("renders"))
}

fn emit_one(change: Change) -> String {
    emit(vec![support::change(change)])
}

#[test]
fn create_table_with_every_clause() {
    insta::assert_snapshot!(emit_one(create(books())));
}

#[test]
fn create_table_autoincrement_key_is_inline() {
    insta::assert_snapshot!(emit_one(create(authors())));
}

#[test]
fn create_table_named_autoincrement_key() {
    let mut table = authors();
    table.primary_key =
        Some(PrimaryKey { name: Some("authors_pk".into()), columns: vec!["id".into()], on_conflict: None });
    insta::assert_snapshot!(emit_one(create(table)));
}

#[test]
fn create_table_composite_key_strict_without_rowid() {
    let mut table = Table::new("pairs")
        .with_column(Column::new("a", "INTEGER").not_null())
        .with_column(Column::new("b", "TEXT").not_null())
        .with_column(Column::new("v", "ANY"))
        .with_primary_key(["a", "b"]);
    table.options = sqlite_options(true, true, None);
    insta::assert_snapshot!(emit_one(create(table)));
}

#[test]
fn create_table_strict_only_and_fk_to_primary_key() {
    let mut table =
        Table::new("notes").with_column(Column::new("book", "INTEGER")).with_foreign_key(fk(&["book"], "books", &[]));
    table.options = sqlite_options(true, false, None);
    insta::assert_snapshot!(emit_one(create(table)));
}

#[test]
fn create_virtual_table() {
    let mut table = Table::new("docs");
    table.options = sqlite_options(false, false, Some("fts5(title, body)"));
    insta::assert_snapshot!(emit_one(create(table)));
}

#[test]
fn create_table_hostile_identifiers() {
    let mut hostile_fk = fk(&["ref col"], HOSTILE, &["id"]);
    hostile_fk.name = Some("fk \"quoted\"".into());
    let mut table = Table::new(HOSTILE)
        .with_column(Column::new("id", "INTEGER").not_null())
        .with_column(Column::new("ref col", "INTEGER"))
        .with_column(Column::new("naïve 名前", "TEXT").collate("my collation").default_expr("'it''s'"))
        .with_column(Column::new("odd]", "TEXT").collate("order"))
        .with_foreign_key(hostile_fk)
        .with_check(check(Some("chk; DROP TABLE y"), "\"ref col\" > 0"));
    table.primary_key = Some(PrimaryKey { name: Some(HOSTILE.into()), columns: vec!["id".into()], on_conflict: None });
    table.uniques.push(unique(Some("uq \"x\""), &["naïve 名前", "odd]"]));
    insta::assert_snapshot!(emit_one(create(table)));
}

/// `ON CONFLICT` after NOT NULL, UNIQUE and both forms of PRIMARY KEY, and
/// the rebuild that introduces them copying with `OR ABORT`.
#[test]
fn conflict_clauses_create_add_and_rebuild() {
    let mut authors = authors();
    if let Some(pk) = authors.primary_key.as_mut() {
        pk.on_conflict = Some(ConflictResolution::Replace);
    }
    if let Some(name) = authors.column_mut("name") {
        name.not_null_on_conflict = Some(ConflictResolution::Ignore);
    }
    authors.uniques[0].on_conflict = Some(ConflictResolution::Fail);
    let mut pairs = Table::new("pairs")
        .with_column(Column::new("a", "INTEGER").not_null())
        .with_column(Column::new("b", "TEXT"))
        .with_primary_key(["a", "b"]);
    if let Some(pk) = pairs.primary_key.as_mut() {
        pk.on_conflict = Some(ConflictResolution::Rollback);
    }
    let mut added = Column::new("c", "INTEGER").not_null().default_expr("0");
    added.not_null_on_conflict = Some(ConflictResolution::Replace);
    let add = Change::AlterTable {
        table: QualifiedName::bare("pairs"),
        ops: vec![TableOp::AddColumn { column: added, position: ColumnPosition::Last }],
    };
    let rebuild = Change::RebuildTable { from: support::authors(), to: authors.clone() };
    insta::assert_snapshot!(emit(vec![
        change(create(authors)),
        change(create(pairs)),
        change(add),
        with_hazards(rebuild, &[(HazardKind::TableRebuild, "rebuilds table authors")]),
    ]));
}

/// A conflict clause for NOT NULL on a nullable column has nowhere to go:
/// an error rather than a clause silently lost.
#[test]
fn not_null_conflict_clause_on_a_nullable_column_is_invalid() {
    let mut table = authors();
    let mut nick = Column::new("nick", "TEXT");
    nick.not_null_on_conflict = Some(ConflictResolution::Replace);
    table.columns.push(nick.clone());
    let err = emit_plan(&plan(vec![change(create(table))])).expect_err("invalid");
    assert!(matches!(err, EmitError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("authors.nick"), "{err}");
    let add = Change::AlterTable {
        table: QualifiedName::bare("authors"),
        ops: vec![TableOp::AddColumn { column: nick, position: ColumnPosition::Last }],
    };
    assert!(matches!(emit_plan(&plan(vec![change(add)])), Err(EmitError::Invalid { .. })));
}

#[test]
fn drop_table() {
    let planned = with_hazards(Change::DropTable(books()), &[(HazardKind::DataLoss, "drops table books")]);
    insta::assert_snapshot!(emit(vec![planned]));
}

#[test]
fn drop_table_hostile() {
    insta::assert_snapshot!(emit_one(Change::DropTable(Table::new(HOSTILE))));
}

#[test]
fn alter_table_add_drop_rename_columns() {
    let ops = vec![
        TableOp::AddColumn {
            column: Column::new("email", "TEXT").not_null().default_expr("''").collate("NOCASE"),
            position: ColumnPosition::Last,
        },
        TableOp::AddColumn {
            column: Column::new("seen", "TEXT").default_expr("unixepoch()"),
            position: ColumnPosition::Last,
        },
        TableOp::DropColumn(Column::new("payload", "BLOB")),
        TableOp::RenameColumn { from: "title".into(), to: "name".into() },
    ];
    let planned = with_hazards(
        Change::AlterTable { table: QualifiedName::bare("books"), ops },
        &[(HazardKind::DataLoss, "drops column books.payload")],
    );
    insta::assert_snapshot!(emit(vec![planned]));
}

#[test]
fn alter_table_hostile() {
    let ops = vec![
        TableOp::AddColumn { column: Column::new(HOSTILE, "TEXT"), position: ColumnPosition::Last },
        TableOp::RenameColumn { from: "naïve 名前".into(), to: HOSTILE.into() },
        TableOp::DropColumn(Column::new("x\" y", "")),
    ];
    insta::assert_snapshot!(emit_one(Change::AlterTable { table: QualifiedName::bare(HOSTILE), ops }));
}

#[test]
fn create_index_every_part_kind() {
    let mut idx = index("books_by_title", &["title"]).unique().where_("price > 0");
    idx.parts[0].collation = Some("NOCASE".into());
    idx.parts.push(IndexPart { descending: true, ..IndexPart::column("created") });
    idx.parts.push(expression_part("lower(slug)"));
    insta::assert_snapshot!(emit_one(Change::CreateIndex { table: QualifiedName::bare("books"), index: idx }));
}

#[test]
fn create_and_drop_index_hostile() {
    let mut idx = index(HOSTILE, &["naïve 名前"]);
    idx.parts.push(IndexPart { target: IndexTarget::Column("odd]".into()), ..IndexPart::column("") });
    let table = QualifiedName::bare(HOSTILE);
    insta::assert_snapshot!(emit(vec![
        change(Change::CreateIndex { table: table.clone(), index: idx.clone() }),
        change(Change::DropIndex { table, index: idx }),
    ]));
}

#[test]
fn drop_index() {
    let idx = index("books_by_title", &["title"]);
    insta::assert_snapshot!(emit_one(Change::DropIndex { table: QualifiedName::bare("books"), index: idx }));
}

#[test]
fn create_and_drop_view() {
    let mut v = view("cheap books", "SELECT id, title FROM books WHERE price < 10");
    v.columns = vec!["book id".into(), "title".into()];
    insta::assert_snapshot!(emit(vec![change(Change::CreateView(v.clone())), change(Change::DropView(v))]));
}

#[test]
fn create_view_without_columns_hostile_name() {
    insta::assert_snapshot!(emit_one(Change::CreateView(view(HOSTILE, "SELECT 1 AS one"))));
}

#[test]
fn create_trigger_update_of_with_when() {
    let mut t = trigger(
        "books",
        "books_touch",
        TriggerTiming::After,
        TriggerEvent::Update,
        "BEGIN\n  UPDATE books SET created = CURRENT_TIMESTAMP WHERE id = NEW.id;\nEND",
    );
    t.update_columns = vec!["title".into(), "price".into()];
    t.when = Some("OLD.title IS NOT NEW.title".into());
    insta::assert_snapshot!(emit_one(Change::CreateTrigger(t)));
}

#[test]
fn create_trigger_instead_of_on_view_and_drop() {
    let t = trigger(
        HOSTILE,
        "tr \"q\"",
        TriggerTiming::InsteadOf,
        TriggerEvent::Insert,
        "BEGIN INSERT INTO books (title) VALUES (NEW.title); END",
    );
    let before_delete =
        trigger("books", "books_guard", TriggerTiming::Before, TriggerEvent::Delete, "BEGIN SELECT 1; END");
    insta::assert_snapshot!(emit(vec![
        change(Change::CreateTrigger(t.clone())),
        change(Change::CreateTrigger(before_delete)),
        change(Change::DropTrigger(t)),
    ]));
}

#[test]
fn rebuild_table_copies_shared_columns() {
    let from = books();
    let mut to = books();
    // Dropped column, new column, a column tightened to NOT NULL with a default
    // and one tightened without, a generated column that is not copied.
    to.remove_column("payload");
    to.columns.push(Column::new("isbn", "TEXT"));
    if let Some(price) = to.column_mut("price") {
        price.nullable = false;
    }
    if let Some(anything) = to.column_mut("anything") {
        anything.nullable = false;
        anything.default = Some("zero".into());
    }
    if let Some(author) = to.column_mut("author_id") {
        author.nullable = false;
    }
    to.checks.retain(|c| c.name.is_none());
    to = to.with_index(index("books_by_isbn", &["isbn"]).unique()).with_index(index("books_by_author", &["author_id"]));
    let planned = with_hazards(
        Change::RebuildTable { from, to },
        &[(HazardKind::TableRebuild, "rebuilds table books"), (HazardKind::DataLoss, "drops column books.payload")],
    );
    insta::assert_snapshot!(emit(vec![planned]));
}

#[test]
fn rebuild_table_without_shared_columns_and_hostile_name() {
    let from = Table::new(HOSTILE).with_column(Column::new("old", "TEXT"));
    let to = Table::new(HOSTILE).with_column(Column::new("new", "TEXT")).with_index(index("i", &["new"]));
    insta::assert_snapshot!(emit_one(Change::RebuildTable { from, to }));
}

#[test]
fn rebuild_autoincrement_table_keeps_its_counter() {
    let from = authors();
    let mut to = authors();
    to.columns.push(Column::new("born", "INTEGER").default_expr("(1900)"));
    insta::assert_snapshot!(emit_one(Change::RebuildTable { from, to }));
}

#[test]
fn hazards_go_on_the_first_statement_of_each_change() {
    let script = emit_plan(&plan(vec![
        with_hazards(
            Change::RebuildTable { from: authors(), to: authors() },
            &[(HazardKind::TableRebuild, "rebuilds table authors")],
        ),
        with_hazards(Change::DropTable(books()), &[(HazardKind::DataLoss, "drops table books")]),
    ]))
    .unwrap();
    let counts: Vec<usize> = script.statements.iter().map(|s| s.hazards.len()).collect();
    assert_eq!(counts, [1, 0, 0, 0, 0, 1]);
    assert!(script.disable_foreign_keys);
    assert!(script.statements.iter().all(|s| s.transactional && !s.sql.ends_with(';')));
}

#[test]
fn scripts_without_rebuild_keep_foreign_keys_on() {
    let script = emit_plan(&plan(vec![change(create(authors()))])).unwrap();
    assert!(!script.disable_foreign_keys);
    assert_eq!(emit_plan(&plan(Vec::new())).unwrap().statements, []);
}

/// Every change kind SQLite cannot express, with the error it gets.
#[test]
fn unsupported_changes() {
    let mut report = String::new();
    let table = QualifiedName::bare("books");
    let mut materialized = view("mv", "SELECT 1");
    materialized.materialized = true;
    let mut statement_trigger =
        trigger("books", "t", TriggerTiming::After, TriggerEvent::Insert, "BEGIN SELECT 1; END");
    statement_trigger.for_each_row = false;
    let mut two_events = statement_trigger.clone();
    two_events.for_each_row = true;
    two_events.events = vec![TriggerEvent::Insert, TriggerEvent::Update];
    let mut qualified = authors();
    qualified.name = QualifiedName::new(Some("aux"), "authors");
    let mut bad_autoinc = books();
    if let Some(c) = bad_autoinc.column_mut("author_id") {
        c.auto_increment = true;
    }
    let cases: Vec<Change> = vec![
        Change::CreateNamespace(namespace("app")),
        Change::CreateExtension(extension("pgcrypto")),
        Change::AddForeignKey { table: table.clone(), foreign_key: fk(&["a"], "authors", &["id"]) },
        Change::DropForeignKey { table: table.clone(), foreign_key: fk(&["a"], "authors", &["id"]) },
        Change::SetComment { target: ObjectKey::Table { name: table.clone() }, comment: Some("c".into()) },
        Change::AlterTable {
            table: table.clone(),
            ops: vec![TableOp::AlterColumn { from: Column::new("a", "INT"), to: Column::new("a", "TEXT") }],
        },
        Change::AlterTable { table: table.clone(), ops: vec![TableOp::AddCheck(check(Some("c"), "a > 0"))] },
        Change::AlterTable {
            table: table.clone(),
            ops: vec![TableOp::AddColumn { column: Column::new("a", "INT"), position: ColumnPosition::First }],
        },
        Change::CreateView(materialized),
        Change::CreateTrigger(statement_trigger),
        Change::CreateTrigger(two_events),
        create(qualified),
        create(bad_autoinc),
    ];
    for case in cases {
        let err = emit_plan(&plan(vec![change(case.clone())])).expect_err("unsupported");
        assert!(matches!(err, EmitError::Unsupported { dialect: Dialect::Sqlite, .. }), "{err:?}");
        report.push_str(&format!("{}\n  => {err}\n", case.describe()));
    }
    insta::assert_snapshot!(report);
}

/// Inputs no dialect can render get a typed error, never a panic or broken SQL.
#[test]
fn invalid_inputs() {
    let mut report = String::new();
    let mut empty_default = authors();
    empty_default.columns[1].default = Some("  ".into());
    let mut empty_key = authors();
    empty_key.primary_key = Some(PrimaryKey { name: None, columns: Vec::new(), on_conflict: None });
    if let Some(id) = empty_key.column_mut("id") {
        id.auto_increment = false;
    }
    let mut no_event = trigger("books", "t", TriggerTiming::After, TriggerEvent::Insert, "BEGIN SELECT 1; END");
    no_event.events.clear();
    let mut no_parts = index("i", &[]);
    no_parts.parts.clear();
    let cases = vec![
        create(Table::new("empty")),
        create(empty_default),
        create(empty_key),
        Change::CreateTrigger(no_event),
        Change::CreateIndex { table: QualifiedName::bare("books"), index: no_parts },
        Change::CreateView(view("v", "")),
    ];
    for case in cases {
        let err = emit_plan(&plan(vec![change(case.clone())])).expect_err("invalid");
        assert!(matches!(err, EmitError::Invalid { .. }), "{err:?}");
        report.push_str(&format!("{}\n  => {err}\n", case.describe()));
    }
    insta::assert_snapshot!(report);
}

fn namespace(name: &str) -> Namespace {
    Namespace { name: name.into(), owner: None, grants: Vec::new(), comment: None }
}

fn extension(name: &str) -> Extension {
    Extension { name: name.into(), schema: None, version: None, comment: None }
}
