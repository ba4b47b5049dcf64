//! Ordering: dependencies, determinism, cycles.

use super::helpers::*;

fn view(name: &str, reads: &str) -> View {
    let mut v = View::new(QualifiedName::bare(name), format!("SELECT * FROM {reads}"));
    v.depends_on = vec![ObjectKey::View { name: QualifiedName::bare(reads) }];
    v
}

#[test]
fn view_cycle_is_a_dependency_cycle_error() {
    let from = Schema::new(Dialect::Postgres);
    let mut to = Schema::new(Dialect::Postgres);
    to.add_view(view("a", "b")).unwrap();
    to.add_view(view("b", "a")).unwrap();
    match diff(&from, &to, &DiffOptions::default()) {
        Err(DiffError::DependencyCycle(message)) => {
            assert!(message.contains("create view a") && message.contains("create view b"), "{message}");
        }
        other => panic!("expected a cycle, got {other:?}"),
    }
}

#[test]
fn views_follow_what_they_read_not_their_names() {
    let from = Schema::new(Dialect::Sqlite);
    let mut to = schema(Dialect::Sqlite, vec![Table::new("z_table").with_column(Column::new("x", "INTEGER"))]);
    to.add_view(View::new("a_top", "SELECT * FROM m_middle")).unwrap();
    to.add_view(View::new("m_middle", "SELECT * FROM z_table")).unwrap();
    let plan = plan(&from, &to);
    assert_eq!(described(&plan), ["create table z_table", "create view m_middle", "create view a_top"]);
    let back = super::helpers::plan(&to, &from);
    assert_eq!(described(&back), ["drop view a_top", "drop view m_middle", "drop table z_table"]);
}

#[test]
fn a_textual_cycle_does_not_fail_the_plan() {
    // Each view's text names the other (as a column alias): a weak edge, dropped.
    let from = Schema::new(Dialect::Sqlite);
    let mut to = Schema::new(Dialect::Sqlite);
    to.add_view(View::new("a", "SELECT 1 AS b")).unwrap();
    to.add_view(View::new("b", "SELECT 1 AS a")).unwrap();
    assert_eq!(plan(&from, &to).changes.len(), 2);
}

#[test]
fn plans_are_deterministic_and_serializable() {
    let from = Schema::new(Dialect::Sqlite);
    let mut to = schema(
        Dialect::Sqlite,
        (0..20)
            .map(|i| Table::new(QualifiedName::bare(format!("t{i}"))).with_column(Column::new("x", "INTEGER")))
            .collect(),
    );
    to.add_view(View::new("v", "SELECT * FROM t3")).unwrap();
    let a = plan(&from, &to);
    let b = plan(&from, &to);
    assert_eq!(a, b);
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(a.from_hash, from.content_hash());
    assert_eq!(a.to_hash, to.content_hash());
}
