//! CREATE INDEX / DROP INDEX.

use std::fmt::Write;

use schemasync_model::{Index, IndexKind, IndexPart, IndexTarget, QualifiedName};

use crate::EmitError;
use crate::render::{non_empty, render};

use super::expr::write_collation;
use super::{ident, object_name, unsupported};

/// `CREATE [UNIQUE ]INDEX "i" ON "t" (<parts>)[ WHERE <predicate>]`.
pub(super) fn create_index(table: &QualifiedName, index: &Index) -> Result<String, EmitError> {
    let table_name = object_name(table)?;
    render(|w| write_create_index(w, table, &table_name, index))
}

/// `DROP INDEX "i"`.
pub(super) fn drop_index(index: &Index) -> Result<String, EmitError> {
    render(|w| Ok(write!(w, "DROP INDEX {}", ident(&index.name))?))
}

fn write_create_index<W: Write>(
    w: &mut W,
    table: &QualifiedName,
    table_name: &str,
    index: &Index,
) -> Result<(), EmitError> {
    let what = || format!("index {} on {table}", index.name);
    if index.method.is_some() || index.kind != IndexKind::Plain {
        return Err(unsupported(format!("access method or kind of {}", what())));
    }
    if !index.include.is_empty() || index.nulls_not_distinct || !index.options.is_empty() {
        return Err(unsupported(format!("INCLUDE / NULLS NOT DISTINCT / storage options of {}", what())));
    }
    if index.parts.is_empty() {
        return Err(EmitError::invalid(format!("{}: no key parts", what())));
    }
    let unique = if index.unique { "UNIQUE " } else { "" };
    write!(w, "CREATE {unique}INDEX {} ON {table_name} (", ident(&index.name))?;
    for (i, part) in index.parts.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        write_part(w, part, &what)?;
    }
    w.write_char(')')?;
    if let Some(predicate) = &index.predicate {
        write!(w, " WHERE {}", non_empty(predicate, || format!("predicate of {}", what()))?)?;
    }
    Ok(())
}

fn write_part<W: Write>(w: &mut W, part: &IndexPart, what: &dyn Fn() -> String) -> Result<(), EmitError> {
    if part.opclass.is_some() || part.prefix_length.is_some() || part.nulls_first.is_some() {
        return Err(unsupported(format!("operator class / prefix length / NULLS order in {}", what())));
    }
    match &part.target {
        IndexTarget::Column(column) => w.write_str(&ident(column))?,
        IndexTarget::Expression(expr) => {
            w.write_str(non_empty(expr, || format!("expression in {}", what()))?)?;
        }
    }
    if let Some(collation) = &part.collation {
        w.write_str(" COLLATE ")?;
        write_collation(w, collation)?;
    }
    if part.descending {
        w.write_str(" DESC")?;
    }
    Ok(())
}
