//! The SQL the PostgreSQL emitter writes, one snapshot per change kind.

mod postgres_support;

use postgres_support::*;
use schemasync_diff::{Change, ColumnPosition, PlannedChange, Securable, TableOp};
use schemasync_emit::{EmitError, emit_plan};
use schemasync_model::{
    Collation, Column, Deferrable, Event, FkMatch, Grant, HazardKind, IndexPart, ObjectKey, QualifiedName, RoutineKey,
    RoutineKind, Rule, Statistics, Table, TableOptions, TriggerEvent, TriggerTiming, TypeKind, View,
};

fn emit(changes: Vec<PlannedChange>) -> String {
    show(&emit_plan(&plan(changes)).expect("renders"))
}

fn emit_all(changes: Vec<Change>) -> String {
    emit(changes.into_iter().map(change).collect())
}

fn error(change: Change) -> EmitError {
    emit_plan(&plan(vec![postgres_support::change(change)])).expect_err("refused")
}

fn alter(table: &str, ops: Vec<TableOp>) -> Change {
    Change::AlterTable { table: q(table), ops }
}

#[test]
fn schemas_and_extensions() {
    let old = extension("citext", Some("1.4"));
    let mut moved = extension("citext", None);
    moved.schema = Some("public".into());
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateNamespace(namespace(S)),
        Change::CreateExtension(old.clone()),
        Change::CreateExtension(schemasync_model::Extension {
            name: "uuid-ossp".into(),
            schema: None,
            version: None,
            comment: None
        }),
        Change::AlterExtension { from: old.clone(), to: extension("citext", Some("1.6")) },
        Change::AlterExtension { from: old.clone(), to: moved },
        Change::DropExtension(old),
        Change::DropNamespace(namespace(S)),
    ]));
}

#[test]
fn create_and_drop_types() {
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateType(mood(&["sad", "o'k", "a\\b"])),
        Change::CreateType(pair()),
        Change::CreateType(floatrange()),
        Change::CreateType(positive()),
        Change::DropType(mood(&["sad"])),
        Change::DropType(positive()),
    ]));
}

#[test]
fn enum_labels_are_added_next_to_their_neighbours() {
    insta::assert_snapshot!(emit_all(vec![Change::AlterType {
        from: mood(&["sad", "happy"]),
        to: mood(&["first", "sad", "o'k", "happy", "last"]),
    }]));
    let err = error(Change::AlterType { from: mood(&["sad", "happy"]), to: mood(&["happy", "sad"]) });
    assert!(matches!(err, EmitError::Unsupported { .. }), "{err}");
}

#[test]
fn composite_attributes_are_dropped_retyped_and_added() {
    let to = user_type(
        "pair",
        TypeKind::Composite {
            attributes: vec![
                attribute("b", "character varying(10)", None),
                attribute("c\"x", "numeric(4,1)", Some("C")),
            ],
        },
    );
    insta::assert_snapshot!(emit_all(vec![Change::AlterType { from: pair(), to }]));
    // A new attribute can only go last.
    let reordered = user_type(
        "pair",
        TypeKind::Composite { attributes: vec![attribute("new", "integer", None), attribute("a", "integer", None)] },
    );
    let err = error(Change::AlterType { from: pair(), to: reordered });
    assert!(err.to_string().contains("reordering the attributes"), "{err}");
}

#[test]
fn domain_default_not_null_and_checks() {
    let mut to = positive();
    if let TypeKind::Domain { not_null, default, checks, .. } = &mut to.kind {
        *not_null = false;
        *default = Some("42".into());
        checks[0].expr = "VALUE >= 0".into();
        checks.remove(1);
    }
    insta::assert_snapshot!(emit_all(vec![
        Change::AlterType { from: positive(), to: to.clone() },
        Change::AlterType { from: to, to: positive() },
    ]));
}

#[test]
fn sequences() {
    let seq = ticket_seq();
    let mut owned = seq.clone();
    owned.owned_by = Some((q(HOSTILE), "id\"".into()));
    let mut reset = seq.clone();
    reset.options = Default::default();
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateSequence(seq.clone()),
        Change::AlterSequence { from: seq.clone(), to: owned.clone() },
        Change::AlterSequence { from: owned, to: reset.clone() },
        Change::AlterSequence { from: seq.clone(), to: seq.clone() },
        Change::DropSequence(reset),
    ]));
}

