//! Tables, their columns, options, partitioning and policies.

use schemasync_model::{
    Column, ColumnCompression, ColumnStorage, Generated, Identity, PartitionOf, PartitionStrategy, Partitioning,
    Policy, PolicyCommand, QualifiedName, TableOptions,
};
use tokio_postgres::Row;

use super::row::Fields;
use super::sequences::{RawOptions, strip_defaults};
use super::text::partition_key;
use super::{Builder, display_name};
use crate::PostgresError;

pub(crate) fn read_tables(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "tables");
        let schema: String = f.get("schema")?;
        let name: String = f.get("name")?;
        let shown = display_name(&schema, &name);
        let kind = f.flag("kind")?;
        if kind == 'f' {
            b.skip(shown, "foreign tables are not modelled");
            continue;
        }
        let parent_schemas = f.list("parent_schemas")?;
        let parent_names = f.list("parent_names")?;
        let mut parents = parent_schemas.iter().zip(&parent_names).map(|(s, n)| QualifiedName::new(Some(s), n.clone()));
        let partition_of = match f.text_opt("partition_bound")? {
            Some(bound) => {
                let parent = parents.next().ok_or_else(|| f.unexpected(format!("partition {shown} has no parent")))?;
                Some(PartitionOf { parent, bound })
            }
            None => {
                if !parent_names.is_empty() {
                    let list: Vec<String> = parents.map(|p| p.to_string()).collect();
                    b.skip(
                        shown.clone(),
                        format!("inheritance from {} is not modelled; read as a stand-alone table", list.join(", ")),
                    );
                }
                None
            }
        };
        if f.get::<bool>("typed")? {
            b.skip(shown.clone(), "OF type (typed table) is not modelled; read as a stand-alone table");
        }
        let partitioning = match f.text_opt("partition_key")? {
            Some(def) => Some(read_partitioning(&def).ok_or_else(|| f.unexpected(format!("partition key {def:?}")))?),
            None => None,
        };
        let mut storage = f.list("reloptions")?;
        storage.sort();
        let options = TableOptions::Postgres {
            unlogged: f.flag("persistence")? == 'u',
            rls_enabled: f.get("rls_enabled")?,
            rls_forced: f.get("rls_forced")?,
            storage,
        };
        let qualified = QualifiedName::new(Some(&schema), name);
        let mut table = schemasync_model::Table::new(qualified.clone());
        table.options = if options.is_default() { TableOptions::Default } else { options };
        table.partitioning = partitioning;
        table.partition_of = partition_of;
        table.owner = b.owner(f.get("owner")?);
        table.comment = f.get("comment")?;
        b.oids.tables.insert(f.get("oid")?, qualified.clone());
        b.schema.tables.insert(qualified, table);
    }
    Ok(())
}

fn read_partitioning(definition: &str) -> Option<Partitioning> {
    let (strategy, key) = partition_key(definition)?;
    let strategy = match strategy.as_str() {
        "RANGE" => PartitionStrategy::Range,
        "LIST" => PartitionStrategy::List,
        "HASH" => PartitionStrategy::Hash,
        _ => return None,
    };
    Some(Partitioning {
        strategy,
        columns_form: false,
        key,
        partitions: Vec::new(),
        count: None,
        subpartitioning: None,
    })
}

pub(crate) fn read_columns(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "columns");
        let Some(table_name) = b.oids.tables.get(&f.get::<u32>("table_oid")?) else { continue };
        let data_type: String = f.get("data_type")?;
        let expr = f.text_opt("default_expr")?;
        let identity = match f.flag("identity")? {
            '\0' => None,
            mode => {
                let raw = RawOptions::read(&f)?;
                let sequence = raw.map(|r| strip_defaults(&r, &data_type, &data_type)).unwrap_or_default();
                Some(Identity { always: mode == 'a', sequence })
            }
        };
        let (default, generated) = match f.flag("generated")? {
            '\0' => (expr, None),
            _ => (None, expr.map(|expr| Generated { expr, stored: true })),
        };
        let mut attribute_options = f.list("attribute_options")?;
        attribute_options.sort();
        let column = Column {
            name: f.get("name")?,
            data_type,
            nullable: !f.get::<bool>("not_null")?,
            default,
            collation: f.text_opt("collation")?,
            charset: None,
            identity,
            generated,
            auto_increment: false,
            on_update: None,
            invisible: false,
            comment: f.get("comment")?,
            not_null_on_conflict: None,
            statistics: f.get("statistics")?,
            storage: match f.text_opt("storage")? {
                Some(letter) => Some(
                    letter
                        .chars()
                        .next()
                        .and_then(ColumnStorage::from_catalog)
                        .ok_or_else(|| f.unexpected(format!("storage {letter:?}")))?,
                ),
                None => None,
            },
            compression: match f.flag("compression")? {
                '\0' => None,
                letter => Some(
                    ColumnCompression::from_catalog(letter)
                        .ok_or_else(|| f.unexpected(format!("compression method {letter:?}")))?,
                ),
            },
            attribute_options,
        };
        if let Some(table) = b.schema.tables.get_mut(table_name) {
            table.columns.push(column);
        }
    }
    Ok(())
}

pub(crate) fn read_policies(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "policies");
        let Some(table_name) = b.oids.tables.get(&f.get::<u32>("table_oid")?) else { continue };
        let command = match f.flag("command")? {
            'r' => PolicyCommand::Select,
            'a' => PolicyCommand::Insert,
            'w' => PolicyCommand::Update,
            'd' => PolicyCommand::Delete,
            _ => PolicyCommand::All,
        };
        let policy = Policy {
            name: f.get("name")?,
            permissive: f.get("permissive")?,
            command,
            roles: f.list("roles")?,
            using: f.text_opt("using_expr")?,
            with_check: f.text_opt("check_expr")?,
            comment: f.get("comment")?,
        };
        if let Some(table) = b.schema.tables.get_mut(table_name) {
            table.policies.insert(policy.name.clone(), policy);
        }
    }
    Ok(())
}
