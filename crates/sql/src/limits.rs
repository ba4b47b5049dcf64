//! The target engine's limits, checked when a plan is made: a name the
//! engine would truncate, or a table it would refuse, is named before any
//! statement runs. (A PostgreSQL name over 63 bytes is truncated silently,
//! so the schema never converges and every sync recreates the object.)

mod innodb_key;

use schemasync_model::{Dialect, Index, QualifiedName, Schema, Table, TableOptions, TypeKind};

use crate::validate::qualified_key as qualified;
use crate::{Problem, SqlError};

/// How an engine measures a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Bytes,
    Chars,
}

/// The limits of one engine, as data.
#[derive(Debug, Clone, Copy)]
struct Limits {
    engine: &'static str,
    /// Longest identifier (tables, columns, indexes, constraints, views,
    /// routines, triggers, events, schemas, types, ...).
    identifier: usize,
    measure: Measure,
    /// Why, for messages.
    identifier_source: &'static str,
    /// PostgreSQL enum labels are names too.
    enum_label: Option<usize>,
    /// Columns per table.
    columns: usize,
    /// Columns per table of the default engine (InnoDB), if lower.
    default_engine_columns: Option<usize>,
    /// Key columns per index (INCLUDE columns count in PostgreSQL).
    index_columns: usize,
    /// Secondary indexes per table of the default engine.
    secondary_indexes: Option<usize>,
    /// MySQL account parts (DEFINER user and host).
    account_user: Option<usize>,
    account_host: Option<usize>,
    /// MySQL comment lengths in characters: table, column / index / partition.
    table_comment: Option<usize>,
    part_comment: Option<usize>,
}

const POSTGRES: Limits = Limits {
    engine: "PostgreSQL",
    identifier: 63,
    measure: Measure::Bytes,
    identifier_source: "NAMEDATALEN-1; a longer name is truncated",
    enum_label: Some(63),
    columns: 1600,
    default_engine_columns: None,
    index_columns: 32,
    secondary_indexes: None,
    account_user: None,
    account_host: None,
    table_comment: None,
    part_comment: None,
};

const MYSQL: Limits = Limits {
    engine: "MySQL/MariaDB",
    identifier: 64,
    measure: Measure::Chars,
    identifier_source: "the manual's identifier length limit",
    enum_label: None,
    columns: 4096,
    default_engine_columns: Some(1017),
    index_columns: 16,
    secondary_indexes: Some(64),
    account_user: Some(80),
    account_host: Some(255),
    table_comment: Some(2048),
    part_comment: Some(1024),
};

/// SQLite's compiled-in defaults (SQLITE_MAX_COLUMN); names are unlimited.
const SQLITE: Limits = Limits {
    engine: "SQLite",
    identifier: usize::MAX,
    measure: Measure::Bytes,
    identifier_source: "",
    enum_label: None,
    columns: 2000,
    default_engine_columns: None,
    index_columns: 2000,
    secondary_indexes: None,
    account_user: None,
    account_host: None,
    table_comment: None,
    part_comment: None,
};

fn limits_of(dialect: Dialect) -> Limits {
    match dialect {
        Dialect::Postgres => POSTGRES,
        Dialect::MySql => MYSQL,
        _ => SQLITE,
    }
}

/// Every place `schema` exceeds a limit of `target`'s engine: identifier
/// lengths, columns per table, columns per index, InnoDB secondary indexes
/// and index key length, MySQL comment and account lengths.
pub fn check_limits(schema: &Schema, target: Dialect) -> Vec<Problem> {
    let mut checker = Checker { limits: limits_of(target), problems: Vec::new() };
    checker.schema(schema);
    checker.problems
}

/// [`check_limits`] as a result: `Err(SqlError::OverLimit)` naming every
/// limit exceeded.
pub fn enforce_limits(schema: &Schema, target: Dialect) -> Result<(), SqlError> {
    let problems = check_limits(schema, target);
    if problems.is_empty() { Ok(()) } else { Err(SqlError::OverLimit { problems }) }
}

struct Checker {
    limits: Limits,
    problems: Vec<Problem>,
}

impl Checker {
    fn length(&self, text: &str) -> usize {
        match self.limits.measure {
            Measure::Bytes => text.len(),
            Measure::Chars => text.chars().count(),
        }
    }