#[test]
fn create_table_with_every_clause() {
    insta::assert_snapshot!(emit_all(vec![create(authors()), create(books())]));
}

#[test]
fn create_table_leaves_deferred_foreign_keys_to_later_changes() {
    let books = books();
    let author_fk = books.foreign_keys[0].clone();
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateTable { table: books, deferred_foreign_keys: vec![0, 1] },
        Change::AddForeignKey { table: q("books"), foreign_key: author_fk },
    ]));
}

#[test]
fn create_table_adds_uniques_on_the_primary_key_columns_afterwards() {
    // CREATE TABLE would merge them into the key (or the first unique).
    let mut table = Table::new(q("item"))
        .with_column(Column::new("id", "integer").not_null())
        .with_column(Column::new("code", "integer").not_null());
    table.primary_key = Some(pk("item_pkey", &["id"]));
    table.uniques =
        vec![unique("item_code_key", &["code"]), unique("item_id_key", &["id"]), unique("item_code_key2", &["code"])];
    table.uniques.push(unique("item_pair_key", &["id", "code"]));
    insta::assert_snapshot!(emit_all(vec![create(table)]));
}

#[test]
fn create_partitioned_table_and_partition() {
    let mut hash = events();
    hash.name = q("by_hash");
    if let Some(p) = &mut hash.partitioning {
        p.strategy = schemasync_model::PartitionStrategy::Hash;
        p.key = vec!["id".into(), "(lower((payload ->> 'k'::text)))".into()];
    }
    let mut default_part = events_2024();
    default_part.name = q("events_other");
    default_part.checks.clear();
    if let Some(p) = &mut default_part.partition_of {
        p.bound = "DEFAULT".into();
    }
    default_part.options = pg_options(true, false, false, &[]);
    insta::assert_snapshot!(emit_all(vec![
        create(events()),
        create(events_2024()),
        create(default_part),
        create(hash)
    ]));
}

#[test]
fn create_table_hostile_identifiers() {
    let mut hostile_fk = fk("fk \"quoted\"", &["ref col"], HOSTILE, &["id"]);
    hostile_fk.ref_table = QualifiedName::new(Some("other\"schema"), HOSTILE);
    let mut table = Table::new(q(HOSTILE))
        .with_column(Column::new("id", "integer").not_null())
        .with_column(Column::new("ref col", "integer"))
        .with_column(Column::new("naïve 名前", "text").collate("en_US.utf8").default_expr("'it''s'::text"))
        .with_column(Column::new("odd]", "text").collate("a\"b"))
        .with_foreign_key(hostile_fk)
        .with_check(check(Some("chk; DROP TABLE y"), "\"ref col\" > 0"));
    table.primary_key = Some(pk(HOSTILE, &["id"]));
    table.uniques.push(unique("uq \"x\"", &["naïve 名前", "odd]"]));
    insta::assert_snapshot!(emit_all(vec![create(table), Change::DropTable(Table::new(q(HOSTILE)))]));
}

#[test]
fn create_table_without_columns() {
    insta::assert_snapshot!(emit_all(vec![create(Table::new(q("empty")))]));
}

#[test]
fn alter_table_columns_share_statements_around_renames() {
    let ops = vec![
        TableOp::DropCheck(check(Some("price_positive"), "price >= (0)::numeric")),
        TableOp::RenameColumn { from: "old name".into(), to: "new \"name\"".into() },
        TableOp::RenameColumn { from: "a".into(), to: "b".into() },
        TableOp::DropColumn(Column::new("tags", "text[]")),
        TableOp::AlterColumn {
            from: Column::new("price", "numeric(10,2)").default_expr("0"),
            to: Column::new("price", "numeric(12,3)").not_null().default_expr("0.5"),
        },
        TableOp::AlterColumn {
            from: Column::new("title", "text").not_null().default_expr("''::text"),
            to: Column::new("title", "text").collate("C"),
        },
        TableOp::AddColumn {
            column: Column::new("isbn", "character varying(13)").not_null().default_expr("''::character varying"),
            position: ColumnPosition::Last,
        },
        TableOp::AddCheck(check(Some("isbn_length"), "length((isbn)::text) = ANY (ARRAY[0, 13])")),
    ];
    insta::assert_snapshot!(emit(vec![with_hazards(
        alter("books", ops),
        &[(HazardKind::DataLoss, "drops column books.tags")]
    )]));
}

