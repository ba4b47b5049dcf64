//! PostgreSQL table options: UNLOGGED, row-level security, storage parameters.

use schemasync_model::{QualifiedName, TableOptions};

use crate::EmitError;

use super::unsupported;

/// The PostgreSQL options of a table, defaults included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct PgOptions {
    pub unlogged: bool,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub storage: Vec<String>,
}

impl PgOptions {
    /// The options of a table, refusing another engine's.
    pub(super) fn of(table: &QualifiedName, options: &TableOptions) -> Result<Self, EmitError> {
        match options {
            TableOptions::Postgres { unlogged, rls_enabled, rls_forced, storage } => Ok(PgOptions {
                unlogged: *unlogged,
                rls_enabled: *rls_enabled,
                rls_forced: *rls_forced,
                storage: storage.clone(),
            }),
            other if other.is_default() => Ok(PgOptions::default()),
            _ => Err(unsupported(format!("another engine's options on table {table}"))),
        }
    }
}

/// The ALTER TABLE subcommands that turn one set of options into another.
pub(super) fn option_subcommands(
    table: &QualifiedName,
    from: &TableOptions,
    to: &TableOptions,
) -> Result<Vec<String>, EmitError> {
    let (from, to) = (PgOptions::of(table, from)?, PgOptions::of(table, to)?);
    let mut out = Vec::new();
    if from.unlogged != to.unlogged {
        out.push(if to.unlogged { "SET UNLOGGED" } else { "SET LOGGED" }.to_owned());
    }
    if from.rls_enabled != to.rls_enabled {
        out.push(if to.rls_enabled { "ENABLE ROW LEVEL SECURITY" } else { "DISABLE ROW LEVEL SECURITY" }.to_owned());
    }
    if from.rls_forced != to.rls_forced {
        out.push(if to.rls_forced { "FORCE ROW LEVEL SECURITY" } else { "NO FORCE ROW LEVEL SECURITY" }.to_owned());
    }
    let removed: Vec<&str> = from
        .storage
        .iter()
        .map(|p| parameter_name(p))
        .filter(|name| !to.storage.iter().any(|p| parameter_name(p) == *name))
        .collect();
    if !removed.is_empty() {
        out.push(format!("RESET ({})", removed.join(", ")));
    }
    let set: Vec<&str> = to.storage.iter().filter(|p| !from.storage.contains(p)).map(String::as_str).collect();
    if !set.is_empty() {
        out.push(format!("SET ({})", set.join(", ")));
    }
    Ok(out)
}

/// `fillfactor` of `fillfactor=70`.
fn parameter_name(parameter: &str) -> &str {
    parameter.split_once('=').map_or(parameter, |(name, _)| name).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(storage: &[&str], rls: bool) -> TableOptions {
        TableOptions::Postgres {
            unlogged: false,
            rls_enabled: rls,
            rls_forced: false,
            storage: storage.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn storage_parameters_are_set_and_reset() {
        let t = QualifiedName::bare("t");
        let ops = option_subcommands(
            &t,
            &pg(&["fillfactor=70", "autovacuum_enabled=false"], false),
            &pg(&["fillfactor=80"], true),
        )
        .unwrap();
        assert_eq!(ops, ["ENABLE ROW LEVEL SECURITY", "RESET (autovacuum_enabled)", "SET (fillfactor=80)"]);
        assert!(option_subcommands(&t, &TableOptions::Default, &TableOptions::Default).unwrap().is_empty());
    }
}
