//! MySQL/MariaDB: foreign keys keep the keys they need at every step
//! (issue 12; the same cases on a server: `crates/mysql/tests/fk_ordering.rs`).

use proptest::prelude::*;

use super::helpers::*;
use crate::fk_indexes;
use crate::plan::PlannedChange;

fn b(name: &str) -> QualifiedName {
    QualifiedName::bare(name)
}

fn named_fk(name: &str, columns: &[&str], parent: &str, ref_columns: &[&str]) -> ForeignKey {
    let mut f = fk(columns, b(parent), ref_columns);
    f.name = Some(name.into());
    f
}

fn parent() -> Table {
    Table::new(b("p")).with_column(Column::new("id", "int(11)").not_null()).with_primary_key(["id"])
}

/// `c (id, p_id, x)` with `fk_p (p_id) -> p (id)` and the given indexes.
fn child(indexes: Vec<Index>) -> Table {
    let mut t = Table::new(b("c"))
        .with_column(Column::new("id", "int(11)").not_null())
        .with_column(Column::new("p_id", "int(11)"))
        .with_column(Column::new("x", "int(11)"))
        .with_primary_key(["id"])
        .with_foreign_key(named_fk("fk_p", &["p_id"], "p", &["id"]));
    for index in indexes {
        t = t.with_index(index);
    }
    t
}

fn mysql(tables: Vec<Table>) -> Schema {
    schema(Dialect::MySql, tables)
}

/// The operations of the plan's one ALTER TABLE of `table`.
fn alter_ops<'a>(plan: &'a Plan, table: &str) -> &'a [TableOp] {
    plan.changes
        .iter()
        .find_map(|c| match &c.change {
            Change::AlterTable { table: t, ops } if t.name == table => Some(ops.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no ALTER TABLE {table} in {:#?}", described(plan)))
}

fn no_separate_index_changes(plan: &Plan) {
    assert!(
        !plan.changes.iter().any(|c| matches!(c.change, Change::CreateIndex { .. } | Change::DropIndex { .. })),
        "{:#?}",
        described(plan)
    );
}

/// The plan is valid for the checker and reaches `to` in the model.
fn sound(from: &Schema, to: &Schema) -> Plan {
    let plan = plan(from, to);
    fk_indexes::check(from, &plan.changes).expect("every step keeps the foreign keys' keys");
    converges(from, to, &plan).unwrap();
    assert!(super::helpers::plan(to, to).is_empty());
    plan
}

#[test]
fn an_index_a_foreign_key_uses_is_replaced_in_one_statement() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix_p", ["p_id"])])]);
    let to = mysql(vec![parent(), child(vec![Index::on_columns("ix_p", ["p_id", "x"])])]);
    let plan = sound(&from, &to);
    no_separate_index_changes(&plan);
    assert_eq!(
        alter_ops(&plan, "c"),
        [
            TableOp::DropIndex(Index::on_columns("ix_p", ["p_id"])),
            TableOp::AddIndex(Index::on_columns("ix_p", ["p_id", "x"]))
        ]
    );
}

#[test]
fn an_index_kept_beside_the_replaced_one_needs_nothing() {
    let from = mysql(vec![
        parent(),
        child(vec![Index::on_columns("ix_p", ["p_id"]), Index::on_columns("ix_p_x", ["p_id", "x"])]),
    ]);
    let to = mysql(vec![parent(), child(vec![Index::on_columns("ix_p_x", ["p_id", "x"])])]);
    let plan = sound(&from, &to);
    assert_eq!(described(&plan), ["drop index ix_p on c"]);
}

#[test]
fn a_referenced_unique_index_gives_way_to_a_primary_key_in_the_same_statement() {
    let p_old = Table::new(b("p"))
        .with_column(Column::new("code", "int(11)").not_null())
        .with_index(Index::on_columns("uk_code", ["code"]).unique());
    let p_new = Table::new(b("p")).with_column(Column::new("code", "int(11)").not_null()).with_primary_key(["code"]);
    let c = Table::new(b("c"))
        .with_column(Column::new("code", "int(11)"))
        .with_index(Index::on_columns("ix_code", ["code"]))
        .with_foreign_key(named_fk("fk_code", &["code"], "p", &["code"]));
    let from = mysql(vec![p_old, c.clone()]);
    let to = mysql(vec![p_new, c]);
    let plan = sound(&from, &to);
    assert_eq!(described(&plan), ["alter table p"]);
    let ops = alter_ops(&plan, "p");
    assert!(matches!(ops, [TableOp::AddPrimaryKey(_), TableOp::DropIndex(i)] if i.name == "uk_code"), "{ops:#?}");
}

#[test]
fn the_servers_index_for_a_foreign_key_is_dropped_where_the_composite_one_is_created() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("fk_p", ["p_id"])])]);
    let to = mysql(vec![parent(), child(vec![Index::on_columns("ix_p_x", ["p_id", "x"])])]);
    let plan = sound(&from, &to);
    no_separate_index_changes(&plan);
    assert_eq!(
        alter_ops(&plan, "c"),
        [
            TableOp::DropIndex(Index::on_columns("fk_p", ["p_id"])),
            TableOp::AddIndex(Index::on_columns("ix_p_x", ["p_id", "x"]))
        ]
    );
}