/// Each type change converts as the hazards assume: bounded strings by the
/// assignment cast (raises on a value too long, where USING CAST would cut
/// it), pairs without an assignment cast by USING CAST, pairs without any
/// cast by NULL.
#[test]
fn alter_column_type_conversions_match_the_hazards() {
    let retype = |name: &str, from: &str, to: &str| TableOp::AlterColumn {
        from: Column::new(name, from),
        to: Column::new(name, to),
    };
    let ops = vec![
        retype("code", "text", "character varying(10)"),
        retype("tag", "character varying(20)", "character(5)"),
        retype("tags", "character varying(20)[]", "character varying(5)[]"),
        retype("flags", "bit varying(8)", "bit varying(4)"),
        retype("digits", "text", "integer"),
        retype("price", "numeric(10,2)", "integer"),
        retype("note", "character varying(10)", "text"),
        retype("seen", "integer", "timestamp with time zone"),
    ];
    insta::assert_snapshot!(emit(vec![with_hazards(alter("items", ops), &[])]));
}

#[test]
fn alter_column_types_without_a_cast_take_null_or_the_new_default() {
    let ops = vec![
        TableOp::AlterColumn { from: Column::new("ref", "bigint"), to: Column::new("ref", "uuid") },
        TableOp::AlterColumn {
            from: Column::new("n", "bigint").not_null().default_expr("0"),
            to: Column::new("n", "uuid").not_null().default_expr("gen_random_uuid()"),
        },
        TableOp::AlterColumn { from: Column::new("ids", "integer[]"), to: Column::new("ids", "uuid[]") },
        // text to an array has the I/O conversion cast.
        TableOp::AlterColumn { from: Column::new("tags", "text"), to: Column::new("tags", "integer[]") },
    ];
    insta::assert_snapshot!(emit(vec![with_hazards(alter("items", ops), &[])]));
}

#[test]
fn alter_column_identity_and_generation() {
    let plain = Column::new("id", "bigint").not_null().default_expr("nextval('t_id_seq'::regclass)");
    let mut by_default = Column::new("id", "bigint").not_null();
    by_default.identity = Some(identity(false, None));
    let mut always = by_default.clone();
    always.identity = Some(schemasync_model::Identity {
        always: true,
        sequence: schemasync_model::SequenceOptions {
            increment: Some(2),
            min_value: Some(-5),
            max_value: None,
            cycle: true,
            ..Default::default()
        },
    });
    let mut unbounded = always.clone();
    if let Some(identity) = &mut unbounded.identity {
        identity.sequence.min_value = None;
        identity.sequence.cycle = false;
    }
    let nullable = Column::new("id", "bigint");
    let generated = Column::new("slug", "text").generated_as("lower(title)", true);
    let ops = |from: &Column, to: &Column| vec![TableOp::AlterColumn { from: from.clone(), to: to.clone() }];
    insta::assert_snapshot!(emit_all(vec![
        alter("t", ops(&plain, &by_default)),
        alter("t", ops(&by_default, &always)),
        alter("t", ops(&always, &unbounded)),
        alter("t", ops(&unbounded, &nullable)),
        alter("t", ops(&generated, &Column::new("slug", "text"))),
    ]));
}

#[test]
fn generated_expressions_cannot_change_in_place() {
    let from = Column::new("slug", "text").generated_as("lower(title)", true);
    let to = Column::new("slug", "text").generated_as("upper(title)", true);
    let err = error(alter("t", vec![TableOp::AlterColumn { from: from.clone(), to }]));
    assert!(err.to_string().contains("SET EXPRESSION"), "{err}");
    let err = error(alter("t", vec![TableOp::AlterColumn { from: Column::new("slug", "text"), to: from }]));
    assert!(matches!(err, EmitError::Unsupported { .. }), "{err}");
    let virtual_column = Column::new("v", "integer").generated_as("1", false);
    let err = error(alter("t", vec![TableOp::AddColumn { column: virtual_column, position: ColumnPosition::Last }]));
    assert!(err.to_string().contains("STORED"), "{err}");
}

