//! Clauses shared by column and table constraints: REFERENCES, deferrability,
//! ON CONFLICT, column name lists.

use schemasync_model::{ConflictResolution, Deferrable, FkAction, FkMatch, ForeignKey, QualifiedName};

use super::ParseError;
use super::cursor::{Cursor, split_commas};
use super::tokenizer::TokenKind;

/// An optional `ON CONFLICT <resolution>`. ABORT, SQLite's default, reads
/// as `None` like an absent clause: the two behave the same.
pub(crate) fn conflict_clause(cur: &mut Cursor<'_>) -> Result<Option<ConflictResolution>, ParseError> {
    if !cur.eat_kws(&["ON", "CONFLICT"]) {
        return Ok(None);
    }
    let resolution = if cur.eat_kw("ROLLBACK") {
        Some(ConflictResolution::Rollback)
    } else if cur.eat_kw("ABORT") {
        None
    } else if cur.eat_kw("FAIL") {
        Some(ConflictResolution::Fail)
    } else if cur.eat_kw("IGNORE") {
        Some(ConflictResolution::Ignore)
    } else if cur.eat_kw("REPLACE") {
        Some(ConflictResolution::Replace)
    } else {
        return Err(cur.unexpected("ROLLBACK, ABORT, FAIL, IGNORE or REPLACE"));
    };
    Ok(resolution)
}

/// `(a, b COLLATE x DESC, ...)`: the names only. The first token of each
/// element is the name; ordering and collation of key columns are not modelled.
pub(crate) fn name_list(cur: &mut Cursor<'_>) -> Result<Vec<String>, ParseError> {
    let inner = cur.group()?;
    let mut names = Vec::new();
    for part in split_commas(cur.toks, inner) {
        let mut sub = cur.sub(part);
        names.push(sub.name()?);
    }
    Ok(names)
}

/// `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`, if next.
pub(crate) fn deferrable(cur: &mut Cursor<'_>) -> Option<Deferrable> {
    if cur.eat_kws(&["NOT", "DEFERRABLE"]) {
        let _ = cur.eat_kws(&["INITIALLY", "DEFERRED"]) || cur.eat_kws(&["INITIALLY", "IMMEDIATE"]);
        return Some(Deferrable::NotDeferrable);
    }
    if cur.eat_kw("DEFERRABLE") {
        if cur.eat_kws(&["INITIALLY", "DEFERRED"]) {
            return Some(Deferrable::InitiallyDeferred);
        }
        let _ = cur.eat_kws(&["INITIALLY", "IMMEDIATE"]);
        return Some(Deferrable::InitiallyImmediate);
    }
    None
}

fn action(cur: &mut Cursor<'_>) -> Result<FkAction, ParseError> {
    if cur.eat_kws(&["SET", "NULL"]) {
        Ok(FkAction::SetNull)
    } else if cur.eat_kws(&["SET", "DEFAULT"]) {
        Ok(FkAction::SetDefault)
    } else if cur.eat_kw("CASCADE") {
        Ok(FkAction::Cascade)
    } else if cur.eat_kw("RESTRICT") {
        Ok(FkAction::Restrict)
    } else if cur.eat_kws(&["NO", "ACTION"]) {
        Ok(FkAction::NoAction)
    } else {
        Err(cur.unexpected("a foreign key action"))
    }
}

/// After `REFERENCES`: `table [(cols)] [ON DELETE|UPDATE action | MATCH name]* [deferrable]`.
pub(crate) fn references(
    cur: &mut Cursor<'_>,
    name: Option<String>,
    columns: Vec<String>,
) -> Result<ForeignKey, ParseError> {
    let ref_table = cur.name()?;
    let ref_columns = if cur.peek_kind(TokenKind::LParen) { name_list(cur)? } else { Vec::new() };
    let mut fk = ForeignKey {
        name,
        columns,
        ref_table: QualifiedName::bare(ref_table),
        ref_columns,
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_type: FkMatch::Simple,
        deferrable: Deferrable::NotDeferrable,
        not_valid: false,
        comment: None,
    };
    loop {
        if cur.eat_kws(&["ON", "DELETE"]) {
            fk.on_delete = action(cur)?;
        } else if cur.eat_kws(&["ON", "UPDATE"]) {
            fk.on_update = action(cur)?;
        } else if cur.eat_kws(&["ON", "INSERT"]) {
            // Accepted and ignored by SQLite.
            action(cur)?;
        } else if cur.eat_kw("MATCH") {
            // SQLite parses MATCH but always behaves as MATCH SIMPLE.
            cur.name()?;
        } else if let Some(d) = deferrable(cur) {
            fk.deferrable = d;
        } else {
            return Ok(fk);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl_parser::tokenizer::tokenize;

    fn fk(src: &str) -> ForeignKey {
        let toks = tokenize(src);
        let mut cur = Cursor::new(src, &toks);
        let fk = references(&mut cur, None, vec!["a".into()]).unwrap();
        assert!(cur.at_end(), "left over in {src}");
        fk
    }

    fn conflict(src: &str) -> Result<Option<ConflictResolution>, ParseError> {
        let toks = tokenize(src);
        let mut cur = Cursor::new(src, &toks);
        let resolution = conflict_clause(&mut cur)?;
        assert!(cur.at_end(), "left over in {src}");
        Ok(resolution)
    }

    #[test]
    fn conflict_clauses() {
        assert_eq!(conflict(""), Ok(None));
        assert_eq!(conflict("ON CONFLICT ABORT"), Ok(None));
        assert_eq!(conflict("on conflict rollback"), Ok(Some(ConflictResolution::Rollback)));
        assert_eq!(conflict("ON CONFLICT FAIL"), Ok(Some(ConflictResolution::Fail)));
        assert_eq!(conflict("ON  CONFLICT\nIgnore"), Ok(Some(ConflictResolution::Ignore)));
        assert_eq!(conflict("ON CONFLICT REPLACE"), Ok(Some(ConflictResolution::Replace)));
        assert!(conflict("ON CONFLICT").is_err());
        assert!(conflict("ON CONFLICT UPDATE").is_err());
        assert!(conflict("ON CONFLICT 'replace'").is_err());
    }

    #[test]
    fn references_clause() {
        let f = fk(r#""p q"("x", y) ON DELETE SET NULL ON UPDATE CASCADE MATCH FULL DEFERRABLE INITIALLY DEFERRED"#);
        assert_eq!(f.ref_table, QualifiedName::bare("p q"));
        assert_eq!(f.ref_columns, vec!["x", "y"]);
        assert_eq!(f.on_delete, FkAction::SetNull);
        assert_eq!(f.on_update, FkAction::Cascade);
        assert_eq!(f.match_type, FkMatch::Simple);
        assert_eq!(f.deferrable, Deferrable::InitiallyDeferred);
        let g = fk("p NOT DEFERRABLE INITIALLY DEFERRED");
        assert!(g.ref_columns.is_empty());
        assert_eq!(g.deferrable, Deferrable::NotDeferrable);
        assert_eq!(fk("p ON DELETE NO ACTION DEFERRABLE").deferrable, Deferrable::InitiallyImmediate);
        assert_eq!(fk("p ON UPDATE RESTRICT").on_update, FkAction::Restrict);
        assert_eq!(fk("p ON DELETE SET DEFAULT").on_delete, FkAction::SetDefault);
    }
}
