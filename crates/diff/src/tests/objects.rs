//! Types, routines, triggers.

use super::helpers::*;

fn enum_type(labels: &[&str]) -> UserType {
    UserType {
        name: QualifiedName::new(Some("public"), "mood"),
        kind: TypeKind::Enum { labels: labels.iter().map(|s| (*s).to_owned()).collect() },
        owner: None,
        grants: vec![],
        comment: None,
    }
}

fn with_type(ty: UserType) -> Schema {
    let mut s = Schema::new(Dialect::Postgres);
    s.types.insert(ty.name.clone(), ty);
    s
}

#[test]
fn enum_labels_added_alter_removed_recreate() {
    let from = with_type(enum_type(&["sad", "ok"]));
    let added = plan(&from, &with_type(enum_type(&["sad", "meh", "ok", "happy"])));
    assert_eq!(described(&added), ["alter type public.mood"]);
    let removed = plan(&from, &with_type(enum_type(&["ok"])));
    assert_eq!(described(&removed), ["drop type public.mood", "create type public.mood"]);
    assert!(
        removed.changes[0]
            .hazards
            .iter()
            .any(|h| h.kind == HazardKind::FailsOnExistingRows && h.message.contains("sad"))
    );
}

#[test]
fn tables_using_a_new_type_come_after_it() {
    let ty = enum_type(&["a"]);
    let mut to = with_type(ty);
    to.add_table(Table::new(QualifiedName::new(Some("public"), "aaa")).with_column(Column::new("m", "public.mood")))
        .unwrap();
    let plan = plan(&Schema::new(Dialect::Postgres), &to);
    assert_eq!(described(&plan), ["create type public.mood", "create table public.aaa"]);
}

fn routine(returns: &str, body: &str) -> Routine {
    Routine {
        sql_mode: None,
        kind: RoutineKind::Function,
        name: QualifiedName::new(Some("public"), "f"),
        signature: "integer".into(),
        arguments: "x integer".into(),
        returns: Some(returns.into()),
        language: Some("sql".into()),
        definition: body.into(),
        depends_on: vec![],
        owner: None,
        grants: vec![],
        comment: None,
    }
}

fn with_routine(r: Routine) -> Schema {
    let mut s = Schema::new(Dialect::Postgres);
    s.routines.insert(r.routine_key(), r);
    s
}

#[test]
fn routines_replace_or_recreate() {
    let from = with_routine(routine("integer", "SELECT 1"));
    assert_eq!(
        described(&plan(&from, &with_routine(routine("integer", "SELECT 2")))),
        ["replace routine public.f(integer)"]
    );
    assert_eq!(
        described(&plan(&from, &with_routine(routine("bigint", "SELECT 2")))),
        ["drop routine public.f(integer)", "create routine public.f(integer)"]
    );
}

#[test]
fn triggers_follow_recreated_functions() {
    let mut from = with_routine(routine("trigger", "SELECT 1"));
    from.add_table(Table::new(QualifiedName::new(Some("public"), "t")).with_column(Column::new("x", "integer")))
        .unwrap();
    let mut tr = trigger("t", "tr", "EXECUTE FUNCTION public.f()");
    tr.table = QualifiedName::new(Some("public"), "t");
    tr.depends_on = vec![ObjectKey::Routine { key: routine("trigger", "").routine_key() }];
    from.add_trigger(tr).unwrap();
    let mut to = from.clone();
    let mut changed = routine("trigger", "SELECT 2");
    changed.arguments = "y integer".into();
    to.routines.insert(changed.routine_key(), changed);
    let plan = plan(&from, &to);
    assert_eq!(
        described(&plan),
        [
            "drop trigger tr on public.t",
            "drop routine public.f(integer)",
            "create routine public.f(integer)",
            "create trigger tr on public.t"
        ]
    );
}

#[test]
fn changed_trigger_is_dropped_and_created() {
    let mut from = schema(Dialect::Sqlite, vec![Table::new("t").with_column(Column::new("x", "INTEGER"))]);
    from.add_trigger(trigger("t", "tr", "BEGIN SELECT 1; END")).unwrap();
    let mut to = from.clone();
    to.triggers.values_mut().for_each(|t| t.body = "BEGIN SELECT 2; END".into());
    assert_eq!(described(&plan(&from, &to)), ["drop trigger tr on t", "create trigger tr on t"]);
}
