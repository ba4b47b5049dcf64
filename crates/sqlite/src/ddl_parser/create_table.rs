//! `CREATE TABLE name (column-defs, table-constraints) [WITHOUT ROWID] [, STRICT]`.

use std::ops::Range;

use schemasync_model::{CheckConstraint, ConflictResolution, ForeignKey, Generated, PrimaryKey, UniqueConstraint};

use super::constraints::{conflict_clause, deferrable, name_list, references};
use super::cursor::{Cursor, split_commas};
use super::tokenizer::{TokenKind, tokenize};
use super::{ParseError, create_header};

/// What the CREATE TABLE text says. Column names in constraints are as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableDef {
    pub(crate) name: String,
    pub(crate) columns: Vec<ColumnDef>,
    pub(crate) primary_key: Option<PrimaryKey>,
    /// AUTOINCREMENT on the primary key.
    pub(crate) autoincrement: bool,
    pub(crate) uniques: Vec<UniqueConstraint>,
    pub(crate) checks: Vec<CheckConstraint>,
    pub(crate) foreign_keys: Vec<ForeignKey>,
    pub(crate) without_rowid: bool,
    pub(crate) strict: bool,
}

/// One column definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnDef {
    pub(crate) name: String,
    pub(crate) data_type: String,
    pub(crate) not_null: bool,
    /// `NOT NULL ON CONFLICT ...`.
    pub(crate) not_null_on_conflict: Option<ConflictResolution>,
    pub(crate) default: Option<String>,
    pub(crate) collation: Option<String>,
    pub(crate) generated: Option<Generated>,
}

