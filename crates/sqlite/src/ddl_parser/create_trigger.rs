//! `CREATE TRIGGER name [BEFORE|AFTER|INSTEAD OF] event ON table
//! [FOR EACH ROW] [WHEN expr] BEGIN ... END`.

use schemasync_model::{TriggerEvent, TriggerTiming};

use super::create_view::identifiers;
use super::cursor::Cursor;
use super::tokenizer::{TokenKind, tokenize};
use super::{ParseError, create_header};

/// What the CREATE TRIGGER text says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TriggerDef {
    pub(crate) name: String,
    pub(crate) timing: TriggerTiming,
    pub(crate) event: TriggerEvent,
    pub(crate) update_columns: Vec<String>,
    pub(crate) table: String,
    pub(crate) when: Option<String>,
    /// `BEGIN ... END`, normalized.
    pub(crate) body: String,
    /// Identifiers of the WHEN clause and the body, for dependency detection.
    pub(crate) identifiers: Vec<String>,
}

/// Parse a stored CREATE TRIGGER statement.
pub(crate) fn parse_create_trigger(sql: &str) -> Result<TriggerDef, ParseError> {
    let toks = tokenize(sql);
    let mut cur = Cursor::new(sql, &toks);
    create_header(&mut cur, "TRIGGER")?;
    let name = cur.qualified_name()?;
    let timing = if cur.eat_kw("BEFORE") {
        TriggerTiming::Before
    } else if cur.eat_kw("AFTER") {
        TriggerTiming::After
    } else if cur.eat_kws(&["INSTEAD", "OF"]) {
        TriggerTiming::InsteadOf
    } else {
        TriggerTiming::Before
    };
    let mut update_columns = Vec::new();
    let event = if cur.eat_kw("INSERT") {
        TriggerEvent::Insert
    } else if cur.eat_kw("DELETE") {
        TriggerEvent::Delete
    } else if cur.eat_kw("UPDATE") {
        if cur.eat_kw("OF") {
            loop {
                update_columns.push(cur.name()?);
                if !cur.eat_kind(TokenKind::Comma) {
                    break;
                }
            }
        }
        TriggerEvent::Update
    } else {
        return Err(cur.unexpected("INSERT, UPDATE or DELETE"));
    };
    cur.expect_kw("ON")?;
    let table = cur.qualified_name()?;
    let _ = cur.eat_kws(&["FOR", "EACH", "ROW"]);
    let when_start = cur.pos;
    let when = if cur.eat_kw("WHEN") {
        let expr_start = cur.pos;
        skip_to_begin(&mut cur)?;
        Some(cur.text(expr_start..cur.pos))
    } else {
        None
    };
    if !cur.peek_kw("BEGIN") {
        return Err(cur.unexpected("BEGIN"));
    }
    let body = cur.text(cur.pos..toks.len());
    let identifiers = identifiers(sql, toks.get(when_start..).unwrap_or(&[]));
    Ok(TriggerDef { name, timing, event, update_columns, table, when, body, identifiers })
}

/// Move to the `BEGIN` that ends a WHEN expression (BEGIN never occurs inside one).
fn skip_to_begin(cur: &mut Cursor<'_>) -> Result<(), ParseError> {
    let mut depth = 0usize;
    while let Some(tok) = cur.peek() {
        match tok.kind {
            TokenKind::LParen => depth += 1,
            TokenKind::RParen => depth = depth.saturating_sub(1),
            _ if depth == 0 && tok.is_kw(cur.src, "BEGIN") => return Ok(()),
            _ => {}
        }
        cur.advance();
    }
    Err(cur.unexpected("BEGIN"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_trigger() {
        let def = parse_create_trigger(
            "CREATE TRIGGER \"trg\" AFTER UPDATE OF \"a\", b ON \"t\" FOR EACH ROW WHEN (new.a > 0) AND old.b IS NULL\n\
             BEGIN\n  INSERT INTO \"log\" VALUES (new.a);\n  DELETE FROM x;\nEND",
        )
        .unwrap();
        assert_eq!(def.name, "trg");
        assert_eq!(def.timing, TriggerTiming::After);
        assert_eq!(def.event, TriggerEvent::Update);
        assert_eq!(def.update_columns, vec!["a", "b"]);
        assert_eq!(def.table, "t");
        assert_eq!(def.when.as_deref(), Some("(new.a > 0) AND old.b IS NULL"));
        assert_eq!(def.body, "BEGIN INSERT INTO \"log\" VALUES (new.a); DELETE FROM x; END");
        assert!(def.identifiers.contains(&"log".to_owned()));
    }

    #[test]
    fn defaults_and_instead_of() {
        let def = parse_create_trigger("CREATE TRIGGER t1 DELETE ON t BEGIN SELECT 1; END").unwrap();
        assert_eq!((def.timing, def.event, def.when.clone()), (TriggerTiming::Before, TriggerEvent::Delete, None));
        let def = parse_create_trigger("CREATE TRIGGER t2 INSTEAD OF INSERT ON v BEGIN SELECT 1; END").unwrap();
        assert_eq!(def.timing, TriggerTiming::InsteadOf);
        assert!(parse_create_trigger("CREATE TRIGGER t3 AFTER TRUNCATE ON t BEGIN END").is_err());
    }
}
