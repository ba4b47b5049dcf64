//! COMMENT ON ...: PostgreSQL plans create objects bare and set every
//! comment with its own change.

use schemasync_model::{ObjectKey, QualifiedName};

use crate::EmitError;

use super::routine::{keyword, signature_of};
use super::{PlanContext, ident, literal, qname, sibling, unsupported};

/// `COMMENT ON <object> IS '<text>'|NULL`.
pub(super) fn set_comment(target: &ObjectKey, comment: Option<&str>, ctx: &PlanContext) -> Result<String, EmitError> {
    let object = match target {
        ObjectKey::Namespace { name } => format!("SCHEMA {}", ident(name)),
        ObjectKey::Extension { name } => format!("EXTENSION {}", ident(name)),
        // TYPE addresses domains as well as other types.
        ObjectKey::Type { name } => format!("TYPE {}", qname(name)),
        ObjectKey::Collation { name } => format!("COLLATION {}", qname(name)),
        ObjectKey::Rule { table, name } => format!("RULE {} ON {}", ident(name), qname(table)),
        ObjectKey::Statistics { name } => format!("STATISTICS {}", qname(name)),
        ObjectKey::Sequence { name } => format!("SEQUENCE {}", qname(name)),
        ObjectKey::Table { name } => format!("TABLE {}", qname(name)),
        // COLUMN addresses columns of tables, views and materialized views.
        ObjectKey::Column { table, column } => format!("COLUMN {}.{}", qname(table), ident(column)),
        ObjectKey::View { name } => format!("{} {}", view_keyword(name, ctx), qname(name)),
        ObjectKey::MaterializedView { name } => format!("MATERIALIZED VIEW {}", qname(name)),
        ObjectKey::Index { table, name } => format!("INDEX {}", sibling(table, name)),
        ObjectKey::Constraint { table, name } => format!("CONSTRAINT {} ON {}", ident(name), qname(table)),
        ObjectKey::Routine { key } => {
            format!("{} {}", keyword(key.kind), signature_of(key.kind, &key.name, &key.signature))
        }
        ObjectKey::Trigger { table, name } => format!("TRIGGER {} ON {}", ident(name), qname(table)),
        ObjectKey::Policy { table, name } => format!("POLICY {} ON {}", ident(name), qname(table)),
        other => return Err(unsupported(format!("a comment on {other}"))),
    };
    let text = comment.map_or_else(|| "NULL".to_owned(), literal);
    Ok(format!("COMMENT ON {object} IS {text}"))
}

/// `VIEW` or `MATERIALIZED VIEW`. The key does not say which; the plan does
/// when it creates or drops the view. A view the plan does not touch is
/// assumed to be a plain one.
fn view_keyword(name: &QualifiedName, ctx: &PlanContext) -> &'static str {
    if ctx.materialized.get(name).copied().unwrap_or(false) { "MATERIALIZED VIEW" } else { "VIEW" }
}
