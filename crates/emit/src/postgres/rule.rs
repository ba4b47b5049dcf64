//! CREATE / DROP RULE and STATISTICS: the definitions are PostgreSQL's own
//! deparse, written back as they are.

use schemasync_model::{Rule, Statistics};

use crate::EmitError;
use crate::render::non_empty;

use super::{ident, qname, without_semicolon};

pub(super) fn create_rule(rule: &Rule) -> Result<String, EmitError> {
    let what = || format!("definition of rule {} on {}", rule.name, rule.table);
    Ok(without_semicolon(non_empty(&rule.definition, what)?).to_owned())
}

pub(super) fn drop_rule(rule: &Rule) -> String {
    format!("DROP RULE {} ON {}", ident(&rule.name), qname(&rule.table))
}

/// The definition, then the statistics target when it is not the default.
pub(super) fn create_statistics(stats: &Statistics) -> Result<Vec<String>, EmitError> {
    let what = || format!("definition of statistics {}", stats.name);
    let mut out = vec![without_semicolon(non_empty(&stats.definition, what)?).to_owned()];
    if let Some(target) = stats.target {
        out.push(format!("ALTER STATISTICS {} SET STATISTICS {target}", qname(&stats.name)));
    }
    Ok(out)
}

pub(super) fn drop_statistics(stats: &Statistics) -> String {
    format!("DROP STATISTICS {}", qname(&stats.name))
}
