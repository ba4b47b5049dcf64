//! PostgreSQL owners and grants, online constraint validation, and enum
//! labels the plan uses.

use super::helpers::*;
use super::helpers::{pg_schema as pg, pg_table as t};
use crate::Securable;

fn grant(grantee: &str, privilege: &str, columns: &[&str]) -> Grant {
    Grant {
        grantee: grantee.into(),
        privilege: privilege.into(),
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        with_grant_option: false,
    }
}

fn owned(mut table: Table, owner: &str, grants: Vec<Grant>) -> Table {
    table.owner = Some(owner.into());
    table.grants = grants;
    table
}

/// A `SetPrivileges` change's fields: target, revoke, owner, grant.
type Privileges = (Securable, Vec<Grant>, Option<String>, Vec<Grant>);

fn privilege_changes(plan: &Plan) -> Vec<Privileges> {
    plan.changes
        .iter()
        .filter_map(|p| match &p.change {
            Change::SetPrivileges { target, revoke, owner, grant } => {
                Some((target.clone(), revoke.clone(), owner.clone(), grant.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn privileges_of_a_created_table_follow_its_creation() {
    let to = pg(vec![owned(t("a"), "app", vec![grant("reader", "SELECT", &[])])]);
    let plan = plan(&pg(vec![]), &to);
    let found = privilege_changes(&plan);
    assert_eq!(
        found,
        [(Securable::Table { name: q("a") }, vec![], Some("app".into()), vec![grant("reader", "SELECT", &[])])]
    );
    assert!(position(&plan, "set owner and privileges of table public.a") > position(&plan, "create table public.a"));
}

#[test]
fn a_schema_read_without_privileges_changes_none() {
    let from = pg(vec![owned(t("a"), "app", vec![grant("reader", "SELECT", &[])])]);
    let plan = plan(&from, &pg(vec![t("a")]));
    assert!(plan.is_empty(), "{:?}", described(&plan));
}

#[test]
fn kept_objects_get_only_the_difference_and_dropped_columns_take_their_grants() {
    let table = t("a").with_column(Column::new("secret", "text")).with_column(Column::new("note", "text"));
    let from = pg(vec![owned(
        table.clone(),
        "app",
        vec![grant("reader", "SELECT", &[]), grant("clerk", "UPDATE", &["note", "secret"])],
    )]);
    let mut kept = table;
    kept.columns.retain(|c| c.name != "secret");
    let to = pg(vec![owned(kept, "app", vec![grant("clerk", "UPDATE", &["note"]), grant("PUBLIC", "INSERT", &[])])]);
    let plan = plan(&from, &to);
    assert_eq!(
        privilege_changes(&plan),
        [(
            Securable::Table { name: q("a") },
            vec![grant("reader", "SELECT", &[])],
            None,
            vec![grant("PUBLIC", "INSERT", &[])]
        )]
    );
}

#[test]
fn owners_and_grants_do_not_reach_the_structural_diff() {
    let from = pg(vec![owned(t("a"), "app", vec![])]);
    let to = pg(vec![owned(t("a"), "other", vec![])]);
    assert_eq!(described(&plan(&from, &to)), ["set owner and privileges of table public.a"]);
}

fn online(from: &Schema, to: &Schema) -> Plan {
    diff(from, to, &DiffOptions { online: true, ..DiffOptions::default() }).expect("diff")
}

#[test]
fn online_plans_validate_constraints_of_existing_tables_after_the_commit() {
    let mut fk = fk(&["p"], q("parent"), &["id"]);
    fk.name = Some("child_parent".into());
    let child = t("child").with_column(Column::new("p", "integer"));
    // Built from JSON so that new optional fields need no change here.
    let check: CheckConstraint = serde_json::from_str(r#"{"name": "p_positive", "expr": "p > 0"}"#).expect("check");
    let wanted_child = child.clone().with_foreign_key(fk.clone()).with_check(check);
    let from = pg(vec![t("parent"), child]);
    let to = pg(vec![t("parent"), wanted_child.clone()]);
    let plan = online(&from, &to);
    assert_eq!(
        described(&plan),
        [
            "alter table public.child",
            "add foreign key child_parent on public.child",
            "validate constraint child_parent on public.child",
            "validate constraint p_positive on public.child",
        ]
    );
    for planned in &plan.changes {
        match &planned.change {
            Change::AddForeignKey { foreign_key, .. } => {
                assert!(foreign_key.not_valid);
                assert!(planned.hazards.is_empty(), "{:?}", planned.hazards);
            }
            Change::AlterTable { ops, .. } => {
                assert!(matches!(&ops[..], [TableOp::AddCheck(c)] if c.not_valid));
            }
            Change::ValidateConstraint { .. } => {
                let kinds: Vec<HazardKind> = planned.hazards.iter().map(|h| h.kind).collect();
                assert!(
                    kinds.contains(&HazardKind::NonTransactional) && kinds.contains(&HazardKind::FailsOnExistingRows)
                );
            }
            other => panic!("unexpected {}", other.describe()),
        }
    }
    // A table the plan creates is empty: nothing to validate later.
    let plan = online(&pg(vec![t("parent")]), &to);
    assert!(!described(&plan).iter().any(|d| d.starts_with("validate")), "{:?}", described(&plan));
}

fn mood(labels: &[&str]) -> UserType {
    UserType {
        name: q("mood"),
        kind: TypeKind::Enum { labels: labels.iter().map(|l| (*l).to_owned()).collect() },
        owner: None,
        grants: vec![],
        comment: None,
    }
}

#[test]
fn enum_labels_the_plan_uses_are_marked_non_transactional() {
    let mut from = pg(vec![t("a").with_column(Column::new("m", "mood"))]);
    from.types.insert(q("mood"), mood(&["sad"]));
    let mut to = pg(vec![t("a").with_column(Column::new("m", "mood").default_expr("'it''s'::mood"))]);
    to.types.insert(q("mood"), mood(&["sad", "it's"]));
    let plan = plan(&from, &to);
    let alter = plan.changes.iter().find(|p| matches!(p.change, Change::AlterType { .. })).expect("alter type");
    assert!(alter.hazards.iter().any(|h| h.kind == HazardKind::NonTransactional), "{:?}", alter.hazards);

    let mut unused = to.clone();
    unused.tables.get_mut(&q("a")).unwrap().columns[1].default = None;
    let plan = super::helpers::plan(&from, &unused);
    assert!(!has_hazard(&plan, HazardKind::NonTransactional), "{:?}", described(&plan));
}
