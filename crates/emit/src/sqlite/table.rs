//! CREATE TABLE / DROP TABLE and the column and constraint clauses they share
//! with ALTER TABLE ADD COLUMN and table rebuilds.

use std::fmt::Write;

use schemasync_model::{
    CheckConstraint, Column, ConflictResolution, Deferrable, FkAction, FkMatch, ForeignKey, PrimaryKey, QualifiedName,
    Table, TableOptions, UniqueConstraint,
};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list, write_parenthesized};

use super::expr::{write_collation, write_default};
use super::{ident, object_name, unsupported};

/// `CREATE TABLE "t" (...)` for a table as wanted.
pub(super) fn create_table(table: &Table) -> Result<String, EmitError> {
    let name = object_name(&table.name)?;
    render(|w| write_create_table(w, table, &name))
}

/// `DROP TABLE "t"`.
pub(super) fn drop_table(name: &QualifiedName) -> Result<String, EmitError> {
    let name = object_name(name)?;
    render(|w| Ok(write!(w, "DROP TABLE {name}")?))
}

/// The definition of `table` created under `quoted_name`, which a rebuild
/// sets to its temporary name.
pub(super) fn write_create_table<W: Write>(w: &mut W, table: &Table, quoted_name: &str) -> Result<(), EmitError> {
    check_table(table)?;
    if let Some(using) = table.options.sqlite_virtual_using() {
        // The module's arguments define a virtual table's columns.
        let using = non_empty(using, || format!("virtual table {} module", table.name))?;
        write!(w, "CREATE VIRTUAL TABLE {quoted_name} USING {using}")?;
        return Ok(());
    }
    if table.columns.is_empty() {
        return Err(EmitError::invalid(format!("table {}: a table needs at least one column", table.name)));
    }
    let inline_pk = autoincrement_key(table);
    write!(w, "CREATE TABLE {quoted_name} (")?;
    let mut separator = Separator::default();
    for column in &table.columns {
        separator.write(w)?;
        let pk = inline_pk.filter(|pk| pk.columns.first() == Some(&column.name));
        write_column_def(w, &table.name, column, pk)?;
    }
    if let Some(pk) = table.primary_key.as_ref().filter(|_| inline_pk.is_none()) {
        separator.write(w)?;
        write_primary_key(w, &table.name, pk)?;
    }
    for unique in &table.uniques {
        separator.write(w)?;
        write_unique(w, &table.name, unique)?;
    }
    for check in &table.checks {
        separator.write(w)?;
        write_check(w, &table.name, check)?;
    }
    for fk in &table.foreign_keys {
        separator.write(w)?;
        write_foreign_key(w, &table.name, fk)?;
    }
    w.write_str("\n)")?;
    let mut options = Vec::new();
    if table.options.sqlite_strict() {
        options.push("STRICT");
    }
    if table.options.sqlite_without_rowid() {
        options.push("WITHOUT ROWID");
    }
    if !options.is_empty() {
        write!(w, " {}", options.join(", "))?;
    }
    Ok(())
}

