//! The borrowed-when-normalized shortcut agrees with `Schema::normalize`.

use std::borrow::Cow;

use proptest::prelude::*;

use super::helpers::*;
use crate::normalized::{is_normalized, normalized};

fn check(expr: &str) -> CheckConstraint {
    CheckConstraint {
        name: None,
        expr: expr.into(),
        not_valid: false,
        no_inherit: false,
        not_enforced: false,
        comment: None,
    }
}

fn grant(grantee: &str) -> Grant {
    Grant { grantee: grantee.into(), privilege: "SELECT".into(), columns: Vec::new(), with_grant_option: false }
}

fn base() -> Schema {
    schema(Dialect::Postgres, vec![Table::new(q("t")).with_column(Column::new("a", "int"))])
}

fn with_table(edit: impl Fn(&mut Table)) -> Schema {
    let mut out = base();
    out.tables.values_mut().for_each(edit);
    out
}

/// One schema per list that `Schema::normalize` sorts, each holding that
/// list out of order (or with a duplicate).
fn unnormalized() -> Vec<Schema> {
    let mut out = vec![
        with_table(|t| t.checks = vec![check("b > 0"), check("a > 0")]),
        with_table(|t| t.foreign_keys = vec![fk(&["b"], q("p"), &["id"]), fk(&["a"], q("p"), &["id"])]),
        with_table(|t| t.grants = vec![grant("z"), grant("a")]),
        with_table(|t| {
            t.options = TableOptions::Postgres {
                unlogged: true,
                rls_enabled: false,
                rls_forced: false,
                storage: vec!["z=1".into(), "a=1".into()],
            }
        }),
        with_table(|t| t.options = TableOptions::Sqlite { strict: false, without_rowid: false, virtual_using: None }),
    ];
    let mut views = base();
    let mut view = View::new(q("v"), "SELECT 1");
    view.depends_on = vec![ObjectKey::Table { name: q("t") }, ObjectKey::Table { name: q("t") }];
    views.views.insert(view.name.clone(), view);
    out.push(views);
    let mut triggers = base();
    let mut trig = trigger("t", "tr", "BEGIN END");
    trig.events = vec![TriggerEvent::Update, TriggerEvent::Insert];
    triggers.triggers.insert((trig.table.clone(), trig.name.clone()), trig);
    out.push(triggers);
    out
}

#[test]
fn unsorted_lists_are_seen() {
    for schema in unnormalized() {
        assert!(!is_normalized(&schema), "{schema:?}");
        assert!(matches!(normalized(&schema), Cow::Owned(_)));
        assert!(is_normalized(&schema.normalized()), "{schema:?}");
    }
    assert!(matches!(normalized(&base()), Cow::Borrowed(_)));
}

proptest! {
    /// A schema judged normalized is one `normalize` leaves unchanged, and a
    /// normalized schema is judged so.
    #[test]
    fn agrees_with_the_model(schema in crate::testing::sqlite_schema()) {
        if is_normalized(&schema) {
            prop_assert_eq!(&schema.normalized(), &schema);
        }
        prop_assert!(is_normalized(&schema.normalized()));
    }
}
