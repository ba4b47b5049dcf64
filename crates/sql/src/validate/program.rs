//! MySQL/MariaDB stored programs: a routine's whole `CREATE FUNCTION |
//! PROCEDURE`, a trigger body (after `FOR EACH ROW`) or an event body (after
//! `DO`) must be exactly one statement when the server reads it.
//!
//! The server ends a statement only at a `;` its grammar reads outside every
//! compound statement, so the check is a parser of the compound-statement
//! grammar (`sp_proc_stmt`):
//!
//! ```text
//! statement := [label ':'] BEGIN [NOT ATOMIC] (statement ';')* END [label]
//!            | IF expr THEN list (ELSEIF expr THEN list)* [ELSE list] END IF
//!            | CASE [expr] (WHEN expr THEN list)+ [ELSE list] END CASE
//!            | [label ':'] LOOP list END LOOP [label]
//!            | [label ':'] WHILE expr DO list END WHILE [label]
//!            | [label ':'] REPEAT list UNTIL expr END REPEAT [label]
//!            | [label ':'] FOR head DO list END FOR [label]          (MariaDB)
//!            | DECLARE (CONTINUE | EXIT | UNDO) HANDLER FOR condition (',' condition)* statement
//!            | simple statement (tokens up to the next ';' outside parentheses and CASE expressions)
//! list      := (statement ';')*
//! ```
//!
//! The server closes a compound statement only with an `END` right after a
//! `;` (or right after `BEGIN`), or, for `REPEAT`, with `END REPEAT` after its
//! `UNTIL` condition; anywhere else an `END` closes a `CASE` expression or
//! is a name (MySQL and MariaDB do not reserve `END`, `BEGIN`, `LOOP`, ...).
//! The parser reads them the same way, and where it cannot tell the two
//! apart (an unquoted `end` as an operand inside a `CASE` expression) it
//! refuses: a real body that quotes the name passes, and a forged one never
//! gets a `;` past the server's top level.

use super::scan::{Scanned, Tok, identifier_text, scan_mysql};

/// How the object's `sql_mode` makes the server read the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MySqlLexing {
    ansi_quotes: bool,
    backslash_escapes: bool,
}

impl Default for MySqlLexing {
    /// The apply session's mode (no ANSI_QUOTES, backslash escapes on), used
    /// when the object records no mode of its own.
    fn default() -> Self {
        MySqlLexing { ansi_quotes: false, backslash_escapes: true }
    }
}

/// MariaDB's combination modes that include ANSI_QUOTES (MySQL 8 has only `ANSI`).
const ANSI_QUOTES_MODES: &[&str] = &["ANSI_QUOTES", "ANSI", "DB2", "MAXDB", "POSTGRESQL"];

/// Modes under which MariaDB reads stored programs with another grammar or
/// other quotes (`ORACLE`: PL/SQL blocks; `MSSQL`: `[name]` identifiers),
/// which this check does not model.
const UNSUPPORTED_MODES: &[&str] = &["ORACLE", "MSSQL"];

impl MySqlLexing {
    /// The lexing of a session running under `sql_mode` (as emit sets it
    /// before creating the object).
    pub(super) fn of(sql_mode: Option<&str>) -> Result<Self, String> {
        let Some(mode) = sql_mode else { return Ok(MySqlLexing::default()) };
        let flags: Vec<&str> = mode.split(',').map(str::trim).collect();
        let has = |names: &[&str]| flags.iter().any(|f| names.iter().any(|n| f.eq_ignore_ascii_case(n)));
        if let Some(flag) = flags.iter().find(|f| UNSUPPORTED_MODES.iter().any(|n| f.eq_ignore_ascii_case(n))) {
            return Err(format!(
                "sql_mode {flag} makes the server read stored programs with a grammar this check does not know"
            ));
        }
        Ok(MySqlLexing { ansi_quotes: has(ANSI_QUOTES_MODES), backslash_escapes: !has(&["NO_BACKSLASH_ESCAPES"]) })
    }

    pub(super) fn scan(self, text: &str) -> Result<Scanned<'_>, String> {
        scan_mysql(text, self.ansi_quotes, self.backslash_escapes)
    }
}

/// A MySQL routine's whole `CREATE [DEFINER=...] FUNCTION|PROCEDURE ... <body>`.
pub(super) fn mysql_routine(text: &str, lexing: MySqlLexing) -> Result<(), String> {
    let scanned = lexing.scan(text)?;
    refuse_client_commands(text, &scanned)?;
    let start = routine_body_start(&scanned.tokens)?;
    Parser::new(text, &scanned, start).program()
}

