//! ALTER ... OWNER TO, GRANT and REVOKE: owners and privileges travel apart
//! from definitions, like comments.

use schemasync_diff::Securable;
use schemasync_model::{Grant, RoutineKind};

use crate::EmitError;

use super::routine::{keyword, signature_of};
use super::{ident, qname};

/// Privileges PostgreSQL knows. A privilege is spliced into SQL as a
/// keyword, so anything else (from a hand-edited snapshot) is refused.
const PRIVILEGES: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
    "USAGE",
    "CREATE",
    "EXECUTE",
    "CONNECT",
    "TEMPORARY",
    "MAINTAIN",
];

/// REVOKEs, the owner change, then GRANTs (see `Change::SetPrivileges`).
pub(super) fn set_privileges(
    target: &Securable,
    revoke: &[Grant],
    owner: Option<&str>,
    grant: &[Grant],
) -> Result<Vec<String>, EmitError> {
    let object = grant_object(target)?;
    let mut out = Vec::with_capacity(revoke.len() + grant.len() + 1);
    for g in revoke {
        out.push(format!("REVOKE {} ON {object} FROM {}", privilege(g)?, role(&g.grantee)?));
    }
    if let Some(owner) = owner {
        out.push(set_owner(target, owner)?);
    }
    for g in grant {
        let option = if g.with_grant_option { " WITH GRANT OPTION" } else { "" };
        out.push(format!("GRANT {} ON {object} TO {}{option}", privilege(g)?, role(&g.grantee)?));
    }
    Ok(out)
}

/// `ALTER <kind> <object> OWNER TO <role>`.
fn set_owner(target: &Securable, owner: &str) -> Result<String, EmitError> {
    let object = match target {
        Securable::Namespace { name } => format!("SCHEMA {}", ident(name)),
        Securable::Type { name, domain: true } => format!("DOMAIN {}", qname(name)),
        Securable::Type { name, .. } => format!("TYPE {}", qname(name)),
        Securable::Sequence { name } => format!("SEQUENCE {}", qname(name)),
        Securable::Table { name } => format!("TABLE {}", qname(name)),
        Securable::View { name, materialized: true } => format!("MATERIALIZED VIEW {}", qname(name)),
        Securable::View { name, .. } => format!("VIEW {}", qname(name)),
        Securable::Routine { key } => {
            format!("{} {}", keyword(key.kind), signature_of(key.kind, &key.name, &key.signature))
        }
        other => return Err(EmitError::invalid(format!("an owner for {other}"))),
    };
    Ok(format!("ALTER {object} OWNER TO {}", role(owner)?))
}

/// The object as GRANT names it (views and materialized views are TABLEs).
fn grant_object(target: &Securable) -> Result<String, EmitError> {
    Ok(match target {
        Securable::Namespace { name } => format!("SCHEMA {}", ident(name)),
        Securable::Type { name, domain: true } => format!("DOMAIN {}", qname(name)),
        Securable::Type { name, .. } => format!("TYPE {}", qname(name)),
        Securable::Sequence { name } => format!("SEQUENCE {}", qname(name)),
        Securable::Table { name } | Securable::View { name, .. } => format!("TABLE {}", qname(name)),
        // GRANT has no AGGREGATE form; ROUTINE covers aggregates, and `(*)`
        // is written `()` there.
        Securable::Routine { key } if key.kind == RoutineKind::Aggregate => {
            format!("ROUTINE {}({})", qname(&key.name), key.signature)
        }
        Securable::Routine { key } => {
            format!("{} {}", keyword(key.kind), signature_of(key.kind, &key.name, &key.signature))
        }
        other => return Err(EmitError::invalid(format!("privileges on {other}"))),
    })
}

/// `SELECT` or `SELECT ("a", "b")`.
fn privilege(grant: &Grant) -> Result<String, EmitError> {
    let name = grant.privilege.trim().to_ascii_uppercase();
    if !PRIVILEGES.contains(&name.as_str()) {
        return Err(EmitError::invalid(format!("unknown privilege {:?}", grant.privilege)));
    }
    if grant.columns.is_empty() {
        return Ok(name);
    }
    let columns: Vec<String> = grant.columns.iter().map(|c| ident(c)).collect();
    Ok(format!("{name} ({})", columns.join(", ")))
}

/// A role name; `PUBLIC` is a keyword, not a role.
fn role(name: &str) -> Result<String, EmitError> {
    if name.is_empty() {
        return Err(EmitError::invalid("an empty role name"));
    }
    Ok(if name == "PUBLIC" { "PUBLIC".to_owned() } else { ident(name) })
}
