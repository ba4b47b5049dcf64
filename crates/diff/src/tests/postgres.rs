//! PostgreSQL and MySQL: ALTER TABLE grouping, foreign keys, hazards, comments.

use super::helpers::*;
use super::helpers::{pg_schema as pg, pg_table as t};

fn named(mut f: ForeignKey, name: &str) -> ForeignKey {
    f.name = Some(name.into());
    f
}

#[test]
fn foreign_key_cycle_between_new_tables_is_broken() {
    let a = t("a")
        .with_column(Column::new("b_id", "integer"))
        .with_foreign_key(named(fk(&["b_id"], q("b"), &["id"]), "a_b"));
    let b = t("b")
        .with_column(Column::new("a_id", "integer"))
        .with_foreign_key(named(fk(&["a_id"], q("a"), &["id"]), "b_a"));
    let c = t("c")
        .with_column(Column::new("a_id", "integer"))
        .with_column(Column::new("parent", "integer"))
        .with_foreign_key(named(fk(&["a_id"], q("a"), &["id"]), "c_a"))
        .with_foreign_key(named(fk(&["parent"], q("c"), &["id"]), "c_parent"));
    let from = pg(vec![]);
    let to = pg(vec![a, b, c]);
    let plan = plan(&from, &to);
    let deferred: usize = plan
        .changes
        .iter()
        .map(|p| match &p.change {
            Change::CreateTable { table, deferred_foreign_keys } => {
                if table.name == q("c") {
                    assert!(deferred_foreign_keys.is_empty(), "c's FKs stay inline");
                }
                deferred_foreign_keys.len()
            }
            _ => 0,
        })
        .sum();
    assert_eq!(deferred, 2);
    let adds: Vec<usize> =
        described(&plan).iter().enumerate().filter(|(_, d)| d.starts_with("add foreign key")).map(|(i, _)| i).collect();
    assert_eq!(adds.len(), 2);
    assert!(
        adds.iter()
            .all(|&i| i > position(&plan, "create table public.a") && i > position(&plan, "create table public.b"))
    );
    assert!(position(&plan, "create table public.c") > position(&plan, "create table public.a"));
    assert!(plan.hazards().next().is_none(), "new tables have no hazards");
    converges(&from, &to, &plan).unwrap();

    // Dropping them again drops the cycle's foreign keys first.
    let back = super::helpers::plan(&to, &from);
    converges(&to, &from, &back).unwrap();
}

#[test]
fn alter_ops_are_grouped_and_hazards_named() {
    let from = pg(vec![
        t("users").with_column(Column::new("name", "character varying(100)")).with_column(Column::new("old", "text")),
    ]);
    let to = pg(vec![
        t("users")
            .with_column(Column::new("name", "character varying(50)").not_null())
            .with_column(Column::new("email", "text").not_null()),
    ]);
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["alter table public.users"]);
    let messages: Vec<String> = plan.hazards().map(|h| format!("{}: {}", h.kind, h.message)).collect();
    for expected in [
        // `old` and the new `email` are both text: perhaps a rename.
        "data_loss: drops column public.users.old; possible rename to email: keep its values with --rename public.users.old=email",
        "fails_on_existing_rows: changing column public.users.name from character varying(100) to character varying(50) fails if a value is longer than the new length",
        "fails_on_existing_rows: setting public.users.name NOT NULL fails if it holds NULLs",
        "fails_on_existing_rows: adds NOT NULL column public.users.email without a default",
        "table_rewrite: changing the type of public.users.name rewrites the table",
    ] {
        assert!(messages.iter().any(|m| m == expected), "{expected} not in {messages:#?}");
    }
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn views_reading_a_retyped_table_are_recreated_around_it() {
    let mut from = pg(vec![t("users").with_column(Column::new("n", "integer"))]);
    let mut view = View::new(q("v"), "SELECT n FROM public.users");
    view.depends_on = vec![ObjectKey::Table { name: q("users") }];
    from.add_view(view.clone()).unwrap();
    let mut to = from.clone();
    to.tables.get_mut(&q("users")).unwrap().column_mut("n").unwrap().data_type = "bigint".into();
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["drop view public.v", "alter table public.users", "create view public.v"]);
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn foreign_keys_go_before_their_tables() {
    let users = t("users");
    let orders = t("orders")
        .with_column(Column::new("user_id", "integer"))
        .with_foreign_key(named(fk(&["user_id"], q("users"), &["id"]), "orders_user"));
    let from = pg(vec![users.clone(), orders]);
    let to = pg(vec![t("orders").with_column(Column::new("user_id", "integer"))]);
    let plan = plan(&from, &to);
    assert!(
        position(&plan, "drop foreign key orders_user on public.orders") < position(&plan, "drop table public.users")
    );
    converges(&from, &to, &plan).unwrap();

    // A changed referenced key drops and re-adds the foreign key around it.
    let orders = t("orders")
        .with_column(Column::new("user_id", "integer"))
        .with_foreign_key(named(fk(&["user_id"], q("users"), &["id"]), "orders_user"));
    let from = pg(vec![users.clone(), orders.clone()]);
    let mut retyped = users;
    retyped.column_mut("id").unwrap().data_type = "bigint".into();
    let to = pg(vec![retyped, orders]);
    let plan = super::helpers::plan(&from, &to);
    let alter = position(&plan, "alter table public.users");
    assert!(position(&plan, "drop foreign key orders_user on public.orders") < alter);
    assert!(position(&plan, "add foreign key orders_user on public.orders") > alter);
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn comments_become_set_comment() {
    let from = pg(vec![t("users")]);
    let mut commented = t("users");
    commented.comment = Some("people".into());
    commented.columns[0].comment = Some("key".into());
    let to = pg(vec![commented.clone()]);
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["comment on column public.users.id", "comment on table public.users"]);
    assert!(super::helpers::plan(&to, &to).is_empty());

    // A new table is created bare and commented afterwards.
    let new = super::helpers::plan(&pg(vec![]), &to);
    assert_eq!(described(&new)[0], "create table public.users");
    assert!(matches!(&new.changes[0].change, Change::CreateTable { table, .. } if table.comment.is_none()));
    assert_eq!(new.changes.len(), 3);
}

