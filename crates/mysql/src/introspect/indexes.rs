//! Primary keys and indexes from `STATISTICS`. Every MySQL UNIQUE is an
//! index, so unique keys become `Index { unique: true }`, never `UniqueConstraint`.

use schemasync_model::{Index, IndexKind, IndexPart, PrimaryKey};

use super::tables::{self, Tables};
use crate::row::Cells;
use crate::text::{unescape_mysql8_expression, unwrap_parens};
use crate::{Flavor, MySqlError};

/// One key part row, decoded.
struct PartRow {
    table: String,
    index: String,
    unique: bool,
    column: Option<String>,
    expression: Option<String>,
    descending: bool,
    sub_part: Option<u32>,
    index_type: String,
    comment: String,
    hidden: bool,
}

impl PartRow {
    fn decode(row: &Cells) -> Result<PartRow, MySqlError> {
        Ok(PartRow {
            table: row.text(0)?,
            index: row.text(1)?,
            unique: row.text(2)? == "0",
            column: row.opt_text(4)?,
            descending: row.opt_text(5)?.as_deref() == Some("D"),
            sub_part: row.opt_u32(6)?,
            index_type: row.text_or_empty(7)?.to_ascii_uppercase(),
            comment: row.text_or_empty(8)?,
            expression: row.opt_text(9)?,
            hidden: row.opt_text(10)?.as_deref() == Some("YES"),
        })
    }
}

/// Rows of `statistics_*.sql`, ordered by table, index and position.
pub(super) fn read(rows: &[Cells], flavor: Flavor, tables: &mut Tables) -> Result<(), MySqlError> {
    let mut current: Option<(String, Index)> = None;
    for row in rows {
        let part = PartRow::decode(row)?;
        let Some(table) = tables.get_mut(&part.table) else { continue };
        if part.index == "PRIMARY" {
            let column = part.column.unwrap_or_default();
            match &mut table.primary_key {
                Some(pk) => pk.columns.push(column),
                None => table.primary_key = Some(PrimaryKey { name: None, columns: vec![column] }),
            }
            continue;
        }
        let same_index = current.as_ref().is_some_and(|(t, i)| *t == part.table && i.name == part.index);
        if !same_index {
            finish(&mut current, tables);
            let Some(table) = tables.get(&part.table) else { continue };
            current = Some((part.table.clone(), new_index(&part, &tables::engine(table), flavor)));
        }
        if let Some((_, index)) = &mut current {
            index.parts.push(key_part(part, flavor, &index.kind));
        }
    }
    finish(&mut current, tables);
    Ok(())
}

fn finish(current: &mut Option<(String, Index)>, tables: &mut Tables) {
    if let Some((table, index)) = current.take()
        && let Some(table) = tables.get_mut(&table)
    {
        table.indexes.insert(index.name.clone(), index);
    }
}

fn new_index(part: &PartRow, engine: &str, flavor: Flavor) -> Index {
    let mut index = Index::on_columns(part.index.clone(), Vec::<String>::new());
    index.unique = part.unique;
    // The default method is BTREE, except for MEMORY tables, where it is HASH.
    let memory = engine == "MEMORY" || engine == "HEAP";
    match part.index_type.as_str() {
        "FULLTEXT" => index.kind = IndexKind::Fulltext { parser: None },
        "SPATIAL" => index.kind = IndexKind::Spatial,
        "BTREE" if !memory => {}
        other => index.method = Some(other.to_owned()),
    }
    index.comment = Some(part.comment.clone()).filter(|c| !c.is_empty());
    if part.hidden {
        index.options.push(if flavor.mariadb { "IGNORED" } else { "INVISIBLE" }.to_owned());
    }
    index
}

fn key_part(part: PartRow, flavor: Flavor, kind: &IndexKind) -> IndexPart {
    let mut key_part = match (part.column, part.expression) {
        (Some(column), _) => IndexPart::column(column),
        (None, Some(expr)) => {
            let expr = if flavor.mariadb { expr } else { unescape_mysql8_expression(&expr) };
            IndexPart::expression(unwrap_parens(&expr))
        }
        (None, None) => IndexPart::expression(""),
    };
    key_part.descending = part.descending;
    // MariaDB reports a prefix of 32 on SPATIAL key parts, which cannot be written back.
    if *kind != IndexKind::Spatial {
        key_part.prefix_length = part.sub_part;
    }
    key_part
}
