//! In-place `ALTER TABLE` operations for PostgreSQL and MySQL: columns,
//! keys, checks, exclusions and options of one table that exists on both
//! sides. Foreign keys and indexes are separate changes (see `tables`).

use std::collections::BTreeSet;

use schemasync_model::{Column, Dialect, Table, TableOptions};

use crate::change::{ColumnPosition, TableOp};
use crate::constraints::changed;

/// The operations turning `from` (already carrying the renames) into `to`,
/// in execution order: constraint drops, renames, column drops, column
/// changes, column adds and (MySQL) moves in the wanted column order,
/// constraint adds, options.
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
    let recharset = dialect == Dialect::MySql && table_charset(from) != table_charset(to);
    for column in &to.columns {
        if let Some(old) = from.column(&column.name)
            && (old != column || (recharset && inherits_charset(old) && inherits_charset(column)))
        {
            // A text column without its own character set keeps the old
            // table default unless it is restated (in the same ALTER TABLE,
            // where it takes the new default).
            ops.push(TableOp::AlterColumn { from: old.clone(), to: column.clone() });
        }
    }
    // Only MySQL can place a column; elsewhere kept columns stay where they
    // are and new ones go last (SQLite rebuilds a reordered table instead).
    let staying = match dialect {
        Dialect::MySql => columns_in_place(from, to),
        _ => to.columns.iter().map(|c| c.name.as_str()).collect(),
    };
    for (i, column) in to.columns.iter().enumerate() {
        let exists = from.column(&column.name).is_some();
        if exists && staying.contains(column.name.as_str()) {
            continue;
        }
        let position = match dialect {
            // Right after the wanted predecessor, which stands where it
            // should by now (see `TableOp::MoveColumn`).
            Dialect::MySql => match i.checked_sub(1).and_then(|p| to.columns.get(p)) {
                Some(previous) => ColumnPosition::After(previous.name.clone()),
                None => ColumnPosition::First,
            },
            _ => ColumnPosition::Last,
        };
        if exists {
            ops.push(TableOp::MoveColumn { column: column.clone(), position });
        } else {
            ops.push(TableOp::AddColumn { column: column.clone(), position });
        }
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

/// The columns of both tables that keep their place: a longest run of them
/// whose order in `from` is already their order in `to`. Every other kept
/// column moves, so a reorder moves as few columns as possible (each move
/// is a table rebuild on MySQL).
fn columns_in_place<'a>(from: &Table, to: &'a Table) -> BTreeSet<&'a str> {
    let kept: Vec<(&'a str, usize)> = to
        .columns
        .iter()
        .filter_map(|c| from.columns.iter().position(|o| o.name == c.name).map(|at| (c.name.as_str(), at)))
        .collect();
    let positions: Vec<usize> = kept.iter().map(|(_, at)| *at).collect();
    longest_increasing(&positions).into_iter().filter_map(|i| kept.get(i).map(|(name, _)| *name)).collect()
}

/// Indices into `values` of a longest strictly increasing subsequence
/// (patience sorting; the same input always gives the same answer).
pub(crate) fn longest_increasing(values: &[usize]) -> Vec<usize> {
    // tails[l]: index of the smallest last value of an increasing run of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (i, value) in values.iter().enumerate() {
        let length = tails.partition_point(|&t| values[t] < *value);
        if length > 0 {
            previous[i] = tails.get(length - 1).copied();
        }
        if length == tails.len() {
            tails.push(i);
        } else {
            tails[length] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        out.push(i);
        at = previous[i];
    }
    out.reverse();
    out
}

/// The table's default character set and collation (MySQL).
fn table_charset(table: &Table) -> (Option<&str>, Option<&str>) {
    match &table.options {
        TableOptions::MySql { charset, collation, .. } => (charset.as_deref(), collation.as_deref()),
        _ => (None, None),
    }
}

/// Whether a MySQL column holds text in the table's default character set.
fn inherits_charset(column: &Column) -> bool {
    let base = column.data_type.split(['(', ' ']).next().unwrap_or_default().to_ascii_lowercase();
    let textual =
        matches!(base.as_str(), "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set");
    textual && column.charset.is_none() && column.collation.is_none()
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
