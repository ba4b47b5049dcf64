//! The SQL the MySQL emitter writes, one snapshot per change kind.

mod mysql_fixtures;

use mysql_fixtures::*;
use schemasync_diff::{Change, ColumnPosition, PlannedChange, TableOp};
use schemasync_emit::{EmitError, emit_plan};
use schemasync_model::{
    CheckOption, Column, Extension, FkAction, HazardKind, IndexKind, Namespace, ObjectKey, PartitionDef,
    PartitionStrategy, Partitioning, PrimaryKey, QualifiedName, RoutineKind, Sequence, Table, TableOptions,
    TriggerEvent, TriggerTiming, UniqueConstraint,
};

fn emit(changes: Vec<PlannedChange>) -> String {
    show(&emit_plan(&plan(changes)).expect("renders"))
}

fn emit_one(change: Change) -> String {
    emit(vec![mysql_fixtures::change(change)])
}

fn emit_err(change: Change) -> EmitError {
    emit_plan(&plan(vec![mysql_fixtures::change(change)])).expect_err("refused")
}

fn t(name: &str) -> QualifiedName {
    QualifiedName::bare(name)
}

#[test]
fn create_table_with_every_clause_and_its_indexes_inline() {
    let mut changes = create_with_indexes(&authors());
    changes.extend(create_with_indexes(&books()));
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn create_table_without_planned_indexes_writes_none() {
    // Only indexes the plan creates are written inline.
    insta::assert_snapshot!(emit_one(Change::CreateTable { table: books(), deferred_foreign_keys: Vec::new() }));
}

#[test]
fn create_table_with_deferred_foreign_key() {
    let mut a = simple("a", &["id", "b_id"]).with_foreign_key(fk("a_b", &["b_id"], "b", &["id"]));
    a.primary_key = Some(PrimaryKey { name: Some("PRIMARY".into()), columns: vec!["id".into()], on_conflict: None });
    a.columns[0].nullable = false;
    let b = simple("b", &["id", "a_id"]).with_foreign_key(fk("b_a", &["a_id"], "a", &["id"]));
    let changes = vec![
        change(Change::CreateTable { table: a.clone(), deferred_foreign_keys: vec![0] }),
        change(Change::CreateTable { table: b, deferred_foreign_keys: Vec::new() }),
        change(Change::AddForeignKey { table: t("a"), foreign_key: a.foreign_keys[0].clone() }),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn create_table_partitioned() {
    let mut range = simple("events", &["id", "d"]);
    range.columns[1].data_type = "date".into();
    range.partitioning = Some(Partitioning {
        strategy: PartitionStrategy::Range,
        columns_form: false,
        key: vec!["year(`d`)".into()],
        partitions: vec![
            PartitionDef {
                name: "p0".into(),
                bound: "VALUES LESS THAN (2000)".into(),
                subpartitions: vec!["s0".into(), "s1".into()],
                comment: Some("old".into()),
            },
            PartitionDef {
                name: "p`max".into(),
                bound: "VALUES LESS THAN MAXVALUE".into(),
                subpartitions: vec!["s2".into(), "s3".into()],
                comment: None,
            },
        ],
        count: None,
        subpartitioning: Some(Box::new(Partitioning {
            strategy: PartitionStrategy::Hash,
            columns_form: false,
            key: vec!["`id`".into()],
            partitions: Vec::new(),
            count: None,
            subpartitioning: None,
        })),
    });
    let mut hash = simple("hashed", &["id"]);
    hash.partitioning = Some(Partitioning {
        strategy: PartitionStrategy::LinearKey,
        columns_form: false,
        key: vec!["`id`".into()],
        partitions: Vec::new(),
        count: Some(4),
        subpartitioning: None,
    });
    let mut list = simple("listed", &["a", "b"]);
    list.partitioning = Some(Partitioning {
        strategy: PartitionStrategy::List,
        columns_form: true,
        key: vec!["`a`".into(), "`b`".into()],
        partitions: vec![PartitionDef {
            name: "p0".into(),
            bound: "VALUES IN ((1,2),(3,4))".into(),
            subpartitions: Vec::new(),
            comment: None,
        }],
        count: None,
        subpartitioning: None,
    });
    let changes = [range, hash, list]
        .into_iter()
        .map(|table| change(Change::CreateTable { table, deferred_foreign_keys: Vec::new() }))
        .collect();
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn create_table_hostile_identifiers() {
    let mut hostile_fk = fk(HOSTILE, &["ref col"], HOSTILE, &["id"]);
    hostile_fk.on_delete = FkAction::SetNull;
    hostile_fk.ref_table = QualifiedName::new(Some("other db`"), HOSTILE);
    let mut table = Table::new(HOSTILE)
        .with_column(Column::new("id", "int(11)").not_null().comment("it's a \\ backslash; DROP"))
        .with_column(Column::new("ref col", "int(11)"))
        .with_column(Column::new(NON_ASCII, "varchar(10)").collate("utf8mb4 bin`").default_expr("'it''s'"))
        .with_primary_key(["id"])
        .with_foreign_key(hostile_fk)
        .with_check(check("chk`; DROP TABLE y", "`ref col` > 0"))
        .with_index(index(HOSTILE, &[NON_ASCII, "ref col"]));
    table.uniques.push(UniqueConstraint {
        name: Some("uq \"x\"".into()),
        columns: vec![NON_ASCII.into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
        comment: None,
        on_conflict: None,
    });
    table.options = TableOptions::MySql {
        engine: Some("InnoDB".into()),
        charset: Some("weird set`".into()),
        collation: None,
        row_format: Some("DYNAMIC".into()),
    };
    table.comment = Some("'; DROP TABLE z; --".into());
    insta::assert_snapshot!(emit(create_with_indexes(&table)));
}

#[test]
fn drop_table() {
    let planned = with_hazards(Change::DropTable(books()), &[(HazardKind::DataLoss, "drops table books")]);
    insta::assert_snapshot!(emit(vec![planned, change(Change::DropTable(Table::new(HOSTILE)))]));
}

#[test]
fn alter_table_every_operation_in_one_statement() {
    let mut with_comment = Column::new("price", "decimal(12,2)").not_null().default_expr("0.00");
    with_comment.comment = Some("in cents? no".into());
    let ops = vec![
        TableOp::DropPrimaryKey(PrimaryKey { name: None, columns: vec!["id".into()], on_conflict: None }),
        TableOp::DropUnique(UniqueConstraint {
            name: Some("uq_old".into()),
            columns: vec!["title".into()],
            nulls_not_distinct: false,
            deferrable: Default::default(),
            comment: None,
            on_conflict: None,
        }),
        TableOp::DropCheck(check("price_positive", "`price` >= 0")),
        TableOp::RenameColumn { from: "notes".into(), to: "remarks".into() },
        TableOp::RenameColumn { from: "kind".into(), to: "genre".into() },
        TableOp::DropColumn(Column::new("secret", "int(11)")),
        TableOp::AlterColumn { from: Column::new("price", "decimal(10,2)"), to: with_comment },
        TableOp::AlterColumn {
            from: Column::new("genre", "enum('novel','essay')"),
            to: Column::new("genre", "enum('novel','essay','poem')").not_null().default_expr("'novel'"),
        },
        TableOp::AddColumn { column: Column::new("isbn", "char(13)"), position: ColumnPosition::First },
        TableOp::AddColumn {
            column: Column::new("pages", "smallint(5) unsigned").not_null().default_expr("0"),
            position: ColumnPosition::After("title".into()),
        },
        TableOp::AddColumn { column: Column::new("tail", "int(11)"), position: ColumnPosition::Last },
        TableOp::AddPrimaryKey(PrimaryKey {
            name: None,
            columns: vec!["id".into(), "title".into()],
            on_conflict: None,
        }),
        TableOp::AddUnique(UniqueConstraint {
            name: Some("uq_isbn".into()),
            columns: vec!["isbn".into()],
            nulls_not_distinct: false,
            deferrable: Default::default(),
            comment: None,
            on_conflict: None,
        }),
        TableOp::AddCheck(check("pages_positive", "`pages` >= 0")),
        TableOp::SetOptions {
            from: options("MyISAM", "latin1", "latin1_swedish_ci"),
            to: TableOptions::MySql {
                engine: Some("InnoDB".into()),
                charset: Some("utf8mb4".into()),
                collation: Some("utf8mb4_unicode_ci".into()),
                row_format: Some("COMPRESSED".into()),
            },
        },
    ];
    let planned = with_hazards(
        Change::AlterTable { table: t("books"), ops },
        &[(HazardKind::DataLoss, "drops column books.secret"), (HazardKind::TableCopy, "copies books")],
    );
    insta::assert_snapshot!(emit(vec![planned]));
}

#[test]
fn moved_columns_are_one_clause_each() {
    // `b` only moves, `c` moves and changes, `d` is renamed from `old_d` and
    // moves: one MODIFY / CHANGE with its position each, in the order given.
    let ops = vec![
        TableOp::RenameColumn { from: "old_d".into(), to: "d".into() },
        TableOp::RenameColumn { from: "e0".into(), to: "e".into() },
        TableOp::AlterColumn { from: Column::new("c", "int(11)"), to: Column::new("c", "bigint(20)").not_null() },
        TableOp::MoveColumn { column: Column::new("b", "int(11)"), position: ColumnPosition::First },
        TableOp::MoveColumn {
            column: Column::new("c", "bigint(20)").not_null(),
            position: ColumnPosition::After("b".into()),
        },
        TableOp::AddColumn { column: Column::new("n", "int(11)"), position: ColumnPosition::After("c".into()) },
        TableOp::MoveColumn { column: Column::new("d", "varchar(5)"), position: ColumnPosition::After("n".into()) },
    ];
    insta::assert_snapshot!(emit_one(Change::AlterTable { table: t("t"), ops }));
}

#[test]
fn alter_table_single_operations() {
    let changes = vec![
        change(Change::AlterTable {
            table: t("books"),
            ops: vec![TableOp::AddColumn { column: Column::new("x", "int(11)"), position: ColumnPosition::Last }],
        }),
        change(Change::AlterTable {
            table: t("books"),
            ops: vec![TableOp::SetOptions {
                from: TableOptions::MySql {
                    engine: None,
                    charset: None,
                    collation: None,
                    row_format: Some("DYNAMIC".into()),
                },
                to: TableOptions::Default,
            }],
        }),
        // Nothing the server can be told: no statement at all.
        change(Change::AlterTable {
            table: t("books"),
            ops: vec![TableOp::SetOptions {
                from: options("MyISAM", "latin1", "latin1_bin"),
                to: TableOptions::Default,
            }],
        }),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn alter_table_hostile() {
    let ops = vec![
        TableOp::AddColumn { column: Column::new(HOSTILE, "text"), position: ColumnPosition::After(NON_ASCII.into()) },
        TableOp::RenameColumn { from: NON_ASCII.into(), to: HOSTILE.into() },
        TableOp::DropColumn(Column::new("x` y", "int(11)")),
        TableOp::DropCheck(check(HOSTILE, "1")),
    ];
    insta::assert_snapshot!(emit_one(Change::AlterTable { table: t(HOSTILE), ops }));
}

#[test]
fn create_and_drop_indexes() {
    let mut spatial = index("sp", &["geo"]);
    spatial.kind = IndexKind::Spatial;
    let mut fulltext = index("ft", &["body", "title"]);
    fulltext.kind = IndexKind::Fulltext { parser: Some("ngram".into()) };
    fulltext.comment = Some("search".into());
    let mut functional = index("fn_idx", &["a"]);
    functional.parts.push(schemasync_model::IndexPart::expression("lower(`b`)"));
    functional.parts[1].descending = true;
    let mut hashed = index("h", &["a"]).unique();
    hashed.method = Some("HASH".into());
    let mut ignored = index("ig", &["a"]);
    ignored.comment = Some("not used".into());
    ignored.options = vec!["IGNORED".into()];
    let mut invisible = index("inv", &["b"]);
    invisible.options = vec!["INVISIBLE".into()];
    let changes = vec![
        change(Change::DropIndex { table: t("docs"), index: index("old", &["a"]) }),
        with_hazards(
            Change::CreateIndex { table: t("docs"), index: hashed },
            &[(HazardKind::FailsOnExistingRows, "unique index h on docs fails on duplicates")],
        ),
        change(Change::CreateIndex { table: t("docs"), index: spatial }),
        change(Change::CreateIndex { table: t("docs"), index: fulltext }),
        change(Change::CreateIndex { table: t("docs"), index: functional }),
        change(Change::CreateIndex { table: t("docs"), index: ignored }),
        change(Change::CreateIndex { table: t("docs"), index: invisible }),
        change(Change::CreateIndex { table: t(HOSTILE), index: index(HOSTILE, &[NON_ASCII]) }),
        change(Change::DropIndex { table: t(HOSTILE), index: index(HOSTILE, &[NON_ASCII]) }),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn add_and_drop_foreign_keys() {
    let mut cascade = fk("fk_b", &["b_id"], "b", &["id"]);
    cascade.on_delete = FkAction::Cascade;
    cascade.on_update = FkAction::SetNull;
    let mut unnamed = fk("x", &["c"], "c", &["id"]);
    unnamed.name = None;
    // RESTRICT and NO ACTION are written as the model has them.
    unnamed.on_delete = FkAction::Restrict;
    let changes = vec![
        change(Change::DropForeignKey { table: t("a"), foreign_key: fk("fk_old", &["x"], "b", &["id"]) }),
        change(Change::DropForeignKey { table: t(HOSTILE), foreign_key: fk(HOSTILE, &["x"], "b", &["id"]) }),
        with_hazards(
            Change::AddForeignKey { table: t("a"), foreign_key: cascade },
            &[(HazardKind::FailsOnExistingRows, "fk_b fails on orphans")],
        ),
        // The index named like the foreign key joins its statement.
        change(Change::CreateIndex { table: t("a"), index: index("fk_b", &["b_id"]) }),
        change(Change::CreateIndex { table: t("a"), index: index("other", &["b_id"]) }),
        change(Change::AddForeignKey { table: t("a"), foreign_key: unnamed }),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn create_and_drop_views() {
    let mut full = view("v_books", "select `books`.`id` AS `id`,`books`.`title` AS `title` from `books`");
    full.columns = vec!["id".into(), "title".into()];
    full.check_option = Some(CheckOption::Cascaded);
    full.mysql = Some(view_options(Some("MERGE"), Some("INVOKER")));
    let mut defined = view("v_definer", "select 1 AS `1`");
    defined.mysql = Some(schemasync_model::MySqlViewOptions {
        algorithm: None,
        security: Some("DEFINER".into()),
        definer: Some("`admin`@`%`".into()),
    });
    let mut local = view(HOSTILE, "select 2 AS `two`");
    local.check_option = Some(CheckOption::Local);
    let changes = vec![
        change(Change::DropView(view("v_old", "select 1"))),
        change(Change::CreateView(full)),
        change(Change::CreateView(defined)),
        change(Change::CreateView(local)),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn routines_are_written_verbatim_and_replaced_by_drop_and_create() {
    let function = routine(
        RoutineKind::Function,
        "add_one",
        "CREATE FUNCTION `add_one`(`x` int) RETURNS int(11)\n    DETERMINISTIC\nRETURN x + 1",
    );
    let procedure =
        routine(RoutineKind::Procedure, "p`roc", "CREATE PROCEDURE `p``roc`()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND");
    let mut changed = function.clone();
    changed.definition = changed.definition.replace("x + 1", "x + 2");
    // A routine with its sql_mode is created under it, and the session's restored.
    changed.sql_mode = Some("PIPES_AS_CONCAT,STRICT_TRANS_TABLES".into());
    let changes = vec![
        change(Change::DropRoutine(routine(RoutineKind::Procedure, "gone", "CREATE PROCEDURE gone() SELECT 1"))),
        change(Change::CreateRoutine(procedure)),
        change(Change::ReplaceRoutine { from: function, to: changed }),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn triggers_of_one_firing_point_are_created_in_order() {
    let mut second = trigger(
        "books",
        "b_second",
        TriggerTiming::Before,
        TriggerEvent::Insert,
        "SET NEW.title = concat(NEW.title, '2')",
    );
    second.order = Some(2);
    let mut first = trigger(
        "books",
        "z_first",
        TriggerTiming::Before,
        TriggerEvent::Insert,
        "SET NEW.title = concat(NEW.title, '1')",
    );
    first.order = Some(1);
    let compound = trigger(
        "books",
        "audit",
        TriggerTiming::After,
        TriggerEvent::Delete,
        "BEGIN\n  INSERT INTO log VALUES (OLD.id);\n  DELETE FROM tags WHERE book = OLD.id;\nEND",
    );
    second.sql_mode = Some("ANSI_QUOTES".into());
    let changes = vec![
        change(Change::DropTrigger(trigger("books", "old", TriggerTiming::Before, TriggerEvent::Update, "SET @x = 1"))),
        change(Change::CreateTrigger(second)),
        change(Change::CreateTrigger(compound)),
        change(Change::CreateTrigger(first)),
        change(Change::CreateTrigger(trigger(
            HOSTILE,
            HOSTILE,
            TriggerTiming::After,
            TriggerEvent::Update,
            "SET @x = 1",
        ))),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn triggers_placed_next_to_existing_ones() {
    let placed = |name: &str, order: u32, neighbour: &str| {
        let mut t = trigger("books", name, TriggerTiming::Before, TriggerEvent::Insert, "SET @x = 1");
        t.order = Some(order);
        t.depends_on = vec![ObjectKey::Trigger { table: t.table.clone(), name: neighbour.into() }];
        t
    };
    // The first of the group goes before the kept `kept`; the next follows it.
    let changes = vec![
        change(Change::CreateTrigger(placed("first", 1, "kept"))),
        change(Change::CreateTrigger(placed("second", 2, "first"))),
        change(Change::CreateTrigger(placed("last", 4, HOSTILE))),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn create_and_drop_events() {
    let mut disabled = event(
        "nightly",
        "EVERY 1 DAY STARTS '2024-01-01 00:00:00'",
        "DELETE FROM log WHERE at < now() - INTERVAL 30 DAY",
    );
    disabled.enabled = false;
    disabled.preserve = true;
    disabled.comment = Some("purge 'old' rows".into());
    disabled.sql_mode = Some(String::new());
    let changes = vec![
        change(Change::DropEvent(event("gone", "AT '2030-01-01 00:00:00'", "SELECT 1"))),
        change(Change::CreateEvent(disabled)),
        change(Change::CreateEvent(event(HOSTILE, "AT '2030-01-01 00:00:00'", "BEGIN\n  SELECT 1;\n  SELECT 2;\nEND"))),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn table_comments() {
    let changes = vec![
        change(Change::SetComment {
            target: ObjectKey::Table { name: t("books") },
            comment: Some("it's \\ new".into()),
        }),
        change(Change::SetComment { target: ObjectKey::Table { name: t(HOSTILE) }, comment: None }),
    ];
    insta::assert_snapshot!(emit(changes));
}

#[test]
fn unsupported_changes_name_what_they_are() {
    let mut materialized = view("mv", "select 1");
    materialized.materialized = true;
    let mut exclusion_table = simple("t", &["a"]);
    exclusion_table.exclusions.push(schemasync_model::ExclusionConstraint {
        name: "no_overlap".into(),
        method: "gist".into(),
        elements: Vec::new(),
        include: Vec::new(),
        predicate: None,
        deferrable: Default::default(),
        comment: None,
    });
    let mut instead_of = trigger("v", "tr", TriggerTiming::InsteadOf, TriggerEvent::Insert, "SET @x = 1");
    instead_of.order = None;
    let changes = vec![
        Change::CreateNamespace(Namespace { name: "app".into(), owner: None, grants: Vec::new(), comment: None }),
        Change::CreateExtension(Extension { name: "citext".into(), schema: None, version: None, comment: None }),
        Change::CreateSequence(Sequence {
            name: t("seq"),
            options: Default::default(),
            owned_by: None,
            owner: None,
            grants: Vec::new(),
            comment: None,
        }),
        Change::RebuildTable { from: simple("t", &["a"]), to: simple("t", &["a", "b"]) },
        Change::CreateView(materialized),
        Change::CreateTable { table: exclusion_table, deferred_foreign_keys: Vec::new() },
        Change::CreateTrigger(instead_of),
        Change::SetComment { target: ObjectKey::Column { table: t("t"), column: "a".into() }, comment: None },
    ];
    let messages: Vec<String> = changes.into_iter().map(|c| emit_err(c).to_string()).collect();
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    let mut unnamed_check = check("x", "1");
    unnamed_check.name = None;
    let mut fk_mismatch = fk("f", &["a", "b"], "p", &["id"]);
    fk_mismatch.on_delete = FkAction::Cascade;
    let mut empty_range = simple("p", &["a"]);
    empty_range.partitioning = Some(Partitioning {
        strategy: PartitionStrategy::Range,
        columns_form: false,
        key: Vec::new(),
        partitions: Vec::new(),
        count: None,
        subpartitioning: None,
    });
    let mut bad_row_format = simple("r", &["a"]);
    bad_row_format.options = TableOptions::MySql {
        engine: None,
        charset: None,
        collation: None,
        row_format: Some("DYNAMIC; DROP TABLE x".into()),
    };
    let mut bad_view = view("v", "select 1");
    bad_view.mysql = Some(view_options(Some("FAST"), None));
    let changes = vec![
        Change::CreateTable { table: Table::new("empty"), deferred_foreign_keys: Vec::new() },
        Change::AlterTable { table: t("t"), ops: vec![TableOp::DropCheck(unnamed_check)] },
        Change::AddForeignKey { table: t("t"), foreign_key: fk_mismatch },
        Change::CreateTable { table: empty_range, deferred_foreign_keys: Vec::new() },
        Change::CreateTable { table: bad_row_format, deferred_foreign_keys: Vec::new() },
        Change::CreateView(bad_view),
        Change::CreateRoutine(routine(RoutineKind::Function, "f", "  ")),
        Change::CreateEvent(event("e", "", "SELECT 1")),
        Change::CreateTrigger(trigger("t", "tr", TriggerTiming::Before, TriggerEvent::Insert, "")),
    ];
    let messages: Vec<String> = changes.into_iter().map(|c| emit_err(c).to_string()).collect();
    insta::assert_snapshot!(messages.join("\n"));
}

#[test]
fn statements_carry_no_semicolon_and_hazards_go_first() {
    let script = emit_plan(&plan(create_with_indexes(&books()))).unwrap();
    assert_eq!(script.statements.len(), 1);
    assert!(script.statements.iter().all(|s| s.transactional && !s.sql.ends_with(';')));
    let planned = with_hazards(
        Change::ReplaceRoutine {
            from: routine(RoutineKind::Function, "f", "CREATE FUNCTION f() RETURNS int RETURN 1"),
            to: routine(RoutineKind::Function, "f", "CREATE FUNCTION f() RETURNS int RETURN 2"),
        },
        &[(HazardKind::ExclusiveLock, "briefly missing")],
    );
    let script = emit_plan(&plan(vec![planned])).unwrap();
    assert_eq!(script.statements[0].hazards.len(), 1);
    assert!(script.statements[1].hazards.is_empty());
}

#[test]
fn keys_a_foreign_key_needs_are_replaced_in_one_alter_table() {
    let mut pk_index = index("PRIMARY", &["id"]);
    pk_index.unique = true;
    let ops = vec![
        TableOp::DropIndex(index("fk_p", &["p_id"])),
        TableOp::DropIndex(pk_index),
        TableOp::AddPrimaryKey(PrimaryKey { name: None, columns: vec!["n".into(), "p_id".into()], on_conflict: None }),
        TableOp::AddIndex(index("ix_p_x", &["p_id", "x"])),
        TableOp::AddIndex(index(HOSTILE, &["x"]).unique()),
    ];
    insta::assert_snapshot!(emit_one(Change::AlterTable { table: t("c"), ops }));
}

/// Old release → new release, as the differ plans it and the emitter
/// writes it: each key a kept foreign key needs is replaced in the
/// statement that drops it, and a foreign key without a key taking over,
/// or with its columns retyped, is dropped before and added after.
#[test]
fn foreign_keys_keep_their_keys_through_a_plan() {
    use schemasync_diff::{DiffOptions, diff};
    use schemasync_model::{Dialect, Index, Schema};
    let parent = |id_type: &str| {
        let mut p = simple("p", &["id", "code"]);
        p.columns[0].data_type = id_type.into();
        p.columns[0].nullable = false;
        p.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], on_conflict: None });
        p
    };
    let child = |p_id_type: &str, indexes: Vec<Index>| {
        let mut c = simple("c", &["id", "p_id", "x"]).with_foreign_key(fk("fk_p", &["p_id"], "p", &["id"]));
        c.columns[1].data_type = p_id_type.into();
        for i in indexes {
            c.indexes.insert(i.name.clone(), i);
        }
        c
    };
    let other = |p_id_type: &str, indexes: Vec<Index>| {
        let mut o = simple("o", &["id", "p_id"]).with_foreign_key(fk("fk_o", &["p_id"], "p", &["id"]));
        o.columns[1].data_type = p_id_type.into();
        for i in indexes {
            o.indexes.insert(i.name.clone(), i);
        }
        o
    };
    let schema = |tables: Vec<Table>| {
        let mut s = Schema::new(Dialect::MySql);
        for t in tables {
            s.add_table(t).expect("table");
        }
        s
    };
    let from = schema(vec![
        parent("int(11)"),
        child("int(11)", vec![index("fk_p", &["p_id"])]),
        other("int(11)", vec![index("ix_o", &["p_id"])]),
    ]);
    let to = schema(vec![
        parent("bigint(20)"),
        child("bigint(20)", vec![index("ix_p_x", &["p_id", "x"])]),
        other("bigint(20)", vec![index("ix_o", &["p_id", "id"])]),
    ]);
    let plan = diff(&from, &to, &DiffOptions::default()).expect("diff");
    insta::assert_snapshot!(show(&emit_plan(&plan).expect("renders")));
}
