//! Bodies emit wraps into one statement (view definitions, routine
//! definitions, trigger and event bodies, PostgreSQL rules and statistics)
//! must be exactly one statement, kept byte for byte.
//!
//! A `;` is accepted only where the target's parser cannot end the
//! statement: inside a compound statement (MySQL `BEGIN ... END`, `IF`,
//! `CASE`, loops; SQLite trigger `BEGIN ... END`; PostgreSQL
//! `BEGIN ATOMIC ... END`) or, for PostgreSQL rules, inside parentheses.
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

/// A MySQL routine's whole `CREATE [DEFINER=...] FUNCTION|PROCEDURE ... <body>`.
pub(super) fn mysql_routine(text: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::MySql)?;
    let body = mysql_routine_body(&scanned.tokens)?;
    Machine::new(Mode::MySqlProgram).run(body)
}

/// A MySQL trigger or event body (after `FOR EACH ROW` / `DO`), or a SQLite
/// trigger body (`BEGIN ... END`).
pub(super) fn program_body(text: &str, dialect: Dialect) -> Result<(), String> {
    let scanned = scan(text, dialect)?;
    match dialect {
        Dialect::Sqlite => {
            if !scanned.tokens.first().is_some_and(|t| t.is_word("BEGIN")) {
                return Err("a trigger body must be BEGIN ... END".to_owned());
            }
            Machine::new(Mode::SqliteTrigger).run(&scanned.tokens)?;
            one_split_statement(&format!("CREATE TRIGGER t AFTER INSERT ON t FOR EACH ROW {text}"), dialect)
        }
        _ => Machine::new(Mode::MySqlProgram).run(&scanned.tokens),
    }
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

/// The tokens of a MySQL routine's body, after its head
/// `CREATE [OR REPLACE] [DEFINER = account] [AGGREGATE] FUNCTION|PROCEDURE
/// [IF NOT EXISTS] name (params) [RETURNS type] [characteristics]`.
fn mysql_routine_body<'a, 'b>(tokens: &'b [Tok<'a>]) -> Result<&'b [Tok<'a>], String> {
    let refuse = || "a routine definition must be one CREATE FUNCTION or PROCEDURE statement".to_owned();
    let mut i = 0;
    let word_at = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    if !word_at(0, "CREATE") {
        return Err(refuse());
    }
    i += 1;
    if word_at(i, "OR") && word_at(i + 1, "REPLACE") {
        i += 2;
    }
    if word_at(i, "DEFINER") {
        i += 1;
        if !tokens.get(i).is_some_and(|t| t.is_punct(b'=')) {
            return Err(refuse());
        }
        i += 1;
        // The account: a user, `@`, a host, each bare or quoted, or CURRENT_USER[()].
        while let Some(t) = tokens.get(i) {
            let account = matches!(t, Tok::Ident(_) | Tok::Str(_) | Tok::Punct(b'@' | b'.' | b'%' | b'-'))
                || matches!(t, Tok::Word(w) if !["AGGREGATE", "FUNCTION", "PROCEDURE"].iter().any(|k| w.eq_ignore_ascii_case(k)))
                || (t.is_punct(b'(') && tokens.get(i + 1).is_some_and(|n| n.is_punct(b')')));
            if !account {
                break;
            }
            i += if t.is_punct(b'(') { 2 } else { 1 };
        }
    }
    if word_at(i, "AGGREGATE") {
        i += 1;
    }
    if !(word_at(i, "FUNCTION") || word_at(i, "PROCEDURE")) {
        return Err(refuse());
    }
    i += 1;
    if word_at(i, "IF") && word_at(i + 1, "NOT") && word_at(i + 2, "EXISTS") {
        i += 3;
    }
    // The name, then the parameter list.
    while tokens.get(i).is_some_and(|t| matches!(t, Tok::Word(_) | Tok::Ident(_) | Tok::Punct(b'.'))) {
        i += 1;
    }
    i = skip_group(tokens, i).ok_or_else(refuse)?;
    if word_at(i, "RETURNS") {
        i += 1;
        if !matches!(tokens.get(i), Some(Tok::Word(_) | Tok::Ident(_))) {
            return Err(refuse());
        }
        i += 1;
        if tokens.get(i).is_some_and(|t| t.is_punct(b'(')) {
            i = skip_group(tokens, i).ok_or_else(refuse)?;
        }
        loop {
            if ["UNSIGNED", "SIGNED", "ZEROFILL", "BINARY"].iter().any(|w| word_at(i, w)) {
                i += 1;
            } else if word_at(i, "CHARSET") || word_at(i, "COLLATE") {
                i += 2;
            } else if word_at(i, "CHARACTER") && word_at(i + 1, "SET") {
                i += 3;
            } else {
                break;
            }
        }
    }
    loop {
        let two = |a: &str, b: &str| word_at(i, a) && word_at(i + 1, b);
        let comment = word_at(i, "COMMENT") && matches!(tokens.get(i + 1), Some(Tok::Str(_)));
        let pair = two("LANGUAGE", "SQL") || two("NOT", "DETERMINISTIC") || two("CONTAINS", "SQL") || two("NO", "SQL");
        let data = (word_at(i, "READS") || word_at(i, "MODIFIES")) && word_at(i + 1, "SQL") && word_at(i + 2, "DATA");
        let security = two("SQL", "SECURITY") && (word_at(i + 2, "DEFINER") || word_at(i + 2, "INVOKER"));
        if comment || pair {
            i += 2;
        } else if word_at(i, "DETERMINISTIC") {
            i += 1;
        } else if data || security {
            i += 3;
        } else {
            break;
        }
    }
    if tokens[..i.min(tokens.len())].contains(&Tok::Semi) || i >= tokens.len() {
        return Err(refuse());
    }
    Ok(&tokens[i..])
}

