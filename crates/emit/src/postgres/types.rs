//! CREATE / DROP of user-defined types: enums, composites, ranges, domains.

use schemasync_model::{CheckConstraint, CompositeAttribute, QualifiedName, TypeKind, UserType};

use crate::EmitError;
use crate::render::{non_empty, render, write_parenthesized};

use super::column::{collate, collation_name};
use super::{ident, literal, name_or_unnamed, qname, unsupported};

/// `CREATE TYPE ...` or `CREATE DOMAIN ...`; a domain's NOT VALID checks
/// follow as `ALTER DOMAIN ... ADD ... NOT VALID`, the only place that
/// clause is legal.
pub(super) fn create_type(ty: &UserType) -> Result<Vec<String>, EmitError> {
    let name = qname(&ty.name);
    match &ty.kind {
        TypeKind::Enum { labels } => {
            let labels: Vec<String> = labels.iter().map(|l| literal(l)).collect();
            Ok(vec![format!("CREATE TYPE {name} AS ENUM ({})", labels.join(", "))])
        }
        TypeKind::Composite { attributes } => {
            let mut parts = Vec::with_capacity(attributes.len());
            for attribute in attributes {
                parts.push(attribute_def(&ty.name, attribute)?);
            }
            Ok(vec![format!("CREATE TYPE {name} AS ({})", parts.join(", "))])
        }
        TypeKind::Range { subtype, subtype_opclass, collation, canonical, subtype_diff, multirange } => {
            let what = || format!("range type {}", ty.name);
            let mut parts = vec![format!("SUBTYPE = {}", non_empty(subtype, || format!("subtype of {}", what()))?)];
            // Operator classes, functions and the multirange name are catalog
            // names as the introspector printed them (qualified as needed).
            let verbatim = [
                ("SUBTYPE_OPCLASS", subtype_opclass),
                ("CANONICAL", canonical),
                ("SUBTYPE_DIFF", subtype_diff),
                ("MULTIRANGE_TYPE_NAME", multirange),
            ];
            if let Some(collation) = collation {
                parts.push(format!("COLLATION = {}", collation_name(collation)));
            }
            for (key, value) in verbatim {
                if let Some(value) = value {
                    parts.push(format!("{key} = {}", non_empty(value, || format!("{key} of {}", what()))?));
                }
            }
            Ok(vec![format!("CREATE TYPE {name} AS RANGE ({})", parts.join(", "))])
        }
        TypeKind::Domain { base_type, not_null, default, collation, checks } => {
            let what = || format!("domain {}", ty.name);
            let mut sql =
                format!("CREATE DOMAIN {name} AS {}", non_empty(base_type, || format!("type of {}", what()))?);
            if let Some(collation) = collation {
                sql.push(' ');
                sql.push_str(&collate(collation));
            }
            if let Some(default) = default {
                sql.push_str(" DEFAULT ");
                sql.push_str(non_empty(default, || format!("default of {}", what()))?);
            }
            if *not_null {
                sql.push_str(" NOT NULL");
            }
            let mut later = Vec::new();
            for check in checks {
                let clause = domain_check(&ty.name, check)?;
                if check.not_valid {
                    later.push(format!("ALTER DOMAIN {name} ADD {clause}"));
                } else {
                    sql.push(' ');
                    sql.push_str(&clause);
                }
            }
            let mut out = vec![sql];
            out.extend(later);
            Ok(out)
        }
        _ => Err(unsupported(format!("the kind of type {}", ty.name))),
    }
}

/// `DROP TYPE "s"."t"` / `DROP DOMAIN "s"."d"`.
pub(super) fn drop_type(ty: &UserType) -> Result<String, EmitError> {
    let keyword = if matches!(ty.kind, TypeKind::Domain { .. }) { "DOMAIN" } else { "TYPE" };
    Ok(format!("DROP {keyword} {}", qname(&ty.name)))
}

/// `"a" <type>[ COLLATE "x"]`.
pub(super) fn attribute_def(ty: &QualifiedName, attribute: &CompositeAttribute) -> Result<String, EmitError> {
    let data_type = non_empty(&attribute.data_type, || format!("type of attribute {} of type {ty}", attribute.name))?;
    let mut out = format!("{} {data_type}", ident(&attribute.name));
    if let Some(collation) = &attribute.collation {
        out.push(' ');
        out.push_str(&collate(collation));
    }
    Ok(out)
}

/// `[CONSTRAINT "c" ]CHECK (<expr>)[ NOT VALID]` of a domain.
pub(super) fn domain_check(ty: &QualifiedName, check: &CheckConstraint) -> Result<String, EmitError> {
    let what = || format!("check {} of domain {ty}", name_or_unnamed(check.name.as_deref()));
    if check.no_inherit || check.not_enforced {
        return Err(unsupported(format!("NO INHERIT / NOT ENFORCED {}", what())));
    }
    let expr = non_empty(&check.expr, what)?;
    render(|w| {
        if let Some(name) = &check.name {
            w.push_str("CONSTRAINT ");
            w.push_str(&ident(name));
            w.push(' ');
        }
        w.push_str("CHECK ");
        write_parenthesized(w, expr)?;
        if check.not_valid {
            w.push_str(" NOT VALID");
        }
        Ok(())
    })
}
