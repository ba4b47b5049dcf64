//! Primary keys and indexes from `STATISTICS`. Every MySQL UNIQUE is an
//! index, so unique keys become `Index { unique: true }`, never `UniqueConstraint`.
//!
//! A primary key is a `PrimaryKey` (its columns) unless it has something a
//! list of columns cannot say: a prefix length (`` `b`(10) ``), a DESC part
//! (MariaDB 10.8+, MySQL 8), a comment or a non-default method. Such a key is
//! kept whole as the unique index named `PRIMARY`, the name the server gives
//! it and reserves for it, with `primary_key: None`; the emitter writes that
//! index as `PRIMARY KEY (...)`.

use schemasync_model::{Index, IndexKind, IndexPart, IndexTarget, PrimaryKey};

use super::tables::{self, Tables};
use crate::row::Cells;
use crate::text::{unescape_mysql8_expression, unwrap_parens};
use crate::{Flavor, MySqlError};

/// The name of every primary key.
const PRIMARY: &str = "PRIMARY";

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
        if !tables.contains_key(&part.table) {
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
        match plain_primary_key(&index) {
            Some(pk) => table.primary_key = Some(pk),
            None => {
                table.indexes.insert(index.name.clone(), index);
            }
        }
    }
}

/// The primary key as a list of columns, when `index` is the primary key
/// and that list says all there is to it.
fn plain_primary_key(index: &Index) -> Option<PrimaryKey> {
    if index.name != PRIMARY || index.comment.is_some() || index.method.is_some() || !index.options.is_empty() {
        return None;
    }
    let columns = index
        .parts
        .iter()
        .map(|part| match &part.target {
            IndexTarget::Column(column) if !part.descending && part.prefix_length.is_none() => Some(column.clone()),
            _ => None,
        })
        .collect::<Option<Vec<String>>>()?;
    Some(PrimaryKey { name: None, columns, on_conflict: None })
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

#[cfg(test)]
mod tests {
    use schemasync_model::{QualifiedName, Table};

    use super::*;
    use crate::row::test_row;

    const MYSQL8: Flavor = Flavor { mariadb: false, version: (8, 0, 36) };

    /// A `statistics_mysql8.sql` row.
    fn row(index: &str, seq: &str, column: Option<&str>, collation: Option<&str>, sub_part: Option<&str>) -> Cells {
        stat(index, "0", seq, column, collation, sub_part, None, "NO")
    }

    #[allow(clippy::too_many_arguments)]
    fn stat(
        index: &str,
        non_unique: &str,
        seq: &str,
        column: Option<&str>,
        collation: Option<&str>,
        sub_part: Option<&str>,
        expression: Option<&str>,
        hidden: &str,
    ) -> Cells {
        test_row(
            "statistics",
            &[
                Some("t"),
                Some(index),
                Some(non_unique),
                Some(seq),
                column,
                collation,
                sub_part,
                Some("BTREE"),
                Some(""),
                expression,
                Some(hidden),
            ],
        )
    }

    fn read_one(rows: &[Cells]) -> Table {
        let mut tables = Tables::from([("t".to_owned(), Table::new(QualifiedName::bare("t")))]);
        read(rows, MYSQL8, &mut tables).unwrap();
        tables.remove("t").unwrap()
    }

    #[test]
    fn plain_primary_keys_stay_column_lists() {
        let t = read_one(&[
            row("PRIMARY", "1", Some("b"), Some("A"), None),
            row("PRIMARY", "2", Some("a"), Some("A"), None),
        ]);
        assert_eq!(
            t.primary_key,
            Some(PrimaryKey { name: None, columns: vec!["b".into(), "a".into()], on_conflict: None })
        );
        assert!(t.indexes.is_empty());
    }

    #[test]
    fn primary_keys_with_details_are_the_index_primary() {
        let t = read_one(&[
            row("PRIMARY", "1", Some("a"), Some("D"), None),
            row("PRIMARY", "2", Some("b"), Some("A"), Some("10")),
        ]);
        assert_eq!(t.primary_key, None);
        let pk = &t.indexes["PRIMARY"];
        assert!(pk.unique);
        assert!(pk.parts[0].descending && pk.parts[0].prefix_length.is_none());
        assert_eq!((pk.parts[1].descending, pk.parts[1].prefix_length), (false, Some(10)));
    }

    /// Functional key parts and invisible indexes as MySQL 8.0.13+ lists them.
    #[test]
    fn mysql8_functional_parts_and_invisible_indexes() {
        let t = read_one(&[
            stat("f", "1", "1", None, Some("A"), None, Some("lower(`name`)"), "NO"),
            stat("f", "1", "2", None, Some("D"), None, Some("(`a` + `b`)"), "NO"),
            stat("f", "1", "3", None, Some("A"), None, Some("concat(`a`,_utf8mb4\\' \\')"), "NO"),
            stat("hidden", "1", "1", Some("a"), Some("A"), None, None, "YES"),
        ]);
        let f = &t.indexes["f"];
        assert!(!f.unique);
        let parts: Vec<(IndexTarget, bool)> = f.parts.iter().map(|p| (p.target.clone(), p.descending)).collect();
        assert_eq!(
            parts,
            [
                (IndexTarget::Expression("lower(`name`)".into()), false),
                (IndexTarget::Expression("`a` + `b`".into()), true),
                (IndexTarget::Expression("concat(`a`,_utf8mb4' ')".into()), false),
            ]
        );
        assert_eq!(t.indexes["hidden"].options, ["INVISIBLE"]);
    }
}
