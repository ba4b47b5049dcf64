//! Enum, composite, range and domain types.

use schemasync_model::{CheckConstraint, CompositeAttribute, QualifiedName, TypeKind, UserType};
use tokio_postgres::Row;

use super::row::Fields;
use super::text::check_expression;
use super::{Builder, display_name};
use crate::PostgresError;

/// Name, owner and comment, common to every kind.
fn add(b: &mut Builder, f: &Fields<'_>, kind: TypeKind) -> Result<(), PostgresError> {
    let schema: String = f.get("schema")?;
    let name = QualifiedName::new(Some(&schema), f.get::<String>("name")?);
    b.oids.types.insert(f.get("oid")?, name.clone());
    let ty = UserType {
        name: name.clone(),
        kind,
        owner: b.owner(f.get("owner")?),
        grants: Vec::new(),
        comment: f.get("comment")?,
    };
    b.schema.types.insert(name, ty);
    Ok(())
}

pub(crate) fn read_enums(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "enum types");
        let labels = f.list("labels")?;
        add(b, &f, TypeKind::Enum { labels })?;
    }
    Ok(())
}

pub(crate) fn read_composites(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "composite types");
        let names = f.list("names")?;
        let types = f.list("types")?;
        let collations = f.opt_list("collations")?;
        if types.len() != names.len() || collations.len() != names.len() {
            return Err(f.unexpected("attribute arrays of different lengths"));
        }
        let attributes = names
            .into_iter()
            .zip(types)
            .zip(collations)
            .map(|((name, data_type), collation)| CompositeAttribute { name, data_type, collation })
            .collect();
        add(b, &f, TypeKind::Composite { attributes })?;
    }
    Ok(())
}

/// The multirange name PostgreSQL derives from a range name: `range` in the
/// name becomes `multirange`, otherwise `_multirange` is appended.
fn default_multirange_name(range: &str) -> String {
    match range.find("range") {
        Some(pos) => format!("{}multi{}", &range[..pos], &range[pos..]),
        None => format!("{range}_multirange"),
    }
}

pub(crate) fn read_ranges(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "range types");
        let schema: String = f.get("schema")?;
        let name: String = f.get("name")?;
        let multirange =
            match (f.get::<Option<String>>("multirange_schema")?, f.get::<Option<String>>("multirange_name")?) {
                (Some(ms), Some(mn)) if ms == schema && mn == default_multirange_name(&name) => None,
                (Some(ms), Some(mn)) => Some(format!(
                    "{}.{}",
                    schemasync_model::Dialect::Postgres.quote_ident(&ms),
                    schemasync_model::Dialect::Postgres.quote_ident(&mn)
                )),
                _ => None,
            };
        let kind = TypeKind::Range {
            subtype: f.get("subtype")?,
            subtype_opclass: f.text_opt("opclass")?,
            collation: f.text_opt("collation")?,
            canonical: f.text_opt("canonical")?,
            subtype_diff: f.text_opt("subtype_diff")?,
            multirange,
        };
        add(b, &f, kind)?;
    }
    Ok(())
}

pub(crate) fn read_domains(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "domains");
        let names = f.list("check_names")?;
        let defs = f.list("check_defs")?;
        let validated: Vec<bool> = f.get::<Option<Vec<bool>>>("check_validated")?.unwrap_or_default();
        let comments = f.opt_list("check_comments")?;
        if defs.len() != names.len() || validated.len() != names.len() || comments.len() != names.len() {
            return Err(f.unexpected("check arrays of different lengths"));
        }
        let mut checks = Vec::with_capacity(names.len());
        for (((name, def), valid), comment) in names.into_iter().zip(defs).zip(validated).zip(comments) {
            let expr = check_expression(&def).ok_or_else(|| {
                f.unexpected(format!(
                    "check {name} of domain {}: cannot read {def:?}",
                    display_name(
                        &f.get::<String>("schema").unwrap_or_default(),
                        &f.get::<String>("name").unwrap_or_default()
                    )
                ))
            })?;
            checks.push(CheckConstraint {
                name: Some(name),
                expr,
                not_valid: !valid,
                no_inherit: false,
                not_enforced: false,
                comment,
            });
        }
        let kind = TypeKind::Domain {
            base_type: f.get("base_type")?,
            not_null: f.get("not_null")?,
            default: f.text_opt("default_expr")?,
            collation: f.text_opt("collation")?,
            checks,
        };
        add(b, &f, kind)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::default_multirange_name;

    #[test]
    fn multirange_names() {
        assert_eq!(default_multirange_name("floatrange"), "floatmultirange");
        assert_eq!(default_multirange_name("span"), "span_multirange");
    }
}
