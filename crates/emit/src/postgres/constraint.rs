//! Table constraint clauses, shared by CREATE TABLE and ALTER TABLE ADD:
//! `[CONSTRAINT "n" ]PRIMARY KEY | UNIQUE | CHECK | FOREIGN KEY | EXCLUDE ...`.

use schemasync_model::{
    CheckConstraint, Deferrable, ExclusionConstraint, FkAction, FkMatch, ForeignKey, PrimaryKey, QualifiedName,
    UniqueConstraint,
};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list, write_parenthesized};

use super::index::index_part;
use super::{D, ident, name_or_unnamed, qname, unsupported};

/// `[CONSTRAINT "n" ]PRIMARY KEY ("a")`.
pub(super) fn primary_key(table: &QualifiedName, pk: &PrimaryKey) -> Result<String, EmitError> {
    let columns = key_columns(&pk.columns, || format!("primary key of table {table}"))?;
    Ok(format!("{}PRIMARY KEY {columns}", constraint_name(pk.name.as_deref())))
}

/// `[CONSTRAINT "n" ]UNIQUE[ NULLS NOT DISTINCT] ("a")[ DEFERRABLE ...]`.
pub(super) fn unique(table: &QualifiedName, unique: &UniqueConstraint) -> Result<String, EmitError> {
    let what = || format!("unique constraint {} on table {table}", name_or_unnamed(unique.name.as_deref()));
    let columns = key_columns(&unique.columns, what)?;
    let nulls = if unique.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
    Ok(format!("{}UNIQUE{nulls} {columns}{}", constraint_name(unique.name.as_deref()), deferrable(unique.deferrable)))
}

/// `[CONSTRAINT "n" ]CHECK (<expr>)[ NO INHERIT][ NOT VALID]`. NOT VALID is
/// only legal in ALTER TABLE; CREATE TABLE adds such checks afterwards.
pub(super) fn check(table: &QualifiedName, check: &CheckConstraint) -> Result<String, EmitError> {
    let what = || format!("check constraint {} on table {table}", name_or_unnamed(check.name.as_deref()));
    if check.not_enforced {
        return Err(unsupported(format!("NOT ENFORCED {}", what())));
    }
    let expr = non_empty(&check.expr, what)?;
    render(|w| {
        w.push_str(&constraint_name(check.name.as_deref()));
        w.push_str("CHECK ");
        write_parenthesized(w, expr)?;
        if check.no_inherit {
            w.push_str(" NO INHERIT");
        }
        if check.not_valid {
            w.push_str(" NOT VALID");
        }
        Ok(())
    })
}

/// `[CONSTRAINT "n" ]FOREIGN KEY ("a") REFERENCES "s"."t" ("id")[ MATCH FULL]
/// [ ON UPDATE x][ ON DELETE x][ DEFERRABLE ...][ NOT VALID]`, in the order
/// `pg_get_constraintdef` prints.
pub(super) fn foreign_key(table: &QualifiedName, fk: &ForeignKey) -> Result<String, EmitError> {
    let what = || format!("foreign key {} on table {table}", name_or_unnamed(fk.name.as_deref()));
    if fk.match_type == FkMatch::Partial {
        return Err(unsupported(format!("MATCH PARTIAL of {} (not implemented by PostgreSQL)", what())));
    }
    let columns = key_columns(&fk.columns, what)?;
    render(|w| {
        w.push_str(&constraint_name(fk.name.as_deref()));
        w.push_str("FOREIGN KEY ");
        w.push_str(&columns);
        w.push_str(" REFERENCES ");
        w.push_str(&qname(&fk.ref_table));
        // An empty list references the primary key.
        if !fk.ref_columns.is_empty() {
            w.push_str(" (");
            write_ident_list(w, D, &fk.ref_columns)?;
            w.push(')');
        }
        if fk.match_type == FkMatch::Full {
            w.push_str(" MATCH FULL");
        }
        if fk.on_update != FkAction::NoAction {
            w.push_str(" ON UPDATE ");
            w.push_str(fk.on_update.as_sql());
        }
        if fk.on_delete != FkAction::NoAction {
            w.push_str(" ON DELETE ");
            w.push_str(fk.on_delete.as_sql());
        }
        w.push_str(&deferrable(fk.deferrable));
        if fk.not_valid {
            w.push_str(" NOT VALID");
        }
        Ok(())
    })
}

/// `CONSTRAINT "n" EXCLUDE USING m (<part> WITH <op>, ...)[ INCLUDE (...)][ WHERE (<pred>)][ DEFERRABLE ...]`.
pub(super) fn exclusion(table: &QualifiedName, exclusion: &ExclusionConstraint) -> Result<String, EmitError> {
    let what = || format!("exclusion constraint {} on table {table}", exclusion.name);
    if exclusion.elements.is_empty() {
        return Err(EmitError::invalid(format!("{}: no elements", what())));
    }
    let method = non_empty(&exclusion.method, || format!("access method of {}", what()))?;
    render(|w| {
        w.push_str(&constraint_name(Some(&exclusion.name)));
        w.push_str("EXCLUDE USING ");
        w.push_str(method);
        w.push_str(" (");
        for (i, element) in exclusion.elements.iter().enumerate() {
            if i > 0 {
                w.push_str(", ");
            }
            w.push_str(&index_part(&element.part, &what)?);
            w.push_str(" WITH ");
            w.push_str(non_empty(&element.operator, || format!("operator in {}", what()))?);
        }
        w.push(')');
        if !exclusion.include.is_empty() {
            w.push_str(" INCLUDE (");
            write_ident_list(w, D, &exclusion.include)?;
            w.push(')');
        }
        if let Some(predicate) = &exclusion.predicate {
            w.push_str(" WHERE ");
            write_parenthesized(w, non_empty(predicate, || format!("predicate of {}", what()))?)?;
        }
        w.push_str(&deferrable(exclusion.deferrable));
        Ok(())
    })
}

/// `DROP CONSTRAINT "n"`: PostgreSQL names every constraint, so an unnamed
/// one in a plan cannot be addressed.
pub(super) fn drop_constraint(name: Option<&str>, what: impl FnOnce() -> String) -> Result<String, EmitError> {
    match name {
        Some(name) => Ok(format!("DROP CONSTRAINT {}", ident(name))),
        None => Err(EmitError::invalid(format!("{}: an unnamed constraint cannot be dropped", what()))),
    }
}

fn constraint_name(name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", ident(n))).unwrap_or_default()
}

/// `("a", "b")`.
fn key_columns(columns: &[String], what: impl FnOnce() -> String) -> Result<String, EmitError> {
    if columns.is_empty() {
        return Err(EmitError::invalid(format!("{}: no columns", what())));
    }
    render(|w| {
        w.push('(');
        write_ident_list(w, D, columns)?;
        w.push(')');
        Ok(())
    })
}

/// ` DEFERRABLE INITIALLY IMMEDIATE|DEFERRED`, or nothing.
pub(super) fn deferrable(deferrable: Deferrable) -> String {
    match deferrable {
        Deferrable::NotDeferrable => String::new(),
        Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE".to_owned(),
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED".to_owned(),
    }
}