/// A MySQL trigger body (after `FOR EACH ROW`) or event body (after `DO`).
pub(super) fn mysql_program_body(text: &str, lexing: MySqlLexing) -> Result<(), String> {
    let scanned = lexing.scan(text)?;
    refuse_client_commands(text, &scanned)?;
    Parser::new(text, &scanned, 0).program()
}

/// A whole statement as a session reads it at the top level: exactly one
/// statement ([`super::check_mysql_statement`]). A `;` is accepted only
/// inside the compound statements of a stored program's body, after the
/// head of a `CREATE FUNCTION | PROCEDURE | TRIGGER | EVENT`; anywhere else
/// (including a top-level `BEGIN`, which MySQL reads as the start of a
/// transaction) it ends the statement.
pub(super) fn mysql_statement(text: &str, lexing: MySqlLexing) -> Result<(), String> {
    let scanned = lexing.scan(text)?;
    if scanned.tokens.is_empty() {
        return Err("the text holds no statement".to_owned());
    }
    // The server ends a statement only at a `;`.
    if !scanned.tokens.contains(&Tok::Semi) {
        return Ok(());
    }
    let head = Parser::new(text, &scanned, 0);
    let start = match created_program(&scanned.tokens) {
        Some(Created::Routine) => routine_body_start(&scanned.tokens)?,
        Some(Created::Trigger) => head.trigger_body_start()?,
        Some(Created::Event) => head.event_body_start()?,
        None => return Err("';' ends the statement and starts another: the text must be one statement".to_owned()),
    };
    Parser::new(text, &scanned, start).program()
}

/// The stored programs whose body may hold `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Created {
    Routine,
    Trigger,
    Event,
}

