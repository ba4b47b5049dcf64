//! Per-column attribute settings: `ALTER COLUMN ... SET STATISTICS`,
//! `SET STORAGE`, `SET COMPRESSION`, `SET (...)` / `RESET (...)`.
//!
//! They change catalog entries only (no rewrite, no data touched). They are
//! written as `ALTER TABLE ONLY` (as `pg_dump` does), so they change the
//! table itself and not its partitions, in a statement of their own right
//! after the one adding or retyping the column. A type change resets the
//! storage and compression to the new type's defaults (and keeps the
//! statistics target and options), so after one they are set again.

use schemasync_model::{Column, ColumnStorage, QualifiedName};

use crate::EmitError;

use super::{ident, unsupported};

/// The attribute options `ALTER COLUMN ... SET (...)` accepts on a table column.
const OPTION_NAMES: [&str; 2] = ["n_distinct", "n_distinct_inherited"];

/// The subcommands turning the settings of `from` (`None`: a column just
/// added, with the defaults) into those of `to`; `retyped`: the same
/// ALTER TABLE changes the column's type or collation.
pub(super) fn attribute_subcommands(
    table: &QualifiedName,
    from: Option<&Column>,
    to: &Column,
    retyped: bool,
) -> Result<Vec<String>, EmitError> {
    let what = || format!("column {table}.{}", to.name);
    let column = format!("ALTER COLUMN {}", ident(&to.name));
    let mut out = Vec::new();

    let old_statistics = from.and_then(|c| c.statistics);
    if old_statistics != to.statistics {
        let target = match to.statistics {
            Some(n) if (0..=10_000).contains(&n) => n,
            Some(n) => return Err(EmitError::invalid(format!("{}: statistics target {n} (0 to 10000)", what()))),
            None => -1,
        };
        out.push(format!("{column} SET STATISTICS {target}"));
    }

    // What the column has once the earlier subcommands ran.
    let old_storage = if retyped { None } else { from.and_then(|c| c.storage) };
    if old_storage != to.storage {
        let storage = match to.storage {
            Some(storage) => storage,
            None => type_default_storage(&to.data_type).ok_or_else(|| {
                unsupported(format!(
                    "resetting the storage of {} to the default of type {} (PostgreSQL 15 has no SET STORAGE DEFAULT, and the type's default is not known here)",
                    what(),
                    to.data_type
                ))
            })?,
        };
        out.push(format!("{column} SET STORAGE {}", storage.keyword()));
    }

    let old_compression = if retyped { None } else { from.and_then(|c| c.compression) };
    if old_compression != to.compression {
        let method = to.compression.map_or("default", |c| c.method());
        out.push(format!("{column} SET COMPRESSION {method}"));
    }

    let old_options = match from {
        Some(c) => parse_options(&c.attribute_options, &what)?,
        None => Vec::new(),
    };
    let new_options = parse_options(&to.attribute_options, &what)?;
    let reset: Vec<&str> =
        old_options.iter().filter(|(name, _)| !new_options.iter().any(|(n, _)| n == name)).map(|(n, _)| *n).collect();
    let set: Vec<String> = new_options
        .iter()
        .filter(|option| !old_options.contains(option))
        .map(|(name, value)| format!("{name} = {value}"))
        .collect();
    if !reset.is_empty() {
        out.push(format!("{column} RESET ({})", reset.join(", ")));
    }
    if !set.is_empty() {
        out.push(format!("{column} SET ({})", set.join(", ")));
    }
    Ok(out)
}

/// The ALTER TABLE ONLY that gives the columns of a table just created
/// their settings, if any column has one. (A partition created with
/// PARTITION OF copies its parent's storage and compression; a partition
/// that wants the type's defaults where its parent has others is not
/// covered.)
pub(super) fn created_table_settings(table: &QualifiedName, columns: &[Column]) -> Result<Option<String>, EmitError> {
    let mut subcommands = Vec::new();
    for column in columns.iter().filter(|c| c.has_attribute_settings()) {
        subcommands.extend(attribute_subcommands(table, None, column, false)?);
    }
    // ONLY: a partitioned table's settings are its own, not its partitions'.
    let name = format!("ONLY {}", super::qname(table));
    Ok(match subcommands.len() {
        0 => None,
        1 => Some(format!("ALTER TABLE {name} {}", subcommands[0])),
        _ => Some(format!("ALTER TABLE {name}\n  {}", subcommands.join(",\n  "))),
    })
}