#[test]
fn an_index_the_server_may_drop_by_itself_goes_with_the_key_that_covers_it_even_without_a_foreign_key() {
    let t = |indexes: Vec<Index>| {
        let mut t =
            Table::new(b("t")).with_column(Column::new("a", "int(11)")).with_column(Column::new("b", "int(11)"));
        for index in indexes {
            t = t.with_index(index);
        }
        t
    };
    let from = mysql(vec![t(vec![Index::on_columns("a", ["a"])])]);
    let to = mysql(vec![t(vec![Index::on_columns("ab", ["a", "b"])])]);
    let plan = sound(&from, &to);
    no_separate_index_changes(&plan);
}

#[test]
fn the_servers_index_kept_beside_a_composite_one_is_created_again_with_it() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("fk_p", ["p_id"])])]);
    let to = mysql(vec![
        parent(),
        child(vec![Index::on_columns("fk_p", ["p_id"]), Index::on_columns("ix_p_x", ["p_id", "x"])]),
    ]);
    let plan = sound(&from, &to);
    assert_eq!(
        alter_ops(&plan, "c"),
        [
            TableOp::DropIndex(Index::on_columns("fk_p", ["p_id"])),
            TableOp::AddIndex(Index::on_columns("fk_p", ["p_id"])),
            TableOp::AddIndex(Index::on_columns("ix_p_x", ["p_id", "x"]))
        ]
    );
}

#[test]
fn a_wanted_schema_without_the_servers_index_keeps_it() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("fk_p", ["p_id"])])]);
    let to = mysql(vec![parent(), child(vec![])]);
    assert!(plan(&from, &to).is_empty(), "{:#?}", described(&plan(&from, &to)));
}

#[test]
fn without_a_key_taking_over_the_foreign_key_is_dropped_and_added_again() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix_p", ["p_id"])])]);
    let to = mysql(vec![parent(), child(vec![])]);
    let plan = plan(&from, &to);
    fk_indexes::check(&from, &plan.changes).unwrap();
    let steps = described(&plan);
    assert_eq!(steps, ["drop foreign key fk_p on c", "drop index ix_p on c", "add foreign key fk_p on c"]);
    let readded = &plan.changes[2].hazards;
    assert!(
        readded.iter().any(|h| h.kind == HazardKind::TableCopy && h.message.contains("dropped and added again")),
        "{readded:#?}"
    );
}

#[test]
fn foreign_key_columns_retyped_on_both_sides_are_detoured() {
    let retyped = |t: Table, column: &str| {
        let mut t = t;
        if let Some(c) = t.column_mut(column) {
            c.data_type = "bigint(20)".into();
        }
        t
    };
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix_p", ["p_id"])])]);
    let to = mysql(vec![retyped(parent(), "id"), retyped(child(vec![Index::on_columns("ix_p", ["p_id"])]), "p_id")]);
    let plan = sound(&from, &to);
    let steps = described(&plan);
    assert_eq!(steps.first().map(String::as_str), Some("drop foreign key fk_p on c"), "{steps:#?}");
    assert_eq!(steps.last().map(String::as_str), Some("add foreign key fk_p on c"), "{steps:#?}");
}