    fn unit(&self) -> &'static str {
        match self.limits.measure {
            Measure::Bytes => "bytes",
            Measure::Chars => "characters",
        }
    }

    fn ident(&mut self, path: impl FnOnce() -> String, name: &str) {
        let l = self.limits;
        let n = self.length(name);
        if n > l.identifier {
            self.problems.push(Problem::new(
                path(),
                format!(
                    "the name is {n} {unit}; {} allows {} ({})",
                    l.engine,
                    l.identifier,
                    l.identifier_source,
                    unit = self.unit()
                ),
            ));
        }
    }

    fn qname(&mut self, at: &str, name: &QualifiedName) {
        if let Some(schema) = &name.schema {
            self.ident(|| format!("{at}.name.schema"), schema);
        }
        self.ident(|| format!("{at}.name.name"), &name.name);
    }

    fn at_most(&mut self, path: impl FnOnce() -> String, what: &str, n: usize, max: Option<usize>) {
        if let Some(max) = max
            && n > max
        {
            self.problems.push(Problem::new(path(), format!("{what} is {n}; {} allows {max}", self.limits.engine)));
        }
    }

    fn schema(&mut self, schema: &Schema) {
        for ns in schema.namespaces.values() {
            self.ident(|| format!("namespaces[{:?}].name", ns.name), &ns.name);
        }
        for c in schema.collations.values() {
            self.qname(&format!("collations[{}]", qualified(&c.name)), &c.name);
        }
        for ty in schema.types.values() {
            let at = format!("types[{}]", qualified(&ty.name));
            self.qname(&at, &ty.name);
            match &ty.kind {
                TypeKind::Enum { labels } => {
                    for (i, label) in labels.iter().enumerate() {
                        let n = label.len();
                        self.at_most(
                            || format!("{at}.kind.labels[{i}]"),
                            "the label's length in bytes",
                            n,
                            self.limits.enum_label,
                        );
                    }
                }
                TypeKind::Composite { attributes } => {
                    for a in attributes {
                        self.ident(|| format!("{at}.kind.attributes[{:?}].name", a.name), &a.name);
                    }
                }
                _ => {}
            }
        }
        for seq in schema.sequences.values() {
            self.qname(&format!("sequences[{}]", qualified(&seq.name)), &seq.name);
        }
        for table in schema.tables.values() {
            self.table(table);
        }
        for view in schema.views.values() {
            let at = format!("views[{}]", qualified(&view.name));
            self.qname(&at, &view.name);
            for (i, c) in view.columns.iter().enumerate() {
                self.ident(|| format!("{at}.columns[{i}]"), c);
            }
            if let Some(definer) = view.mysql.as_ref().and_then(|m| m.definer.as_deref()) {
                self.account(&format!("{at}.mysql.definer"), definer);
            }
            for index in view.indexes.values() {
                self.index(&at, None, index);
            }
        }
        for routine in schema.routines.values() {
            self.qname(&format!("routines[{}({})]", qualified(&routine.name), routine.signature), &routine.name);
        }
        for trigger in schema.triggers.values() {
            let at = format!("triggers[{}][{:?}]", qualified(&trigger.table), trigger.name);
            self.ident(|| format!("{at}.name"), &trigger.name);
        }
        for rule in schema.rules.values() {
            let at = format!("rules[{}][{:?}]", qualified(&rule.table), rule.name);
            self.ident(|| format!("{at}.name"), &rule.name);
        }
        for stats in schema.statistics.values() {
            self.qname(&format!("statistics[{}]", qualified(&stats.name)), &stats.name);
        }
        for event in schema.events.values() {
            self.qname(&format!("events[{}]", qualified(&event.name)), &event.name);
        }
    }

    fn table(&mut self, table: &Table) {
        let at = format!("tables[{}]", qualified(&table.name));
        self.qname(&at, &table.name);
        let l = self.limits;
        let innodb = is_innodb(&table.options);
        let max_columns = if innodb { l.default_engine_columns.unwrap_or(l.columns) } else { l.columns };
        self.at_most(|| format!("{at}.columns"), "the number of columns", table.columns.len(), Some(max_columns));
        for column in &table.columns {
            let col = format!("{at}.columns[{:?}]", column.name);
            self.ident(|| format!("{col}.name"), &column.name);
            if let Some(comment) = &column.comment {
                self.at_most(
                    || format!("{col}.comment"),
                    "the comment's length",
                    comment.chars().count(),
                    l.part_comment,
                );
            }
        }
        if let Some(comment) = &table.comment {
            self.at_most(|| format!("{at}.comment"), "the comment's length", comment.chars().count(), l.table_comment);
        }
        let constraint_names = table
            .primary_key
            .iter()
            .filter_map(|k| k.name.clone().map(|n| ("primary_key".to_owned(), n)))
            .chain(
                table
                    .uniques
                    .iter()
                    .enumerate()
                    .filter_map(|(i, u)| u.name.clone().map(|n| (format!("uniques[{i}]"), n))),
            )
            .chain(table.checks.iter().filter_map(|c| c.name.clone().map(|n| (format!("checks[{n:?}]"), n))))
            .chain(
                table
                    .foreign_keys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| f.name.clone().map(|n| (format!("foreign_keys[{i}]"), n))),
            )
            .chain(table.exclusions.iter().map(|x| (format!("exclusions[{:?}]", x.name), x.name.clone())));
        for (field, name) in constraint_names.collect::<Vec<_>>() {
            // MySQL keeps its primary key's name as PRIMARY whatever it is given.
            if !(field == "primary_key" && self.limits.measure == Measure::Chars) {
                self.ident(|| format!("{at}.{field}.name"), &name);
            }
        }
        for policy in table.policies.values() {
            self.ident(|| format!("{at}.policies[{:?}].name", policy.name), &policy.name);
        }
        for index in table.indexes.values() {
            self.index(&at, Some(table), index);
        }
        if innodb && let Some(max) = l.secondary_indexes {
            let secondary = table.indexes.values().filter(|i| !i.name.eq_ignore_ascii_case("PRIMARY")).count()
                + table.uniques.len();
            self.at_most(|| format!("{at}.indexes"), "the number of secondary indexes (InnoDB)", secondary, Some(max));
        }
        if innodb && self.limits.measure == Measure::Chars {
            self.problems.extend(innodb_key::check(&at, table));
        }
        if let Some(p) = &table.partitioning {
            for partition in &p.partitions {
                let part = format!("{at}.partitioning.partitions[{:?}]", partition.name);
                self.ident(|| format!("{part}.name"), &partition.name);
                for (i, sub) in partition.subpartitions.iter().enumerate() {
                    self.ident(|| format!("{part}.subpartitions[{i}]"), sub);
                }
                if let Some(comment) = &partition.comment {
                    self.at_most(
                        || format!("{part}.comment"),
                        "the comment's length",
                        comment.chars().count(),
                        l.part_comment,
                    );
                }
            }
        }
    }

    fn index(&mut self, at: &str, table: Option<&Table>, index: &Index) {
        let at = format!("{at}.indexes[{:?}]", index.name);
        // MySQL's primary key is the index called PRIMARY.
        if !(table.is_some() && index.name.eq_ignore_ascii_case("PRIMARY") && self.limits.measure == Measure::Chars) {
            self.ident(|| format!("{at}.name"), &index.name);
        }
        let columns = index.parts.len() + index.include.len();
        self.at_most(|| format!("{at}.parts"), "the number of index columns", columns, Some(self.limits.index_columns));
        if let Some(comment) = &index.comment {
            self.at_most(
                || format!("{at}.comment"),
                "the comment's length",
                comment.chars().count(),
                self.limits.part_comment,
            );
        }
    }

    fn account(&mut self, at: &str, account: &str) {
        let Some((user, host)) = split_account(account) else { return };
        let (u, h) = (user.chars().count(), host.chars().count());
        self.at_most(|| at.to_owned(), "the account's user name length", u, self.limits.account_user);
        self.at_most(|| at.to_owned(), "the account's host name length", h, self.limits.account_host);
    }
}