/// `name=value` pairs, each a known option name with a plain number
/// (checked again here: the value is written into the statement).
fn parse_options<'a>(options: &'a [String], what: &dyn Fn() -> String) -> Result<Vec<(&'a str, &'a str)>, EmitError> {
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(options.len());
    for option in options {
        let bad = || EmitError::invalid(format!("{}: attribute option {option:?}", what()));
        let (name, value) = option.split_once('=').ok_or_else(bad)?;
        let name = OPTION_NAMES.iter().copied().find(|known| *known == name).ok_or_else(bad)?;
        if !is_number(value) || out.iter().any(|(n, _)| *n == name) {
            return Err(bad());
        }
        out.push((name, value));
    }
    Ok(out)
}

/// `-?digits[.digits][e[+-]digits]` (also `.5`): the numbers PostgreSQL
/// accepts for `n_distinct`, and nothing else.
pub(super) fn is_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let mut mantissa = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// The default storage (`pg_type.typstorage`) of the built-in types, as
/// `format_type` names them; `None` for other types (domains, user types),
/// whose default only the server knows.
fn type_default_storage(data_type: &str) -> Option<ColumnStorage> {
    let data_type = data_type.trim();
    if data_type.ends_with(']') {
        return Some(ColumnStorage::Extended);
    }
    // `numeric(12,2)` -> `numeric`, `time(3) with time zone` -> `time with time zone`.
    let mut base = String::with_capacity(data_type.len());
    let mut depth = 0usize;
    for c in data_type.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => base.push(c),
            _ => {}
        }
    }
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let storage = match base.as_str() {
        "numeric" | "inet" | "cidr" => ColumnStorage::Main,
        "text" | "character varying" | "character" | "bytea" | "json" | "jsonb" | "jsonpath" | "xml" | "tsvector"
        | "bit" | "bit varying" | "path" | "polygon" | "refcursor" | "txid_snapshot" | "int4range" | "int8range"
        | "numrange" | "tsrange" | "tstzrange" | "daterange" | "int4multirange" | "int8multirange"
        | "nummultirange" | "tsmultirange" | "tstzmultirange" | "datemultirange" => ColumnStorage::Extended,
        "smallint"
        | "integer"
        | "bigint"
        | "real"
        | "double precision"
        | "boolean"
        | "\"char\""
        | "name"
        | "oid"
        | "money"
        | "date"
        | "time without time zone"
        | "time with time zone"
        | "timestamp without time zone"
        | "timestamp with time zone"
        | "interval"
        | "uuid"
        | "macaddr"
        | "macaddr8"
        | "point"
        | "line"
        | "lseg"
        | "box"
        | "circle"
        | "tsquery"
        | "pg_lsn"
        | "xid8"
        | "regclass"
        | "regtype"
        | "regproc"
        | "regprocedure" => ColumnStorage::Plain,
        _ => return None,
    };
    Some(storage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for ok in ["0", "10", "-1", "-0.5", ".5", "1e3", "1.5E+10", "2e-3"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", "-", ".", "1e", "1 ", "1;", "1,2", "+1", "0x10", "1e3)", "nan", "inf", "1)--"] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    #[test]
    fn type_defaults() {
        assert_eq!(type_default_storage("numeric(12,2)"), Some(ColumnStorage::Main));
        assert_eq!(type_default_storage("character varying(20)"), Some(ColumnStorage::Extended));
        assert_eq!(type_default_storage("time(3) with time zone"), Some(ColumnStorage::Plain));
        assert_eq!(type_default_storage("integer[]"), Some(ColumnStorage::Extended));
        assert_eq!(type_default_storage("public.mydomain"), None);
    }

    #[test]
    fn unknown_options_and_values_are_refused() {
        let t = QualifiedName::new(Some("public"), "t");
        for option in ["fillfactor=10", "n_distinct=1); DROP TABLE t; --", "n_distinct", "n_distinct=abc"] {
            let mut c = Column::new("c", "text");
            c.attribute_options = vec![option.to_owned()];
            assert!(attribute_subcommands(&t, None, &c, false).is_err(), "{option}");
        }
    }
}
