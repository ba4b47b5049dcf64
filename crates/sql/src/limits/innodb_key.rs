//! InnoDB's index key length limit: 3072 bytes with the DYNAMIC and
//! COMPRESSED row formats (the default), 767 with REDUNDANT and COMPACT.
//! A key part's bytes are its length in characters times the most bytes one
//! character of its character set takes (utf8mb4: 4), or its prefix length
//! when it has one.

use schemasync_model::{Column, Index, IndexKind, IndexTarget, Table, TableOptions};

use crate::Problem;

/// A key's column parts: name and prefix length.
type KeyParts<'a> = Vec<(&'a str, Option<u32>)>;

/// Character sets whose characters take more than one byte, and how many at most.
const MULTIBYTE: &[(&str, usize)] = &[
    ("utf8mb4", 4),
    ("utf8mb3", 3),
    ("utf8", 3),
    ("ucs2", 2),
    ("utf16", 4),
    ("utf16le", 4),
    ("utf32", 4),
    ("big5", 2),
    ("gbk", 2),
    ("gb2312", 2),
    ("gb18030", 4),
    ("sjis", 2),
    ("cp932", 2),
    ("ujis", 3),
    ("eucjpms", 3),
    ("euckr", 2),
];

/// The key length limit of a table's row format.
fn limit(options: &TableOptions) -> usize {
    match options {
        TableOptions::MySql { row_format: Some(f), .. }
            if f.eq_ignore_ascii_case("REDUNDANT") || f.eq_ignore_ascii_case("COMPACT") =>
        {
            767
        }
        _ => 3072,
    }
}

pub(super) fn check(at: &str, table: &Table) -> Vec<Problem> {
    let max = limit(&table.options);
    let mut problems = Vec::new();
    let mut keys: Vec<(String, KeyParts<'_>)> = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push((format!("{at}.primary_key"), pk.columns.iter().map(|c| (c.as_str(), None)).collect()));
    }
    for (i, u) in table.uniques.iter().enumerate() {
        keys.push((format!("{at}.uniques[{i}]"), u.columns.iter().map(|c| (c.as_str(), None)).collect()));
    }
    for index in table.indexes.values().filter(|i| i.kind == IndexKind::Plain) {
        keys.push((format!("{at}.indexes[{:?}]", index.name), column_parts(index)));
    }
    for (path, parts) in keys {
        let mut total = 0usize;
        let mut spelled = Vec::new();
        for (name, prefix) in parts {
            let Some(column) = table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)) else { continue };
            let bytes = part_bytes(table, column, prefix);
            total += bytes;
            spelled.push(format!("{name} {bytes}"));
        }
        if total > max {
            problems.push(Problem::new(
                path,
                format!(
                    "the index key is {total} bytes ({}); InnoDB allows {max} (give the long columns a prefix length)",
                    spelled.join(" + ")
                ),
            ));
        }
    }
    problems
}

fn column_parts(index: &Index) -> KeyParts<'_> {
    index
        .parts
        .iter()
        .filter_map(|p| match &p.target {
            IndexTarget::Column(c) => Some((c.as_str(), p.prefix_length)),
            IndexTarget::Expression(_) => None,
        })
        .collect()
}

/// The most bytes of the key part; 0 for types it does not know.
fn part_bytes(table: &Table, column: &Column, prefix: Option<u32>) -> usize {
    let ty = column.data_type.trim().to_ascii_lowercase();
    let (base, args) = match ty.split_once('(') {
        Some((base, rest)) => (base.trim(), rest.split(')').next().unwrap_or("")),
        None => (ty.split_whitespace().next().unwrap_or(""), ""),
    };
    let first_arg = args.split(',').next().and_then(|a| a.trim().parse::<usize>().ok());
    let chars = |declared: Option<usize>| prefix.map(|p| p as usize).or(declared).unwrap_or(0);
    let per_char = char_bytes(table, column);
    match base {
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" => {
            let declared = if base.ends_with("char") { first_arg.or(Some(1)) } else { None };
            chars(declared) * per_char
        }
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => {
            let declared = if base.ends_with("binary") { first_arg.or(Some(1)) } else { None };
            chars(declared)
        }
        "tinyint" | "bool" | "boolean" | "year" => 1,
        "smallint" => 2,
        "mediumint" | "date" | "time" => 3,
        "int" | "integer" | "float" | "timestamp" => 4,
        "bigint" | "double" | "real" | "datetime" | "set" => 8,
        "enum" => 2,
        "decimal" | "numeric" => first_arg.map_or(5, |m| m / 2 + 1),
        "bit" => first_arg.map_or(1, |n| n.div_ceil(8)),
        _ => 0,
    }
}

/// The most bytes one character takes: the column's character set, else the
/// one its collation names, else the table's, else utf8mb4 (the default of
/// MariaDB 10.11 and MySQL 8).
fn char_bytes(table: &Table, column: &Column) -> usize {
    let (table_charset, table_collation) = match &table.options {
        TableOptions::MySql { charset, collation, .. } => (charset.as_deref(), collation.as_deref()),
        _ => (None, None),
    };
    let charset = column
        .charset
        .as_deref()
        .or_else(|| column.collation.as_deref().map(collation_charset))
        .or(table_charset)
        .or_else(|| table_collation.map(collation_charset))
        .unwrap_or("utf8mb4")
        .to_ascii_lowercase();
    MULTIBYTE.iter().find(|(name, _)| *name == charset).map_or(1, |(_, bytes)| *bytes)
}

/// `utf8mb4` of `utf8mb4_unicode_ci`.
fn collation_charset(collation: &str) -> &str {
    collation.split('_').next().unwrap_or(collation)
}
