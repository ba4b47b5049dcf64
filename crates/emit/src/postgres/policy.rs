//! CREATE POLICY / DROP POLICY (row-level security).

use schemasync_model::{Policy, PolicyCommand, QualifiedName};

use crate::EmitError;
use crate::render::{non_empty, render, write_parenthesized};

use super::{ident, qname};

/// `CREATE POLICY "p" ON "s"."t" AS PERMISSIVE|RESTRICTIVE FOR <cmd> TO <roles>
/// [ USING (<expr>)][ WITH CHECK (<expr>)]`.
pub(super) fn create_policy(table: &QualifiedName, policy: &Policy) -> Result<String, EmitError> {
    let what = || format!("policy {} on {table}", policy.name);
    render(|w| {
        w.push_str("CREATE POLICY ");
        w.push_str(&ident(&policy.name));
        w.push_str(" ON ");
        w.push_str(&qname(table));
        w.push_str(if policy.permissive { " AS PERMISSIVE" } else { " AS RESTRICTIVE" });
        w.push_str(" FOR ");
        w.push_str(match policy.command {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        });
        w.push_str(" TO ");
        w.push_str(&roles(&policy.roles));
        if let Some(using) = &policy.using {
            w.push_str(" USING ");
            write_parenthesized(w, non_empty(using, || format!("USING expression of {}", what()))?)?;
        }
        if let Some(check) = &policy.with_check {
            w.push_str(" WITH CHECK ");
            write_parenthesized(w, non_empty(check, || format!("WITH CHECK expression of {}", what()))?)?;
        }
        Ok(())
    })
}

/// `DROP POLICY "p" ON "s"."t"`.
pub(super) fn drop_policy(table: &QualifiedName, policy: &Policy) -> Result<String, EmitError> {
    Ok(format!("DROP POLICY {} ON {}", ident(&policy.name), qname(table)))
}

/// Quoted role names; `PUBLIC` for none. `pg_policies` lists PUBLIC as the
/// pseudo-role `public`, a name no real role may take, so it is the keyword.
fn roles(roles: &[String]) -> String {
    if roles.is_empty() {
        return "PUBLIC".to_owned();
    }
    let quoted: Vec<String> =
        roles.iter().map(|r| if r == "public" { "PUBLIC".to_owned() } else { ident(r) }).collect();
    quoted.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_is_a_keyword() {
        assert_eq!(roles(&[]), "PUBLIC");
        assert_eq!(roles(&["public".into(), "Admin\"s".into()]), "PUBLIC, \"Admin\"\"s\"");
    }
}
