//! Rewrite rules and extended statistics, kept as PostgreSQL prints them.

use schemasync_model::{QualifiedName, Rule, Statistics};
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use crate::PostgresError;

pub(crate) fn read_rules(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "rules");
        let oid: u32 = f.get("relation_oid")?;
        let Some(table) = b.oids.tables.get(&oid).or_else(|| b.oids.views.get(&oid)).cloned() else { continue };
        let definition: String = f.get("definition")?;
        // pg_get_ruledef ends the statement with `;`; scripts add their own.
        let definition = definition.trim_end().trim_end_matches(';').trim_end().to_owned();
        let rule = Rule { table: table.clone(), name: f.get("name")?, definition, comment: f.get("comment")? };
        b.schema.rules.insert((table, rule.name.clone()), rule);
    }
    Ok(())
}

pub(crate) fn read_statistics(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "statistics");
        let Some(table) = b.oids.tables.get(&f.get::<u32>("table_oid")?).cloned() else { continue };
        let schema: String = f.get("schema")?;
        let name = QualifiedName::new(Some(&schema), f.get::<String>("name")?);
        let statistics = Statistics {
            name: name.clone(),
            table,
            definition: f.get("definition")?,
            target: f.get("target")?,
            comment: f.get("comment")?,
        };
        b.schema.statistics.insert(name, statistics);
    }
    Ok(())
}
