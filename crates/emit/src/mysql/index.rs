//! Indexes: CREATE INDEX / DROP INDEX and the `KEY` clause written inside
//! CREATE TABLE and ALTER TABLE.

use std::fmt::Write;

use schemasync_model::{Index, IndexKind, IndexPart, IndexTarget, QualifiedName};

use crate::EmitError;
use crate::render::{non_empty, render, write_parenthesized};

use super::{D, ident, keyword, name, unsupported, word};

/// `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX `i` ON `t` (<parts>)<options>`,
/// or `ALTER TABLE `t` ADD PRIMARY KEY (<parts>)<options>` for the index
/// named `PRIMARY`.
pub(super) fn create_index(table: &QualifiedName, index: &Index) -> Result<String, EmitError> {
    render(|w| {
        if is_primary(index) {
            write!(w, "ALTER TABLE {} ADD ", name(table))?;
            return write_key_clause(w, table, index);
        }
        write!(w, "CREATE {}INDEX {} ON {} ", flavour(table, index)?, ident(&index.name), name(table))?;
        write_parts_and_options(w, table, index)
    })
}

/// `DROP INDEX `i` ON `t`` (index names are scoped by their table), or
/// `ALTER TABLE `t` DROP PRIMARY KEY` for the index named `PRIMARY`.
pub(super) fn drop_index(table: &QualifiedName, index: &Index) -> String {
    if is_primary(index) {
        return format!("ALTER TABLE {} DROP PRIMARY KEY", name(table));
    }
    format!("DROP INDEX {} ON {}", ident(&index.name), name(table))
}

/// `[UNIQUE|FULLTEXT|SPATIAL] KEY `i` (<parts>)<options>`, or
/// `PRIMARY KEY (<parts>)<options>`, as SHOW CREATE TABLE prints them.
pub(super) fn write_key_clause<W: Write>(w: &mut W, table: &QualifiedName, index: &Index) -> Result<(), EmitError> {
    if is_primary(index) {
        if !index.unique || index.kind != IndexKind::Plain || !index.options.is_empty() {
            return Err(EmitError::invalid(format!(
                "index PRIMARY on {table}: the primary key is a plain unique index without IGNORED/INVISIBLE"
            )));
        }
        w.write_str("PRIMARY KEY ")?;
        return write_parts_and_options(w, table, index);
    }
    write!(w, "{}KEY {} ", flavour(table, index)?, ident(&index.name))?;
    write_parts_and_options(w, table, index)
}

/// The server names the primary key `PRIMARY` and lets no other index take
/// that name (in any case), so an index of that name is the primary key:
/// the MySQL introspector keeps a key with prefix lengths, DESC parts, a
/// comment or a method that way (a `PrimaryKey` holds only column names).
pub(super) fn is_primary(index: &Index) -> bool {
    index.name.eq_ignore_ascii_case("PRIMARY")
}

fn flavour(table: &QualifiedName, index: &Index) -> Result<&'static str, EmitError> {
    match (&index.kind, index.unique) {
        (IndexKind::Plain, false) => Ok(""),
        (IndexKind::Plain, true) => Ok("UNIQUE "),
        (IndexKind::Fulltext { .. }, false) => Ok("FULLTEXT "),
        (IndexKind::Spatial, false) => Ok("SPATIAL "),
        (_, true) => Err(EmitError::invalid(format!(
            "index {} on {table}: a FULLTEXT or SPATIAL index cannot be UNIQUE",
            index.name
        ))),
    }
}

/// Index options the MySQL introspector stores in `Index::options`: MariaDB
/// 10.6+ `IGNORED` and MySQL 8 `INVISIBLE` (their opposites are the defaults
/// but are accepted too). Each is a keyword written after the key parts.
const INDEX_OPTIONS: &[&str] = &["IGNORED", "NOT IGNORED", "INVISIBLE", "VISIBLE"];

/// `(<parts>)[ USING BTREE|HASH][ COMMENT '..'][ WITH PARSER p][ IGNORED|INVISIBLE]`.
fn write_parts_and_options<W: Write>(w: &mut W, table: &QualifiedName, index: &Index) -> Result<(), EmitError> {
    let what = || format!("index {} on {table}", index.name);
    if index.predicate.is_some() {
        return Err(unsupported(format!("partial {}", what())));
    }
    if !index.include.is_empty() || index.nulls_not_distinct {
        return Err(unsupported(format!("INCLUDE / NULLS NOT DISTINCT of {}", what())));
    }
    if let Some(option) = index.options.iter().find(|o| !INDEX_OPTIONS.iter().any(|k| k.eq_ignore_ascii_case(o))) {
        return Err(unsupported(format!("option `{option}` of {} (only {})", what(), INDEX_OPTIONS.join(", "))));
    }
    if index.parts.is_empty() {
        return Err(EmitError::invalid(format!("{}: no key parts", what())));
    }
    w.write_char('(')?;
    for (i, part) in index.parts.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        write_part(w, part, &what)?;
    }
    w.write_char(')')?;
    if let Some(method) = &index.method {
        write!(w, " USING {}", keyword(method, &["BTREE", "HASH"], || format!("access method of {}", what()))?)?;
    }
    if let Some(comment) = &index.comment {
        write!(w, " COMMENT {}", D.quote_string(comment))?;
    }
    if let IndexKind::Fulltext { parser: Some(parser) } = &index.kind {
        write!(w, " WITH PARSER {}", word(parser))?;
    }
    for option in &index.options {
        write!(w, " {}", option.to_ascii_uppercase())?;
    }
    Ok(())
}

