//! `PARTITION BY` of partitioned tables, from `information_schema.PARTITIONS`.

use schemasync_model::{PartitionDef, PartitionStrategy, Partitioning};

use super::tables::Tables;
use crate::MySqlError;
use crate::row::Cells;
use crate::text::split_top_level_commas;

/// One row: a partition, or one sub-partition of it.
struct PartitionRow {
    table: String,
    partition: String,
    subpartition: Option<String>,
    method: String,
    submethod: Option<String>,
    expression: String,
    subexpression: String,
    description: Option<String>,
    comment: String,
}

/// What is gathered for one table before it becomes a [`Partitioning`].
struct Gathered {
    method: String,
    expression: String,
    sub: Option<(String, String)>,
    partitions: Vec<PartitionDef>,
    descriptions: Vec<Option<String>>,
}

/// Rows of `partitions.sql`, ordered by table, partition and sub-partition.
pub(super) fn read(rows: &[Cells], tables: &mut Tables) -> Result<(), MySqlError> {
    let mut current: Option<(String, Gathered)> = None;
    for row in rows {
        let row = PartitionRow {
            table: row.text(0)?,
            partition: row.text(1)?,
            subpartition: row.opt_text(2)?,
            method: row.text(3)?,
            submethod: row.opt_text(4)?,
            expression: row.text_or_empty(5)?,
            subexpression: row.text_or_empty(6)?,
            description: row.opt_text(7)?,
            comment: row.text_or_empty(8)?,
        };
        if current.as_ref().is_none_or(|(t, _)| *t != row.table) {
            finish(current.take(), tables)?;
            let gathered = Gathered {
                method: row.method.clone(),
                expression: row.expression.clone(),
                sub: row.submethod.clone().map(|m| (m, row.subexpression.clone())),
                partitions: Vec::new(),
                descriptions: Vec::new(),
            };
            current = Some((row.table.clone(), gathered));
        }
        let Some((_, gathered)) = current.as_mut() else { continue };
        let is_new = gathered.partitions.last().is_none_or(|p| p.name != row.partition);
        if is_new {
            gathered.partitions.push(PartitionDef {
                name: row.partition.clone(),
                bound: String::new(),
                subpartitions: Vec::new(),
                comment: Some(row.comment.clone()).filter(|c| !c.is_empty()),
            });
            gathered.descriptions.push(row.description.clone());
        }
        if let (Some(sub), Some(last)) = (row.subpartition, gathered.partitions.last_mut()) {
            last.subpartitions.push(sub);
        }
    }
    finish(current, tables)
}

fn finish(current: Option<(String, Gathered)>, tables: &mut Tables) -> Result<(), MySqlError> {
    let Some((name, gathered)) = current else { return Ok(()) };
    let Some(table) = tables.get_mut(&name) else { return Ok(()) };
    table.partitioning = Some(build(gathered)?);
    Ok(())
}

/// `RANGE COLUMNS` → (Range, columns form); `LINEAR KEY` → LinearKey; ...
fn strategy(method: &str) -> Result<(PartitionStrategy, bool), MySqlError> {
    let normalized = method.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_uppercase();
    Ok(match normalized.as_str() {
        "RANGE" => (PartitionStrategy::Range, false),
        "RANGE COLUMNS" => (PartitionStrategy::Range, true),
        "LIST" => (PartitionStrategy::List, false),
        "LIST COLUMNS" => (PartitionStrategy::List, true),
        "HASH" => (PartitionStrategy::Hash, false),
        "LINEAR HASH" => (PartitionStrategy::LinearHash, false),
        "KEY" => (PartitionStrategy::Key, false),
        "LINEAR KEY" => (PartitionStrategy::LinearKey, false),
        other => return Err(MySqlError::catalog("partitions", format!("unknown partitioning method {other:?}"))),
    })
}

/// Column lists (KEY, COLUMNS) become one entry per column; an expression stays whole.
fn key(strategy: PartitionStrategy, columns_form: bool, expression: &str) -> Vec<String> {
    let listed = columns_form || matches!(strategy, PartitionStrategy::Key | PartitionStrategy::LinearKey);
    if listed {
        split_top_level_commas(expression)
    } else if expression.trim().is_empty() {
        Vec::new()
    } else {
        vec![expression.trim().to_owned()]
    }
}

