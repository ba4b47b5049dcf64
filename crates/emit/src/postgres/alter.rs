//! ALTER TABLE: the operations of one change become as few statements as
//! PostgreSQL allows. Consecutive operations share one ALTER TABLE, whose
//! subcommands PostgreSQL runs in its own safe order (drops, type changes,
//! additions, constraints); RENAME COLUMN cannot be combined and splits it.

use schemasync_diff::{ColumnPosition, TableOp};
use schemasync_model::{ForeignKey, QualifiedName};

use crate::EmitError;

use super::alter_column::alter_column;
use super::column::{check_column, column_def};
use super::column_options::attribute_subcommands;
use super::constraint::{self, drop_constraint};
use super::options::option_subcommands;
use super::{ident, name_or_unnamed, qname, unsupported};

/// The statements of one `AlterTable` change, in the order of its operations.
pub(super) fn alter_table(table: &QualifiedName, ops: &[TableOp]) -> Result<Vec<String>, EmitError> {
    let name = qname(table);
    let only = format!("ONLY {name}");
    let mut out = Vec::new();
    let mut batch: Vec<String> = Vec::new();
    // Column settings go in an ALTER TABLE ONLY of their own right after
    // their batch: they belong to this table alone (without ONLY, SET
    // STATISTICS and SET STORAGE would also change its partitions), and
    // they follow the type changes that reset storage and compression.
    let mut settings: Vec<String> = Vec::new();
    for op in ops {
        if let TableOp::RenameColumn { from, to } = op {
            flush(&name, &mut batch, &mut out);
            flush(&only, &mut settings, &mut out);
            out.push(format!("ALTER TABLE {name} RENAME COLUMN {} TO {}", ident(from), ident(to)));
        } else {
            batch.extend(subcommands(table, op)?);
            settings.extend(column_settings(table, op)?);
        }
    }
    flush(&name, &mut batch, &mut out);
    flush(&only, &mut settings, &mut out);
    Ok(out)
}

/// The per-column settings an added or altered column needs.
fn column_settings(table: &QualifiedName, op: &TableOp) -> Result<Vec<String>, EmitError> {
    match op {
        TableOp::AddColumn { column, .. } => attribute_subcommands(table, None, column, false),
        TableOp::AlterColumn { from, to } => {
            let retyped = from.data_type != to.data_type || from.collation != to.collation;
            attribute_subcommands(table, Some(from), to, retyped)
        }
        _ => Ok(Vec::new()),
    }
}

/// `ALTER TABLE "s"."t" ADD <foreign key>`.
pub(super) fn add_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> Result<String, EmitError> {
    Ok(format!("ALTER TABLE {} ADD {}", qname(table), constraint::foreign_key(table, fk)?))
}

/// `ALTER TABLE "s"."t" VALIDATE CONSTRAINT "c"`.
pub(super) fn validate_constraint(table: &QualifiedName, name: &str) -> String {
    format!("ALTER TABLE {} VALIDATE CONSTRAINT {}", qname(table), ident(name))
}

/// `ALTER TABLE "s"."t" DROP CONSTRAINT "fk"`.
pub(super) fn drop_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> Result<String, EmitError> {
    let what = || format!("foreign key on table {table}");
    Ok(format!("ALTER TABLE {} {}", qname(table), drop_constraint(fk.name.as_deref(), what)?))
}

fn flush(name: &str, batch: &mut Vec<String>, out: &mut Vec<String>) {
    match batch.len() {
        0 => {}
        1 => out.push(format!("ALTER TABLE {name} {}", batch[0])),
        _ => out.push(format!("ALTER TABLE {name}\n  {}", batch.join(",\n  "))),
    }
    batch.clear();
}

fn subcommands(table: &QualifiedName, op: &TableOp) -> Result<Vec<String>, EmitError> {
    let one = |sql: String| Ok(vec![sql]);
    match op {
        TableOp::AddColumn { column, position } => {
            if *position != ColumnPosition::Last {
                return Err(unsupported(format!(
                    "adding column {table}.{} in another position than last",
                    column.name
                )));
            }
            one(format!("ADD COLUMN {}", column_def(table, column)?))
        }
        TableOp::DropColumn(column) => one(format!("DROP COLUMN {}", ident(&column.name))),
        TableOp::AlterColumn { from, to } => {
            check_column(table, to)?;
            alter_column(table, from, to)
        }
        TableOp::AddPrimaryKey(pk) => one(format!("ADD {}", constraint::primary_key(table, pk)?)),
        TableOp::DropPrimaryKey(pk) => {
            one(drop_constraint(pk.name.as_deref(), || format!("primary key of table {table}"))?)
        }
        TableOp::AddUnique(u) => one(format!("ADD {}", constraint::unique(table, u)?)),
        TableOp::DropUnique(u) => one(drop_constraint(u.name.as_deref(), || {
            format!("unique constraint {} on table {table}", name_or_unnamed(u.name.as_deref()))
        })?),
        TableOp::AddCheck(c) => one(format!("ADD {}", constraint::check(table, c)?)),
        TableOp::DropCheck(c) => one(drop_constraint(c.name.as_deref(), || {
            format!("check constraint {} on table {table}", name_or_unnamed(c.name.as_deref()))
        })?),
        TableOp::AddExclusion(x) => one(format!("ADD {}", constraint::exclusion(table, x)?)),
        TableOp::DropExclusion(x) => one(drop_constraint(Some(&x.name), String::new)?),
        TableOp::SetOptions { from, to } => option_subcommands(table, from, to),
        // Handled by the caller: it cannot share a statement.
        TableOp::RenameColumn { from, to } => {
            Err(EmitError::invalid(format!("rename of {table}.{from} to {to} inside a combined ALTER TABLE")))
        }
        _ => Err(unsupported(format!("an ALTER TABLE operation on table {table}"))),
    }
}
