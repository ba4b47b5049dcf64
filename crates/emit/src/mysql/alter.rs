//! ALTER TABLE: all operations of one table in one statement (MySQL copies
//! or rebuilds the table once per statement), foreign keys, and the table
//! comment.

use std::fmt::Write;

use schemasync_diff::{ColumnPosition, TableOp};
use schemasync_model::{Column, ForeignKey, Index, ObjectKey, QualifiedName};

use crate::EmitError;
use crate::render::render;

use super::column::write_column_def;
use super::constraint::{write_check, write_foreign_key, write_key_columns, write_unique};
use super::index::{is_primary, write_key_clause};
use super::table::{MySqlOptions, row_format_keyword, write_charset};
use super::{D, ident, name, unsupported, word};

/// `ALTER TABLE `t` <op>, <op>, ...`, or nothing when no operation needs SQL
/// (options the server cannot be told to forget).
///
/// Within one statement MySQL resolves MODIFY against the columns as they
/// were and refuses to MODIFY a column twice or one that is also renamed, so
/// each column gets at most one clause: a renamed column that also changes
/// is one `CHANGE COLUMN `old` <new definition>`, and a column that moves
/// is one `MODIFY|CHANGE COLUMN ... FIRST|AFTER x` at the place of its move
/// (moves and adds are in the wanted column order, so every `AFTER` names a
/// column already in its final place).
pub(super) fn alter_table(table: &QualifiedName, ops: &[TableOp]) -> Result<Option<String>, EmitError> {
    let changed_after_rename = |new_name: &str| {
        ops.iter().find_map(|op| match op {
            TableOp::AlterColumn { to, .. } if to.name == new_name => Some(to),
            _ => None,
        })
    };
    let renamed_to = |column: &str| {
        ops.iter().find_map(|op| match op {
            TableOp::RenameColumn { from, to } if to == column => Some(from.as_str()),
            _ => None,
        })
    };
    let moves =
        |column: &str| ops.iter().any(|op| matches!(op, TableOp::MoveColumn { column: c, .. } if c.name == column));
    let mut clauses = Vec::with_capacity(ops.len());
    for op in ops {
        let clause = match op {
            TableOp::RenameColumn { to, .. } if moves(to) => None,
            TableOp::RenameColumn { from, to } => match changed_after_rename(to) {
                Some(column) => Some(render(|w| write_change_column(w, table, from, column))?),
                None => Some(format!("RENAME COLUMN {} TO {}", ident(from), ident(to))),
            },
            TableOp::AlterColumn { to, .. } if renamed_to(&to.name).is_some() || moves(&to.name) => None,
            TableOp::MoveColumn { column, position } => Some(render(|w| {
                match renamed_to(&column.name) {
                    Some(old) => write_change_column(w, table, old, column)?,
                    None => {
                        w.write_str("MODIFY COLUMN ")?;
                        write_column_def(w, table, column)?;
                    }
                }
                write_position(w, position)
            })?),
            other => op_clause(table, other)?,
        };
        clauses.extend(clause);
    }
    Ok(statement(table, &clauses))
}

/// ` FIRST`, ` AFTER `x``, or nothing for the end.
fn write_position<W: Write>(w: &mut W, position: &ColumnPosition) -> Result<(), EmitError> {
    match position {
        ColumnPosition::Last => {}
        ColumnPosition::First => w.write_str(" FIRST")?,
        ColumnPosition::After(after) => write!(w, " AFTER {}", ident(after))?,
    }
    Ok(())
}

/// `ALTER TABLE `t` [ADD KEY `fk` (...), ]ADD CONSTRAINT `fk` FOREIGN KEY ...`.
/// `indexes` are indexes of the plan written here (see `layout`), so that
/// MySQL uses them instead of creating one named like the constraint.
pub(super) fn add_foreign_key(table: &QualifiedName, fk: &ForeignKey, indexes: &[&Index]) -> Result<String, EmitError> {
    let mut clauses = Vec::with_capacity(indexes.len() + 1);
    for index in indexes {
        clauses.push(render(|w| {
            w.write_str("ADD ")?;
            write_key_clause(w, table, index)
        })?);
    }
    clauses.push(render(|w| {
        w.write_str("ADD ")?;
        write_foreign_key(w, table, fk)
    })?);
    Ok(statement(table, &clauses).unwrap_or_default())
}