#[test]
fn indexes_on_existing_tables_block_writes_unless_online() {
    let from = pg(vec![t("users")]);
    let to = pg(vec![t("users").with_index(Index::on_columns("ix", ["id"]).unique())]);
    let plan = plan(&from, &to);
    assert!(has_hazard(&plan, HazardKind::BlocksWrites));
    assert!(has_hazard(&plan, HazardKind::FailsOnExistingRows));
    let online = diff(&from, &to, &DiffOptions { online: true, ..Default::default() }).unwrap();
    assert!(has_hazard(&online, HazardKind::NonTransactional));
    assert!(!has_hazard(&online, HazardKind::BlocksWrites));
}

#[test]
fn owned_sequences_are_created_then_owned() {
    let seq = Sequence {
        name: q("users_id_seq"),
        options: Default::default(),
        owned_by: Some((q("users"), "id".into())),
        owner: None,
        grants: vec![],
        comment: None,
    };
    let mut users = t("users");
    users.columns[0].default = Some("nextval('public.users_id_seq'::regclass)".into());
    let from = pg(vec![]);
    let mut to = pg(vec![users]);
    to.sequences.insert(seq.name.clone(), seq);
    let plan = plan(&from, &to);
    assert_eq!(
        described(&plan),
        ["create sequence public.users_id_seq", "create table public.users", "alter sequence public.users_id_seq"]
    );
    converges(&from, &to, &plan).unwrap();
    // Dropping the table takes the owned sequence with it.
    let back = super::helpers::plan(&to, &from);
    assert_eq!(described(&back), ["drop table public.users"]);
}

#[test]
fn mysql_positions_and_table_comments() {
    let table = |cols: &[&str], comment: Option<&str>| {
        let mut t = Table::new("t");
        for c in cols {
            t = t.with_column(Column::new(*c, "int"));
        }
        t.comment = comment.map(str::to_owned);
        t
    };
    let from = schema(Dialect::MySql, vec![table(&["b", "d"], None)]);
    let to = schema(Dialect::MySql, vec![table(&["a", "b", "c", "d"], Some("hello"))]);
    let plan = plan(&from, &to);
    let Change::AlterTable { ops, .. } = &plan.changes[0].change else { panic!("{:#?}", described(&plan)) };
    assert_eq!(
        ops,
        &[
            TableOp::AddColumn { column: Column::new("a", "int"), position: ColumnPosition::First },
            TableOp::AddColumn { column: Column::new("c", "int"), position: ColumnPosition::After("b".into()) },
        ]
    );
    assert_eq!(described(&plan)[1], "comment on table t");
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn dialect_mismatch_is_an_error() {
    let err = diff(&Schema::new(Dialect::Sqlite), &Schema::new(Dialect::MySql), &DiffOptions::default()).unwrap_err();
    assert!(matches!(err, DiffError::DialectMismatch { .. }));
}

#[test]
fn a_foreign_key_waits_for_the_unique_index_it_references() {
    // `parent.code` is unique through an index, not a constraint.
    let parent = t("parent")
        .with_column(Column::new("code", "text").not_null())
        .with_index(Index::on_columns("parent_code", ["code"]).unique());
    let child = t("child")
        .with_column(Column::new("parent_code", "text"))
        .with_foreign_key(named(fk(&["parent_code"], q("parent"), &["code"]), "child_parent"));
    let plan = plan(&pg(vec![]), &pg(vec![parent, child]));
    assert!(
        position(&plan, "create index parent_code on public.parent") < position(&plan, "create table public.child"),
        "{:#?}",
        described(&plan)
    );
}

#[test]
fn a_function_used_by_triggers_of_a_dropped_table_is_dropped_after_it() {
    let key = RoutineKey { kind: RoutineKind::Function, name: q("touch"), signature: String::new() };
    let routine = Routine {
        kind: RoutineKind::Function,
        name: q("touch"),
        signature: String::new(),
        arguments: String::new(),
        returns: Some("trigger".into()),
        language: Some("plpgsql".into()),
        definition:
            "CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"
                .into(),
        depends_on: vec![],
        owner: None,
        grants: vec![],
        comment: None,
        sql_mode: None,
    };
    let mut on_t = trigger("t", "touch_t", "EXECUTE FUNCTION public.touch()");
    on_t.depends_on = vec![ObjectKey::Routine { key: key.clone() }];
    let mut from = pg(vec![t("t")]);
    from.routines.insert(key, routine);
    from.triggers.insert(on_t.key(), on_t);
    let plan = plan(&from, &pg(vec![]));
    assert!(
        position(&plan, "drop table public.t") < position(&plan, "drop routine public.touch()"),
        "{:#?}",
        described(&plan)
    );
}
