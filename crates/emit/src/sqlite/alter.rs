//! The few ALTER TABLE operations SQLite has: ADD COLUMN, DROP COLUMN and
//! RENAME COLUMN. Everything else is a table rebuild, which the differ plans
//! as [`schemasync_diff::Change::RebuildTable`].

use std::fmt::Write;

use schemasync_diff::{ColumnPosition, TableOp};
use schemasync_model::QualifiedName;

use crate::EmitError;
use crate::render::render;

use super::table::write_column_def;
use super::{ident, object_name, unsupported};

/// One statement per operation, in order.
pub(super) fn alter_table(table: &QualifiedName, ops: &[TableOp]) -> Result<Vec<String>, EmitError> {
    let name = object_name(table)?;
    ops.iter().map(|op| render(|w| write_op(w, table, &name, op))).collect()
}

fn write_op<W: Write>(w: &mut W, table: &QualifiedName, name: &str, op: &TableOp) -> Result<(), EmitError> {
    match op {
        TableOp::AddColumn { column, position } => {
            if *position != ColumnPosition::Last {
                return Err(unsupported(format!("{} on table {table}", op_label(op))));
            }
            write!(w, "ALTER TABLE {name} ADD COLUMN ")?;
            write_column_def(w, table, column, None)
        }
        TableOp::DropColumn(column) => Ok(write!(w, "ALTER TABLE {name} DROP COLUMN {}", ident(&column.name))?),
        TableOp::RenameColumn { from, to } => {
            Ok(write!(w, "ALTER TABLE {name} RENAME COLUMN {} TO {}", ident(from), ident(to))?)
        }
        other => Err(unsupported(format!("{} on table {table}", op_label(other)))),
    }
}

/// How an operation is named in messages: `alter column email`.
fn op_label(op: &TableOp) -> String {
    match op {
        TableOp::AddColumn { column, position: ColumnPosition::Last } => format!("add column {}", column.name),
        TableOp::AddColumn { column, position: ColumnPosition::First } => {
            format!("add column {} in first position", column.name)
        }
        TableOp::AddColumn { column, position: ColumnPosition::After(after) } => {
            format!("add column {} after {after}", column.name)
        }
        TableOp::DropColumn(column) => format!("drop column {}", column.name),
        TableOp::AlterColumn { to, .. } => format!("alter column {}", to.name),
        TableOp::RenameColumn { from, to } => format!("rename column {from} to {to}"),
        TableOp::AddPrimaryKey(_) => "add primary key".to_owned(),
        TableOp::DropPrimaryKey(_) => "drop primary key".to_owned(),
        TableOp::AddUnique(u) => format!("add unique constraint {}", u.name.as_deref().unwrap_or("(unnamed)")),
        TableOp::DropUnique(u) => format!("drop unique constraint {}", u.name.as_deref().unwrap_or("(unnamed)")),
        TableOp::AddCheck(c) => format!("add check constraint {}", c.name.as_deref().unwrap_or("(unnamed)")),
        TableOp::DropCheck(c) => format!("drop check constraint {}", c.name.as_deref().unwrap_or("(unnamed)")),
        TableOp::AddExclusion(x) => format!("add exclusion constraint {}", x.name),
        TableOp::DropExclusion(x) => format!("drop exclusion constraint {}", x.name),
        TableOp::SetOptions { .. } => "set table options".to_owned(),
        _ => "an ALTER TABLE operation".to_owned(),
    }
}