/// `ALTER TABLE `t` DROP FOREIGN KEY `fk``.
pub(super) fn drop_foreign_key(table: &QualifiedName, fk: &ForeignKey) -> Result<String, EmitError> {
    let fk_name = fk.name.as_deref().ok_or_else(|| {
        EmitError::invalid(format!("foreign key on table {table}: an unnamed foreign key cannot be dropped"))
    })?;
    Ok(format!("ALTER TABLE {} DROP FOREIGN KEY {}", name(table), ident(fk_name)))
}

/// `ALTER TABLE `t` COMMENT = '...'`: the only comment MySQL plans set on
/// their own; column, index, routine and event comments ride in definitions.
pub(super) fn set_comment(target: &ObjectKey, comment: Option<&str>) -> Result<String, EmitError> {
    match target {
        ObjectKey::Table { name: table } => {
            Ok(format!("ALTER TABLE {} COMMENT = {}", name(table), D.quote_string(comment.unwrap_or(""))))
        }
        other => Err(unsupported(format!("a separate comment on {other}"))),
    }
}

/// One clause per line when there are several, so a reviewer reads a list.
fn statement(table: &QualifiedName, clauses: &[String]) -> Option<String> {
    match clauses {
        [] => None,
        [only] => Some(format!("ALTER TABLE {} {only}", name(table))),
        many => Some(format!("ALTER TABLE {}\n  {}", name(table), many.join(",\n  "))),
    }
}

fn op_clause(table: &QualifiedName, op: &TableOp) -> Result<Option<String>, EmitError> {
    let constraint_name = |name: Option<&str>, what: &str| {
        name.map(ident).ok_or_else(|| EmitError::invalid(format!("{what} on table {table}: no name to drop it by")))
    };
    let clause = match op {
        TableOp::AddColumn { column, position } => render(|w| {
            w.write_str("ADD COLUMN ")?;
            write_column_def(w, table, column)?;
            write_position(w, position)
        })?,
        TableOp::DropColumn(column) => format!("DROP COLUMN {}", ident(&column.name)),
        // MODIFY without FIRST/AFTER keeps the column where it is.
        TableOp::AlterColumn { to, .. } => render(|w| {
            w.write_str("MODIFY COLUMN ")?;
            write_column_def(w, table, to)
        })?,
        TableOp::RenameColumn { from, to } => format!("RENAME COLUMN {} TO {}", ident(from), ident(to)),
        TableOp::AddPrimaryKey(pk) => render(|w| {
            w.write_str("ADD PRIMARY KEY ")?;
            write_key_columns(w, &pk.columns, || format!("primary key of table {table}"))
        })?,
        TableOp::DropPrimaryKey(_) => "DROP PRIMARY KEY".to_owned(),
        TableOp::AddUnique(unique) => render(|w| {
            w.write_str("ADD ")?;
            write_unique(w, table, unique)
        })?,
        TableOp::DropUnique(unique) => {
            format!("DROP INDEX {}", constraint_name(unique.name.as_deref(), "unique constraint")?)
        }
        // Written with the key that takes over for a foreign key (see the
        // differ's `TableOp::AddIndex`): MySQL checks the keys a foreign key
        // needs against the table as the whole statement leaves it.
        TableOp::AddIndex(index) => render(|w| {
            w.write_str("ADD ")?;
            write_key_clause(w, table, index)
        })?,
        TableOp::DropIndex(index) if is_primary(index) => "DROP PRIMARY KEY".to_owned(),
        TableOp::DropIndex(index) => format!("DROP INDEX {}", ident(&index.name)),
        TableOp::AddCheck(check) => render(|w| {
            w.write_str("ADD ")?;
            write_check(w, table, check)
        })?,
        // DROP CONSTRAINT works on MariaDB 10.2+ and MySQL 8.0.19+; MySQL's
        // DROP CHECK does not exist on MariaDB.
        TableOp::DropCheck(check) => {
            format!("DROP CONSTRAINT {}", constraint_name(check.name.as_deref(), "check constraint")?)
        }
        TableOp::AddExclusion(x) | TableOp::DropExclusion(x) => {
            return Err(unsupported(format!("exclusion constraint {} on table {table}", x.name)));
        }
        TableOp::SetOptions { from, to } => {
            let from = MySqlOptions::of(from, table)?;
            let to = MySqlOptions::of(to, table)?;
            return options_clause(table, &from, &to);
        }
        _ => return Err(unsupported(format!("an ALTER TABLE operation on table {table}"))),
    };
    Ok(Some(clause))
}

