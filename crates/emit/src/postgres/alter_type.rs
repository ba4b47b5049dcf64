//! ALTER TYPE / ALTER DOMAIN: the in-place type changes the differ plans
//! (new enum labels, composite attributes, domain default, NOT NULL and
//! checks). Anything else is a drop and create, planned as such.
//!
//! `ALTER TYPE ... ADD VALUE` stays inside the transaction: PostgreSQL 12+
//! allows it there, but the new label cannot be used before commit. Plans
//! rarely use a label they add in the same script; when one does (a default
//! or check naming it), PostgreSQL reports "unsafe use of new value" and the
//! transaction rolls back whole, which is the safe failure.

use schemasync_model::{CheckConstraint, CompositeAttribute, QualifiedName, TypeKind, UserType};

use crate::EmitError;
use crate::render::non_empty;

use super::column::collate;
use super::types::{attribute_def, domain_check};
use super::{ident, literal, qname, unsupported};

/// The statements turning `from` into `to`.
pub(super) fn alter_type(from: &UserType, to: &UserType) -> Result<Vec<String>, EmitError> {
    let name = &to.name;
    match (&from.kind, &to.kind) {
        (TypeKind::Enum { labels: old }, TypeKind::Enum { labels: new }) => enum_labels(name, old, new),
        (TypeKind::Composite { attributes: old }, TypeKind::Composite { attributes: new }) => composite(name, old, new),
        (
            TypeKind::Domain { base_type: b1, collation: c1, not_null: n1, default: d1, checks: k1 },
            TypeKind::Domain { base_type: b2, collation: c2, not_null: n2, default: d2, checks: k2 },
        ) => {
            if b1 != b2 || c1 != c2 {
                return Err(unsupported(format!(
                    "changing the base type or collation of domain {name} in place (drop and create it)"
                )));
            }
            domain(name, (*n1, d1.as_deref(), k1), (*n2, d2.as_deref(), k2))
        }
        _ => Err(unsupported(format!("altering type {name} in place (drop and create it)"))),
    }
}

/// `ALTER TYPE ... ADD VALUE 'x' BEFORE|AFTER 'y'` for each new label, in
/// the wanted order: each is placed after its predecessor, which exists by
/// then, or before the first old label when it leads.
fn enum_labels(name: &QualifiedName, old: &[String], new: &[String]) -> Result<Vec<String>, EmitError> {
    if !old.iter().all(|label| new.contains(label)) {
        return Err(unsupported(format!("removing enum labels of type {name} in place")));
    }
    let mut rest = new.iter();
    if !old.iter().all(|label| rest.any(|n| n == label)) {
        return Err(unsupported(format!("reordering enum labels of type {name} in place")));
    }
    let first_old = new.iter().find(|l| old.contains(l));
    let mut out = Vec::new();
    for (i, label) in new.iter().enumerate() {
        if old.contains(label) {
            continue;
        }
        let mut sql = format!("ALTER TYPE {} ADD VALUE {}", qname(name), literal(label));
        match (i.checked_sub(1).and_then(|p| new.get(p)), first_old) {
            (Some(previous), _) => sql.push_str(&format!(" AFTER {}", literal(previous))),
            (None, Some(next)) => sql.push_str(&format!(" BEFORE {}", literal(next))),
            (None, None) => {}
        }
        out.push(sql);
    }
    Ok(out)
}