/// Words that end a column's type name and start its constraints.
const CONSTRAINT_WORDS: &[&str] =
    &["CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "AS"];

/// Words that start a table constraint rather than a column definition.
const TABLE_CONSTRAINT_WORDS: &[&str] = &["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

/// Parse a stored CREATE TABLE statement.
pub(crate) fn parse_create_table(sql: &str) -> Result<TableDef, ParseError> {
    let toks = tokenize(sql);
    let mut cur = Cursor::new(sql, &toks);
    create_header(&mut cur, "TABLE")?;
    let name = cur.qualified_name()?;
    if cur.peek_kw("AS") {
        return Err(ParseError::new("CREATE TABLE ... AS SELECT is not stored by SQLite in this form".to_owned()));
    }
    let body = cur.group()?;
    let mut def = TableDef {
        name,
        columns: Vec::new(),
        primary_key: None,
        autoincrement: false,
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        without_rowid: false,
        strict: false,
    };
    let parts = split_commas(cur.toks, body);
    let mut in_constraints = false;
    for part in parts {
        let mut sub = cur.sub(part);
        let starts_constraint = TABLE_CONSTRAINT_WORDS.iter().any(|w| sub.peek_kw(w));
        in_constraints |= starts_constraint;
        if in_constraints {
            // SQLite allows table constraints without separating commas.
            while !sub.at_end() {
                table_constraint(&mut sub, &mut def)?;
            }
        } else {
            column_def(&mut sub, &mut def)?;
        }
    }
    table_options(&mut cur, &mut def)?;
    Ok(def)
}

fn table_options(cur: &mut Cursor<'_>, def: &mut TableDef) -> Result<(), ParseError> {
    loop {
        if cur.eat_kws(&["WITHOUT", "ROWID"]) {
            def.without_rowid = true;
        } else if cur.eat_kw("STRICT") {
            def.strict = true;
        } else if cur.at_end() {
            return Ok(());
        } else {
            return Err(cur.unexpected("WITHOUT ROWID, STRICT or the end of the statement"));
        }
        if !cur.eat_kind(TokenKind::Comma) && !cur.at_end() {
            return Err(cur.unexpected("`,`"));
        }
    }
}

fn is_constraint_start(cur: &Cursor<'_>) -> bool {
    CONSTRAINT_WORDS.iter().any(|w| cur.peek_kw(w))
        || (cur.peek_kw("GENERATED") && cur.peek_at(1).is_some_and(|t| t.is_kw(cur.src, "ALWAYS")))
}

/// The declared type: words, then an optional `(n)` or `(n, m)`.
fn type_name(cur: &mut Cursor<'_>) -> Result<String, ParseError> {
    let start = cur.pos;
    while let Some(tok) = cur.peek() {
        let is_word = matches!(tok.kind, TokenKind::Word | TokenKind::QuotedIdent | TokenKind::String);
        if !is_word || is_constraint_start(cur) {
            break;
        }
        cur.advance();
    }
    if cur.pos > start && cur.peek_kind(TokenKind::LParen) {
        cur.group()?;
    }
    Ok(cur.text(start..cur.pos))
}

fn column_def(cur: &mut Cursor<'_>, def: &mut TableDef) -> Result<(), ParseError> {
    let name = cur.name()?;
    let data_type = type_name(cur)?;
    let mut col = ColumnDef {
        name,
        data_type,
        not_null: false,
        not_null_on_conflict: None,
        default: None,
        collation: None,
        generated: None,
    };
    let mut constraint_name: Option<String> = None;
    while !cur.at_end() {
        if cur.eat_kw("CONSTRAINT") {
            constraint_name = Some(cur.name()?);
            continue;
        }
        let name = constraint_name.take();
        if cur.eat_kws(&["PRIMARY", "KEY"]) {
            let _ = cur.eat_kw("ASC") || cur.eat_kw("DESC");
            let on_conflict = conflict_clause(cur)?;
            def.autoincrement |= cur.eat_kw("AUTOINCREMENT");
            def.primary_key = Some(PrimaryKey { name, columns: vec![col.name.clone()], on_conflict });
        } else if cur.eat_kws(&["NOT", "NULL"]) {
            col.not_null = true;
            col.not_null_on_conflict = conflict_clause(cur)?;
        } else if cur.eat_kw("NULL") {
            // SQLite accepts a conflict clause on NULL and ignores it.
            conflict_clause(cur)?;
        } else if cur.eat_kw("UNIQUE") {
            let on_conflict = conflict_clause(cur)?;
            def.uniques.push(unique(name, vec![col.name.clone()], on_conflict));
        } else if cur.eat_kw("CHECK") {
            let inner = cur.group()?;
            def.checks.push(check(name, cur.text(inner)));
        } else if cur.eat_kw("DEFAULT") {
            col.default = Some(default_value(cur)?);
        } else if cur.eat_kw("COLLATE") {
            col.collation = Some(cur.name()?);
        } else if cur.eat_kw("REFERENCES") {
            def.foreign_keys.push(references(cur, name, vec![col.name.clone()])?);
        } else if cur.peek_kw("GENERATED") || cur.peek_kw("AS") {
            col.generated = Some(generated(cur)?);
        } else if let Some(d) = deferrable(cur) {
            // A free-standing deferrable clause belongs to the REFERENCES before it.
            if let Some(fk) = def.foreign_keys.last_mut() {
                fk.deferrable = d;
            }
        } else {
            return Err(cur.unexpected("a column constraint"));
        }
    }
    def.columns.push(col);
    Ok(())
}

/// `DEFAULT` value as written: a parenthesized expression (parentheses kept),
/// a signed literal, or one literal or word.
fn default_value(cur: &mut Cursor<'_>) -> Result<String, ParseError> {
    let start = cur.pos;
    match cur.peek().map(|t| (t.kind, t.text(cur.src))) {
        Some((TokenKind::LParen, _)) => {
            cur.group()?;
        }
        Some((TokenKind::Other, "+" | "-")) => {
            cur.advance();
            let literal = cur.peek().is_some_and(|t| {
                matches!(t.kind, TokenKind::Number | TokenKind::String | TokenKind::Blob | TokenKind::Word)
            });
            if !literal {
                return Err(cur.unexpected("a literal"));
            }
            cur.advance();
        }
        Some((
            TokenKind::Number | TokenKind::String | TokenKind::Blob | TokenKind::Word | TokenKind::QuotedIdent,
            _,
        )) => {
            cur.advance();
        }
        _ => return Err(cur.unexpected("a default value")),
    }
    Ok(cur.text(start..cur.pos))
}

/// `[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]`.
fn generated(cur: &mut Cursor<'_>) -> Result<Generated, ParseError> {
    if cur.eat_kw("GENERATED") {
        cur.expect_kw("ALWAYS")?;
    }
    cur.expect_kw("AS")?;
    let inner = cur.group()?;
    let expr = cur.text(inner);
    let stored = if cur.eat_kw("STORED") {
        true
    } else {
        let _ = cur.eat_kw("VIRTUAL");
        false
    };
    Ok(Generated { expr, stored })
}

fn table_constraint(cur: &mut Cursor<'_>, def: &mut TableDef) -> Result<(), ParseError> {
    let name = if cur.eat_kw("CONSTRAINT") { Some(cur.name()?) } else { None };
    if cur.eat_kws(&["PRIMARY", "KEY"]) {
        let group_start = cur.pos;
        let columns = name_list(cur)?;
        def.autoincrement |= last_token_is(cur, group_start..cur.pos, "AUTOINCREMENT");
        let on_conflict = conflict_clause(cur)?;
        def.primary_key = Some(PrimaryKey { name, columns, on_conflict });
    } else if cur.eat_kw("UNIQUE") {
        let columns = name_list(cur)?;
        let on_conflict = conflict_clause(cur)?;
        def.uniques.push(unique(name, columns, on_conflict));
    } else if cur.eat_kw("CHECK") {
        let inner = cur.group()?;
        // Accepted by SQLite on a table CHECK, and ignored: checks always abort.
        conflict_clause(cur)?;
        def.checks.push(check(name, cur.text(inner)));
    } else if cur.eat_kws(&["FOREIGN", "KEY"]) {
        let columns = name_list(cur)?;
        cur.expect_kw("REFERENCES")?;
        def.foreign_keys.push(references(cur, name, columns)?);
    } else {
        return Err(cur.unexpected("a table constraint"));
    }
    Ok(())
}

/// Whether the last token inside the group spanning `group` is the keyword.
fn last_token_is(cur: &Cursor<'_>, group: Range<usize>, kw: &str) -> bool {
    group.end >= 2 && cur.toks.get(group.end - 2).is_some_and(|t| t.is_kw(cur.src, kw))
}

fn unique(name: Option<String>, columns: Vec<String>, on_conflict: Option<ConflictResolution>) -> UniqueConstraint {
    UniqueConstraint {
        name,
        columns,
        nulls_not_distinct: false,
        deferrable: schemasync_model::Deferrable::NotDeferrable,
        comment: None,
        on_conflict,
    }
}

fn check(name: Option<String>, expr: String) -> CheckConstraint {
    CheckConstraint { name, expr, not_valid: false, no_inherit: false, not_enforced: false, comment: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemasync_model::{Deferrable, FkAction, QualifiedName};

    #[test]
    fn columns_types_defaults_and_generated() {
        let def = parse_create_table(
            "CREATE TABLE \"t\"(id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR ( 20 ) NOT NULL DEFAULT 'x' \
             COLLATE NOCASE, n DOUBLE  PRECISION DEFAULT -1.5, d DEFAULT (datetime( 'now' )), \
             g INT GENERATED ALWAYS AS (n * 2) STORED, h AS (n+1), [weird col] \"my type\")",
        )
        .unwrap();
        assert_eq!(def.name, "t");
        assert!(def.autoincrement);
        assert_eq!(def.primary_key, Some(PrimaryKey { name: None, columns: vec!["id".into()], on_conflict: None }));
        let c = &def.columns;
        assert_eq!(c.len(), 7);
        assert_eq!((c[1].data_type.as_str(), c[1].not_null), ("VARCHAR (20)", true));
        assert_eq!(c[1].default.as_deref(), Some("'x'"));
        assert_eq!(c[1].collation.as_deref(), Some("NOCASE"));
        assert_eq!(c[2].data_type, "DOUBLE PRECISION");
        assert_eq!(c[2].default.as_deref(), Some("-1.5"));
        assert_eq!((c[3].data_type.as_str(), c[3].default.as_deref()), ("", Some("(datetime('now'))")));
        assert_eq!(c[4].data_type, "INT");
        assert_eq!(c[4].generated, Some(Generated { expr: "n * 2".into(), stored: true }));
        assert_eq!(c[5].generated, Some(Generated { expr: "n+1".into(), stored: false }));
        assert_eq!((c[6].name.as_str(), c[6].data_type.as_str()), ("weird col", "\"my type\""));
    }

    #[test]
    fn table_constraints_and_options() {
        let def = parse_create_table(
            "CREATE TABLE IF NOT EXISTS main.t (a INT CONSTRAINT a_ck CHECK (a > 0) REFERENCES p ON DELETE CASCADE \
             DEFERRABLE INITIALLY DEFERRED, b TEXT UNIQUE, c, \
             CONSTRAINT pk PRIMARY KEY (a, b DESC) ON CONFLICT ROLLBACK, UNIQUE (b, c) \
             CHECK (c <> 'x,y') FOREIGN KEY (b, c) REFERENCES \"q\" (x, y) ON UPDATE SET NULL) WITHOUT ROWID, STRICT",
        )
        .unwrap();
        assert!(def.without_rowid && def.strict && !def.autoincrement);
        assert_eq!(
            def.primary_key,
            Some(PrimaryKey {
                name: Some("pk".into()),
                columns: vec!["a".into(), "b".into()],
                on_conflict: Some(ConflictResolution::Rollback)
            })
        );
        assert_eq!(def.checks.len(), 2);
        assert_eq!(def.checks[0].name.as_deref(), Some("a_ck"));
        assert_eq!(def.checks[0].expr, "a > 0");
        assert_eq!(def.checks[1].expr, "c <> 'x,y'");
        assert_eq!(def.uniques.iter().map(|u| u.columns.len()).collect::<Vec<_>>(), vec![1, 2]);
        let fk0 = &def.foreign_keys[0];
        assert_eq!(
            (fk0.name.as_deref(), fk0.on_delete, fk0.deferrable),
            (None, FkAction::Cascade, Deferrable::InitiallyDeferred)
        );
        let fk1 = &def.foreign_keys[1];
        assert_eq!(fk1.ref_table, QualifiedName::bare("q"));
        assert_eq!(fk1.columns, vec!["b", "c"]);
        assert_eq!(fk1.on_update, FkAction::SetNull);
    }

    #[test]
    fn conflict_clauses_of_keys_uniques_and_not_null() {
        let def = parse_create_table(
            "CREATE TABLE t (id INTEGER CONSTRAINT k PRIMARY KEY DESC ON CONFLICT IGNORE AUTOINCREMENT, \
             a TEXT NOT NULL ON CONFLICT REPLACE DEFAULT '' UNIQUE ON CONFLICT FAIL, \
             b NOT NULL ON CONFLICT ABORT NULL ON CONFLICT ROLLBACK, c UNIQUE, \
             UNIQUE (b, c) ON CONFLICT ROLLBACK, CHECK (c > 0) ON CONFLICT IGNORE)",
        )
        .unwrap();
        assert!(def.autoincrement);
        assert_eq!(
            def.primary_key,
            Some(PrimaryKey {
                name: Some("k".into()),
                columns: vec!["id".into()],
                on_conflict: Some(ConflictResolution::Ignore)
            })
        );
        let not_null: Vec<_> = def.columns.iter().map(|c| (c.not_null, c.not_null_on_conflict)).collect();
        assert_eq!(
            not_null,
            vec![(false, None), (true, Some(ConflictResolution::Replace)), (true, None), (false, None)]
        );
        assert_eq!(def.columns[1].default.as_deref(), Some("''"));
        let uniques: Vec<_> = def.uniques.iter().map(|u| (u.columns.join(","), u.on_conflict)).collect();
        assert_eq!(
            uniques,
            vec![
                ("a".to_owned(), Some(ConflictResolution::Fail)),
                ("c".to_owned(), None),
                ("b,c".to_owned(), Some(ConflictResolution::Rollback)),
            ]
        );
        assert_eq!(def.checks.len(), 1);

        let table_key = parse_create_table("CREATE TABLE t (a, b, PRIMARY KEY (a, b) ON CONFLICT REPLACE)").unwrap();
        assert_eq!(table_key.primary_key.and_then(|pk| pk.on_conflict), Some(ConflictResolution::Replace));
        assert!(parse_create_table("CREATE TABLE t (a NOT NULL ON CONFLICT)").is_err());
        assert!(parse_create_table("CREATE TABLE t (a UNIQUE ON CONFLICT NOTHING)").is_err());
    }

    #[test]
    fn table_level_autoincrement_and_errors() {
        let def = parse_create_table("CREATE TABLE t (id INTEGER, PRIMARY KEY (id AUTOINCREMENT))").unwrap();
        assert!(def.autoincrement);
        assert!(parse_create_table("CREATE TABLE t (a INT NOT BOGUS)").is_err());
        assert!(parse_create_table("CREATE TABLE t (a INT").is_err());
        assert!(parse_create_table("CREATE TABLE t (a) WITH ROWID").is_err());
    }
}
