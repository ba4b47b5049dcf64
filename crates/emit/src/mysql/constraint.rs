//! Key and constraint clauses, shared by CREATE TABLE and ALTER TABLE ADD.

use std::fmt::Write;

use schemasync_model::{CheckConstraint, Deferrable, FkMatch, ForeignKey, PrimaryKey, QualifiedName, UniqueConstraint};

use crate::EmitError;
use crate::render::{non_empty, write_ident_list, write_parenthesized};

use super::{D, ident, name, unsupported};

/// `(`a`, `b`)`; an empty list is refused.
pub(super) fn write_key_columns<W: Write>(
    w: &mut W,
    columns: &[String],
    what: impl FnOnce() -> String,
) -> Result<(), EmitError> {
    if columns.is_empty() {
        return Err(EmitError::invalid(format!("{}: no columns", what())));
    }
    w.write_char('(')?;
    write_ident_list(w, D, columns)?;
    w.write_char(')')?;
    Ok(())
}

/// `PRIMARY KEY (...)`. The key is always named `PRIMARY` in MySQL, so the
/// model's name is not written.
pub(super) fn write_primary_key<W: Write>(w: &mut W, table: &QualifiedName, pk: &PrimaryKey) -> Result<(), EmitError> {
    w.write_str("PRIMARY KEY ")?;
    write_key_columns(w, &pk.columns, || format!("primary key of table {table}"))
}

/// `UNIQUE KEY `n` (...)`. The MySQL introspector models unique keys as
/// unique indexes; a unique constraint from elsewhere is the same thing here.
pub(super) fn write_unique<W: Write>(
    w: &mut W,
    table: &QualifiedName,
    unique: &UniqueConstraint,
) -> Result<(), EmitError> {
    let what = || format!("unique constraint {} on table {table}", unique.name.as_deref().unwrap_or("(unnamed)"));
    if unique.nulls_not_distinct {
        return Err(unsupported(format!("NULLS NOT DISTINCT of {}", what())));
    }
    if unique.deferrable != Deferrable::NotDeferrable {
        return Err(unsupported(format!("deferrable {}", what())));
    }
    w.write_str("UNIQUE KEY ")?;
    if let Some(n) = &unique.name {
        write!(w, "{} ", ident(n))?;
    }
    write_key_columns(w, &unique.columns, what)
}

/// `[CONSTRAINT `n` ]CHECK (<expr>)[ NOT ENFORCED]`. MariaDB has no NOT
/// ENFORCED; a model that asks for it gets it, and the server's refusal.
pub(super) fn write_check<W: Write>(
    w: &mut W,
    table: &QualifiedName,
    check: &CheckConstraint,
) -> Result<(), EmitError> {
    let what = || format!("check constraint {} on table {table}", check.name.as_deref().unwrap_or("(unnamed)"));
    if check.not_valid || check.no_inherit {
        return Err(unsupported(format!("NOT VALID / NO INHERIT {}", what())));
    }
    if let Some(n) = &check.name {
        write!(w, "CONSTRAINT {} ", ident(n))?;
    }
    w.write_str("CHECK ")?;
    write_parenthesized(w, non_empty(&check.expr, what)?)?;
    if check.not_enforced {
        w.write_str(" NOT ENFORCED")?;
    }
    Ok(())
}

/// `[CONSTRAINT `n` ]FOREIGN KEY (...) REFERENCES `t` (...) ON DELETE x ON UPDATE y`.
pub(super) fn write_foreign_key<W: Write>(w: &mut W, table: &QualifiedName, fk: &ForeignKey) -> Result<(), EmitError> {
    let what = || format!("foreign key {} on table {table}", fk.name.as_deref().unwrap_or("(unnamed)"));
    // InnoDB parses MATCH but then ignores the referential actions.
    if fk.match_type != FkMatch::Simple {
        return Err(unsupported(format!("MATCH FULL / PARTIAL of {}", what())));
    }
    if fk.deferrable != Deferrable::NotDeferrable {
        return Err(unsupported(format!("deferrable {}", what())));
    }
    if fk.not_valid {
        return Err(unsupported(format!("NOT VALID {}", what())));
    }
    if fk.ref_columns.len() != fk.columns.len() {
        return Err(EmitError::invalid(format!(
            "{}: {} referencing columns but {} referenced columns",
            what(),
            fk.columns.len(),
            fk.ref_columns.len()
        )));
    }
    if let Some(n) = &fk.name {
        write!(w, "CONSTRAINT {} ", ident(n))?;
    }
    w.write_str("FOREIGN KEY ")?;
    write_key_columns(w, &fk.columns, what)?;
    write!(w, " REFERENCES {} ", name(&fk.ref_table))?;
    write_key_columns(w, &fk.ref_columns, what)?;
    // Both actions are always written as the model spells them. The servers
    // keep RESTRICT and NO ACTION apart and each prints one of them by
    // default: MariaDB stores an omitted action as RESTRICT and leaves it out
    // of SHOW CREATE TABLE, MySQL 8 stores it as NO ACTION and leaves that
    // out. Writing `RESTRICT` on MariaDB is the same as writing nothing, and
    // on MySQL 8 it is the only way to get RESTRICT back; writing `NO ACTION`
    // is the only way to get it on MariaDB and the same as nothing on MySQL 8.
    // So the explicit spelling reproduces the source's SHOW CREATE TABLE on both.
    write!(w, " ON DELETE {} ON UPDATE {}", fk.on_delete.as_sql(), fk.on_update.as_sql())?;
    Ok(())
}
