//! Table rebuild, SQLite's answer to every ALTER it cannot make: create the
//! wanted shape under a temporary name, copy the rows, drop the old table,
//! rename the new one into place and recreate its indexes. An AUTOINCREMENT
//! table also keeps its counter.
//!
//! Foreign key enforcement must be off while this runs (the old table is
//! dropped while others reference it), which the script signals through
//! `Script::disable_foreign_keys`. Triggers and views that mention the table
//! are dropped before and recreated after by their own changes: `RENAME TO`
//! refuses to run while a view or trigger refers to a missing table.

use std::fmt::Write;

use schemasync_model::Table;

use crate::EmitError;
use crate::render::render;

use super::expr::write_default_value;
use super::index::create_index;
use super::table::{autoincrement_key, write_create_table};
use super::{D, ident, object_name};

/// Prefix of the temporary table a rebuild fills.
const TEMP_PREFIX: &str = "_schemasync_new_";

/// The statements of a rebuild from `from` (as it is) to `to` (as wanted).
/// The old table is read and dropped under `from`'s name and the new one
/// ends under `to`'s, so a rename rides along if the names differ.
pub(super) fn rebuild_table(from: &Table, to: &Table) -> Result<Vec<String>, EmitError> {
    let old_name = object_name(&from.name)?;
    let new_name = object_name(&to.name)?;
    let temp_raw = format!("{TEMP_PREFIX}{}", to.name.name);
    let temp_name = ident(&temp_raw);

    let mut statements = vec![render(|w| write_create_table(w, to, &temp_name))?];
    if autoincrement_key(to).is_some() {
        // AUTOINCREMENT promises never to reuse an id, but the old table's
        // counter row goes with DROP TABLE; carry it over first (the copy
        // below only raises it, and RENAME TO renames it).
        statements.push(render(|w| write_carry_sequence(w, &temp_raw, &from.name.name))?);
    }
    let mut copied = copied_columns(from, to);
    if !copied.is_empty() && keeps_implicit_rowid(from, to) {
        // Without an INTEGER PRIMARY KEY the rowid is implicit: copy it too,
        // or every row would get a new one (rowids can be referenced).
        copied.insert(0, Copied { name: "rowid", fill_nulls_with: None, raw: true });
    }
    if !copied.is_empty() {
        let or_abort = has_conflict_clause(to);
        statements.push(render(|w| write_copy(w, &copied, or_abort, &temp_name, &old_name))?);
    }
    statements.push(render(|w| Ok(write!(w, "DROP TABLE {old_name}")?))?);
    statements.push(render(|w| Ok(write!(w, "ALTER TABLE {temp_name} RENAME TO {new_name}")?))?);
    for index in to.indexes.values() {
        statements.push(create_index(&to.name, index)?);
    }
    Ok(statements)
}

/// A column whose values move to the new table.
#[derive(Debug)]
struct Copied<'a> {
    name: &'a str,
    /// The wanted default, when a NULL of the old table must become it
    /// because the column turns NOT NULL.
    fill_nulls_with: Option<&'a str>,
    /// A keyword (`rowid`), written unquoted.
    raw: bool,
}

/// Both shapes are rowid tables whose rowid is not a column of `to`: the
/// rowid must be carried explicitly. A column literally named like a rowid
/// alias would shadow it, so then nothing can be done and nothing is tried.
fn keeps_implicit_rowid(from: &Table, to: &Table) -> bool {
    let rowid_table = |t: &Table| !t.options.sqlite_without_rowid() && t.options.sqlite_virtual_using().is_none();
    let shadowed = |t: &Table| {
        t.columns.iter().any(|c| ["rowid", "oid", "_rowid_"].iter().any(|a| c.name.eq_ignore_ascii_case(a)))
    };
    rowid_table(from) && rowid_table(to) && !shadowed(from) && !shadowed(to) && rowid_alias(to).is_none()
}

/// The INTEGER PRIMARY KEY column that is the table's rowid, if any.
fn rowid_alias(table: &Table) -> Option<&str> {
    let pk = table.primary_key.as_ref()?;
    match pk.columns.as_slice() {
        [only] => table.column(only).filter(|c| c.data_type.eq_ignore_ascii_case("INTEGER")).map(|c| c.name.as_str()),
        _ => None,
    }
}

/// Columns of `to` that `from` has too, in `to`'s order. Generated columns of
/// `to` are computed by SQLite and cannot be inserted into.
fn copied_columns<'a>(from: &'a Table, to: &'a Table) -> Vec<Copied<'a>> {
    to.columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = from.column(&c.name)?;
            let tightened = old.nullable && !c.nullable;
            Some(Copied { name: &c.name, fill_nulls_with: c.default.as_deref().filter(|_| tightened), raw: false })
        })
        .collect()
}

/// Whether a constraint of the table resolves conflicts its own way. The
/// copy must then say `OR ABORT`, which overrides it: a row that breaks a new
/// constraint should fail the rebuild as it does without the clause, not be
/// skipped (IGNORE), delete another row (REPLACE) or end the engine's
/// transaction behind its back (ROLLBACK).
fn has_conflict_clause(table: &Table) -> bool {
    table.primary_key.as_ref().is_some_and(|pk| pk.on_conflict.is_some())
        || table.uniques.iter().any(|u| u.on_conflict.is_some())
        || table.columns.iter().any(|c| c.not_null_on_conflict.is_some())
}

/// `INSERT [OR ABORT] INTO "new" ("a", "b") SELECT "a", coalesce("b", <default>) FROM "old"`.
fn write_copy<W: Write>(
    w: &mut W,
    copied: &[Copied<'_>],
    or_abort: bool,
    temp_name: &str,
    old_name: &str,
) -> Result<(), EmitError> {
    let or_abort = if or_abort { " OR ABORT" } else { "" };
    write!(w, "INSERT{or_abort} INTO {temp_name} (")?;
    for (i, column) in copied.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        w.write_str(&column_ref(column))?;
    }
    w.write_str(") SELECT ")?;
    for (i, column) in copied.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        match column.fill_nulls_with {
            Some(default) => {
                write!(w, "coalesce({}, ", ident(column.name))?;
                write_default_value(w, default)?;
                w.write_char(')')?;
            }
            None => w.write_str(&column_ref(column))?,
        }
    }
    write!(w, " FROM {old_name}")?;
    Ok(())
}

fn column_ref(column: &Copied<'_>) -> String {
    if column.raw { column.name.to_owned() } else { ident(column.name) }
}

/// `INSERT INTO "sqlite_sequence" ("name", "seq") SELECT '<temp>', "seq" FROM "sqlite_sequence" WHERE "name" = '<old>'`.
fn write_carry_sequence<W: Write>(w: &mut W, temp_raw: &str, old_raw: &str) -> Result<(), EmitError> {
    let (sequence, name, seq) = (ident("sqlite_sequence"), ident("name"), ident("seq"));
    write!(
        w,
        "INSERT INTO {sequence} ({name}, {seq}) SELECT {}, {seq} FROM {sequence} WHERE {name} = {}",
        D.quote_string(temp_raw),
        D.quote_string(old_raw)
    )?;
    Ok(())
}
