//! PostgreSQL per-column settings (issue 12): a change is one in-place
//! ALTER COLUMN, never a rebuild or a data-loss step.

use super::helpers::*;

fn tuned() -> Column {
    let mut c = Column::new("body", "text");
    c.statistics = Some(1000);
    c.storage = Some(ColumnStorage::Main);
    c.compression = Some(ColumnCompression::Lz4);
    c.attribute_options = vec!["n_distinct=-0.5".into()];
    c
}

fn with_body(body: Column) -> Schema {
    pg_schema(vec![pg_table("docs").with_column(body)])
}

#[test]
fn settings_that_differ_are_a_difference() {
    let plain = with_body(Column::new("body", "text"));
    for change in 0..4 {
        let mut body = Column::new("body", "text");
        match change {
            0 => body.statistics = Some(0),
            1 => body.storage = Some(ColumnStorage::External),
            2 => body.compression = Some(ColumnCompression::Pglz),
            _ => body.attribute_options = vec!["n_distinct_inherited=20".into()],
        }
        let wanted = with_body(body.clone());
        let p = plan(&plain, &wanted);
        assert_eq!(described(&p), ["alter table public.docs"], "{change}");
        let Change::AlterTable { ops, .. } = &p.changes[0].change else { panic!("{:?}", p.changes) };
        assert_eq!(ops, &[TableOp::AlterColumn { from: Column::new("body", "text"), to: body }]);
        assert!(p.hazards().next().is_none(), "{:?}", p.hazards().collect::<Vec<_>>());
        assert!(!p.is_destructive());
        converges(&plain, &wanted, &p).unwrap();
        assert!(plan(&wanted, &wanted).is_empty());
    }
}

#[test]
fn settings_set_and_reset_in_place_without_hazards() {
    let plain = with_body(Column::new("body", "text"));
    let tuned_schema = with_body(tuned());
    for (from, to) in [(&plain, &tuned_schema), (&tuned_schema, &plain)] {
        let p = plan(from, to);
        assert_eq!(described(&p), ["alter table public.docs"]);
        assert!(p.hazards().next().is_none());
        converges(from, to, &p).unwrap();
    }
}

#[test]
fn a_new_table_carries_its_settings() {
    let wanted = with_body(tuned());
    let p = plan(&pg_schema(vec![]), &wanted);
    let created = p.changes.iter().find_map(|c| match &c.change {
        Change::CreateTable { table, .. } => Some(table),
        _ => None,
    });
    assert_eq!(created.and_then(|t| t.column("body")), Some(&tuned()));
    converges(&pg_schema(vec![]), &wanted, &p).unwrap();
}

#[test]
fn a_new_column_carries_its_settings() {
    let from = pg_schema(vec![pg_table("docs")]);
    let to = with_body(tuned());
    let p = plan(&from, &to);
    let Change::AlterTable { ops, .. } = &p.changes[0].change else { panic!("{:?}", p.changes) };
    assert_eq!(ops, &[TableOp::AddColumn { column: tuned(), position: ColumnPosition::Last }]);
    converges(&from, &to, &p).unwrap();
}
