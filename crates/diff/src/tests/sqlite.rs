//! SQLite: what ALTER TABLE can do, rebuilds and their surroundings.

use super::helpers::*;

fn users() -> Table {
    Table::new("users")
        .with_column(Column::new("id", "INTEGER").not_null())
        .with_column(Column::new("name", "TEXT"))
        .with_primary_key(["id"])
        .with_index(Index::on_columns("users_name", ["name"]))
}

fn sqlite(tables: Vec<Table>) -> Schema {
    schema(Dialect::Sqlite, tables)
}

#[test]
fn added_column_at_the_end_is_an_alter() {
    let from = sqlite(vec![users()]);
    let to = sqlite(vec![users().with_column(Column::new("email", "TEXT").not_null().default_expr("''"))]);
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["alter table users"]);
    assert!(plan.hazards().next().is_none());
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn type_change_rebuilds_with_triggers_and_readers_around_it() {
    let mut from = sqlite(vec![users(), Table::new("log").with_column(Column::new("msg", "TEXT"))]);
    from.add_view(View::new("user_names", "SELECT \"name\" FROM Users")).unwrap();
    from.add_trigger(trigger("users", "users_log", "BEGIN INSERT INTO log VALUES ('x'); END")).unwrap();
    from.add_trigger(trigger("log", "log_touch", "BEGIN DELETE FROM \"users\" WHERE 0; END")).unwrap();
    let mut to = from.clone();
    to.tables.get_mut(&"users".into()).unwrap().column_mut("name").unwrap().data_type = "varchar(10)".into();

    let plan = plan(&from, &to);
    let d = described(&plan);
    assert_eq!(d.iter().filter(|c| c.starts_with("rebuild table users")).count(), 1);
    assert!(!d.iter().any(|c| c.contains("index") || c.starts_with("alter table")), "{d:#?}");
    let rebuild = position(&plan, "rebuild table users");
    for before in ["drop view user_names", "drop trigger users_log on users", "drop trigger log_touch on log"] {
        assert!(position(&plan, before) < rebuild, "{before}");
    }
    for after in ["create view user_names", "create trigger users_log on users", "create trigger log_touch on log"] {
        assert!(position(&plan, after) > rebuild, "{after}");
    }
    assert!(
        plan.hazards()
            .any(|h| h.kind == HazardKind::TableRebuild
                && h.message == "table users is rebuilt (copied into a new table)")
    );
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn rebuild_hazards() {
    let from = sqlite(vec![users().with_column(Column::new("old", "TEXT"))]);
    let mut wanted = users();
    wanted.options = TableOptions::Sqlite { strict: true, without_rowid: false, virtual_using: None };
    wanted.columns.insert(1, Column::new("age", "INTEGER").not_null());
    let to = sqlite(vec![wanted]);
    let plan = plan(&from, &to);
    assert!(plan.hazards().any(|h| h.kind == HazardKind::DataLoss && h.message.contains("users.old")));
    assert!(has_hazard(&plan, HazardKind::FailsOnExistingRows));
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn dropping_a_column_a_view_reads_rebuilds() {
    let mut from = sqlite(vec![users().with_column(Column::new("note", "TEXT"))]);
    from.add_view(View::new("v", "SELECT note FROM users")).unwrap();
    let mut to = sqlite(vec![users()]);
    to.add_view(View::new("v", "SELECT note FROM users")).unwrap();
    let plan = plan(&from, &to);
    assert!(described(&plan).contains(&"rebuild table users".to_owned()));
    converges(&from, &to, &plan).unwrap();

    // Unreferenced: plain DROP COLUMN, and its index goes first.
    let from =
        sqlite(vec![users().with_column(Column::new("note", "TEXT")).with_index(Index::on_columns("ix", ["note"]))]);
    let to = sqlite(vec![users()]);
    let dropped = super::helpers::plan(&from, &to);
    assert!(position(&dropped, "drop index ix on users") < position(&dropped, "alter table users"));
    assert!(dropped.hazards().any(|h| h.kind == HazardKind::DataLoss && h.message == "drops column users.note"));
    converges(&from, &to, &dropped).unwrap();
}

#[test]
fn virtual_tables_are_dropped_and_created() {
    let mut docs = Table::new("docs").with_column(Column::new("body", ""));
    docs.options =
        TableOptions::Sqlite { strict: false, without_rowid: false, virtual_using: Some("fts5(body)".into()) };
    let from = sqlite(vec![docs.clone()]);
    docs.options = TableOptions::Sqlite {
        strict: false,
        without_rowid: false,
        virtual_using: Some("fts5(body, tokenize = 'porter')".into()),
    };
    let to = sqlite(vec![docs]);
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["drop table docs", "create table docs"]);
    assert!(plan.changes[0].hazards.iter().any(|h| h.kind == HazardKind::DataLoss));
}

#[test]
fn comments_are_ignored() {
    let from = sqlite(vec![users()]);
    let mut commented = users();
    commented.comment = Some("people".into());
    commented.columns[0].comment = Some("key".into());
    let to = sqlite(vec![commented]);
    assert!(plan(&from, &to).is_empty());
}

#[test]
fn rename_hint_renames_before_a_rebuild() {
    let from = sqlite(vec![users()]);
    let mut wanted = users();
    wanted.column_mut("name").unwrap().name = "full_name".into();
    wanted.indexes.clear();
    wanted = wanted.with_index(Index::on_columns("users_name", ["full_name"]));
    let to = sqlite(vec![wanted.clone()]);
    let options =
        DiffOptions { column_renames: vec![("users".into(), "name".into(), "full_name".into())], ..Default::default() };
    let renamed = diff(&from, &to, &options).unwrap();
    assert_eq!(renamed.changes.len(), 1);
    assert!(matches!(&renamed.changes[0].change, Change::AlterTable { ops, .. }
        if ops == &[TableOp::RenameColumn { from: "name".into(), to: "full_name".into() }]));
    converges(&from, &to, &renamed).unwrap();

    // Without the hint: drop + add, and the index changes with it.
    let plain = plan(&from, &to);
    assert!(has_hazard(&plain, HazardKind::DataLoss));

    // Rename plus a type change: the rename runs first, then the rebuild.
    let mut retyped = wanted;
    retyped.column_mut("full_name").unwrap().data_type = "BLOB".into();
    let to = sqlite(vec![retyped]);
    let both = diff(&from, &to, &options).unwrap();
    assert_eq!(described(&both), ["alter table users", "rebuild table users"]);
    converges(&from, &to, &both).unwrap();
}

#[test]
fn new_tables_keep_foreign_keys_inline_even_in_a_cycle() {
    let a = Table::new("a")
        .with_column(Column::new("id", "INTEGER"))
        .with_column(Column::new("b_id", "INTEGER"))
        .with_primary_key(["id"])
        .with_foreign_key(fk(&["b_id"], "b".into(), &["id"]));
    let b = Table::new("b")
        .with_column(Column::new("id", "INTEGER"))
        .with_column(Column::new("a_id", "INTEGER"))
        .with_primary_key(["id"])
        .with_foreign_key(fk(&["a_id"], "a".into(), &["id"]));
    let from = sqlite(vec![]);
    let to = sqlite(vec![a, b]);
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["create table a", "create table b"]);
    assert!(plan.changes.iter().all(
        |c| matches!(&c.change, Change::CreateTable { deferred_foreign_keys, .. } if deferred_foreign_keys.is_empty())
    ));
}

#[test]
fn new_table_objects_come_in_order() {
    let from = sqlite(vec![]);
    let mut to = sqlite(vec![users()]);
    to.add_view(View::new("a_view", "SELECT * FROM users")).unwrap();
    to.add_trigger(trigger("users", "a_trigger", "BEGIN SELECT 1; END")).unwrap();
    let plan = plan(&from, &to);
    assert_eq!(
        described(&plan),
        [
            "create table users",
            "create index users_name on users",
            "create view a_view",
            "create trigger a_trigger on users"
        ]
    );
    assert!(plan.hazards().next().is_none());
    converges(&from, &to, &plan).unwrap();
    let back = super::helpers::plan(&to, &from);
    assert_eq!(described(&back), ["drop view a_view", "drop table users"]);
}