#[test]
fn foreign_key_columns_with_a_new_collation_are_detoured() {
    let text = |name: &str, collation: Option<&str>| {
        let mut c = Column::new(name, "varchar(10)");
        c.collation = collation.map(str::to_owned);
        c
    };
    let p = |collation| Table::new(b("p")).with_column(text("code", collation).not_null()).with_primary_key(["code"]);
    let c = |collation| {
        Table::new(b("c"))
            .with_column(text("code", collation))
            .with_index(Index::on_columns("ix_code", ["code"]))
            .with_foreign_key(named_fk("fk_code", &["code"], "p", &["code"]))
    };
    let from = mysql(vec![p(None), c(None)]);
    let to = mysql(vec![p(Some("utf8mb4_bin")), c(Some("utf8mb4_bin"))]);
    let plan = sound(&from, &to);
    let steps = described(&plan);
    assert!(position(&plan, "drop foreign key fk_code on c") < position(&plan, "alter table p"), "{steps:#?}");
    assert!(position(&plan, "add foreign key fk_code on c") > position(&plan, "alter table c"), "{steps:#?}");
}

#[test]
fn an_added_foreign_key_comes_after_the_index_it_uses() {
    let mut c_old = child(vec![]);
    c_old.foreign_keys.clear();
    let from = mysql(vec![parent(), c_old]);
    let to = mysql(vec![parent(), child(vec![Index::on_columns("ix_p_x", ["p_id", "x"])])]);
    let plan = sound(&from, &to);
    assert!(position(&plan, "create index ix_p_x on c") < position(&plan, "add foreign key fk_p on c"));
}

#[test]
fn a_foreign_key_and_its_index_move_to_another_column() {
    let mut to_child = child(vec![Index::on_columns("ix", ["x"])]);
    to_child.foreign_keys = vec![named_fk("fk_p", &["x"], "p", &["id"])];
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix", ["p_id"])])]);
    let to = mysql(vec![parent(), to_child]);
    let plan = sound(&from, &to);
    assert!(position(&plan, "drop foreign key fk_p on c") < position(&plan, "drop index ix on c"));
    assert!(position(&plan, "create index ix on c") < position(&plan, "add foreign key fk_p on c"));
}

#[test]
fn a_dropped_column_of_the_index_a_foreign_key_uses_is_one_statement() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix", ["p_id", "x"])])]);
    let mut to_child = child(vec![Index::on_columns("ix", ["p_id"])]);
    to_child.columns.retain(|c| c.name != "x");
    let to = mysql(vec![parent(), to_child]);
    let plan = sound(&from, &to);
    assert_eq!(described(&plan), ["alter table c"]);
}

fn planned(changes: Vec<Change>) -> Vec<PlannedChange> {
    changes.into_iter().map(|change| PlannedChange { change, hazards: Vec::new() }).collect()
}

#[test]
fn the_check_refuses_steps_the_server_refuses() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix_p", ["p_id"])])]);
    let refused = |changes: Vec<Change>| match fk_indexes::check(&from, &planned(changes)) {
        Err(DiffError::ForeignKeyOrder { change, problem }) => format!("{change}: {problem}"),
        other => panic!("expected a refusal, got {other:?}"),
    };
    // The index a foreign key needs, dropped before the one taking over exists.
    let message = refused(vec![
        Change::DropIndex { table: b("c"), index: Index::on_columns("ix_p", ["p_id"]) },
        Change::CreateIndex { table: b("c"), index: Index::on_columns("ix_p2", ["p_id"]) },
    ]);
    assert_eq!(message, "drop index ix_p on c: foreign key fk_p of c would have no key on (p_id)");
    // The referenced key.
    let message = refused(vec![Change::AlterTable {
        table: b("p"),
        ops: vec![TableOp::DropPrimaryKey(PrimaryKey { name: None, columns: vec!["id".into()], on_conflict: None })],
    }]);
    assert_eq!(message, "alter table p: foreign key fk_p of c would have no key on p (id)");
    // A column under a foreign key, dropped or retyped.
    let message = refused(vec![Change::AlterTable {
        table: b("c"),
        ops: vec![TableOp::DropColumn(Column::new("p_id", "int(11)"))],
    }]);
    assert_eq!(message, "alter table c: column p_id is used by foreign key fk_p of c");
    let message = refused(vec![Change::AlterTable {
        table: b("p"),
        ops: vec![TableOp::AlterColumn {
            from: Column::new("id", "int(11)").not_null(),
            to: Column::new("id", "bigint(20)").not_null(),
        }],
    }]);
    assert_eq!(message, "alter table p: the type of column id changes under foreign key fk_p of c");
    // A referenced table.
    let message = refused(vec![Change::DropTable(parent())]);
    assert_eq!(message, "drop table p: foreign key fk_p of c still references p");
    // An index the server may have dropped by itself.
    let from = mysql(vec![parent(), child(vec![Index::on_columns("fk_p", ["p_id"])])]);
    let err = fk_indexes::check(
        &from,
        &planned(vec![
            Change::CreateIndex { table: b("c"), index: Index::on_columns("ix_p_x", ["p_id", "x"]) },
            Change::DropIndex { table: b("c"), index: Index::on_columns("fk_p", ["p_id"]) },
        ]),
    )
    .unwrap_err();
    assert!(err.to_string().contains("may already have dropped fk_p"), "{err}");
}

