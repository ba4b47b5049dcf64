//! Shape checks a snapshot must pass before anything is planned from it:
//! no duplicate columns, keys and indexes only on columns the table has,
//! constraint names unique where the engine needs them unique.

use std::collections::{BTreeMap, BTreeSet};

use schemasync_model::{Column, Dialect, IndexTarget, Schema, Table};

use super::scan::{Tok, identifier_text, scan};
use super::walk::qualified;
use crate::Problem;

pub(super) fn check(schema: &Schema, problems: &mut Vec<Problem>) {
    let d = schema.dialect;
    // MySQL foreign key names are unique per database (InnoDB).
    let mut fk_names: BTreeMap<(Option<String>, String), String> = BTreeMap::new();
    for table in schema.tables.values() {
        let at = format!("tables[{}]", qualified(&table.name));
        let columns = columns_of(schema, table);
        let mut seen = BTreeSet::new();
        for column in &table.columns {
            if !seen.insert(fold(d, &column.name)) {
                problems.push(Problem::new(format!("{at}.columns[{:?}]", column.name), "duplicate column name"));
            }
            attribute_settings(d, &format!("{at}.columns[{:?}]", column.name), column, problems);
        }
        let Some(columns) = columns else { continue };
        let mut missing = |field: String, name: &str| {
            if !columns.contains(&fold(d, name)) {
                problems.push(Problem::new(field, format!("column {name:?} is not a column of the table")));
            }
        };
        if let Some(pk) = &table.primary_key {
            for (i, c) in pk.columns.iter().enumerate() {
                missing(format!("{at}.primary_key.columns[{i}]"), c);
            }
        }
        for (u, unique) in table.uniques.iter().enumerate() {
            for (i, c) in unique.columns.iter().enumerate() {
                missing(format!("{at}.uniques[{u}].columns[{i}]"), c);
            }
        }
        for (f, fk) in table.foreign_keys.iter().enumerate() {
            for (i, c) in fk.columns.iter().enumerate() {
                missing(format!("{at}.foreign_keys[{f}].columns[{i}]"), c);
            }
        }
        for index in table.indexes.values() {
            for (i, part) in index.parts.iter().enumerate() {
                if let IndexTarget::Column(c) = &part.target {
                    missing(format!("{at}.indexes[{:?}].parts[{i}].target.column", index.name), c);
                }
            }
            for (i, c) in index.include.iter().enumerate() {
                missing(format!("{at}.indexes[{:?}].include[{i}]", index.name), c);
            }
        }
        if let Some(p) = &table.partitioning {
            for (i, key) in p.key.iter().enumerate() {
                // A key part that is one identifier names a column; others are expressions.
                if let Some(name) = single_identifier(key, d) {
                    missing(format!("{at}.partitioning.key[{i}]"), &name);
                }
            }
        }
        for (f, fk) in table.foreign_keys.iter().enumerate() {
            let Some(target) = schema.tables.get(&fk.ref_table).and_then(|t| columns_of(schema, t)) else { continue };
            for (i, c) in fk.ref_columns.iter().enumerate() {
                if !target.contains(&fold(d, c)) {
                    problems.push(Problem::new(
                        format!("{at}.foreign_keys[{f}].ref_columns[{i}]"),
                        format!("column {c:?} is not a column of {}", fk.ref_table),
                    ));
                }
            }
            if d == Dialect::MySql
                && let Some(name) = &fk.name
            {
                let key = (table.name.schema.clone(), fold(d, name));
                if let Some(other) = fk_names.insert(key, table.name.to_string()) {
                    problems.push(Problem::new(
                        format!("{at}.foreign_keys[{f}].name"),
                        format!("foreign key name {name:?} is also used on table {other}"),
                    ));
                }
            }
        }
        duplicate_constraint_names(d, table, &at, problems);
    }
}

/// PostgreSQL per-column settings: refused on the other engines, and on
/// PostgreSQL only a statistics target of 0 to 10000 and the options
/// `n_distinct` / `n_distinct_inherited` with a plain number of at least -1
/// (the number is written into `ALTER COLUMN ... SET (...)`).
fn attribute_settings(d: Dialect, at: &str, column: &Column, problems: &mut Vec<Problem>) {
    if d != Dialect::Postgres {
        let set = [
            ("statistics", column.statistics.is_some()),
            ("storage", column.storage.is_some()),
            ("compression", column.compression.is_some()),
            ("attribute_options", !column.attribute_options.is_empty()),
        ];
        for (field, _) in set.iter().filter(|(_, on)| *on) {
            problems.push(Problem::new(format!("{at}.{field}"), "a PostgreSQL column setting; not allowed here"));
        }
        return;
    }
    if let Some(n) = column.statistics
        && !(0..=10_000).contains(&n)
    {
        problems.push(Problem::new(format!("{at}.statistics"), format!("{n} is not a statistics target (0 to 10000)")));
    }
    let mut names = BTreeSet::new();
    for (i, option) in column.attribute_options.iter().enumerate() {
        let field = format!("{at}.attribute_options[{i}]");
        let Some((name, value)) = option.split_once('=') else {
            problems.push(Problem::new(field, format!("{option:?} is not `name=value`")));
            continue;
        };
        if name != "n_distinct" && name != "n_distinct_inherited" {
            problems.push(Problem::new(field, format!("{name:?} is not n_distinct or n_distinct_inherited")));
        } else if !names.insert(name) {
            problems.push(Problem::new(field, format!("{name} is given twice")));
        } else if !plain_number(value) || !value.parse::<f64>().is_ok_and(|v| v.is_finite() && v >= -1.0) {
            problems.push(Problem::new(field, format!("{value:?} is not a number of at least -1")));
        }
    }
}