/// One `ALTER TYPE` with DROP / ALTER / ADD ATTRIBUTE actions. Added
/// attributes go last, so the wanted order must be the kept attributes in
/// their old order followed by the new ones.
fn composite(
    name: &QualifiedName,
    old: &[CompositeAttribute],
    new: &[CompositeAttribute],
) -> Result<Vec<String>, EmitError> {
    let find = |list: &[CompositeAttribute], attr: &str| list.iter().find(|a| a.name == attr).cloned();
    let kept: Vec<&str> = old.iter().filter(|a| find(new, &a.name).is_some()).map(|a| a.name.as_str()).collect();
    let added: Vec<&CompositeAttribute> = new.iter().filter(|a| find(old, &a.name).is_none()).collect();
    let result_order: Vec<&str> = kept.iter().copied().chain(added.iter().map(|a| a.name.as_str())).collect();
    let wanted_order: Vec<&str> = new.iter().map(|a| a.name.as_str()).collect();
    if result_order != wanted_order {
        return Err(unsupported(format!("reordering the attributes of composite type {name} in place")));
    }
    let mut actions = Vec::new();
    for attribute in old.iter().filter(|a| find(new, &a.name).is_none()) {
        actions.push(format!("DROP ATTRIBUTE {}", ident(&attribute.name)));
    }
    for attribute in new {
        let Some(before) = find(old, &attribute.name) else { continue };
        if before != *attribute {
            let data_type = non_empty(&attribute.data_type, || format!("type of {name}.{}", attribute.name))?;
            let mut action = format!("ALTER ATTRIBUTE {} SET DATA TYPE {data_type}", ident(&attribute.name));
            if let Some(collation) = &attribute.collation {
                action.push(' ');
                action.push_str(&collate(collation));
            }
            actions.push(action);
        }
    }
    for attribute in added {
        actions.push(format!("ADD ATTRIBUTE {}", attribute_def(name, attribute)?));
    }
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![format!("ALTER TYPE {} {}", qname(name), actions.join(", "))])
}

type DomainState<'a> = (bool, Option<&'a str>, &'a [CheckConstraint]);

/// One `ALTER DOMAIN` per change: PostgreSQL takes a single action each.
fn domain(name: &QualifiedName, from: DomainState<'_>, to: DomainState<'_>) -> Result<Vec<String>, EmitError> {
    let domain = qname(name);
    let (old_not_null, old_default, old_checks) = from;
    let (new_not_null, new_default, new_checks) = to;
    let mut out = Vec::new();
    for check in old_checks.iter().filter(|c| !new_checks.contains(c)) {
        let Some(constraint) = &check.name else {
            return Err(EmitError::invalid(format!("domain {name}: an unnamed check cannot be dropped")));
        };
        out.push(format!("ALTER DOMAIN {domain} DROP CONSTRAINT {}", ident(constraint)));
    }
    if old_default != new_default {
        match new_default {
            Some(default) => {
                let default = non_empty(default, || format!("default of domain {name}"))?;
                out.push(format!("ALTER DOMAIN {domain} SET DEFAULT {default}"));
            }
            None => out.push(format!("ALTER DOMAIN {domain} DROP DEFAULT")),
        }
    }
    if old_not_null != new_not_null {
        out.push(format!("ALTER DOMAIN {domain} {} NOT NULL", if new_not_null { "SET" } else { "DROP" }));
    }
    for check in new_checks.iter().filter(|c| !old_checks.contains(c)) {
        out.push(format!("ALTER DOMAIN {domain} ADD {}", domain_check(name, check)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn new_labels_are_placed_by_neighbour() {
        let name = QualifiedName::new(Some("s"), "e");
        let sqls = enum_labels(&name, &labels(&["b", "d"]), &labels(&["a0", "a", "b", "c", "d", "e"])).unwrap();
        assert_eq!(
            sqls,
            [
                "ALTER TYPE \"s\".\"e\" ADD VALUE 'a0' BEFORE 'b'",
                "ALTER TYPE \"s\".\"e\" ADD VALUE 'a' AFTER 'a0'",
                "ALTER TYPE \"s\".\"e\" ADD VALUE 'c' AFTER 'b'",
                "ALTER TYPE \"s\".\"e\" ADD VALUE 'e' AFTER 'd'",
            ]
        );
        assert!(enum_labels(&name, &labels(&["b", "a"]), &labels(&["a", "b"])).is_err());
        assert!(enum_labels(&name, &labels(&["a", "b"]), &labels(&["a"])).is_err());
    }
}
