//! `PARTITION BY` of a partitioned table. Partition keys and bounds come from
//! `information_schema.PARTITIONS`, which holds them as SQL text (backticks
//! included), so they are written verbatim.

use std::fmt::Write;

use schemasync_model::{PartitionDef, PartitionStrategy, Partitioning, QualifiedName};

use crate::EmitError;
use crate::render::non_empty;

use super::{D, ident};

/// `\nPARTITION BY <method> (<key>)[ PARTITIONS n][\nSUBPARTITION BY ...][\n(PARTITION ..., ...)]`.
pub(super) fn write_partitioning<W: Write>(
    w: &mut W,
    table: &QualifiedName,
    p: &Partitioning,
) -> Result<(), EmitError> {
    let what = || format!("partitioning of table {table}");
    w.write_str("\nPARTITION BY ")?;
    write_method(w, p, &what)?;
    if let Some(count) = p.count {
        write!(w, " PARTITIONS {count}")?;
    }
    if let Some(sub) = &p.subpartitioning {
        let what_sub = || format!("subpartitioning of table {table}");
        if !matches!(
            sub.strategy,
            PartitionStrategy::Hash
                | PartitionStrategy::LinearHash
                | PartitionStrategy::Key
                | PartitionStrategy::LinearKey
        ) {
            return Err(EmitError::invalid(format!("{}: only HASH and KEY can subpartition", what_sub())));
        }
        if !sub.partitions.is_empty() || sub.subpartitioning.is_some() {
            return Err(EmitError::invalid(format!(
                "{}: subpartitions are listed under their partitions and do not nest",
                what_sub()
            )));
        }
        w.write_str("\nSUBPARTITION BY ")?;
        write_method(w, sub, &what_sub)?;
        if let Some(count) = sub.count {
            write!(w, " SUBPARTITIONS {count}")?;
        }
    }
    for (i, partition) in p.partitions.iter().enumerate() {
        w.write_str(if i == 0 { "\n(" } else { ",\n " })?;
        write_partition(w, partition)?;
    }
    if !p.partitions.is_empty() {
        w.write_char(')')?;
    }
    Ok(())
}

/// `RANGE (<expr>)`, `LIST COLUMNS (<cols>)`, `LINEAR KEY (<cols>)`, ...
fn write_method<W: Write>(w: &mut W, p: &Partitioning, what: &dyn Fn() -> String) -> Result<(), EmitError> {
    let (method, key_may_be_empty) = match p.strategy {
        PartitionStrategy::Range => ("RANGE", false),
        PartitionStrategy::List => ("LIST", false),
        PartitionStrategy::Hash => ("HASH", false),
        PartitionStrategy::LinearHash => ("LINEAR HASH", false),
        // An empty KEY list means the primary key.
        PartitionStrategy::Key => ("KEY", true),
        PartitionStrategy::LinearKey => ("LINEAR KEY", true),
    };
    w.write_str(method)?;
    if p.columns_form {
        if !matches!(p.strategy, PartitionStrategy::Range | PartitionStrategy::List) {
            return Err(EmitError::invalid(format!("{}: only RANGE and LIST take COLUMNS", what())));
        }
        w.write_str(" COLUMNS")?;
    }
    if p.key.is_empty() && !key_may_be_empty {
        return Err(EmitError::invalid(format!("{}: no partition key", what())));
    }
    w.write_str(" (")?;
    for (i, key) in p.key.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        w.write_str(non_empty(key, || format!("key of {}", what()))?)?;
    }
    w.write_char(')')?;
    Ok(())
}

/// `PARTITION `p`[ <bound>][ COMMENT '..'][ (SUBPARTITION `s`, ...)]`.
fn write_partition<W: Write>(w: &mut W, partition: &PartitionDef) -> Result<(), EmitError> {
    write!(w, "PARTITION {}", ident(&partition.name))?;
    if !partition.bound.trim().is_empty() {
        write!(w, " {}", partition.bound)?;
    }
    if let Some(comment) = &partition.comment {
        write!(w, " COMMENT {}", D.quote_string(comment))?;
    }
    for (i, sub) in partition.subpartitions.iter().enumerate() {
        w.write_str(if i == 0 { " (" } else { ", " })?;
        write!(w, "SUBPARTITION {}", ident(sub))?;
    }
    if !partition.subpartitions.is_empty() {
        w.write_char(')')?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render;

    fn partitioning(strategy: PartitionStrategy, key: &[&str]) -> Partitioning {
        Partitioning {
            strategy,
            columns_form: false,
            key: key.iter().map(|k| (*k).to_owned()).collect(),
            partitions: Vec::new(),
            count: None,
            subpartitioning: None,
        }
    }

    fn text(p: &Partitioning) -> Result<String, EmitError> {
        render(|w| write_partitioning(w, &QualifiedName::bare("t"), p))
    }

    #[test]
    fn hash_with_count_and_key_without_columns() {
        let mut hash = partitioning(PartitionStrategy::LinearHash, &["`id`"]);
        hash.count = Some(4);
        assert_eq!(text(&hash).unwrap(), "\nPARTITION BY LINEAR HASH (`id`) PARTITIONS 4");
        assert_eq!(text(&partitioning(PartitionStrategy::Key, &[])).unwrap(), "\nPARTITION BY KEY ()");
    }

    #[test]
    fn refused_shapes() {
        assert!(text(&partitioning(PartitionStrategy::Range, &[])).is_err());
        let mut columns_hash = partitioning(PartitionStrategy::Hash, &["`a`"]);
        columns_hash.columns_form = true;
        assert!(text(&columns_hash).is_err());
        let mut range_sub = partitioning(PartitionStrategy::Range, &["`a`"]);
        range_sub.subpartitioning = Some(Box::new(partitioning(PartitionStrategy::List, &["`b`"])));
        assert!(text(&range_sub).is_err());
    }
}