fn bound(strategy: PartitionStrategy, columns_form: bool, description: Option<&str>) -> String {
    let Some(description) = description else { return String::new() };
    match strategy {
        PartitionStrategy::Range if !columns_form && description == "MAXVALUE" => {
            "VALUES LESS THAN MAXVALUE".to_owned()
        }
        PartitionStrategy::Range => format!("VALUES LESS THAN ({description})"),
        PartitionStrategy::List => format!("VALUES IN ({description})"),
        _ => String::new(),
    }
}

fn build(mut gathered: Gathered) -> Result<Partitioning, MySqlError> {
    let (strategy, columns_form) = strategy(&gathered.method)?;
    for (partition, description) in gathered.partitions.iter_mut().zip(&gathered.descriptions) {
        partition.bound = bound(strategy, columns_form, description.as_deref());
    }
    let subpartitioning = match &gathered.sub {
        None => None,
        Some((method, expression)) => {
            let (sub_strategy, _) = strategy_of_sub(method)?;
            let per_partition = gathered.partitions.first().map_or(0, |p| p.subpartitions.len());
            // `SUBPARTITIONS n` names them `<partition>sp<i>`: keep the count, not the names.
            let generated = gathered.partitions.iter().all(|p| {
                p.subpartitions.len() == per_partition
                    && p.subpartitions.iter().enumerate().all(|(i, s)| *s == format!("{}sp{i}", p.name))
            });
            if generated {
                for partition in &mut gathered.partitions {
                    partition.subpartitions.clear();
                }
            }
            Some(Box::new(Partitioning {
                strategy: sub_strategy,
                columns_form: false,
                key: key(sub_strategy, false, expression),
                partitions: Vec::new(),
                count: generated.then(|| u32::try_from(per_partition).unwrap_or(u32::MAX)),
                subpartitioning: None,
            }))
        }
    };
    // `PARTITIONS n` of HASH/KEY names them p0, p1, ...: keep the count, not the names.
    let hashed = matches!(
        strategy,
        PartitionStrategy::Hash | PartitionStrategy::LinearHash | PartitionStrategy::Key | PartitionStrategy::LinearKey
    );
    let generated = hashed
        && gathered
            .partitions
            .iter()
            .enumerate()
            .all(|(i, p)| p.name == format!("p{i}") && p.comment.is_none() && p.subpartitions.is_empty());
    let (partitions, count) = if generated {
        (Vec::new(), Some(u32::try_from(gathered.partitions.len()).unwrap_or(u32::MAX)))
    } else {
        (gathered.partitions, None)
    };
    Ok(Partitioning {
        strategy,
        columns_form,
        key: key(strategy, columns_form, &gathered.expression),
        partitions,
        count,
        subpartitioning,
    })
}

fn strategy_of_sub(method: &str) -> Result<(PartitionStrategy, bool), MySqlError> {
    let found = strategy(method)?;
    match found.0 {
        PartitionStrategy::Range | PartitionStrategy::List => {
            Err(MySqlError::catalog("partitions", format!("sub-partitioning by {method} is not possible")))
        }
        _ => Ok(found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_follow_the_method() {
        assert_eq!(bound(PartitionStrategy::Range, false, Some("10")), "VALUES LESS THAN (10)");
        assert_eq!(bound(PartitionStrategy::Range, false, Some("MAXVALUE")), "VALUES LESS THAN MAXVALUE");
        assert_eq!(
            bound(PartitionStrategy::Range, true, Some("MAXVALUE,MAXVALUE")),
            "VALUES LESS THAN (MAXVALUE,MAXVALUE)"
        );
        assert_eq!(bound(PartitionStrategy::List, true, Some("'a','b'")), "VALUES IN ('a','b')");
        assert_eq!(bound(PartitionStrategy::Hash, false, None), "");
    }

    #[test]
    fn keys_split_only_column_lists() {
        assert_eq!(key(PartitionStrategy::Range, true, "`a`,`b`"), ["`a`", "`b`"]);
        assert_eq!(key(PartitionStrategy::Key, false, ""), Vec::<String>::new());
        assert_eq!(key(PartitionStrategy::Hash, false, "`a` + `b`"), ["`a` + `b`"]);
    }
}
