//! CREATE TABLE / DROP TABLE and the table options they share with ALTER TABLE.

use std::fmt::Write;

use schemasync_model::{Index, QualifiedName, Table, TableOptions};

use crate::EmitError;
use crate::render::render;

use super::column::write_column_def;
use super::constraint::{write_check, write_foreign_key, write_primary_key, write_unique};
use super::index::{is_primary, write_key_clause};
use super::partition::write_partitioning;
use super::{D, keyword, name, unsupported, word};

/// The row formats of InnoDB, MyISAM and Aria.
const ROW_FORMATS: &[&str] = &["DEFAULT", "DYNAMIC", "FIXED", "COMPRESSED", "REDUNDANT", "COMPACT", "PAGE"];

/// `CREATE TABLE `t` (...) <options>[ PARTITION BY ...]`, as SHOW CREATE TABLE
/// lays it out: columns, keys, foreign keys, checks. Foreign keys at the
/// positions in `deferred` are added later by their own change; `indexes`
/// are the table's indexes written inline (see `layout`).
pub(super) fn create_table(table: &Table, deferred: &[usize], indexes: &[&Index]) -> Result<String, EmitError> {
    let what = || format!("table {}", table.name);
    if !table.exclusions.is_empty() {
        return Err(unsupported(format!("EXCLUDE constraints on {}", what())));
    }
    if !table.policies.is_empty() {
        return Err(unsupported(format!("row-level security policies on {}", what())));
    }
    if table.partition_of.is_some() {
        return Err(unsupported(format!("PARTITION OF for {}", what())));
    }
    if table.columns.is_empty() {
        return Err(EmitError::invalid(format!("{}: a table needs at least one column", what())));
    }
    if table.primary_key.is_some() && indexes.iter().any(|i| is_primary(i)) {
        return Err(EmitError::invalid(format!("{}: a primary key and an index named PRIMARY", what())));
    }
    let options = MySqlOptions::of(&table.options, &table.name)?;
    render(|w| {
        write!(w, "CREATE TABLE {} (", name(&table.name))?;
        let mut separator = Separator::default();
        for column in &table.columns {
            separator.write(w)?;
            write_column_def(w, &table.name, column)?;
        }
        if let Some(pk) = &table.primary_key {
            separator.write(w)?;
            write_primary_key(w, &table.name, pk)?;
        }
        for unique in &table.uniques {
            separator.write(w)?;
            write_unique(w, &table.name, unique)?;
        }
        for index in indexes {
            separator.write(w)?;
            write_key_clause(w, &table.name, index)?;
        }
        for (_, fk) in table.foreign_keys.iter().enumerate().filter(|(i, _)| !deferred.contains(i)) {
            separator.write(w)?;
            write_foreign_key(w, &table.name, fk)?;
        }
        for check in &table.checks {
            separator.write(w)?;
            write_check(w, &table.name, check)?;
        }
        w.write_str("\n)")?;
        options.write(w, &table.name)?;
        if let Some(comment) = &table.comment {
            write!(w, " COMMENT={}", D.quote_string(comment))?;
        }
        if let Some(partitioning) = &table.partitioning {
            write_partitioning(w, &table.name, partitioning)?;
        }
        Ok(())
    })
}

/// `DROP TABLE `t``.
pub(super) fn drop_table(table: &QualifiedName) -> String {
    format!("DROP TABLE {}", name(table))
}

/// The MySQL table options of a table, whatever variant holds them.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct MySqlOptions<'a> {
    pub engine: Option<&'a str>,
    pub charset: Option<&'a str>,
    pub collation: Option<&'a str>,
    pub row_format: Option<&'a str>,
}

impl<'a> MySqlOptions<'a> {
    /// `Default` has none; another engine's options are refused.
    pub(super) fn of(options: &'a TableOptions, table: &QualifiedName) -> Result<Self, EmitError> {
        match options {
            TableOptions::MySql { engine, charset, collation, row_format } => Ok(MySqlOptions {
                engine: engine.as_deref(),
                charset: charset.as_deref(),
                collation: collation.as_deref(),
                row_format: row_format.as_deref(),
            }),
            TableOptions::Default => Ok(MySqlOptions::default()),
            _ => Err(unsupported(format!("another engine's options on table {table}"))),
        }
    }

    /// ` ENGINE=x DEFAULT CHARSET=y COLLATE=z ROW_FORMAT=w`, each when set.
    fn write<W: Write>(&self, w: &mut W, table: &QualifiedName) -> Result<(), EmitError> {
        if let Some(engine) = self.engine {
            write!(w, " ENGINE={}", word(engine))?;
        }
        write_charset(w, self.charset, self.collation)?;
        if let Some(row_format) = self.row_format {
            write!(w, " ROW_FORMAT={}", row_format_keyword(row_format, table)?)?;
        }
        Ok(())
    }
}

/// ` DEFAULT CHARSET=x COLLATE=y`, each when set.
pub(super) fn write_charset<W: Write>(
    w: &mut W,
    charset: Option<&str>,
    collation: Option<&str>,
) -> Result<(), EmitError> {
    if let Some(charset) = charset {
        write!(w, " DEFAULT CHARSET={}", word(charset))?;
    }
    if let Some(collation) = collation {
        write!(w, " COLLATE={}", word(collation))?;
    }
    Ok(())
}

pub(super) fn row_format_keyword<'a>(row_format: &'a str, table: &QualifiedName) -> Result<&'a str, EmitError> {
    keyword(row_format, ROW_FORMATS, || format!("row format of table {table}"))
}

/// Writes `\n  ` before the first table element and `,\n  ` before the others.
#[derive(Debug, Default)]
struct Separator {
    started: bool,
}

impl Separator {
    fn write<W: Write>(&mut self, w: &mut W) -> Result<(), EmitError> {
        w.write_str(if self.started { ",\n  " } else { "\n  " })?;
        self.started = true;
        Ok(())
    }
}