#[test]
fn alter_table_constraints() {
    let books = books();
    let mut deferred = unique("u", &["a", "b"]);
    deferred.deferrable = Deferrable::InitiallyImmediate;
    let mut not_valid = check(None, "a > 0");
    not_valid.not_valid = true;
    not_valid.no_inherit = true;
    let ops = vec![
        TableOp::DropPrimaryKey(pk("books_pkey", &["id"])),
        TableOp::DropUnique(unique("u", &["a"])),
        TableOp::DropExclusion(books.exclusions[0].clone()),
        TableOp::AddPrimaryKey(pk("books_pkey", &["id", "author_id"])),
        TableOp::AddUnique(deferred),
        TableOp::AddCheck(not_valid),
        TableOp::AddExclusion(books.exclusions[0].clone()),
    ];
    insta::assert_snapshot!(emit_all(vec![alter("books", ops)]));
    let err = error(alter("books", vec![TableOp::DropCheck(check(None, "a > 0"))]));
    assert!(matches!(err, EmitError::Invalid { .. }), "{err}");
}

#[test]
fn alter_table_options() {
    insta::assert_snapshot!(emit_all(vec![
        alter(
            "books",
            vec![TableOp::SetOptions {
                from: TableOptions::Default,
                to: pg_options(true, true, true, &["fillfactor=70", "autovacuum_enabled=false"]),
            }]
        ),
        alter(
            "books",
            vec![TableOp::SetOptions {
                from: pg_options(true, true, true, &["fillfactor=70", "autovacuum_enabled=false"]),
                to: pg_options(false, false, false, &["fillfactor=50"]),
            }]
        ),
    ]));
}

#[test]
fn foreign_keys() {
    let books = books();
    insta::assert_snapshot!(emit_all(vec![
        Change::DropForeignKey { table: q("books"), foreign_key: books.foreign_keys[0].clone() },
        Change::AddForeignKey { table: q("books"), foreign_key: books.foreign_keys[0].clone() },
        Change::AddForeignKey { table: q("books"), foreign_key: books.foreign_keys[1].clone() },
    ]));
    let mut partial = books.foreign_keys[0].clone();
    partial.match_type = FkMatch::Partial;
    let err = error(Change::AddForeignKey { table: q("books"), foreign_key: partial });
    assert!(matches!(err, EmitError::Unsupported { .. }), "{err}");
}

#[test]
fn indexes_plain_and_concurrent() {
    let hostile = schemasync_model::Index::on_columns("ix \"x\"; --", ["naïve 名前"]);
    let mut expression = schemasync_model::Index::on_columns("by_expr", [""; 0]);
    expression.parts =
        vec![IndexPart::expression("a + b"), IndexPart { nulls_first: Some(true), ..IndexPart::column("c") }];
    insta::assert_snapshot!(emit(vec![
        change(Change::CreateIndex { table: q("books"), index: title_index() }),
        change(Change::CreateIndex { table: q("books"), index: price_index() }),
        change(Change::CreateIndex { table: q(HOSTILE), index: hostile.clone() }),
        with_hazards(
            Change::CreateIndex { table: q("books"), index: expression.clone() },
            &[(HazardKind::NonTransactional, "CREATE INDEX CONCURRENTLY by_expr cannot run inside a transaction")]
        ),
        change(Change::SetComment {
            target: ObjectKey::Index { table: q("books"), name: "by_expr".into() },
            comment: Some("built online".into())
        }),
        change(Change::DropIndex { table: q(HOSTILE), index: hostile }),
    ]));
}

#[test]
fn views_and_materialized_views() {
    let mut plain = View::new(q("v\"1"), "SELECT 1 AS one -- trailing comment");
    plain.columns = vec!["uno".into()];
    plain.check_option = Some(schemasync_model::CheckOption::Local);
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateView(book_titles()),
        Change::CreateView(author_counts()),
        Change::CreateView(plain.clone()),
        Change::CreateView(View::new(q("commented"), "SELECT '--' AS dashes -- the end;")),
        Change::DropView(plain),
        Change::DropView(author_counts()),
    ]));
}