/// The index after the balanced group opening at `open`.
fn skip_group(tokens: &[Tok<'_>], open: usize) -> Option<usize> {
    if !tokens.get(open)?.is_punct(b'(') {
        return None;
    }
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
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
    /// MySQL stored-program compound statements.
    MySqlProgram,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Paren,
    Bracket,
    Begin,
    CaseExpr,
    CaseStmt,
    If,
    Loop,
    While,
    Repeat,
}

impl Frame {
    /// Whether `;` separates statements inside it.
    fn holds_statements(self) -> bool {
        matches!(self, Frame::Begin | Frame::CaseStmt | Frame::If | Frame::Loop | Frame::While | Frame::Repeat)
    }

    /// The word after `END` that closes it (`END IF`), if any.
    fn end_word(self) -> Option<&'static str> {
        match self {
            Frame::CaseStmt => Some("CASE"),
            Frame::If => Some("IF"),
            Frame::Loop => Some("LOOP"),
            Frame::While => Some("WHILE"),
            Frame::Repeat => Some("REPEAT"),
            _ => None,
        }
    }
}

/// Words that can open a statement right after a MySQL `BEGIN`: what tells a
/// compound statement from a column called `begin`.
const MYSQL_STATEMENT_WORDS: &[&str] = &[
    "END",
    "DECLARE",
    "SELECT",
    "SET",
    "INSERT",
    "UPDATE",
    "DELETE",
    "REPLACE",
    "CALL",
    "IF",
    "CASE",
    "WHILE",
    "LOOP",
    "REPEAT",
    "LEAVE",
    "ITERATE",
    "RETURN",
    "SIGNAL",
    "RESIGNAL",
    "OPEN",
    "FETCH",
    "CLOSE",
    "BEGIN",
    "NOT",
    "START",
    "COMMIT",
    "ROLLBACK",
    "CREATE",
    "DROP",
    "ALTER",
    "TRUNCATE",
    "PREPARE",
    "EXECUTE",
    "DEALLOCATE",
    "GET",
    "WITH",
    "VALUES",
    "FLUSH",
    "ANALYZE",
    "OPTIMIZE",
    "RENAME",
    "GRANT",
    "REVOKE",
    "KILL",
    "SHOW",
    "LOAD",
    "SAVEPOINT",
    "RELEASE",
    "DO",
    "XA",
    "HANDLER",
    "ATOMIC",
];

