//! In-place `ALTER TABLE` operations for PostgreSQL and MySQL: columns,
//! keys, checks, exclusions and options of one table that exists on both
//! sides. Foreign keys and indexes are separate changes (see `tables`).

use schemasync_model::{Dialect, Table};

use crate::change::{ColumnPosition, TableOp};
use crate::constraints::changed;

/// The operations turning `from` (already carrying the renames) into `to`,
/// in execution order: constraint drops, renames, column drops, column
/// changes, column adds, constraint adds, options.
pub(crate) fn alter_ops(dialect: Dialect, from: &Table, to: &Table, renames: &[(String, String)]) -> Vec<TableOp> {
    let mut ops = Vec::new();

    let pk_changed = from.primary_key != to.primary_key;
    let (uniques_gone, uniques_new) = changed(&from.uniques, &to.uniques, |u| u.name.as_deref());
    let (checks_gone, checks_new) = changed(&from.checks, &to.checks, |c| c.name.as_deref());
    let (excl_gone, excl_new) = changed(&from.exclusions, &to.exclusions, |e| Some(e.name.as_str()));

    if pk_changed && let Some(pk) = &from.primary_key {
        ops.push(TableOp::DropPrimaryKey(pk.clone()));
    }
    ops.extend(uniques_gone.into_iter().map(TableOp::DropUnique));
    ops.extend(checks_gone.into_iter().map(TableOp::DropCheck));
    ops.extend(excl_gone.into_iter().map(TableOp::DropExclusion));

    // The old names are gone from `from` already: the renames carry them.
    ops.extend(renames.iter().map(|(old, new)| TableOp::RenameColumn { from: old.clone(), to: new.clone() }));

    for column in &from.columns {
        if to.column(&column.name).is_none() {
            ops.push(TableOp::DropColumn(column.clone()));
        }
    }
    for column in &to.columns {
        if let Some(old) = from.column(&column.name)
            && old != column
        {
            ops.push(TableOp::AlterColumn { from: old.clone(), to: column.clone() });
        }
    }
    for (i, column) in to.columns.iter().enumerate() {
        if from.column(&column.name).is_some() {
            continue;
        }
        let position = match dialect {
            // MySQL keeps the wanted order with FIRST / AFTER.
            Dialect::MySql => match i.checked_sub(1).and_then(|p| to.columns.get(p)) {
                Some(previous) => ColumnPosition::After(previous.name.clone()),
                None => ColumnPosition::First,
            },
            _ => ColumnPosition::Last,
        };
        ops.push(TableOp::AddColumn { column: column.clone(), position });
    }

    if pk_changed && let Some(pk) = &to.primary_key {
        ops.push(TableOp::AddPrimaryKey(pk.clone()));
    }
    ops.extend(uniques_new.into_iter().map(TableOp::AddUnique));
    ops.extend(checks_new.into_iter().map(TableOp::AddCheck));
    ops.extend(excl_new.into_iter().map(TableOp::AddExclusion));

    if from.options != to.options {
        ops.push(TableOp::SetOptions { from: from.options.clone(), to: to.options.clone() });
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemasync_model::{CheckConstraint, Column};

    fn check(name: &str, expr: &str) -> CheckConstraint {
        CheckConstraint {
            name: Some(name.into()),
            expr: expr.into(),
            not_valid: false,
            no_inherit: false,
            not_enforced: false,
            comment: None,
        }
    }

    #[test]
    fn ops_come_in_a_safe_order() {
        let from = Table::new("t")
            .with_column(Column::new("id", "int"))
            .with_column(Column::new("old", "int"))
            .with_column(Column::new("n", "int"))
            .with_check(check("c1", "n > 0"));
        let to = Table::new("t")
            .with_column(Column::new("new", "int"))
            .with_column(Column::new("id", "int"))
            .with_column(Column::new("n", "bigint"))
            .with_check(check("c1", "n > 1"));
        let ops = alter_ops(Dialect::MySql, &from, &to, &[]);
        let kinds: Vec<&str> = ops
            .iter()
            .map(|op| match op {
                TableOp::DropCheck(_) => "drop check",
                TableOp::DropColumn(_) => "drop column",
                TableOp::AlterColumn { .. } => "alter column",
                TableOp::AddColumn { .. } => "add column",
                TableOp::AddCheck(_) => "add check",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["drop check", "drop column", "alter column", "add column", "add check"]);
        assert!(
            ops.contains(&TableOp::AddColumn { column: Column::new("new", "int"), position: ColumnPosition::First })
        );
        let pg = alter_ops(Dialect::Postgres, &from, &to, &[]);
        assert!(pg.contains(&TableOp::AddColumn { column: Column::new("new", "int"), position: ColumnPosition::Last }));
    }
}
