//! CREATE TABLE (plain, partitioned, partition) and DROP TABLE.

use schemasync_model::{PartitionOf, PartitionStrategy, Partitioning, QualifiedName, Table};

use crate::EmitError;
use crate::render::non_empty;

use super::column::column_def;
use super::column_options::created_table_settings;
use super::constraint;
use super::options::PgOptions;
use super::{qname, unsupported};

/// `CREATE TABLE` followed by what CREATE TABLE cannot say: constraints
/// added NOT VALID and row-level security switches. Foreign keys at the
/// positions in `deferred` are left out: the plan adds them later.
pub(super) fn create_table(table: &Table, deferred: &[usize]) -> Result<Vec<String>, EmitError> {
    let name = qname(&table.name);
    let options = PgOptions::of(&table.name, &table.options)?;
    let mut elements = Vec::new();
    // A partition inherits its parent's columns; only its own constraints are written.
    if table.partition_of.is_none() {
        for column in &table.columns {
            elements.push(column_def(&table.name, column)?);
        }
    }
    if let Some(pk) = &table.primary_key {
        elements.push(constraint::primary_key(&table.name, pk)?);
    }
    // CREATE TABLE silently merges a UNIQUE into a PRIMARY KEY or UNIQUE
    // written before it on the same columns (PostgreSQL's
    // transformIndexConstraints), so such a redundant-but-real constraint
    // is added by ALTER TABLE, which keeps it.
    let mut later = Vec::new();
    let mut keys: Vec<&[String]> = table.primary_key.iter().map(|pk| pk.columns.as_slice()).collect();
    for unique in &table.uniques {
        let sql = constraint::unique(&table.name, unique)?;
        if keys.contains(&unique.columns.as_slice()) {
            later.push(sql);
        } else {
            keys.push(&unique.columns);
            elements.push(sql);
        }
    }
    for check in &table.checks {
        let sql = constraint::check(&table.name, check)?;
        if check.not_valid { later.push(sql) } else { elements.push(sql) }
    }
    for exclusion in &table.exclusions {
        elements.push(constraint::exclusion(&table.name, exclusion)?);
    }
    for (i, fk) in table.foreign_keys.iter().enumerate() {
        if deferred.contains(&i) {
            continue;
        }
        let sql = constraint::foreign_key(&table.name, fk)?;
        if fk.not_valid { later.push(sql) } else { elements.push(sql) }
    }

    let mut sql = String::from("CREATE ");
    if options.unlogged {
        sql.push_str("UNLOGGED ");
    }
    sql.push_str("TABLE ");
    sql.push_str(&name);
    match &table.partition_of {
        Some(partition) => {
            sql.push_str(" PARTITION OF ");
            sql.push_str(&qname(&partition.parent));
            if !elements.is_empty() {
                sql.push_str(&element_list(&elements));
            }
            sql.push(' ');
            sql.push_str(bound(&table.name, partition)?);
        }
        None => sql.push_str(&element_list(&elements)),
    }
    if let Some(partitioning) = &table.partitioning {
        sql.push(' ');
        sql.push_str(&partition_by(&table.name, partitioning)?);
    }
    if !options.storage.is_empty() {
        sql.push_str(" WITH (");
        sql.push_str(&options.storage.join(", "));
        sql.push(')');
    }

    let mut out = vec![sql];
    out.extend(later.into_iter().map(|c| format!("ALTER TABLE {name} ADD {c}")));
    // A partition's columns come from its parent; their settings are its own.
    out.extend(created_table_settings(&table.name, &table.columns)?);
    if options.rls_enabled {
        out.push(format!("ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"));
    }
    if options.rls_forced {
        out.push(format!("ALTER TABLE {name} FORCE ROW LEVEL SECURITY"));
    }
    Ok(out)
}

/// `DROP TABLE "s"."t"`.
pub(super) fn drop_table(name: &QualifiedName) -> Result<String, EmitError> {
    Ok(format!("DROP TABLE {}", qname(name)))
}

/// ` (\n  a,\n  b\n)`; `()` for a table without columns, which PostgreSQL allows.
fn element_list(elements: &[String]) -> String {
    if elements.is_empty() {
        return " ()".to_owned();
    }
    format!(" (\n  {}\n)", elements.join(",\n  "))
}

fn bound<'a>(table: &QualifiedName, partition: &'a PartitionOf) -> Result<&'a str, EmitError> {
    non_empty(&partition.bound, || format!("partition bound of table {table}"))
}

/// `PARTITION BY RANGE|LIST|HASH (<key>, ...)`, the key parts as
/// `pg_get_partkeydef` prints them.
fn partition_by(table: &QualifiedName, partitioning: &Partitioning) -> Result<String, EmitError> {
    let what = || format!("partitioning of table {table}");
    let strategy = match partitioning.strategy {
        PartitionStrategy::Range => "RANGE",
        PartitionStrategy::List => "LIST",
        PartitionStrategy::Hash => "HASH",
        _ => return Err(unsupported(format!("KEY / LINEAR {}", what()))),
    };
    if partitioning.columns_form
        || !partitioning.partitions.is_empty()
        || partitioning.count.is_some()
        || partitioning.subpartitioning.is_some()
    {
        return Err(unsupported(format!(
            "inline partitions / COLUMNS form in {} (PostgreSQL partitions are tables)",
            what()
        )));
    }
    if partitioning.key.is_empty() {
        return Err(EmitError::invalid(format!("{}: empty partition key", what())));
    }
    let mut key = Vec::with_capacity(partitioning.key.len());
    for part in &partitioning.key {
        key.push(non_empty(part, || format!("partition key of table {table}"))?);
    }
    Ok(format!("PARTITION BY {strategy} ({})", key.join(", ")))
}