/// Whether `before` ends with `HANDLER FOR <conditions>`, so that a `BEGIN`
/// after it opens the handler's body (`DECLARE EXIT HANDLER FOR SQLSTATE
/// '23000', 1062 BEGIN`).
fn opens_handler_body(before: &[Tok<'_>]) -> bool {
    let mut rest = before;
    let mut conditions = 0;
    while let [head @ .., last] = rest {
        match last {
            Tok::Word(w) if w.eq_ignore_ascii_case("FOR") => {
                return conditions > 0 && head.last().is_some_and(|t| t.is_word("HANDLER"));
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("HANDLER") => return false,
            Tok::Word(_) | Tok::Str(_) | Tok::Punct(b',') => conditions += 1,
            _ => return false,
        }
        rest = head;
    }
    false
}

/// A stack machine over the tokens: parentheses and compound statements.
#[derive(Debug)]
struct Machine {
    mode: Mode,
    stack: Vec<Frame>,
    /// The next token starts a statement (MySQL programs).
    at_start: bool,
    /// Rules: the top-level `DO` was seen, so a parenthesis now opens the
    /// action list, the only place a `;` may separate statements.
    rule_actions: bool,
}

impl Machine {
    fn new(mode: Mode) -> Self {
        let at_start = matches!(mode, Mode::MySqlProgram | Mode::SqliteTrigger);
        Machine { mode, stack: Vec::new(), at_start, rule_actions: false }
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
                Tok::Punct(b'(') => self.stack.push(Frame::Paren),
                Tok::Punct(b'[') => self.stack.push(Frame::Bracket),
                Tok::Punct(b @ (b')' | b']')) => {
                    let want = if b == b')' { Frame::Paren } else { Frame::Bracket };
                    if self.stack.pop() != Some(want) {
                        return Err(format!("'{}' closes something the text did not open", char::from(b)));
                    }
                }
                // After a label (`l: LOOP`) a statement starts; `:=` is reset by the `=`.
                Tok::Punct(b':') if self.mode == Mode::MySqlProgram => self.at_start = true,
                Tok::Word(w) if !name_position => i = self.word(tokens, i, w, was_start, prev)?,
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
            Some(Frame::Paren) if self.mode == Mode::PgRule => self.rule_actions && self.stack.len() == 1,
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
    fn word(
        &mut self,
        tokens: &[Tok<'_>],
        i: usize,
        w: &str,
        at_start: bool,
        prev: Option<Tok<'_>>,
    ) -> Result<usize, String> {
        let next = tokens.get(i + 1);
        let is = |k: &str| w.eq_ignore_ascii_case(k);
        match self.mode {
            Mode::Plain => Ok(i),
            Mode::PgRule => {
                if is("DO") && self.stack.is_empty() {
                    self.rule_actions = true;
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
            Mode::MySqlProgram => self.mysql_word(tokens, i, w, at_start, prev),
        }
    }

    /// `END` of a SQLite or PostgreSQL body, or of a CASE expression.
    fn close_plain(&mut self) -> Result<(), String> {
        match self.stack.pop() {
            Some(Frame::Begin | Frame::CaseExpr) => Ok(()),
            _ => Err("END closes nothing the text opened".to_owned()),
        }
    }

    fn mysql_word(
        &mut self,
        tokens: &[Tok<'_>],
        i: usize,
        w: &str,
        at_start: bool,
        prev: Option<Tok<'_>>,
    ) -> Result<usize, String> {
        let is = |k: &str| w.eq_ignore_ascii_case(k);
        let next = tokens.get(i + 1);
        let in_statements = self.top().is_none_or(Frame::holds_statements);
        if is("BEGIN") {
            let handler = prev.is_some() && opens_handler_body(&tokens[..i]);
            let opens_statement = next.is_none_or(|n| match n {
                Tok::Word(nw) => {
                    MYSQL_STATEMENT_WORDS.iter().any(|k| nw.eq_ignore_ascii_case(k))
                        || tokens.get(i + 2).is_some_and(|t| t.is_punct(b':'))
                }
                Tok::Punct(b'(') => true,
                _ => false,
            });
            if !((at_start || handler) && in_statements && opens_statement) {
                return Err("`BEGIN` here could be a name or a block: quote the name".to_owned());
            }
            self.stack.push(Frame::Begin);
            self.at_start = true;
            // MariaDB `BEGIN NOT ATOMIC`.
            if next.is_some_and(|n| n.is_word("NOT")) && tokens.get(i + 2).is_some_and(|t| t.is_word("ATOMIC")) {
                return Ok(i + 2);
            }
            return Ok(i);
        }
        if is("CASE") {
            self.stack.push(if at_start && in_statements { Frame::CaseStmt } else { Frame::CaseExpr });
            return Ok(i);
        }
        let opener = [("IF", Frame::If), ("LOOP", Frame::Loop), ("WHILE", Frame::While), ("REPEAT", Frame::Repeat)]
            .into_iter()
            .find(|(k, _)| is(k));
        if let Some((_, frame)) = opener
            && at_start
            && in_statements
        {
            self.stack.push(frame);
            self.at_start = matches!(frame, Frame::Loop | Frame::Repeat);
            return Ok(i);
        }
        if is("END") {
            return self.mysql_end(tokens, i);
        }
        let branch = (is("THEN") || is("ELSE")) && matches!(self.top(), Some(Frame::If | Frame::CaseStmt));
        let loop_body = is("DO") && self.top() == Some(Frame::While);
        if branch || loop_body {
            self.at_start = true;
        }
        Ok(i)
    }

    fn mysql_end(&mut self, tokens: &[Tok<'_>], i: usize) -> Result<usize, String> {
        let frame = self.stack.pop().ok_or("END closes nothing the text opened")?;
        let next = tokens.get(i + 1);
        let closing_word =
            ["CASE", "IF", "LOOP", "WHILE", "REPEAT"].into_iter().find(|k| next.is_some_and(|n| n.is_word(k)));
        match (frame, frame.end_word(), closing_word) {
            (Frame::Begin | Frame::CaseExpr, None, None) => Ok(i),
            (_, Some(want), Some(got)) if want == got => Ok(i + 1),
            _ => Err(format!(
                "END{} does not close {}",
                closing_word.map(|w| format!(" {w}")).unwrap_or_default(),
                describe(frame)
            )),
        }
    }
}

fn describe(frame: Frame) -> &'static str {
    match frame {
        Frame::Paren => "a '('",
        Frame::Bracket => "a '['",
        Frame::Begin => "a BEGIN block",
        Frame::CaseExpr | Frame::CaseStmt => "a CASE",
        Frame::If => "an IF",
        Frame::Loop => "a LOOP",
        Frame::While => "a WHILE",
        Frame::Repeat => "a REPEAT",
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
        assert!(pg_create(nested, "RULE").is_err());
    }

    #[test]
    fn mysql_routines() {
        let ok = [
            "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN a INT)\nBEGIN\n  DECLARE x INT DEFAULT 0;\n  IF a > 0 THEN SET x = 1; ELSEIF a < 0 THEN SET x = -1; ELSE SET x = 0; END IF;\n  CASE x WHEN 1 THEN SELECT 'one'; ELSE BEGIN END; END CASE;\n  l: LOOP LEAVE l; END LOOP l;\n  WHILE x < 3 DO SET x = x + 1; END WHILE;\n  REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT;\n  SELECT CASE WHEN x THEN 1 ELSE 2 END, IF(x, 1, 2), REPEAT('a', 2);\nEND",
            "CREATE DEFINER=`root`@`%` FUNCTION `f`(a INT) RETURNS int(11)\n    DETERMINISTIC\nRETURN a + 1",
            "CREATE FUNCTION f() RETURNS varchar(10) CHARSET utf8mb4 COLLATE utf8mb4_bin NO SQL COMMENT 'c;' BEGIN RETURN 'x;'; END",
            "CREATE PROCEDURE p() BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; END; DECLARE EXIT HANDLER FOR SQLSTATE '23000' BEGIN END; DROP TABLE IF EXISTS t; END",
            "CREATE PROCEDURE p() BEGIN NOT ATOMIC SELECT 1; END",
        ];
        for text in ok {
            mysql_routine(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
        let bad = [
            "CREATE PROCEDURE p() SELECT 1; DROP TABLE victim",
            "CREATE PROCEDURE p() BEGIN SELECT 1; END; DROP TABLE victim",
            "CREATE PROCEDURE p() UPDATE (SELECT 1 a) begin SET a = 1; DROP TABLE victim; END",
            "CREATE PROCEDURE p() BEGIN SELECT 1 begin SELECT 2; END; DROP TABLE victim; END",
            "CREATE PROCEDURE p() BEGIN SET @case = 1; END; DROP TABLE victim; CASE WHEN 1 THEN 1 END",
            "CREATE PROCEDURE p() BEGIN SELECT 'a\\'; END; DROP TABLE victim",
            "CREATE PROCEDURE p() BEGIN SELECT 1; END IF; DROP TABLE victim; END",
            "CREATE PROCEDURE p() BEGIN /*! SELECT 1; */ END",
            "DROP TABLE victim",
            "CREATE TABLE t (a int)",
        ];
        for text in bad {
            assert!(mysql_routine(text).is_err(), "{text}");
        }
    }

    #[test]
    fn trigger_and_event_bodies() {
        program_body("BEGIN SELECT RAISE(ABORT, 'no;'); UPDATE t SET a = CASE WHEN 1 THEN 2 END; END", Dialect::Sqlite)
            .unwrap();
        assert!(
            program_body(
                "BEGIN SELECT 1; END; DROP TABLE victim; CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END",
                Dialect::Sqlite
            )
            .is_err()
        );
        assert!(program_body("SELECT 1", Dialect::Sqlite).is_err());
        assert!(program_body("BEGIN SELECT end FROM t; END", Dialect::Sqlite).is_err());
        program_body("SET NEW.a = 1", Dialect::MySql).unwrap();
        program_body("BEGIN SET NEW.begin = 1; IF NEW.a > 0 THEN SET NEW.b = 2; END IF; END", Dialect::MySql).unwrap();
        program_body("DELETE FROM t WHERE d < now() - INTERVAL 1 DAY", Dialect::MySql).unwrap();
        for bad in [
            "SET NEW.a = 1; DROP TABLE victim",
            "BEGIN END; DROP TABLE victim",
            "BEGIN SELECT 1; END; DROP TABLE victim; BEGIN SELECT 1; END",
        ] {
            assert!(program_body(bad, Dialect::MySql).is_err(), "{bad}");
        }
    }
}