#[test]
fn the_check_follows_the_server_through_allowed_steps() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("ix_p", ["p_id"])])]);
    let ok = |changes: Vec<Change>| fk_indexes::check(&from, &planned(changes));
    // Created first, then dropped; the dropped one has a comment, so it is
    // no index the server created (which a covering key would remove).
    let mut commented = Index::on_columns("ix_p", ["p_id"]);
    commented.comment = Some("by hand".into());
    let with_comment = mysql(vec![parent(), child(vec![commented.clone()])]);
    fk_indexes::check(
        &with_comment,
        &planned(vec![
            Change::CreateIndex { table: b("c"), index: Index::on_columns("ix_p2", ["p_id", "x"]) },
            Change::DropIndex { table: b("c"), index: commented },
        ]),
    )
    .unwrap();
    // The foreign key goes first, then anything may go.
    ok(vec![
        Change::DropForeignKey { table: b("c"), foreign_key: named_fk("fk_p", &["p_id"], "p", &["id"]) },
        Change::DropIndex { table: b("c"), index: Index::on_columns("ix_p", ["p_id"]) },
        Change::DropTable(parent()),
    ])
    .unwrap();
    // A foreign key added without an index gets one from the server.
    ok(vec![
        Change::DropForeignKey { table: b("c"), foreign_key: named_fk("fk_p", &["p_id"], "p", &["id"]) },
        Change::DropIndex { table: b("c"), index: Index::on_columns("ix_p", ["p_id"]) },
        Change::AddForeignKey { table: b("c"), foreign_key: named_fk("fk_p", &["p_id"], "p", &["id"]) },
        Change::AlterTable {
            table: b("c"),
            ops: vec![TableOp::AddColumn { column: Column::new("y", "int(11)"), position: ColumnPosition::Last }],
        },
    ])
    .unwrap();
    // A current schema that lacks a key already (not read from InnoDB) is
    // not refused for steps that do not take one away.
    let keyless = mysql(vec![parent(), child(vec![])]);
    fk_indexes::check(
        &keyless,
        &planned(vec![Change::AlterTable {
            table: b("c"),
            ops: vec![TableOp::AddColumn { column: Column::new("z", "int(11)"), position: ColumnPosition::Last }],
        }]),
    )
    .unwrap();
    // Renamed columns stay under their foreign keys.
    ok(vec![Change::AlterTable {
        table: b("p"),
        ops: vec![TableOp::RenameColumn { from: "id".into(), to: "pid".into() }],
    }])
    .unwrap();
}

#[test]
fn other_dialects_are_not_rearranged() {
    let pg = |t: Table| {
        let mut t = t;
        t.name = q(&t.name.name);
        for f in &mut t.foreign_keys {
            f.ref_table = q(&f.ref_table.name);
        }
        t
    };
    let from = pg_schema(vec![pg(parent()), pg(child(vec![Index::on_columns("ix_p", ["p_id"])]))]);
    let to = pg_schema(vec![pg(parent()), pg(child(vec![Index::on_columns("ix_p", ["p_id", "x"])]))]);
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["drop index ix_p on public.c", "create index ix_p on public.c"]);
}

#[test]
fn the_index_of_an_unnamed_key_is_kept_when_the_wanted_schema_lacks_it() {
    let from = mysql(vec![parent(), child(vec![Index::on_columns("p_id", ["p_id"])])]);
    let to = mysql(vec![parent(), child(vec![])]);
    assert!(plan(&from, &to).is_empty(), "{:#?}", described(&plan(&from, &to)));
    // An index of another shape is no server's own: it goes, the key detours.
    let from = mysql(vec![parent(), child(vec![Index::on_columns("p_id", ["p_id", "x"])])]);
    let steps = described(&plan(&from, &to));
    assert_eq!(steps, ["drop foreign key fk_p on c", "drop index p_id on c", "add foreign key fk_p on c"]);
}