#[test]
fn routines() {
    let plain = routine(
        RoutineKind::Function,
        "add",
        "integer, integer",
        "create function s.add(a integer, b integer) returns integer language sql as $$select a + b$$;".into(),
    );
    let mut aggregate = routine(RoutineKind::Aggregate, "total", "", "CREATE AGGREGATE s.total(*) (...)".into());
    aggregate.language = None;
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateRoutine(touch()),
        Change::ReplaceRoutine { from: touch(), to: touch() },
        Change::ReplaceRoutine { from: plain.clone(), to: plain.clone() },
        Change::DropRoutine(plain),
        Change::DropRoutine(restock()),
        Change::DropRoutine(aggregate),
    ]));
}

#[test]
fn aggregates_are_created_verbatim_and_replaced_by_drop_and_create() {
    let definition = |init: &str| {
        format!(
            "CREATE AGGREGATE {}(text) (\n    SFUNC = {},\n    STYPE = text,\n    INITCOND = {init}\n)",
            qs("\"csv\""),
            qs("acc")
        )
    };
    let mut old = routine(RoutineKind::Aggregate, "csv", "text", definition("''"));
    old.language = None;
    let new = schemasync_model::Routine { definition: definition("'it''s'"), ..old.clone() };
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateRoutine(old.clone()),
        Change::ReplaceRoutine { from: old.clone(), to: new },
        Change::DropRoutine(old),
    ]));
}

#[test]
fn collations_bare_and_schema_qualified() {
    let table = Table::new(q("names"))
        .with_column(Column::new("plain", "text").collate("C"))
        .with_column(Column::new("dotted", "text").collate("en_US.utf8"))
        .with_column(Column::new("mine", "text").collate("\"app\".\"no\"\"case\""));
    let mut index = schemasync_model::Index::on_columns("names_mine", ["mine"]);
    index.parts[0].collation = Some("\"app\".\"no\"\"case\"".into());
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateTable { table, deferred_foreign_keys: Vec::new() },
        Change::CreateIndex { table: q("names"), index },
        alter(
            "names",
            vec![TableOp::AlterColumn {
                from: Column::new("plain", "text").collate("C"),
                to: Column::new("plain", "text").collate("\"public\".\"ci\""),
            }]
        ),
        Change::CreateType(user_type(
            "ci",
            TypeKind::Domain {
                base_type: "text".into(),
                not_null: false,
                default: None,
                collation: Some("\"app\".\"nocase\"".into()),
                checks: Vec::new(),
            }
        )),
        Change::CreateType(user_type(
            "cirange",
            TypeKind::Range {
                subtype: "text".into(),
                subtype_opclass: None,
                collation: Some("\"app\".\"nocase\"".into()),
                canonical: None,
                subtype_diff: None,
                multirange: None,
            }
        )),
    ]));
}

#[test]
fn triggers() {
    let mut statement = trigger(
        HOSTILE,
        "tr \"x\"",
        TriggerTiming::After,
        &[TriggerEvent::Update, TriggerEvent::Delete, TriggerEvent::Truncate],
        format!("EXECUTE FUNCTION {}('it''s')", qs("audit")),
    );
    statement.for_each_row = false;
    statement.update_columns = vec!["a\"".into(), "b".into()];
    let instead = trigger(
        "book_titles",
        "instead",
        TriggerTiming::InsteadOf,
        &[TriggerEvent::Insert],
        format!("EXECUTE FUNCTION {}()", qs("touch")),
    );
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateTrigger(books_touch()),
        Change::CreateTrigger(authors_audit()),
        Change::CreateTrigger(statement.clone()),
        Change::CreateTrigger(instead),
        Change::DropTrigger(statement),
    ]));
}

#[test]
fn policies() {
    let mut policy = readers();
    policy.name = "p \"x\"".into();
    policy.permissive = true;
    policy.command = schemasync_model::PolicyCommand::All;
    policy.roles = vec!["admin".into(), "public".into(), "We\"ird".into()];
    policy.with_check = Some("true".into());
    insta::assert_snapshot!(emit_all(vec![
        Change::CreatePolicy { table: q("authors"), policy: readers() },
        Change::CreatePolicy { table: q("authors"), policy: policy.clone() },
        Change::DropPolicy { table: q("authors"), policy },
    ]));
}