/// `"c" TYPE [COLLATE x] [NOT NULL [ON CONFLICT r]] [DEFAULT d] [GENERATED ...]
/// [PRIMARY KEY [ON CONFLICT r] AUTOINCREMENT]`.
/// `pk` is the table's primary key when it must be written on this column:
/// AUTOINCREMENT is only legal as a column constraint of an INTEGER PRIMARY KEY.
pub(super) fn write_column_def<W: Write>(
    w: &mut W,
    table: &QualifiedName,
    column: &Column,
    pk: Option<&PrimaryKey>,
) -> Result<(), EmitError> {
    let what = || format!("column {table}.{}", column.name);
    if column.identity.is_some() {
        return Err(unsupported(format!("identity {}", what())));
    }
    if column.on_update.is_some() {
        return Err(unsupported(format!("ON UPDATE expression of {}", what())));
    }
    if column.charset.is_some() {
        return Err(unsupported(format!("character set of {}", what())));
    }
    if column.auto_increment && pk.is_none() {
        return Err(unsupported(format!("AUTOINCREMENT on {}, which is not the whole primary key", what())));
    }
    if column.nullable && column.not_null_on_conflict.is_some() {
        // Written nowhere, the clause would be lost without a word.
        return Err(EmitError::invalid(format!("{}: an ON CONFLICT clause for NOT NULL on a nullable column", what())));
    }
    w.write_str(&ident(&column.name))?;
    if !column.data_type.is_empty() {
        write!(w, " {}", column.data_type)?;
    }
    if let Some(collation) = &column.collation {
        w.write_str(" COLLATE ")?;
        write_collation(w, collation)?;
    }
    if !column.nullable {
        w.write_str(" NOT NULL")?;
        write_conflict_clause(w, column.not_null_on_conflict)?;
    }
    if let Some(default) = &column.default {
        w.write_str(" DEFAULT ")?;
        write_default(w, non_empty(default, || format!("default of {}", what()))?)?;
    }
    if let Some(generated) = &column.generated {
        w.write_str(" GENERATED ALWAYS AS ")?;
        write_parenthesized(w, non_empty(&generated.expr, || format!("expression of generated {}", what()))?)?;
        w.write_str(if generated.stored { " STORED" } else { " VIRTUAL" })?;
    }
    if let Some(pk) = pk {
        w.write_char(' ')?;
        write_constraint_name(w, pk.name.as_deref())?;
        w.write_str("PRIMARY KEY")?;
        write_conflict_clause(w, pk.on_conflict)?;
        w.write_str(" AUTOINCREMENT")?;
    }
    Ok(())
}

/// The primary key, when it is written inline: one column, marked AUTOINCREMENT.
pub(super) fn autoincrement_key(table: &Table) -> Option<&PrimaryKey> {
    let pk = table.primary_key.as_ref()?;
    match pk.columns.as_slice() {
        [only] if table.column(only).is_some_and(|c| c.auto_increment) => Some(pk),
        _ => None,
    }
}

/// Parts of a table model SQLite has no syntax for.
fn check_table(table: &Table) -> Result<(), EmitError> {
    let name = &table.name;
    if !table.exclusions.is_empty() {
        return Err(unsupported(format!("EXCLUDE constraints on table {name}")));
    }
    if table.partitioning.is_some() || table.partition_of.is_some() {
        return Err(unsupported(format!("partitioning of table {name}")));
    }
    if !table.policies.is_empty() {
        return Err(unsupported(format!("row-level security policies on table {name}")));
    }
    if !(table.options.is_default() || matches!(table.options, TableOptions::Sqlite { .. })) {
        return Err(unsupported(format!("another engine's options on table {name}")));
    }
    Ok(())
}

fn write_constraint_name<W: Write>(w: &mut W, name: Option<&str>) -> Result<(), EmitError> {
    if let Some(name) = name {
        write!(w, "CONSTRAINT {} ", ident(name))?;
    }
    Ok(())
}

/// ` ON CONFLICT r` after a NOT NULL, PRIMARY KEY or UNIQUE constraint.
fn write_conflict_clause<W: Write>(w: &mut W, resolution: Option<ConflictResolution>) -> Result<(), EmitError> {
    if let Some(resolution) = resolution {
        write!(w, " ON CONFLICT {}", resolution.as_sql())?;
    }
    Ok(())
}

fn write_key_columns<W: Write>(w: &mut W, columns: &[String], what: impl FnOnce() -> String) -> Result<(), EmitError> {
    if columns.is_empty() {
        return Err(EmitError::invalid(format!("{}: no columns", what())));
    }
    w.write_char('(')?;
    write_ident_list(w, super::D, columns)?;
    w.write_char(')')?;
    Ok(())
}

