//! Properties over generated SQLite schemas.

use proptest::prelude::*;

use super::helpers::*;
use crate::testing::{sqlite_schema, sqlite_schema_pair};

fn no_duplicates(plan: &Plan) -> Result<(), TestCaseError> {
    for (i, a) in plan.changes.iter().enumerate() {
        for b in plan.changes.iter().skip(i + 1) {
            prop_assert!(a.change != b.change, "duplicate change {}", a.change.describe());
        }
    }
    Ok(())
}

fn check_pair(a: &Schema, b: &Schema) -> Result<(), TestCaseError> {
    let first = diff(a, b, &DiffOptions::default());
    prop_assert!(first.is_ok(), "diff failed: {first:?}");
    let first = first.map_err(|e| TestCaseError::fail(e.to_string()))?;
    let second = diff(a, b, &DiffOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&first, &second);
    no_duplicates(&first)?;
    if let Err(e) = converges(a, b, &first) {
        return Err(TestCaseError::fail(format!("{e}\nplan: {:#?}", described(&first))));
    }
    // Rebuilt tables get no index changes and no other ALTER than renames.
    // (An index name another rebuilt table claims may be released by a
    // DropIndex before the rebuild.)
    for (at, planned) in first.changes.iter().enumerate() {
        if let Change::RebuildTable { to, .. } = &planned.change {
            for (other_at, other) in first.changes.iter().enumerate() {
                match &other.change {
                    Change::CreateIndex { table, .. } => prop_assert!(table != &to.name),
                    Change::DropIndex { table, .. } => prop_assert!(table != &to.name || other_at < at),
                    Change::AlterTable { table, ops } if table == &to.name => {
                        let renames_only = ops.iter().all(|op| matches!(op, TableOp::RenameColumn { .. }));
                        prop_assert!(renames_only);
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn same_schema_gives_empty_plan(a in sqlite_schema()) {
        let plan = diff(&a, &a, &DiffOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(plan.is_empty(), "{:#?}", described(&plan));
        prop_assert_eq!(plan.from_hash, plan.to_hash);
    }

    #[test]
    fn unrelated_schemas_diff_cleanly(a in sqlite_schema(), b in sqlite_schema()) {
        check_pair(&a, &b)?;
    }

    #[test]
    fn edited_schemas_diff_cleanly((a, b) in sqlite_schema_pair()) {
        check_pair(&a, &b)?;
        check_pair(&b, &a)?;
        let empty = Schema::new(Dialect::Sqlite);
        check_pair(&empty, &a)?;
        check_pair(&a, &empty)?;
    }
}

fn pg_ring(n: usize, extra: &[(usize, usize)]) -> Schema {
    let name = |i: usize| QualifiedName::new(Some("public"), format!("t{}", i % n));
    let mut s = Schema::new(Dialect::Postgres);
    for i in 0..n {
        let mut t = Table::new(name(i))
            .with_column(Column::new("id", "integer").not_null())
            .with_column(Column::new("next", "integer"))
            .with_primary_key(["id"])
            .with_foreign_key(fk(&["next"], name(i + 1), &["id"]));
        for (k, (a, b)) in extra.iter().enumerate() {
            if a % n == i {
                let column = format!("x{k}");
                t = t.with_column(Column::new(column.clone(), "integer")).with_foreign_key(fk(
                    &[&column],
                    name(*b),
                    &["id"],
                ));
            }
        }
        s.tables.insert(t.name.clone(), t);
    }
    s.normalize();
    s
}

proptest! {
    #[test]
    fn foreign_key_cycles_between_new_postgres_tables_are_broken(
        n in 2..6usize,
        extra in proptest::collection::vec((0..6usize, 0..6usize), 0..4),
    ) {
        let empty = Schema::new(Dialect::Postgres);
        let to = pg_ring(n, &extra);
        let plan = diff(&empty, &to, &DiffOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let deferred = plan.changes.iter().any(|c| matches!(c.change, Change::AddForeignKey { .. }));
        prop_assert!(deferred);
        converges(&empty, &to, &plan).map_err(TestCaseError::fail)?;
        let back = diff(&to, &empty, &DiffOptions::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        converges(&to, &empty, &back).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn view_cycles_are_dependency_cycle_errors(n in 2..6usize, dialect in prop_oneof![Just(Dialect::Postgres), Just(Dialect::Sqlite)]) {
        let mut to = Schema::new(dialect);
        for i in 0..n {
            let reads = QualifiedName::bare(format!("v{}", (i + 1) % n));
            let mut view = View::new(QualifiedName::bare(format!("v{i}")), format!("SELECT * FROM {}", reads.name));
            view.depends_on = vec![ObjectKey::View { name: reads }];
            to.add_view(view).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let result = diff(&Schema::new(dialect), &to, &DiffOptions::default());
        prop_assert!(matches!(result, Err(DiffError::DependencyCycle(_))), "{result:?}");
    }
}