/// What `CREATE [OR REPLACE] [DEFINER = account] [AGGREGATE]
/// FUNCTION|PROCEDURE|TRIGGER|EVENT` creates, when the tokens start so.
fn created_program(tokens: &[Tok<'_>]) -> Option<Created> {
    let word_at = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    if !word_at(0, "CREATE") {
        return None;
    }
    let mut i = 1;
    if word_at(i, "OR") && word_at(i + 1, "REPLACE") {
        i += 2;
    }
    if word_at(i, "DEFINER") {
        if !tokens.get(i + 1).is_some_and(|t| t.is_punct(b'=')) {
            return None;
        }
        i = skip_account(tokens, i + 2, &["AGGREGATE", "FUNCTION", "PROCEDURE", "TRIGGER", "EVENT"]);
    }
    if word_at(i, "AGGREGATE") {
        return word_at(i + 1, "FUNCTION").then_some(Created::Routine);
    }
    if word_at(i, "FUNCTION") || word_at(i, "PROCEDURE") {
        Some(Created::Routine)
    } else if word_at(i, "TRIGGER") {
        Some(Created::Trigger)
    } else if word_at(i, "EVENT") {
        Some(Created::Event)
    } else {
        None
    }
}

/// Text the `mysql` client would act on if the statement ever went through
/// it: a `DELIMITER` line, or a backslash command (`\g`, `\.`, `\!`) outside
/// quotes. The server never needs either in a stored program.
fn refuse_client_commands(text: &str, scanned: &Scanned<'_>) -> Result<(), String> {
    let mut previous_end = 0;
    for (i, (token, &(start, end))) in scanned.tokens.iter().zip(&scanned.spans).enumerate() {
        // Only whitespace or comments between the previous token and this
        // one, with a line break among them: the token starts its line.
        let first_on_line = i == 0 || text[previous_end..start].contains('\n');
        if token.is_word("DELIMITER") && first_on_line {
            return Err("a DELIMITER line is a mysql client command, not SQL".to_owned());
        }
        if token.is_punct(b'\\') {
            return Err("a backslash outside a string is a mysql client command".to_owned());
        }
        previous_end = end;
    }
    Ok(())
}

/// The index of the first token of a routine's body, after its head
/// `CREATE [OR REPLACE] [DEFINER = account] [AGGREGATE] FUNCTION|PROCEDURE
/// [IF NOT EXISTS] name (params) [RETURNS type] [characteristics]`.
fn routine_body_start(tokens: &[Tok<'_>]) -> Result<usize, String> {
    let refuse = || "a routine definition must be one CREATE FUNCTION or PROCEDURE statement".to_owned();
    let word_at = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    if !word_at(0, "CREATE") {
        return Err(refuse());
    }
    let mut i = 1;
    if word_at(i, "OR") && word_at(i + 1, "REPLACE") {
        i += 2;
    }
    if word_at(i, "DEFINER") {
        i += 1;
        if !tokens.get(i).is_some_and(|t| t.is_punct(b'=')) {
            return Err(refuse());
        }
        i = skip_account(tokens, i + 1, &["AGGREGATE", "FUNCTION", "PROCEDURE"]);
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
        i = skip_return_type(tokens, i + 1).ok_or_else(refuse)?;
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
    // The head is read up to the body; a `;` in it would end the statement.
    if tokens[..i.min(tokens.len())].contains(&Tok::Semi) || i >= tokens.len() {
        return Err(refuse());
    }
    Ok(i)
}

/// The index after a `DEFINER =` account that starts at `i`: a user, `@`,
/// a host, each bare or quoted, or CURRENT_USER[()]; a bare word in `stops`
/// is the head's next keyword, not part of the account.
fn skip_account(tokens: &[Tok<'_>], mut i: usize, stops: &[&str]) -> usize {
    while let Some(t) = tokens.get(i) {
        let account = matches!(t, Tok::Ident(_) | Tok::Str(_) | Tok::Punct(b'@' | b'.' | b'%' | b'-'))
            || matches!(t, Tok::Word(w) if !stops.iter().any(|k| w.eq_ignore_ascii_case(k)))
            || (t.is_punct(b'(') && tokens.get(i + 1).is_some_and(|n| n.is_punct(b')')));
        if !account {
            break;
        }
        i += if t.is_punct(b'(') { 2 } else { 1 };
    }
    i
}

/// Words that continue a type after its first word: `DOUBLE PRECISION`,
/// `CHARACTER VARYING(10)`, `NATIONAL CHAR(3)`, `LONG VARCHAR`, `INT UNSIGNED
/// ZEROFILL`, `VARCHAR(10) BINARY`, `CHAR(1) ASCII`.
const TYPE_WORDS: &[&str] = &[
    "PRECISION",
    "VARYING",
    "UNSIGNED",
    "SIGNED",
    "ZEROFILL",
    "BINARY",
    "ASCII",
    "UNICODE",
    "BYTE",
    "CHAR",
    "VARCHAR",
    "VARBINARY",
    "VARCHARACTER",
];

/// The index after a `RETURNS` type that starts at `i`: a name (maybe
/// qualified, `TYPE OF`), its parameters (`(10,2)`, `('a','b')`), the words
/// that continue it and its character set and collation.
fn skip_return_type(tokens: &[Tok<'_>], mut i: usize) -> Option<usize> {
    let word_at = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    let name_at = |i: usize| matches!(tokens.get(i), Some(Tok::Word(_) | Tok::Ident(_) | Tok::Str(_)));
    if !matches!(tokens.get(i), Some(Tok::Word(_) | Tok::Ident(_))) {
        return None;
    }
    // MariaDB `TYPE OF t.c` / `ROW TYPE OF t`.
    if word_at(i, "ROW") && word_at(i + 1, "TYPE") && word_at(i + 2, "OF") {
        i += 2;
    } else if word_at(i, "TYPE") && word_at(i + 1, "OF") {
        i += 1;
    }
    i += 1;
    loop {
        if tokens.get(i).is_some_and(|t| t.is_punct(b'.')) && name_at(i + 1) {
            i += 2;
        } else if tokens.get(i).is_some_and(|t| t.is_punct(b'(')) {
            i = skip_group(tokens, i)?;
        } else if (word_at(i, "CHARSET") || word_at(i, "COLLATE")) && name_at(i + 1) {
            i += 2;
        } else if (word_at(i, "CHARACTER") || word_at(i, "CHAR")) && word_at(i + 1, "SET") && name_at(i + 2) {
            i += 3;
        } else if TYPE_WORDS.iter().any(|w| word_at(i, w)) || word_at(i, "CHARACTER") {
            i += 1;
        } else {
            return Some(i);
        }
    }
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

/// Deepest nesting of compound statements and expressions accepted (the
/// parser recurses once per compound statement).
const MAX_DEPTH: usize = 200;

/// Words after which an expression expects an operand: an `end` there is a
/// name to the server, not the `END` of a `CASE` expression. (Only the
/// words that can stand at a CASE expression's own level matter; inside
/// parentheses an `end` never closes the CASE.) A word missing here would
/// let the check close a CASE the server keeps open, so the list errs on
/// the side of words that only sometimes take an operand.
const OPERAND_BEFORE: &[&str] = &[
    "CASE", "WHEN", "THEN", "ELSE", "AND", "OR", "XOR", "NOT", "IS", "LIKE", "RLIKE", "REGEXP", "ESCAPE", "SOUNDS",
    "BETWEEN", "DIV", "MOD", "INTERVAL", "BINARY", "COLLATE", "OVER", "FOR", "IN", "OF", "MEMBER", "DISTINCT", "ALL",
    "ANY", "SOME", "EXISTS",
];

/// How a compound statement's list of statements may end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListEnd {
    End,
    Else,
    ElseIf,
    When,
    Until,
}

impl ListEnd {
    fn of(token: &Tok<'_>) -> Option<ListEnd> {
        let Tok::Word(w) = token else { return None };
        [
            ("END", ListEnd::End),
            ("ELSE", ListEnd::Else),
            ("ELSEIF", ListEnd::ElseIf),
            ("WHEN", ListEnd::When),
            ("UNTIL", ListEnd::Until),
        ]
        .into_iter()
        .find(|(k, _)| w.eq_ignore_ascii_case(k))
        .map(|(_, end)| end)
    }
}

/// Where an expression or simple statement stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At a `;` outside parentheses and CASE expressions.
    Semi,
    /// At the end of the text.
    Eof,
    /// At one of the words asked for, outside parentheses and CASE expressions.
    Word,
}

struct Parser<'t, 'a> {
    text: &'t str,
    tokens: &'t [Tok<'a>],
    spans: &'t [(usize, usize)],
    i: usize,
    depth: usize,
}

impl<'t, 'a> Parser<'t, 'a> {
    fn new(text: &'t str, scanned: &'t Scanned<'a>, start: usize) -> Self {
        Parser { text, tokens: &scanned.tokens, spans: &scanned.spans, i: start, depth: 0 }
    }

    fn peek(&self) -> Option<Tok<'a>> {
        self.tokens.get(self.i).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<Tok<'a>> {
        self.tokens.get(self.i + offset).copied()
    }

    /// Whether the token at `i` is the keyword `w`: a bare word not read as
    /// a name (`t.end`, `@end` are names to the server's lexer).
    fn keyword_at(&self, i: usize, w: &str) -> bool {
        self.tokens.get(i).is_some_and(|t| t.is_word(w)) && !self.name_position(i)
    }

    fn keyword(&self, w: &str) -> bool {
        self.keyword_at(self.i, w)
    }

    /// Nothing (no space, no comment) between the tokens at `i - 1` and `i`.
    fn glued(&self, i: usize) -> bool {
        i > 0 && self.spans.get(i - 1).zip(self.spans.get(i)).is_some_and(|(a, b)| a.1 == b.0)
    }

    /// A word right after `.` or `@` with nothing between: the server's
    /// lexer reads it as a name, never as a keyword. (After a number, `1.end`,
    /// the `.` belongs to the number, so it is not a name there.)
    fn name_position(&self, i: usize) -> bool {
        if i == 0 || !self.glued(i) {
            return false;
        }
        match self.tokens[i - 1] {
            Tok::Punct(b'@') => true,
            Tok::Punct(b'.') => {
                let after_number = i >= 2
                    && self.glued(i - 1)
                    && matches!(self.tokens[i - 2], Tok::Word(w) if w.as_bytes()[0].is_ascii_digit());
                !after_number
            }
            _ => false,
        }
    }

    /// The index of a trigger's body: after the head's `FOR EACH ROW` and
    /// its `FOLLOWS | PRECEDES other`, if any. (`FOR` is reserved, so the
    /// first `FOR EACH ROW` is the clause.)
    fn trigger_body_start(&self) -> Result<usize, String> {
        let refuse = || "a trigger must be `CREATE TRIGGER ... FOR EACH ROW body`".to_owned();
        let mut i = 0;
        while !(self.keyword_at(i, "FOR") && self.keyword_at(i + 1, "EACH") && self.keyword_at(i + 2, "ROW")) {
            match self.tokens.get(i) {
                None | Some(Tok::Semi) => return Err(refuse()),
                Some(_) => i += 1,
            }
        }
        i += 3;
        // `FOLLOWS other`; a FOLLOWS not followed by a name is the body's
        // (a label `follows:`), which a server reading the clause refuses.
        let placement = self.keyword_at(i, "FOLLOWS") || self.keyword_at(i, "PRECEDES");
        if placement && matches!(self.tokens.get(i + 1), Some(Tok::Word(_) | Tok::Ident(_))) {
            i += 2;
        }
        Ok(i)
    }

    /// The index of an event's body: after the first `DO` outside
    /// parentheses that follows `ON SCHEDULE` (a schedule never holds one;
    /// the validator refuses a schedule that does).
    fn event_body_start(&self) -> Result<usize, String> {
        let refuse = || "an event must be `CREATE EVENT ... ON SCHEDULE schedule ... DO body`".to_owned();
        let mut i = 0;
        while !(self.keyword_at(i, "ON") && self.keyword_at(i + 1, "SCHEDULE")) {
            match self.tokens.get(i) {
                None | Some(Tok::Semi) => return Err(refuse()),
                Some(_) => i += 1,
            }
        }
        i += 2;
        let mut depth = 0usize;
        loop {
            match self.tokens.get(i) {
                None | Some(Tok::Semi) => return Err(refuse()),
                Some(Tok::Punct(b'(')) => depth += 1,
                Some(Tok::Punct(b')')) => depth = depth.saturating_sub(1),
                Some(_) if depth == 0 && self.keyword_at(i, "DO") => return Ok(i + 1),
                Some(_) => {}
            }
            i += 1;
        }
    }

    fn describe_here(&self) -> String {
        match self.spans.get(self.i) {
            Some(&(start, end)) => format!("`{}`", &self.text[start..end]),
            None => "the end of the text".to_owned(),
        }
    }

    /// The whole text from the current token: exactly one statement.
    fn program(mut self) -> Result<(), String> {
        if self.peek().is_none() {
            return Err("a stored program body must not be empty".to_owned());
        }
        self.statement()?;
        match self.peek() {
            None => Ok(()),
            Some(Tok::Semi) if self.i + 1 == self.tokens.len() => {
                Err("a trailing ';': the text must be one statement".to_owned())
            }
            Some(Tok::Semi) => {
                Err("';' ends the statement and starts another: the text must be one statement".to_owned())
            }
            Some(_) => Err(format!("{} follows the end of the statement", self.describe_here())),
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err("the text nests too deeply".to_owned()) } else { Ok(()) }
    }

    /// One statement, from its first token; stops before the `;` (or end)
    /// that follows it.
    fn statement(&mut self) -> Result<(), String> {
        self.enter()?;
        let result = self.statement_inner();
        self.depth -= 1;
        result
    }

    fn statement_inner(&mut self) -> Result<(), String> {
        let Some(first) = self.peek() else { return Err("a statement is missing at the end of the text".to_owned()) };
        if ListEnd::of(&first).is_some() {
            return Err(format!("{} closes nothing the text opened", self.describe_here()));
        }
        let compound = ["BEGIN", "LOOP", "WHILE", "REPEAT", "FOR", "IF", "CASE"];
        // `label: BEGIN | LOOP | WHILE | REPEAT | FOR`.
        let label = match (first, self.peek_at(1)) {
            (Tok::Word(_) | Tok::Ident(_), Some(Tok::Punct(b':'))) => {
                if matches!(first, Tok::Word(w) if compound.iter().chain(["DECLARE"].iter()).any(|k| w.eq_ignore_ascii_case(k)))
                {
                    return Err(format!("{} cannot be a label: quote it", self.describe_here()));
                }
                self.i += 2;
                let labelled = ["BEGIN", "LOOP", "WHILE", "REPEAT", "FOR"].iter().any(|k| self.keyword(k));
                if !labelled {
                    return Err("a label must be followed by BEGIN, LOOP, WHILE, REPEAT or FOR".to_owned());
                }
                identifier_text(&first).map(|l| l.to_lowercase())
            }
            _ => None,
        };
        if self.keyword("BEGIN") {
            self.i += 1;
            if self.keyword("NOT") && self.keyword_at(self.i + 1, "ATOMIC") {
                self.i += 2;
            }
            self.list_until(&[ListEnd::End])?;
            self.close(None, label.as_deref())
        } else if self.keyword("IF") {
            self.i += 1;
            loop {
                self.expression_until("THEN", "IF")?;
                self.i += 1;
                match self.list_until(&[ListEnd::ElseIf, ListEnd::Else, ListEnd::End])? {
                    ListEnd::ElseIf => self.i += 1,
                    ListEnd::Else => {
                        self.i += 1;
                        self.list_until(&[ListEnd::End])?;
                        break;
                    }
                    _ => break,
                }
            }
            self.close(Some("IF"), None)
        } else if self.keyword("CASE") {
            self.i += 1;
            // The operand, if any, up to the first WHEN.
            self.expression_until("WHEN", "CASE")?;
            self.i += 1;
            loop {
                self.expression_until("THEN", "CASE ... WHEN")?;
                self.i += 1;
                match self.list_until(&[ListEnd::When, ListEnd::Else, ListEnd::End])? {
                    ListEnd::When => self.i += 1,
                    ListEnd::Else => {
                        self.i += 1;
                        self.list_until(&[ListEnd::End])?;
                        break;
                    }
                    _ => break,
                }
            }
            self.close(Some("CASE"), None)
        } else if self.keyword("LOOP") {
            self.i += 1;
            self.list_until(&[ListEnd::End])?;
            self.close(Some("LOOP"), label.as_deref())
        } else if self.keyword("WHILE") || self.keyword("FOR") {
            let kind = if self.keyword("WHILE") { "WHILE" } else { "FOR" };
            self.i += 1;
            self.expression_until("DO", kind)?;
            self.i += 1;
            self.list_until(&[ListEnd::End])?;
            self.close(Some(kind), label.as_deref())
        } else if self.keyword("REPEAT") {
            self.i += 1;
            self.list_until(&[ListEnd::Until])?;
            self.i += 1;
            // `UNTIL expr END REPEAT`: the END that a REPEAT follows.
            loop {
                self.expression_until("END", "REPEAT ... UNTIL")?;
                if self.keyword_at(self.i + 1, "REPEAT") {
                    break;
                }
                // An `end` that is a name in the condition.
                self.i += 1;
            }
            self.close(Some("REPEAT"), label.as_deref())
        } else if self.keyword("DECLARE")
            && ["CONTINUE", "EXIT", "UNDO"].iter().any(|k| self.keyword_at(self.i + 1, k))
            && self.keyword_at(self.i + 2, "HANDLER")
        {
            self.i += 3;
            self.handler()
        } else {
            // A simple statement: up to the `;` or the end of the text.
            self.expression_until("", "")?;
            Ok(())
        }
    }

    /// `FOR condition [, condition]... statement` of a handler.
    fn handler(&mut self) -> Result<(), String> {
        if !self.keyword("FOR") {
            return Err("a handler must be `HANDLER FOR condition statement`".to_owned());
        }
        self.i += 1;
        loop {
            if self.keyword("SQLSTATE") {
                self.i += 1;
                if self.keyword("VALUE") {
                    self.i += 1;
                }
                if !matches!(self.peek(), Some(Tok::Str(_))) {
                    return Err("SQLSTATE in a handler must be followed by a string".to_owned());
                }
                self.i += 1;
            } else if self.keyword("NOT") && self.keyword_at(self.i + 1, "FOUND") {
                self.i += 2;
            } else if matches!(self.peek(), Some(Tok::Word(_) | Tok::Ident(_))) {
                // SQLWARNING, SQLEXCEPTION, an error number or a condition's name.
                self.i += 1;
            } else {
                return Err(format!("{} is not a handler condition", self.describe_here()));
            }
            if self.peek().is_some_and(|t| t.is_punct(b',')) {
                self.i += 1;
            } else {
                break;
            }
        }
        self.statement()
    }

    /// Statements, each followed by `;`, up to one of `ends` at the start of
    /// a statement; returns which, without consuming it.
    fn list_until(&mut self, ends: &[ListEnd]) -> Result<ListEnd, String> {
        loop {
            let Some(token) = self.peek() else {
                return Err("the text leaves a compound statement open (END missing)".to_owned());
            };
            if let Some(end) = ListEnd::of(&token) {
                if ends.contains(&end) {
                    return Ok(end);
                }
                return Err(format!("{} does not belong here", self.describe_here()));
            }
            self.statement()?;
            match self.peek() {
                Some(Tok::Semi) => self.i += 1,
                None => return Err("the text leaves a compound statement open (END missing)".to_owned()),
                Some(_) => return Err(format!("{} follows a statement without a ';'", self.describe_here())),
            }
        }
    }

    /// `END [kind] [label]`; the current token is the END.
    fn close(&mut self, kind: Option<&str>, label: Option<&str>) -> Result<(), String> {
        self.i += 1;
        let what = kind.unwrap_or("BEGIN");
        match kind {
            Some(k) if self.keyword(k) => self.i += 1,
            Some(k) => return Err(format!("END of {k} must be END {k}, not END {}", self.describe_here())),
            None => {}
        }
        let Some(token @ (Tok::Word(_) | Tok::Ident(_))) = self.peek() else { return Ok(()) };
        let closing_kind = ["IF", "CASE", "LOOP", "WHILE", "REPEAT", "FOR"].iter().any(|k| self.keyword(k));
        if closing_kind {
            return Err(format!("END {} does not close the {what} it ends", self.describe_here()));
        }
        match label {
            Some(label) if identifier_text(&token).is_some_and(|t| t.to_lowercase() == label) => {
                self.i += 1;
                Ok(())
            }
            Some(_) => Err(format!("the label {} after END does not match the {what}'s label", self.describe_here())),
            None => Err(format!("{} follows the END of a {what} that has no label", self.describe_here())),
        }
    }

    /// Tokens of an expression or simple statement, balancing parentheses
    /// and CASE expressions, up to the keyword `stop` (or, with an empty
    /// `stop`, a `;` or the end of the text) outside both. `what` names the
    /// compound statement waiting for `stop`.
    fn expression_until(&mut self, stop: &str, what: &str) -> Result<Stop, String> {
        let mut open: Vec<u8> = Vec::new();
        let start = self.i;
        loop {
            let Some(token) = self.peek() else {
                if !open.is_empty() {
                    return Err(format!(
                        "the text leaves {} open",
                        if open.last() == Some(&b'(') { "a '('" } else { "a CASE" }
                    ));
                }
                if stop.is_empty() {
                    return Ok(Stop::Eof);
                }
                return Err(format!("{what} is missing its {stop}"));
            };
            match token {
                Tok::Semi if open.is_empty() && stop.is_empty() => return Ok(Stop::Semi),
                Tok::Semi if open.is_empty() => return Err(format!("';' before the {stop} of {what}")),
                Tok::Semi => {
                    return Err("';' inside parentheses or a CASE expression ends the statement".to_owned());
                }
                Tok::Punct(b'(') => open.push(b'('),
                Tok::Punct(b')') if open.pop() != Some(b'(') => {
                    return Err("')' closes something the text did not open".to_owned());
                }
                Tok::Word(_) if open.is_empty() && !stop.is_empty() && self.keyword(stop) => return Ok(Stop::Word),
                Tok::Word(_) if self.keyword("CASE") => {
                    if open.len() >= MAX_DEPTH {
                        return Err("the text nests too deeply".to_owned());
                    }
                    open.push(b'C');
                }
                Tok::Word(_) if self.keyword("END") && open.last() == Some(&b'C') => {
                    if self.i == start || self.operand_expected(self.i - 1) {
                        return Err(
                            "an unquoted `end` inside a CASE expression could be a name or the CASE's END: quote the name"
                                .to_owned(),
                        );
                    }
                    open.pop();
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Whether the token at `i` leaves an expression waiting for an operand.
    fn operand_expected(&self, i: usize) -> bool {
        match self.tokens[i] {
            Tok::Punct(b')') => false,
            Tok::Punct(_) | Tok::Semi => true,
            Tok::Word(w) => !self.name_position(i) && OPERAND_BEFORE.iter().any(|k| w.eq_ignore_ascii_case(k)),
            Tok::Str(_) | Tok::Ident(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_modes() {
        assert_eq!(MySqlLexing::of(None).unwrap(), MySqlLexing::default());
        let m = MySqlLexing::of(Some("STRICT_TRANS_TABLES, ansi_quotes ,NO_BACKSLASH_ESCAPES")).unwrap();
        assert!(m.ansi_quotes && !m.backslash_escapes);
        assert!(MySqlLexing::of(Some("REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI")).unwrap().ansi_quotes);
        assert!(MySqlLexing::of(Some("PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ORACLE")).is_err());
        assert!(MySqlLexing::of(Some("MSSQL")).is_err());
    }
}