/// Index shapes for generated child tables: name, columns, unique.
const SHAPES: &[(&str, &[&str], bool)] = &[
    ("fk_p", &["p_id"], false),
    ("ix_p", &["p_id"], false),
    ("ix_p", &["p_id", "x"], false),
    ("ix_p", &["p_id"], true),
    ("ix_px", &["p_id", "x"], false),
    ("ix_xp", &["x", "p_id"], false),
    ("ix_x", &["x"], false),
    ("ix_pid", &["p_id", "id"], true),
];

/// A child table with the chosen index shapes (the first of a name wins) and
/// a primary key on `id` or on `(p_id, id)`, parent `p` referenced by
/// `id` (primary key) or by `code` (a unique index, or with `pk_on_code` the
/// primary key); `None` when no key serves the foreign key.
fn generated(shapes: &[usize], child_pk_leads: bool, by_code: bool, pk_on_code: bool) -> Option<Schema> {
    let mut p = Table::new(b("p"))
        .with_column(Column::new("id", "int(11)").not_null())
        .with_column(Column::new("code", "int(11)").not_null());
    if by_code && pk_on_code {
        p = p.with_primary_key(["code"]);
    } else {
        p = p.with_primary_key(["id"]);
        if by_code {
            p = p.with_index(Index::on_columns("uk_code", ["code"]).unique());
        }
    }
    let mut c = child(vec![]);
    if by_code {
        c.foreign_keys = vec![named_fk("fk_p", &["p_id"], "p", &["code"])];
    }
    if child_pk_leads {
        c.primary_key = Some(PrimaryKey { name: None, columns: vec!["p_id".into(), "id".into()], on_conflict: None });
        c.columns[1].nullable = false;
    }
    for &i in shapes {
        let (name, columns, unique) = SHAPES[i % SHAPES.len()];
        let mut index = Index::on_columns(name, columns.iter().copied());
        index.unique = unique;
        c.indexes.entry(name.to_owned()).or_insert(index);
    }
    let supported = child_pk_leads
        || c.indexes
            .values()
            .any(|i| matches!(i.parts.first(), Some(p) if p.target == IndexTarget::Column("p_id".into())));
    supported.then(|| mysql(vec![p, c]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever keys the two versions of the tables have, the plan keeps a
    /// key under the foreign key at every step (the differ's own check),
    /// and reaches the wanted schema.
    #[test]
    fn every_plan_between_keyed_tables_is_sound(
        from_shapes in proptest::collection::vec(0usize..8, 0..4),
        to_shapes in proptest::collection::vec(0usize..8, 0..4),
        from_pk in any::<bool>(), to_pk in any::<bool>(),
        by_code in any::<bool>(),
        from_code_pk in any::<bool>(), to_code_pk in any::<bool>(),
    ) {
        let (Some(from), Some(to)) = (
            generated(&from_shapes, from_pk, by_code, from_code_pk),
            generated(&to_shapes, to_pk, by_code, to_code_pk),
        ) else {
            return Ok(());
        };
        let plan = diff(&from, &to, &DiffOptions::default());
        prop_assert!(plan.is_ok(), "{plan:?}");
        let plan = plan.map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(fk_indexes::check(&from, &plan.changes).is_ok());
        if let Err(e) = converges(&from, &to, &plan) {
            return Err(TestCaseError::fail(format!("{e}\nplan: {:#?}", described(&plan))));
        }
        prop_assert!(super::helpers::plan(&to, &to).is_empty());
    }
}

/// A thousand child tables whose foreign keys' indexes all change: one
/// ALTER TABLE each, and the check keeps up (no quadratic blow-up to speak of).
#[test]
fn many_tables_replacing_their_foreign_keys_indexes() {
    let tables = |columns: &[&str]| {
        let mut out = vec![parent()];
        for i in 0..1000 {
            let mut t = child(vec![Index::on_columns("ix_p", columns.iter().copied())]);
            t.name = b(&format!("c{i}"));
            out.push(t);
        }
        mysql(out)
    };
    let (from, to) = (tables(&["p_id"]), tables(&["p_id", "x"]));
    let started = std::time::Instant::now();
    let plan = plan(&from, &to);
    let took = started.elapsed();
    assert_eq!(plan.changes.len(), 1000);
    assert!(plan.changes.iter().all(|c| matches!(c.change, Change::AlterTable { .. })));
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
}