fn write_primary_key<W: Write>(w: &mut W, table: &QualifiedName, pk: &PrimaryKey) -> Result<(), EmitError> {
    write_constraint_name(w, pk.name.as_deref())?;
    w.write_str("PRIMARY KEY ")?;
    write_key_columns(w, &pk.columns, || format!("primary key of table {table}"))?;
    write_conflict_clause(w, pk.on_conflict)
}

fn write_unique<W: Write>(w: &mut W, table: &QualifiedName, unique: &UniqueConstraint) -> Result<(), EmitError> {
    let what = || format!("unique constraint {} on table {table}", unique.name.as_deref().unwrap_or("(unnamed)"));
    if unique.nulls_not_distinct {
        return Err(unsupported(format!("NULLS NOT DISTINCT of {}", what())));
    }
    if unique.deferrable != Deferrable::NotDeferrable {
        return Err(unsupported(format!("deferrable {}", what())));
    }
    write_constraint_name(w, unique.name.as_deref())?;
    w.write_str("UNIQUE ")?;
    write_key_columns(w, &unique.columns, what)?;
    write_conflict_clause(w, unique.on_conflict)
}

fn write_check<W: Write>(w: &mut W, table: &QualifiedName, check: &CheckConstraint) -> Result<(), EmitError> {
    let what = || format!("check constraint {} on table {table}", check.name.as_deref().unwrap_or("(unnamed)"));
    if check.not_valid || check.no_inherit || check.not_enforced {
        return Err(unsupported(format!("NOT VALID / NO INHERIT / NOT ENFORCED {}", what())));
    }
    write_constraint_name(w, check.name.as_deref())?;
    w.write_str("CHECK ")?;
    write_parenthesized(w, non_empty(&check.expr, what)?)
}

fn write_foreign_key<W: Write>(w: &mut W, table: &QualifiedName, fk: &ForeignKey) -> Result<(), EmitError> {
    let what = || format!("foreign key {} on table {table}", fk.name.as_deref().unwrap_or("(unnamed)"));
    if fk.not_valid {
        return Err(unsupported(format!("NOT VALID {}", what())));
    }
    write_constraint_name(w, fk.name.as_deref())?;
    w.write_str("FOREIGN KEY ")?;
    write_key_columns(w, &fk.columns, what)?;
    write!(w, " REFERENCES {}", object_name(&fk.ref_table)?)?;
    // An empty list means "the referenced table's primary key" in SQLite.
    if !fk.ref_columns.is_empty() {
        w.write_str(" (")?;
        write_ident_list(w, super::D, &fk.ref_columns)?;
        w.write_char(')')?;
    }
    if fk.on_delete != FkAction::NoAction {
        write!(w, " ON DELETE {}", fk.on_delete.as_sql())?;
    }
    if fk.on_update != FkAction::NoAction {
        write!(w, " ON UPDATE {}", fk.on_update.as_sql())?;
    }
    // SQLite parses MATCH and ignores it; writing it keeps the model's text.
    match fk.match_type {
        FkMatch::Simple => {}
        FkMatch::Full => w.write_str(" MATCH FULL")?,
        FkMatch::Partial => w.write_str(" MATCH PARTIAL")?,
    }
    match fk.deferrable {
        Deferrable::NotDeferrable => {}
        Deferrable::InitiallyImmediate => w.write_str(" DEFERRABLE INITIALLY IMMEDIATE")?,
        Deferrable::InitiallyDeferred => w.write_str(" DEFERRABLE INITIALLY DEFERRED")?,
    }
    Ok(())
}

/// Writes `\n  ` before the first table element and `,\n  ` before the others.
#[derive(Debug, Default)]
struct Separator {
    started: bool,
}

impl Separator {
    fn write<W: Write>(&mut self, w: &mut W) -> Result<(), EmitError> {
        w.write_str(if self.started { ",\n  " } else { "\n  " })?;
        self.started = true;
        Ok(())
    }
}