/// `CHANGE COLUMN `old` <definition under the new name>`.
fn write_change_column<W: Write>(
    w: &mut W,
    table: &QualifiedName,
    old: &str,
    column: &Column,
) -> Result<(), EmitError> {
    write!(w, "CHANGE COLUMN {} ", ident(old))?;
    write_column_def(w, table, column)
}

/// The options that change. An option the source leaves unset is the server
/// default, which cannot be named (except `ROW_FORMAT=DEFAULT`), so it is
/// left as it is. Changing the default character set does not convert
/// existing columns: their character sets travel in their own definitions.
fn options_clause(table: &QualifiedName, from: &MySqlOptions, to: &MySqlOptions) -> Result<Option<String>, EmitError> {
    let mut parts = Vec::new();
    if let Some(engine) = to.engine.filter(|_| from.engine != to.engine) {
        parts.push(format!("ENGINE={}", word(engine)));
    }
    if from.charset != to.charset || from.collation != to.collation {
        let text = render(|w| write_charset(w, to.charset, to.collation))?;
        let text = text.trim_start();
        if !text.is_empty() {
            parts.push(text.to_owned());
        }
    }
    if from.row_format != to.row_format {
        parts.push(format!("ROW_FORMAT={}", row_format_keyword(to.row_format.unwrap_or("DEFAULT"), table)?));
    }
    Ok((!parts.is_empty()).then(|| parts.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_and_changed_column_is_one_change_clause() {
        let ops = vec![
            TableOp::RenameColumn { from: "a".into(), to: "b".into() },
            TableOp::RenameColumn { from: "x".into(), to: "y".into() },
            TableOp::AlterColumn { from: Column::new("b", "int(11)"), to: Column::new("b", "bigint(20)") },
        ];
        let sql = alter_table(&QualifiedName::bare("t"), &ops).unwrap().unwrap();
        assert_eq!(sql, "ALTER TABLE `t`\n  CHANGE COLUMN `a` `b` bigint(20) NULL,\n  RENAME COLUMN `x` TO `y`");
    }

    #[test]
    fn unnamed_constraints_cannot_be_dropped() {
        let fk = ForeignKey {
            name: None,
            columns: vec!["a".into()],
            ref_table: QualifiedName::bare("p"),
            ref_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
            match_type: Default::default(),
            deferrable: Default::default(),
            not_valid: false,
            comment: None,
        };
        assert!(matches!(drop_foreign_key(&QualifiedName::bare("t"), &fk), Err(EmitError::Invalid { .. })));
    }

    #[test]
    fn unset_options_are_left_alone() {
        let from = MySqlOptions { engine: Some("MyISAM"), row_format: Some("FIXED"), ..Default::default() };
        let to = MySqlOptions::default();
        let clause = options_clause(&QualifiedName::bare("t"), &from, &to).unwrap();
        assert_eq!(clause.as_deref(), Some("ROW_FORMAT=DEFAULT"));
        let only_engine = MySqlOptions { engine: Some("MyISAM"), ..Default::default() };
        assert_eq!(options_clause(&QualifiedName::bare("t"), &only_engine, &to).unwrap(), None);
    }
}