#[test]
fn comments_on_every_kind_of_object() {
    let comment = |target: ObjectKey| Change::SetComment { target, comment: Some("it's \\ here".into()) };
    insta::assert_snapshot!(emit_all(vec![
        comment(ObjectKey::Namespace { name: S.into() }),
        comment(ObjectKey::Extension { name: "citext".into() }),
        comment(ObjectKey::Type { name: q("mood") }),
        comment(ObjectKey::Sequence { name: q("ticket_seq") }),
        comment(ObjectKey::Table { name: q(HOSTILE) }),
        comment(ObjectKey::Column { table: q(HOSTILE), column: "c\"".into() }),
        comment(ObjectKey::View { name: q("book_titles") }),
        comment(ObjectKey::Index { table: q("books"), name: "books_title_idx".into() }),
        comment(ObjectKey::Constraint { table: q("books"), name: "price_positive".into() }),
        comment(ObjectKey::Routine { key: routine_key(RoutineKind::Function, "add", "integer, integer") }),
        comment(ObjectKey::Routine { key: routine_key(RoutineKind::Procedure, "restock", "integer") }),
        comment(ObjectKey::Routine { key: routine_key(RoutineKind::Aggregate, "total", "") }),
        comment(ObjectKey::Trigger { table: q("books"), name: "books_touch".into() }),
        comment(ObjectKey::Policy { table: q("authors"), name: "readers".into() }),
        Change::SetComment { target: ObjectKey::Table { name: q("books") }, comment: None },
    ]));
}

#[test]
fn comments_on_materialized_views_follow_the_plan() {
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateView(author_counts()),
        Change::SetComment { target: ObjectKey::View { name: q("author_counts") }, comment: Some("counts".into()) },
    ]));
}

fn routine_key(kind: RoutineKind, name: &str, signature: &str) -> RoutineKey {
    RoutineKey { kind, name: q(name), signature: signature.into() }
}

fn grant(grantee: &str, privilege: &str, columns: &[&str], with_grant_option: bool) -> Grant {
    Grant {
        grantee: grantee.into(),
        privilege: privilege.into(),
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        with_grant_option,
    }
}

#[test]
fn owners_and_privileges() {
    let set = |target: Securable, revoke: Vec<Grant>, owner: Option<&str>, grant: Vec<Grant>| Change::SetPrivileges {
        target,
        revoke,
        owner: owner.map(str::to_owned),
        grant,
    };
    insta::assert_snapshot!(emit_all(vec![
        set(
            Securable::Namespace { name: S.into() },
            vec![],
            Some("app owner"),
            vec![grant("reader", "USAGE", &[], false)]
        ),
        set(
            Securable::Table { name: q(HOSTILE) },
            vec![grant("PUBLIC", "SELECT", &[], false), grant("x\"y", "UPDATE", &["c\""], false)],
            Some("r\"; DROP ROLE x; --"),
            vec![grant("reader", "SELECT", &["a", "c\""], true), grant("PUBLIC", "INSERT", &[], false)],
        ),
        set(Securable::View { name: q("book_titles"), materialized: false }, vec![], Some("o"), vec![]),
        set(
            Securable::View { name: q("author_counts"), materialized: true },
            vec![],
            Some("o"),
            vec![grant("r", "SELECT", &[], false)]
        ),
        set(Securable::Sequence { name: q("ticket_seq") }, vec![], None, vec![grant("r", "USAGE", &[], false)]),
        set(
            Securable::Type { name: q("mood"), domain: false },
            vec![],
            Some("o"),
            vec![grant("r", "USAGE", &[], false)]
        ),
        set(
            Securable::Type { name: q("positive"), domain: true },
            vec![],
            Some("o"),
            vec![grant("r", "USAGE", &[], false)]
        ),
        set(
            Securable::Routine { key: routine_key(RoutineKind::Function, "add", "integer, integer") },
            vec![grant("PUBLIC", "EXECUTE", &[], false)],
            Some("o"),
            vec![grant("r", "EXECUTE", &[], false)],
        ),
        set(
            Securable::Routine { key: routine_key(RoutineKind::Procedure, "restock", "integer") },
            vec![],
            Some("o"),
            vec![]
        ),
        set(
            Securable::Routine { key: routine_key(RoutineKind::Aggregate, "total", "") },
            vec![],
            Some("o"),
            vec![grant("r", "EXECUTE", &[], false)],
        ),
    ]));
}