/// `` `c`[(n)][ DESC] `` or `(<expr>)[ DESC]` (a MySQL 8 functional key part).
fn write_part<W: Write>(w: &mut W, part: &IndexPart, what: &dyn Fn() -> String) -> Result<(), EmitError> {
    if part.opclass.is_some() || part.nulls_first.is_some() || part.collation.is_some() {
        return Err(unsupported(format!("operator class / NULLS order / collation of a key part in {}", what())));
    }
    match &part.target {
        IndexTarget::Column(column) => {
            w.write_str(&ident(column))?;
            if let Some(length) = part.prefix_length {
                write!(w, "({length})")?;
            }
        }
        IndexTarget::Expression(expr) => {
            if part.prefix_length.is_some() {
                return Err(EmitError::invalid(format!("{}: prefix length on an expression", what())));
            }
            write_parenthesized(w, non_empty(expr, || format!("expression in {}", what()))?)?;
        }
    }
    if part.descending {
        w.write_str(" DESC")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> QualifiedName {
        QualifiedName::bare("t")
    }

    #[test]
    fn parts_prefixes_and_options() {
        let mut index = Index::on_columns("i", ["a"]);
        index.parts[0].prefix_length = Some(10);
        index.parts[0].descending = true;
        index.parts.push(IndexPart::expression("lower(`b`)"));
        index.method = Some("BTREE".into());
        index.comment = Some("x".into());
        assert_eq!(
            create_index(&t(), &index).unwrap(),
            "CREATE INDEX `i` ON `t` (`a`(10) DESC, (lower(`b`))) USING BTREE COMMENT 'x'"
        );
        index.kind = IndexKind::Fulltext { parser: Some("ngram".into()) };
        index.method = None;
        index.comment = None;
        let clause = render(|w| write_key_clause(w, &t(), &index)).unwrap();
        assert_eq!(clause, "FULLTEXT KEY `i` (`a`(10) DESC, (lower(`b`))) WITH PARSER ngram");
    }

    #[test]
    fn the_index_named_primary_is_the_primary_key() {
        let mut pk = Index::on_columns("PRIMARY", ["a", "b"]).unique();
        pk.parts[0].descending = true;
        pk.parts[1].prefix_length = Some(10);
        pk.comment = Some("k".into());
        assert_eq!(create_index(&t(), &pk).unwrap(), "ALTER TABLE `t` ADD PRIMARY KEY (`a` DESC, `b`(10)) COMMENT 'k'");
        assert_eq!(drop_index(&t(), &pk), "ALTER TABLE `t` DROP PRIMARY KEY");
        assert_eq!(render(|w| write_key_clause(w, &t(), &pk)).unwrap(), "PRIMARY KEY (`a` DESC, `b`(10)) COMMENT 'k'");
        let not_unique = Index::on_columns("primary", ["a"]);
        assert!(matches!(create_index(&t(), &not_unique), Err(EmitError::Invalid { .. })));
    }

    #[test]
    fn refused_indexes() {
        let mut unique_fulltext = Index::on_columns("i", ["a"]).unique();
        unique_fulltext.kind = IndexKind::Fulltext { parser: None };
        assert!(matches!(create_index(&t(), &unique_fulltext), Err(EmitError::Invalid { .. })));
        let partial = Index::on_columns("i", ["a"]).where_("a > 0");
        assert!(matches!(create_index(&t(), &partial), Err(EmitError::Unsupported { .. })));
        let mut gin = Index::on_columns("i", ["a"]);
        gin.method = Some("gin".into());
        assert!(matches!(create_index(&t(), &gin), Err(EmitError::Invalid { .. })));
        let empty = Index::on_columns("i", Vec::<String>::new());
        assert!(matches!(create_index(&t(), &empty), Err(EmitError::Invalid { .. })));
        let mut storage = Index::on_columns("i", ["a"]);
        storage.options = vec!["fillfactor=70".into()];
        assert!(matches!(create_index(&t(), &storage), Err(EmitError::Unsupported { .. })));
    }

    #[test]
    fn ignored_and_invisible_come_last() {
        let mut index = Index::on_columns("i", ["a"]);
        index.comment = Some("x".into());
        index.options = vec!["IGNORED".into()];
        assert_eq!(create_index(&t(), &index).unwrap(), "CREATE INDEX `i` ON `t` (`a`) COMMENT 'x' IGNORED");
        index.options = vec!["invisible".into()];
        index.comment = None;
        let clause = render(|w| write_key_clause(w, &t(), &index)).unwrap();
        assert_eq!(clause, "KEY `i` (`a`) INVISIBLE");
    }
}