/// A table of InnoDB, the default engine when none is named.
fn is_innodb(options: &TableOptions) -> bool {
    match options {
        TableOptions::MySql { engine, .. } => engine.as_deref().is_none_or(|e| e.eq_ignore_ascii_case("InnoDB")),
        _ => true,
    }
}

/// `user` and `host` of `` `user`@`host` `` (quotes removed).
fn split_account(account: &str) -> Option<(String, String)> {
    let unquote = |s: &str| {
        let s = s.trim();
        match s.as_bytes().first() {
            Some(q @ (b'`' | b'\'' | b'"')) if s.len() >= 2 && s.as_bytes()[s.len() - 1] == *q => {
                let q = char::from(*q);
                s[1..s.len() - 1].replace(&format!("{q}{q}"), &q.to_string())
            }
            _ => s.to_owned(),
        }
    };
    // The host part is after the last `@` outside quotes; quoted user names
    // may themselves hold `@`.
    let mut quote = None;
    let mut at = None;
    for (i, c) in account.char_indices() {
        match (quote, c) {
            (None, '`' | '\'' | '"') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '@') => at = Some(i),
            _ => {}
        }
    }
    let at = at?;
    Some((unquote(&account[..at]), unquote(&account[at + 1..])))
}

#[cfg(test)]
mod tests;
