//! PostgreSQL per-column attribute settings (issue 12): SET STATISTICS,
//! SET STORAGE, SET COMPRESSION, SET (...) / RESET (...).

mod postgres_support;

use postgres_support::*;
use schemasync_diff::{Change, ColumnPosition, TableOp};
use schemasync_emit::emit_plan;
use schemasync_model::{Column, ColumnCompression, ColumnStorage, Table};

fn emit_all(changes: Vec<Change>) -> String {
    show(&emit_plan(&plan(changes.into_iter().map(change).collect())).expect("renders"))
}

fn tuned(name: &str, data_type: &str) -> Column {
    let mut c = Column::new(name, data_type);
    c.statistics = Some(500);
    c.storage = Some(ColumnStorage::External);
    c.compression = Some(ColumnCompression::Lz4);
    c.attribute_options = vec!["n_distinct=-0.5".into(), "n_distinct_inherited=100".into()];
    c
}

fn alter(table: &str, ops: Vec<TableOp>) -> Change {
    Change::AlterTable { table: q(table), ops }
}

#[test]
fn column_settings_of_a_new_table_follow_create_table() {
    let mut stats_only = Column::new("n", "integer");
    stats_only.statistics = Some(0);
    let table = Table::new(q(HOSTILE))
        .with_column(Column::new("id", "integer").not_null())
        .with_column(tuned(HOSTILE, "text"))
        .with_column(stats_only);
    let mut plain = Column::new("x", "text");
    plain.storage = Some(ColumnStorage::Main);
    insta::assert_snapshot!(emit_all(vec![create(table), create(Table::new(q("one")).with_column(plain))]));
}

#[test]
fn column_settings_change_in_place() {
    let mut reset_from = tuned("body", "text");
    reset_from.storage = Some(ColumnStorage::Main);
    let mut retyped_from = tuned("code", "character varying(10)");
    retyped_from.attribute_options = vec!["n_distinct=5".into()];
    let mut retyped_to = tuned("code", "character varying(20)");
    retyped_to.attribute_options = vec!["n_distinct=5".into()];
    let mut stats = Column::new("n", "numeric(12,2)");
    stats.statistics = Some(10);
    stats.storage = Some(ColumnStorage::Extended);
    let ops = vec![
        // Everything set.
        TableOp::AlterColumn { from: Column::new("title", "text"), to: tuned("title", "text") },
        // Everything back to the defaults.
        TableOp::AlterColumn { from: reset_from, to: Column::new("body", "text") },
        // Storage and compression are reset by a type change: set again.
        TableOp::AlterColumn { from: retyped_from, to: retyped_to },
        // numeric's default storage is MAIN.
        TableOp::AlterColumn { from: stats, to: Column::new("n", "numeric(12,2)") },
        TableOp::AddColumn { column: tuned("extra", "bytea"), position: ColumnPosition::Last },
    ];
    insta::assert_snapshot!(emit_all(vec![alter("items", ops)]));
}

#[test]
fn settings_that_cannot_be_written_are_errors() {
    let emit_one = |from: Column, to: Column| {
        emit_plan(&plan(vec![change(alter("t", vec![TableOp::AlterColumn { from, to }]))]))
            .map(|s| show(&s))
            .map_err(|e| e.to_string())
    };
    let mut domain = Column::new("d", "public.mytext");
    domain.storage = Some(ColumnStorage::Main);
    let reset = emit_one(domain, Column::new("d", "public.mytext")).unwrap_err();
    assert!(reset.contains("SET STORAGE DEFAULT"), "{reset}");
    for option in ["n_distinct=1); DROP TABLE t; --", "fillfactor=10", "n_distinct=abc", "n_distinct"] {
        let mut bad = Column::new("c", "text");
        bad.attribute_options = vec![option.to_owned()];
        assert!(emit_one(Column::new("c", "text"), bad).is_err(), "{option}");
    }
    let mut high = Column::new("c", "text");
    high.statistics = Some(10_001);
    assert!(emit_one(Column::new("c", "text"), high).is_err());
}
