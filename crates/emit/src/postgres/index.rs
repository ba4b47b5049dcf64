//! CREATE INDEX / DROP INDEX and the key parts exclusion constraints share.

use schemasync_model::{Index, IndexKind, IndexPart, IndexTarget, QualifiedName};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list, write_parenthesized};

use super::column::collate;
use super::{D, ident, qname, sibling, unsupported};

/// `CREATE [UNIQUE ]INDEX [CONCURRENTLY ]"i" ON "s"."t"[ USING m] (<parts>)
/// [ INCLUDE (...)][ NULLS NOT DISTINCT][ WITH (...)][ WHERE <predicate>]`.
/// The index name takes no schema: an index lives in its table's.
pub(super) fn create_index(table: &QualifiedName, index: &Index, concurrently: bool) -> Result<String, EmitError> {
    let what = || format!("index {} on {table}", index.name);
    if index.kind != IndexKind::Plain {
        return Err(unsupported(format!("FULLTEXT / SPATIAL {}", what())));
    }
    if index.parts.is_empty() {
        return Err(EmitError::invalid(format!("{}: no key parts", what())));
    }
    render(|w| {
        w.push_str("CREATE ");
        if index.unique {
            w.push_str("UNIQUE ");
        }
        w.push_str("INDEX ");
        if concurrently {
            w.push_str("CONCURRENTLY ");
        }
        w.push_str(&ident(&index.name));
        w.push_str(" ON ");
        w.push_str(&qname(table));
        if let Some(method) = &index.method {
            w.push_str(" USING ");
            w.push_str(non_empty(method, || format!("access method of {}", what()))?);
        }
        w.push_str(" (");
        for (i, part) in index.parts.iter().enumerate() {
            if i > 0 {
                w.push_str(", ");
            }
            w.push_str(&index_part(part, &what)?);
        }
        w.push(')');
        if !index.include.is_empty() {
            w.push_str(" INCLUDE (");
            write_ident_list(w, D, &index.include)?;
            w.push(')');
        }
        if index.nulls_not_distinct {
            w.push_str(" NULLS NOT DISTINCT");
        }
        if !index.options.is_empty() {
            w.push_str(" WITH (");
            w.push_str(&index.options.join(", "));
            w.push(')');
        }
        if let Some(predicate) = &index.predicate {
            w.push_str(" WHERE ");
            w.push_str(non_empty(predicate, || format!("predicate of {}", what()))?);
        }
        Ok(())
    })
}

/// `DROP INDEX "s"."i"`.
pub(super) fn drop_index(table: &QualifiedName, index: &Index) -> Result<String, EmitError> {
    Ok(format!("DROP INDEX {}", sibling(table, &index.name)))
}

/// `"col"` or `(<expr>)`, then `[ COLLATE "x"][ <opclass>][ DESC][ NULLS FIRST|LAST]`.
pub(super) fn index_part(part: &IndexPart, what: &dyn Fn() -> String) -> Result<String, EmitError> {
    if part.prefix_length.is_some() {
        return Err(unsupported(format!("prefix length in {}", what())));
    }
    render(|w| {
        match &part.target {
            IndexTarget::Column(column) => w.push_str(&ident(column)),
            // Parentheses make any expression legal here, function call or not.
            IndexTarget::Expression(expr) => {
                write_parenthesized(w, non_empty(expr, || format!("expression in {}", what()))?)?;
            }
        }
        if let Some(collation) = &part.collation {
            w.push(' ');
            w.push_str(&collate(collation));
        }
        if let Some(opclass) = &part.opclass {
            w.push(' ');
            w.push_str(non_empty(opclass, || format!("operator class in {}", what()))?);
        }
        if part.descending {
            w.push_str(" DESC");
        }
        match part.nulls_first {
            Some(true) => w.push_str(" NULLS FIRST"),
            Some(false) => w.push_str(" NULLS LAST"),
            None => {}
        }
        Ok(())
    })
}