/// `-?digits[.digits][e[+-]digits]` (also `.5`), nothing else.
fn plain_number(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// PostgreSQL constraint names are unique per table; so are MySQL index
/// and unique key names (a unique key is an index) and check names.
fn duplicate_constraint_names(d: Dialect, table: &Table, at: &str, problems: &mut Vec<Problem>) {
    let mut names: Vec<(&str, String)> = Vec::new();
    match d {
        Dialect::Postgres => {
            names.extend(table.primary_key.iter().filter_map(|k| k.name.as_deref()).map(|n| (n, "primary_key".into())));
            names.extend(
                table
                    .uniques
                    .iter()
                    .enumerate()
                    .filter_map(|(i, u)| u.name.as_deref().map(|n| (n, format!("uniques[{i}]")))),
            );
            names.extend(table.checks.iter().filter_map(|c| c.name.as_deref().map(|n| (n, format!("checks[{n:?}]")))));
            names.extend(
                table
                    .foreign_keys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| f.name.as_deref().map(|n| (n, format!("foreign_keys[{i}]")))),
            );
            names.extend(table.exclusions.iter().map(|x| (x.name.as_str(), format!("exclusions[{:?}]", x.name))));
        }
        Dialect::MySql => {
            names.extend(
                table
                    .uniques
                    .iter()
                    .enumerate()
                    .filter_map(|(i, u)| u.name.as_deref().map(|n| (n, format!("uniques[{i}]")))),
            );
            names.extend(table.indexes.values().map(|x| (x.name.as_str(), format!("indexes[{:?}]", x.name))));
            let mut checks = BTreeSet::new();
            for check in &table.checks {
                if let Some(n) = &check.name
                    && !checks.insert(fold(d, n))
                {
                    problems.push(Problem::new(format!("{at}.checks[{n:?}].name"), "duplicate check constraint name"));
                }
            }
        }
        _ => {}
    }
    let mut seen = BTreeSet::new();
    for (name, field) in names {
        if !seen.insert(fold(d, name)) {
            problems.push(Problem::new(
                format!("{at}.{field}.name"),
                format!("the name {name:?} is used by another constraint or index of the table"),
            ));
        }
    }
}

/// The columns a table's keys may name: its own, or for a PostgreSQL
/// partition its parent's (`None` when the parent is not in the schema).
fn columns_of(schema: &Schema, table: &Table) -> Option<BTreeSet<String>> {
    let mut table = table;
    for _ in 0..16 {
        match &table.partition_of {
            None => return Some(table.columns.iter().map(|c| fold(schema.dialect, &c.name)).collect()),
            Some(of) => table = schema.tables.get(&of.parent)?,
        }
    }
    None
}

/// MySQL and SQLite column names are case-insensitive; PostgreSQL's are
/// exact once quoted, which is how emit writes them.
fn fold(d: Dialect, name: &str) -> String {
    if d == Dialect::Postgres { name.to_owned() } else { name.to_lowercase() }
}

fn single_identifier(text: &str, d: Dialect) -> Option<String> {
    let scanned = scan(text, d).ok()?;
    match scanned.tokens.as_slice() {
        [t @ Tok::Ident(_)] => identifier_text(t),
        // Bare words fold to lower case in PostgreSQL.
        [t @ Tok::Word(w)] if !w.as_bytes()[0].is_ascii_digit() => {
            identifier_text(t).map(|n| if d == Dialect::Postgres { n.to_lowercase() } else { n })
        }
        _ => None,
    }
}

#[cfg(test)]
mod attribute_setting_tests {
    use schemasync_model::{Column, ColumnStorage, Dialect, Schema, Table};

    use super::super::schema_problems;

    fn problems(dialect: Dialect, column: Column) -> Vec<String> {
        let mut schema = Schema::new(dialect);
        schema.add_table(Table::new("t").with_column(column)).unwrap();
        schema_problems(&schema).iter().map(|p| format!("{}: {}", p.path, p.message)).collect()
    }

    #[test]
    fn postgres_settings_are_checked_and_refused_elsewhere() {
        let mut good = Column::new("c", "text");
        good.statistics = Some(0);
        good.storage = Some(ColumnStorage::Main);
        good.attribute_options = vec!["n_distinct=-0.5".into(), "n_distinct_inherited=1e3".into()];
        assert_eq!(problems(Dialect::Postgres, good.clone()), Vec::<String>::new());
        for dialect in [Dialect::MySql, Dialect::Sqlite] {
            let found = problems(dialect, good.clone());
            assert_eq!(found.len(), 3, "{found:?}");
            assert!(found.iter().all(|p| p.contains("a PostgreSQL column setting")), "{found:?}");
        }
        for (option, wanted) in [
            ("n_distinct=1); DROP TABLE t; --", "is not a number"),
            ("n_distinct=-2", "at least -1"),
            ("n_distinct=inf", "is not a number"),
            ("fillfactor=10", "is not n_distinct"),
            ("n_distinct", "is not `name=value`"),
        ] {
            let mut bad = Column::new("c", "text");
            bad.attribute_options = vec![option.to_owned()];
            let found = problems(Dialect::Postgres, bad);
            assert!(found.len() == 1 && found[0].contains(wanted), "{option}: {found:?}");
            assert!(found[0].contains(".attribute_options[0]"), "{found:?}");
        }
        let mut twice = Column::new("c", "text");
        twice.attribute_options = vec!["n_distinct=1".into(), "n_distinct=2".into()];
        assert_eq!(problems(Dialect::Postgres, twice).len(), 1);
        let mut high = Column::new("c", "text");
        high.statistics = Some(10_001);
        assert!(problems(Dialect::Postgres, high)[0].contains("statistics"));
    }
}
