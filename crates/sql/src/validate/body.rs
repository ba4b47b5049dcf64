//! Bodies emit wraps into one statement (view definitions, routine
//! definitions, trigger and event bodies, PostgreSQL rules and statistics)
//! must be exactly one statement, kept byte for byte.
//!
//! A `;` is accepted only where the target's parser cannot end the
//! statement: inside a compound statement (SQLite trigger `BEGIN ... END`;
//! PostgreSQL `BEGIN ATOMIC ... END`) or, for PostgreSQL rules, inside
//! parentheses. MySQL stored programs have a grammar of their own, checked
//! by [`super::program`].
//! Where the reading is ambiguous (a `BEGIN` that might be a column name) the
//! body is refused: refusing a real body is a nuisance, accepting a forged one
//! runs the forger's statements.

use schemasync_model::Dialect;

use super::scan::{Tok, scan};
use crate::split_statements;

/// A view's defining query, written after `CREATE VIEW name AS`.
pub(super) fn view_definition(text: &str, dialect: Dialect) -> Result<(), String> {
    let scanned = scan(text, dialect)?;
    if scanned.ends_in_line_comment && dialect != Dialect::Postgres {
        return Err("a view definition must not end in a line comment".to_owned());
    }
    let tokens = strip_trailing_semicolon(&scanned.tokens, dialect == Dialect::Postgres);
    Machine::new(Mode::Plain).run(tokens)?;
    one_split_statement(&format!("CREATE VIEW v AS {text}"), dialect)
}

/// A PostgreSQL routine's whole `CREATE [OR REPLACE] FUNCTION|PROCEDURE|AGGREGATE ...`.
pub(super) fn pg_routine(text: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::Postgres)?;
    let tokens = strip_trailing_semicolon(&scanned.tokens, true);
    let head = leading_words(tokens);
    let kind_at = if head.get(1).is_some_and(|w| w.eq_ignore_ascii_case("OR")) { 3 } else { 1 };
    let starts_right = head.first().is_some_and(|w| w.eq_ignore_ascii_case("CREATE"))
        && head
            .get(kind_at)
            .is_some_and(|w| ["FUNCTION", "PROCEDURE", "AGGREGATE"].iter().any(|k| w.eq_ignore_ascii_case(k)));
    if !starts_right {
        return Err("a routine definition must be one CREATE FUNCTION, PROCEDURE or AGGREGATE statement".to_owned());
    }
    Machine::new(Mode::PgAtomic).run(tokens)?;
    one_split_statement(text, Dialect::Postgres)
}

/// A PostgreSQL rule (`CREATE RULE ... DO INSTEAD (a; b)`) or extended
/// statistics object: one statement beginning with `CREATE <keyword>`.
pub(super) fn pg_create(text: &str, keyword: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::Postgres)?;
    let tokens = strip_trailing_semicolon(&scanned.tokens, true);
    let head = leading_words(tokens);
    let kind_at = if head.get(1).is_some_and(|w| w.eq_ignore_ascii_case("OR")) { 3 } else { 1 };
    if !(head.first().is_some_and(|w| w.eq_ignore_ascii_case("CREATE"))
        && head.get(kind_at).is_some_and(|w| w.eq_ignore_ascii_case(keyword)))
    {
        return Err(format!("the definition must be one CREATE {keyword} statement"));
    }
    Machine::new(Mode::PgRule).run(tokens)
}

/// A SQLite trigger body (`BEGIN ... END`). MySQL stored programs are
/// checked by [`super::program`].
pub(super) fn sqlite_trigger_body(text: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::Sqlite)?;
    if !scanned.tokens.first().is_some_and(|t| t.is_word("BEGIN")) {
        return Err("a trigger body must be BEGIN ... END".to_owned());
    }
    Machine::new(Mode::SqliteTrigger).run(&scanned.tokens)?;
    one_split_statement(&format!("CREATE TRIGGER t AFTER INSERT ON t FOR EACH ROW {text}"), Dialect::Sqlite)
}

fn strip_trailing_semicolon<'a, 'b>(tokens: &'b [Tok<'a>], allowed: bool) -> &'b [Tok<'a>] {
    match tokens {
        [rest @ .., Tok::Semi] if allowed => rest,
        _ => tokens,
    }
}

fn leading_words<'a>(tokens: &[Tok<'a>]) -> Vec<&'a str> {
    tokens.iter().map_while(|t| if let Tok::Word(w) = t { Some(*w) } else { None }).collect()
}

