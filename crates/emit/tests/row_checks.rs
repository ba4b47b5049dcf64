//! The pre-apply row checks: one query per change that existing rows can
//! make fail, over columns the target has and the plan leaves alone.

use schemasync_diff::{DiffOptions, diff};
use schemasync_emit::row_checks;
use schemasync_model::{Column, Dialect, ForeignKey, Index, QualifiedName, Schema, Table};

fn table(dialect: Dialect, name: &str, columns: &[(&str, &str, bool)]) -> Table {
    let mut t = Table::new(QualifiedName::new(if dialect == Dialect::Postgres { Some("public") } else { None }, name));
    for (column, ty, nullable) in columns {
        let c = Column::new(*column, *ty);
        t = t.with_column(if *nullable { c } else { c.not_null() });
    }
    t
}

fn schema(dialect: Dialect, tables: Vec<Table>) -> Schema {
    let mut s = Schema::new(dialect);
    for t in tables {
        s.add_table(t).expect("table");
    }
    s
}

#[test]
fn unique_not_null_and_foreign_keys_are_checked_on_mysql() {
    let d = Dialect::MySql;
    let parent = table(d, "parent", &[("id", "int", false)]).with_primary_key(["id"]);
    let child = table(d, "child", &[("id", "int", false), ("parent_id", "int", true), ("email", "varchar(50)", true)])
        .with_primary_key(["id"]);
    let current = schema(d, vec![parent.clone(), child.clone()]);
    let mut wanted_child =
        table(d, "child", &[("id", "int", false), ("parent_id", "int", false), ("email", "varchar(50)", true)])
            .with_primary_key(["id"])
            .with_index(Index::on_columns("child_email", ["email"]).unique());
    wanted_child.foreign_keys.push(ForeignKey {
        name: Some("child_parent".to_owned()),
        columns: vec!["parent_id".to_owned()],
        ref_table: QualifiedName::bare("parent"),
        ref_columns: vec!["id".to_owned()],
        on_delete: Default::default(),
        on_update: Default::default(),
        match_type: Default::default(),
        deferrable: Default::default(),
        not_valid: false,
        comment: None,
    });
    let wanted = schema(d, vec![parent, wanted_child]);
    let plan = diff(&current, &wanted, &DiffOptions::default()).expect("diff");
    let checks = row_checks(&plan, &current);
    let sql: Vec<&str> = checks.iter().map(|c| c.sql.as_str()).collect();
    assert!(
        sql.contains(&"SELECT 1 FROM `child` WHERE `email` IS NOT NULL GROUP BY `email` HAVING COUNT(*) > 1 LIMIT 1"),
        "{sql:#?}"
    );
    assert!(sql.contains(&"SELECT 1 FROM `child` WHERE `parent_id` IS NULL LIMIT 1"), "{sql:#?}");
    assert!(
        sql.contains(&"SELECT 1 FROM `child` c WHERE c.`parent_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `parent` p WHERE p.`id` = c.`parent_id`) LIMIT 1"),
        "{sql:#?}"
    );
}

#[test]
fn columns_the_plan_changes_and_new_tables_are_not_checked() {
    let d = Dialect::Postgres;
    let current = schema(d, vec![table(d, "t", &[("id", "integer", false), ("code", "integer", true)])]);
    // `code` changes type in the same plan: the check would read the old values.
    let wanted = schema(
        d,
        vec![
            table(d, "t", &[("id", "integer", false), ("code", "bigint", true)])
                .with_index(Index::on_columns("t_code", ["code"]).unique()),
            table(d, "fresh", &[("id", "integer", false)]).with_index(Index::on_columns("fresh_id", ["id"]).unique()),
        ],
    );
    let plan = diff(&current, &wanted, &DiffOptions::default()).expect("diff");
    assert!(row_checks(&plan, &current).is_empty(), "{:#?}", row_checks(&plan, &current));
}