#[test]
fn collations() {
    let icu = Collation {
        name: q("ci \"x\""),
        provider: "icu".into(),
        locale: Some("und-u-ks-level2".into()),
        lc_collate: None,
        lc_ctype: None,
        nondeterministic: true,
        comment: None,
    };
    let libc = Collation {
        name: q("c'ish"),
        provider: "libc".into(),
        locale: None,
        lc_collate: Some("de_DE.utf8".into()),
        lc_ctype: Some("de_DE'x".into()),
        nondeterministic: false,
        comment: None,
    };
    insta::assert_snapshot!(emit_all(vec![
        Change::CreateCollation(icu.clone()),
        Change::CreateCollation(libc.clone()),
        Change::SetComment { target: ObjectKey::Collation { name: q("ci \"x\"") }, comment: Some("it's".into()) },
        Change::DropCollation(libc),
    ]));
    let bare = Collation { locale: None, ..icu };
    assert!(matches!(error(Change::CreateCollation(bare)), EmitError::Unsupported { .. }));
}

#[test]
fn rules_and_statistics() {
    let rule = Rule {
        table: q(HOSTILE),
        name: "r; \"x\"".into(),
        definition: "CREATE RULE \"r; \"\"x\"\"\" AS\n    ON DELETE TO t DO INSTEAD NOTHING;".into(),
        comment: None,
    };
    let stats = Statistics {
        name: q("t_ab"),
        table: q("t"),
        definition: "CREATE STATISTICS lib.t_ab ON a, b FROM lib.t".into(),
        target: Some(500),
        comment: None,
    };
    insta::assert_snapshot!(emit_all(vec![
        Change::DropRule(rule.clone()),
        Change::DropStatistics(stats.clone()),
        Change::CreateRule(rule.clone()),
        Change::CreateStatistics(stats),
        Change::SetComment { target: ObjectKey::Rule { table: q(HOSTILE), name: rule.name.clone() }, comment: None },
        Change::SetComment { target: ObjectKey::Statistics { name: q("t_ab") }, comment: Some("ab".into()) },
    ]));
}

#[test]
fn unknown_privileges_and_empty_roles_are_refused() {
    for (privilege, grantee) in [("SELECT; DROP TABLE x", "r"), ("SELECT", "")] {
        let err = error(Change::SetPrivileges {
            target: Securable::Table { name: q("books") },
            revoke: vec![],
            owner: None,
            grant: vec![grant(grantee, privilege, &[], false)],
        });
        assert!(matches!(err, EmitError::Invalid { .. }), "{err}");
    }
}

#[test]
fn what_postgres_cannot_express_is_refused() {
    let event = Event {
        sql_mode: None,
        name: q("nightly"),
        schedule: "EVERY 1 DAY".into(),
        preserve: false,
        enabled: true,
        body: "DO SELECT 1".into(),
        comment: None,
    };
    for change in [
        Change::RebuildTable { from: authors(), to: authors() },
        Change::CreateEvent(event.clone()),
        Change::DropEvent(event),
        Change::SetComment { target: ObjectKey::Event { name: q("nightly") }, comment: None },
        create(Table::new(q("t")).with_column(Column::new("id", "int").auto_increment())),
        alter("t", vec![TableOp::AddColumn { column: Column::new("a", "int"), position: ColumnPosition::First }]),
        create({
            let mut t = Table::new(q("t")).with_column(Column::new("id", "int"));
            t.options =
                TableOptions::MySql { engine: Some("InnoDB".into()), charset: None, collation: None, row_format: None };
            t
        }),
    ] {
        let what = change.describe();
        let err = error(change);
        assert!(matches!(err, EmitError::Unsupported { .. }), "{what}: {err}");
    }
    for change in [
        create(Table::new(q("t")).with_column(Column::new("id", ""))),
        Change::CreateIndex { table: q("t"), index: schemasync_model::Index::on_columns("i", [""; 0]) },
        Change::CreateRoutine(routine(RoutineKind::Function, "f", "", " ".into())),
        alter(
            "t",
            vec![TableOp::DropPrimaryKey(schemasync_model::PrimaryKey {
                name: None,
                columns: vec!["id".into()],
                on_conflict: None,
            })],
        ),
    ] {
        let what = change.describe();
        let err = error(change);
        assert!(matches!(err, EmitError::Invalid { .. }), "{what}: {err}");
    }
}