/// The crate's own splitter must agree that the text is one statement.
fn one_split_statement(sql: &str, dialect: Dialect) -> Result<(), String> {
    match split_statements(sql, dialect) {
        Ok(statements) if statements.len() == 1 => Ok(()),
        Ok(statements) => Err(format!("the text holds {} statements where one was meant", statements.len())),
        Err(e) => Err(e.to_string()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No compound statements: a `;` never belongs to the statement.
    Plain,
    /// `BEGIN ATOMIC ... END` bodies; `CASE ... END` expressions.
    PgAtomic,
    /// Rule actions: `;` separates actions inside parentheses.
    PgRule,
    /// `BEGIN ... END` with `CASE ... END` expressions inside.
    SqliteTrigger,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Paren,
    Bracket,
    Begin,
    CaseExpr,
}

impl Frame {
    /// Whether `;` separates statements inside it.
    fn holds_statements(self) -> bool {
        self == Frame::Begin
    }
}

/// A stack machine over the tokens: parentheses and compound statements.
#[derive(Debug)]
struct Machine {
    mode: Mode,
    stack: Vec<Frame>,
    /// The next token starts a statement (SQLite trigger bodies).
    at_start: bool,
    /// Rules: the token that may open the action list (the `(` right
    /// after a top-level `DO [ALSO | INSTEAD]`).
    rule_actions_at: Option<usize>,
    /// Rules: the depth of the open action list, the only place a `;` may
    /// separate statements.
    rule_actions_depth: Option<usize>,
}

impl Machine {
    fn new(mode: Mode) -> Self {
        let at_start = mode == Mode::SqliteTrigger;
        Machine { mode, stack: Vec::new(), at_start, rule_actions_at: None, rule_actions_depth: None }
    }

    fn top(&self) -> Option<Frame> {
        self.stack.last().copied()
    }

    fn run(mut self, tokens: &[Tok<'_>]) -> Result<(), String> {
        let mut i = 0;
        while i < tokens.len() {
            let prev = i.checked_sub(1).map(|p| tokens[p]);
            // `t.begin`, `@case`: names, not keywords.
            let name_position = prev.is_some_and(|p| p.is_punct(b'.') || p.is_punct(b'@'));
            let was_start = self.at_start;
            self.at_start = false;
            match tokens[i] {
                Tok::Semi => self.semicolon(tokens, i)?,
                Tok::Punct(b'(') => {
                    self.stack.push(Frame::Paren);
                    if self.rule_actions_at == Some(i) {
                        self.rule_actions_depth = Some(self.stack.len());
                    }
                }
                Tok::Punct(b'[') => self.stack.push(Frame::Bracket),
                Tok::Punct(b @ (b')' | b']')) => {
                    let want = if b == b')' { Frame::Paren } else { Frame::Bracket };
                    if self.rule_actions_depth == Some(self.stack.len()) {
                        self.rule_actions_depth = None;
                    }
                    if self.stack.pop() != Some(want) {
                        return Err(format!("'{}' closes something the text did not open", char::from(b)));
                    }
                }
                Tok::Word(w) if !name_position => i = self.word(tokens, i, w, was_start)?,
                _ => {}
            }
            i += 1;
        }
        match self.stack.last() {
            None => Ok(()),
            Some(frame) => Err(format!("the text leaves {} open", describe(*frame))),
        }
    }

    fn semicolon(&mut self, tokens: &[Tok<'_>], i: usize) -> Result<(), String> {
        let inside = match self.top() {
            Some(frame) if frame.holds_statements() => true,
            // `DO [ALSO | INSTEAD] (action; action)`, not the WHERE clause.
            Some(Frame::Paren) if self.mode == Mode::PgRule => {
                self.rule_actions_depth == Some(1) && self.stack.len() == 1
            }
            _ => false,
        };
        if !inside {
            let what =
                if i + 1 == tokens.len() { "a trailing ';'" } else { "';' ends the statement and starts another" };
            return Err(format!("{what}: the text must be one statement"));
        }
        self.at_start = true;
        Ok(())
    }

    /// Handle a word; returns the index of the last token consumed.
    fn word(&mut self, tokens: &[Tok<'_>], i: usize, w: &str, at_start: bool) -> Result<usize, String> {
        let next = tokens.get(i + 1);
        let is = |k: &str| w.eq_ignore_ascii_case(k);
        match self.mode {
            Mode::Plain => Ok(i),
            Mode::PgRule => {
                if is("DO") && self.stack.is_empty() {
                    let skip = next.is_some_and(|t| matches!(t, Tok::Word(k) if k.eq_ignore_ascii_case("ALSO") || k.eq_ignore_ascii_case("INSTEAD")));
                    self.rule_actions_at = Some(if skip { i + 2 } else { i + 1 });
                }
                Ok(i)
            }
            Mode::PgAtomic => {
                if is("CASE") {
                    self.stack.push(Frame::CaseExpr);
                } else if is("BEGIN") && self.stack.is_empty() && next.is_some_and(|n| n.is_word("ATOMIC")) {
                    self.stack.push(Frame::Begin);
                    return Ok(i + 1);
                } else if is("END") {
                    self.close_plain()?;
                }
                Ok(i)
            }
            Mode::SqliteTrigger => {
                if is("CASE") {
                    self.stack.push(Frame::CaseExpr);
                } else if is("BEGIN") && at_start && self.stack.is_empty() {
                    self.stack.push(Frame::Begin);
                    self.at_start = true;
                } else if is("END") {
                    self.close_plain()?;
                }
                Ok(i)
            }
        }
    }

    /// `END` of a SQLite or PostgreSQL body, or of a CASE expression.
    fn close_plain(&mut self) -> Result<(), String> {
        match self.stack.pop() {
            Some(Frame::Begin | Frame::CaseExpr) => Ok(()),
            _ => Err("END closes nothing the text opened".to_owned()),
        }
    }
}

fn describe(frame: Frame) -> &'static str {
    match frame {
        Frame::Paren => "a '('",
        Frame::Bracket => "a '['",
        Frame::Begin => "a BEGIN block",
        Frame::CaseExpr => "a CASE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views() {
        for d in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            view_definition("SELECT 1 AS a, 'x;y' AS b", d).unwrap();
            view_definition("SELECT (SELECT max(x) FROM t) AS m", d).unwrap();
            assert!(view_definition("SELECT 1; DROP TABLE victim", d).is_err(), "{d:?}");
            assert!(view_definition("SELECT 1) ; DROP TABLE victim; --", d).is_err(), "{d:?}");
            assert!(view_definition("SELECT '1", d).is_err(), "{d:?}");
        }
        view_definition(" SELECT t.a\n   FROM t;", Dialect::Postgres).unwrap();
        view_definition("SELECT CASE WHEN a THEN 1 END AS x FROM t", Dialect::Postgres).unwrap();
        assert!(view_definition("SELECT 1;", Dialect::MySql).is_err());
        assert!(view_definition("SELECT 1 -- c", Dialect::MySql).is_err());
    }

    #[test]
    fn postgres_routines() {
        pg_routine("CREATE OR REPLACE FUNCTION app.f(x integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT 1; SELECT $1 $function$\n").unwrap();
        pg_routine("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;").unwrap();
        pg_routine("CREATE AGGREGATE \"s\".\"f\"(*) (\n    SFUNC = int8inc,\n    STYPE = bigint\n)").unwrap();
        for bad in [
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; DROP TABLE victim",
            "CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql RETURN 1; DROP TABLE victim; SELECT CASE WHEN true THEN 1 END",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; DROP TABLE victim",
            "DROP TABLE victim",
            "CREATE FUNCTION f() AS $$ open",
        ] {
            assert!(pg_routine(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn postgres_rules_and_statistics() {
        pg_create(
            "CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2); );",
            "RULE",
        )
        .unwrap();
        pg_create("CREATE STATISTICS app.s (ndistinct) ON a, b FROM app.t", "STATISTICS").unwrap();
        assert!(pg_create("CREATE RULE r AS ON INSERT TO t DO NOTHING; DROP TABLE victim", "RULE").is_err());
        assert!(pg_create("DROP TABLE victim", "STATISTICS").is_err());
        // Found by the snapshot fuzzer: a ';' in the WHERE clause's
        // parentheses, or nested deeper in an action, is not an action separator.
        let in_where = "CREATE RULE r AS ON DELETE TO t WHERE (old.a < '-10';:integer) DO INSTEAD NOTHING";
        assert!(pg_create(in_where, "RULE").is_err());
        let nested = "CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES ((1; DROP TABLE victim)))";
        // A `DO` that does not open the actions (found by the fuzzer: a mangled `ON DELETE`).
        let early_do = "CREATE RULE r AS DO NELETE TO t WHERE (old.a < '-10';:integer) DO INSTEAD NOTHING";
        assert!(pg_create(early_do, "RULE").is_err());
        assert!(pg_create(nested, "RULE").is_err());
    }

    #[test]
    fn sqlite_trigger_bodies() {
        sqlite_trigger_body("BEGIN SELECT RAISE(ABORT, 'no;'); UPDATE t SET a = CASE WHEN 1 THEN 2 END; END").unwrap();
        assert!(
            sqlite_trigger_body(
                "BEGIN SELECT 1; END; DROP TABLE victim; CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END"
            )
            .is_err()
        );
        assert!(sqlite_trigger_body("SELECT 1").is_err());
        assert!(sqlite_trigger_body("BEGIN SELECT end FROM t; END").is_err());
    }
}
