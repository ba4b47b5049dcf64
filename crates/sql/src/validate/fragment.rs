//! Rules for the pieces of model text emit writes verbatim inside a
//! statement: type names, expressions, and the names and options it pastes
//! unquoted. Each rule keeps the piece inside the clause it is written in:
//! no `;`, nothing left open, no `)` closing what emit opened, no top-level
//! `,` that would start the next clause, no comment that would swallow the
//! rest of the line.

use schemasync_model::Dialect;

use super::program::MySqlLexing;
use super::scan::{Scanned, Tok, scan};

/// Words that would end a type and start a column clause (or a statement)
/// if they followed one.
const CLAUSE_WORDS: &[&str] = &[
    "NOT",
    "NULL",
    "DEFAULT",
    "PRIMARY",
    "UNIQUE",
    "REFERENCES",
    "CHECK",
    "GENERATED",
    "COLLATE",
    "CONSTRAINT",
    "AS",
    "ON",
    "USING",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "COMMENT",
    "KEY",
    "FOREIGN",
    "IDENTITY",
    "STORED",
    "VIRTUAL",
    "INVISIBLE",
    "CHARSET",
    "DROP",
    "ALTER",
    "CREATE",
    "INSERT",
    "UPDATE",
    "DELETE",
    "SELECT",
    "TABLE",
    "GRANT",
];

/// A type name: `character varying(10)`, `timestamp(3) with time zone`,
/// `numeric(10,2)[]`, `enum('a','b''c')`, `int unsigned zerofill`,
/// `"app"."mood"`.
pub(super) fn type_name(text: &str, dialect: Dialect) -> Result<(), String> {
    type_tokens(text, dialect, false)
}

/// A list of types, as in a PostgreSQL routine signature
/// (`integer, text[]`, `x integer, OUT y text`): written inside
/// `name(...)`, so top-level commas are fine and words are not clauses.
pub(super) fn type_list(text: &str, dialect: Dialect) -> Result<(), String> {
    type_tokens(text, dialect, true)
}

fn type_tokens(text: &str, dialect: Dialect, list: bool) -> Result<(), String> {
    let what = if list { "a type list" } else { "a type name" };
    let scanned = scan(text, dialect)?;
    if scanned.line_comment || scanned.block_comment {
        return Err(format!("a comment is not allowed in {what}"));
    }
    let mut depth = Depth::default();
    for token in &scanned.tokens {
        match token {
            Tok::Semi => return Err(format!("';' is not allowed in {what}")),
            Tok::Word(w) if !list && depth.is_top() && CLAUSE_WORDS.iter().any(|k| k.eq_ignore_ascii_case(w)) => {
                return Err(format!("`{w}` would start another clause after {what}"));
            }
            Tok::Word(_) | Tok::Ident(_) => {}
            Tok::Str(_) if !depth.is_top() => {}
            Tok::Str(s) => return Err(format!("the string {s} is not allowed outside parentheses in {what}")),
            Tok::Punct(b',') if depth.is_top() && !list => {
                return Err(format!("',' outside parentheses would start another clause after {what}"));
            }
            Tok::Punct(b @ (b'(' | b')' | b'[' | b']')) => depth.step(*b, what)?,
            Tok::Punct(b',' | b'.') => {}
            // Signed numbers in parentheses (SQLite takes `DECIMAL(-1, +2)`).
            Tok::Punct(b'+' | b'-') if !depth.is_top() => {}
            Tok::Punct(b) => return Err(format!("'{}' is not allowed in {what}", char::from(*b))),
        }
    }
    depth.finish(what)
}

/// One expression: a default, CHECK, generated column, index expression or
/// predicate, policy, trigger WHEN, partition bound or key. Every literal
/// and comment closed, parentheses balanced, no `;`, no top-level `,`, no
/// line comment (emit may write the expression and more on one line).
pub(super) fn expression(text: &str, dialect: Dialect) -> Result<(), String> {
    expression_tokens(&scan(text, dialect)?).map(|_| ())
}

/// [`expression`] on scanned text; hands back the tokens for rules that
/// look further.
fn expression_tokens<'a>(scanned: &'a Scanned<'a>) -> Result<&'a [Tok<'a>], String> {
    let what = "an expression";
    if scanned.line_comment {
        return Err(format!("a line comment is not allowed in {what}"));
    }
    let mut depth = Depth::default();
    for token in &scanned.tokens {
        match token {
            Tok::Semi => return Err(format!("';' is not allowed in {what}")),
            Tok::Punct(b',') if depth.is_top() => {
                return Err(format!("',' outside parentheses would start another clause after {what}"));
            }
            Tok::Punct(b @ (b'(' | b')' | b'[' | b']')) => depth.step(*b, what)?,
            _ => {}
        }
    }
    depth.finish(what)?;
    Ok(&scanned.tokens)
}

/// A PostgreSQL trigger's `EXECUTE FUNCTION f(args)`.
pub(super) fn pg_trigger_call(text: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::Postgres)?;
    let tokens = expression_tokens(&scanned)?;
    match tokens {
        [execute, kind, ..]
            if execute.is_word("EXECUTE") && (kind.is_word("FUNCTION") || kind.is_word("PROCEDURE")) =>
        {
            Ok(())
        }
        _ => Err("a trigger body must be `EXECUTE FUNCTION name(arguments)`".to_owned()),
    }
}

/// Words that would end a MySQL event schedule and start the next clause.
const SCHEDULE_CLAUSES: &[&str] = &["DO", "ON", "COMPLETION", "PRESERVE", "ENABLE", "DISABLE", "COMMENT"];

/// A MySQL event schedule (`EVERY 1 DAY STARTS '2024-01-01 00:00:00'`),
/// read as the event's `sql_mode` makes the server read it.
pub(super) fn event_schedule(text: &str, lexing: MySqlLexing) -> Result<(), String> {
    let scanned = lexing.scan(text)?;
    let tokens = expression_tokens(&scanned)?;
    let mut depth = 0usize;
    for token in tokens {
        match token {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') => depth = depth.saturating_sub(1),
            Tok::Word(w) if depth == 0 && SCHEDULE_CLAUSES.iter().any(|k| k.eq_ignore_ascii_case(w)) => {
                return Err(format!("`{w}` would start another clause after a schedule"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A bare SQL word: `btree`, `gist`, `MERGE`.
pub(super) fn plain_word(text: &str) -> Result<(), String> {
    let mut chars = text.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err(format!("{text:?} is not a plain word (letters, digits and '_')"))
    }
}

/// A possibly qualified name, each part a bare word or a quoted identifier:
/// `"app"."nocase"`, `pg_catalog.int4_ops`, `public.gist_trgm_ops`.
pub(super) fn qualified_name(text: &str, dialect: Dialect) -> Result<(), String> {
    let scanned = scan(text, dialect)?;
    if scanned.line_comment || scanned.block_comment {
        return Err("a comment is not allowed in a name".to_owned());
    }
    name_tokens(&scanned.tokens).and_then(|rest| match rest {
        [] => Ok(()),
        _ => Err("a name must be identifiers joined by '.'".to_owned()),
    })
}

/// Consume `part(.part)*` and hand back what follows.
fn name_tokens<'a, 'b>(tokens: &'b [Tok<'a>]) -> Result<&'b [Tok<'a>], String> {
    let mut rest = tokens;
    loop {
        match rest {
            [Tok::Word(_) | Tok::Ident(_), Tok::Punct(b'.'), tail @ ..] => rest = tail,
            [Tok::Word(_) | Tok::Ident(_), tail @ ..] => return Ok(tail),
            _ => return Err("a name must be identifiers joined by '.'".to_owned()),
        }
    }
}

/// A PostgreSQL operator class, optionally with parameters:
/// `text_pattern_ops`, `public.gist_trgm_ops(siglen=32)`.
pub(super) fn opclass(text: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::Postgres)?;
    if scanned.line_comment || scanned.block_comment {
        return Err("a comment is not allowed in an operator class".to_owned());
    }
    let rest = name_tokens(&scanned.tokens)?;
    match rest {
        [] => Ok(()),
        [Tok::Punct(b'('), inner @ .., Tok::Punct(b')')] => {
            let plain = inner
                .iter()
                .all(|t| matches!(t, Tok::Word(_) | Tok::Str(_) | Tok::Punct(b'=' | b',' | b'.' | b'-' | b'+')));
            if plain { Ok(()) } else { Err("operator class parameters must be `name=value` pairs".to_owned()) }
        }
        _ => Err("an operator class must be a name with optional `(name=value, ...)`".to_owned()),
    }
}

const OPERATOR_CHARS: &str = "+-*/<>=~!@#%^&|`?";

/// A PostgreSQL operator in an exclusion constraint: `&&`, `=`,
/// `OPERATOR(pg_catalog.&&)`.
pub(super) fn operator(text: &str) -> Result<(), String> {
    let bare = |op: &str| {
        !op.is_empty() && op.chars().all(|c| OPERATOR_CHARS.contains(c)) && !op.contains("--") && !op.contains("/*")
    };
    let t = text.trim();
    if bare(t) {
        return Ok(());
    }
    let inner = t
        .get(..9)
        .filter(|head| head.eq_ignore_ascii_case("OPERATOR("))
        .and_then(|_| t[9..].strip_suffix(')'))
        .ok_or_else(|| format!("{text:?} is not an operator"))?;
    let (schema, op) = inner.rsplit_once('.').unwrap_or(("", inner));
    let schema_ok = schema.is_empty() || qualified_name(schema, Dialect::Postgres).is_ok();
    if schema_ok && bare(op) { Ok(()) } else { Err(format!("{text:?} is not an operator")) }
}

/// A storage parameter or option: `fillfactor=70`, `toast.autovacuum_enabled=false`,
/// `security_barrier`, `check_option='local'`.
pub(super) fn option(text: &str, dialect: Dialect) -> Result<(), String> {
    let (key, value) = match text.split_once('=') {
        Some((key, value)) => (key.trim(), Some(value.trim())),
        None => (text.trim(), None),
    };
    let key_ok = !key.is_empty() && key.split('.').all(|part| plain_word(part).is_ok());
    if !key_ok {
        return Err(format!("{text:?} is not `name=value`"));
    }
    let Some(value) = value else { return Ok(()) };
    let bare = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c));
    if bare {
        return Ok(());
    }
    match scan(value, dialect)?.tokens.as_slice() {
        [Tok::Str(s)] if s.starts_with('\'') => Ok(()),
        _ => Err(format!("the value of {text:?} must be a word, a number or a quoted string")),
    }
}

/// A MySQL account: `` `root`@`localhost` ``, `'app'@'%'`, `app@10.0.0.1`,
/// `CURRENT_USER`.
pub(super) fn mysql_account(text: &str) -> Result<(), String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("CURRENT_USER") || t.eq_ignore_ascii_case("CURRENT_USER()") {
        return Ok(());
    }
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_.%-".contains(c));
    if let Some((user, host)) = t.split_once('@')
        && plain(user)
        && plain(host)
    {
        return Ok(());
    }
    let scanned = scan(t, Dialect::MySql)?;
    let quoted = |tok: &Tok<'_>| matches!(tok, Tok::Ident(_) | Tok::Str(_) | Tok::Word(_));
    match scanned.tokens.as_slice() {
        [user, Tok::Punct(b'@'), host] if quoted(user) && quoted(host) && !scanned.block_comment => Ok(()),
        _ => Err(format!("{text:?} is not an account (user@host)")),
    }
}

/// A SQLite virtual table's `module(arguments)`: `fts5(a, b, tokenize = 'porter')`.
pub(super) fn sqlite_module(text: &str) -> Result<(), String> {
    let scanned = scan(text, Dialect::Sqlite)?;
    if scanned.line_comment {
        return Err("a line comment is not allowed in a module".to_owned());
    }
    match scanned.tokens.as_slice() {
        [Tok::Word(_)] => Ok(()),
        [Tok::Word(_), Tok::Punct(b'('), inner @ .., Tok::Punct(b')')] => {
            let mut depth = Depth::default();
            depth.step(b'(', "module arguments")?;
            for token in inner {
                match token {
                    Tok::Semi => return Err("';' is not allowed in module arguments".to_owned()),
                    Tok::Punct(b @ (b'(' | b')')) => depth.step(*b, "module arguments")?,
                    _ => {}
                }
                if depth.is_top() {
                    return Err("nothing may follow the module's argument list".to_owned());
                }
            }
            Ok(())
        }
        _ => Err("a virtual table module must be `name` or `name(arguments)`".to_owned()),
    }
}

/// Nesting of `(` and `[`.
#[derive(Debug, Default)]
struct Depth {
    open: Vec<u8>,
}

impl Depth {
    fn is_top(&self) -> bool {
        self.open.is_empty()
    }

    fn step(&mut self, byte: u8, what: &str) -> Result<(), String> {
        match byte {
            b'(' | b'[' => self.open.push(byte),
            b')' | b']' => {
                let opener = if byte == b')' { b'(' } else { b'[' };
                if self.open.pop() != Some(opener) {
                    return Err(format!("'{}' closes a bracket {what} did not open", char::from(byte)));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(&self, what: &str) -> Result<(), String> {
        if self.open.is_empty() { Ok(()) } else { Err(format!("{what} leaves a bracket open")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INJECTION: &str = "integer); DROP TABLE victim; CREATE TABLE zz (id integer";

    #[test]
    fn real_type_names_pass() {
        let pg = [
            "character varying(10)",
            "timestamp(3) with time zone",
            "numeric(10,2)[]",
            "\"app\".\"mood\"",
            "double precision",
            "interval day to second(3)",
            "bit varying(5)",
            "\"char\"",
            "public.geometry(Point,4326)",
            "integer[]",
        ];
        for t in pg {
            type_name(t, Dialect::Postgres).unwrap_or_else(|e| panic!("{t}: {e}"));
        }
        let mysql = [
            "enum('a','b''c')",
            "set('x','y')",
            "int unsigned zerofill",
            "int(10) unsigned zerofill",
            "decimal(10,2)",
            "varchar(255)",
            "enum('it\\'s')",
        ];
        for t in mysql {
            type_name(t, Dialect::MySql).unwrap_or_else(|e| panic!("{t}: {e}"));
        }
        for t in ["VARCHAR(255)", "UNSIGNED BIG INT", "DECIMAL(10, 5)", "NATIVE CHARACTER(70)", "", "DECIMAL(-1, +2)"] {
            type_name(t, Dialect::Sqlite).unwrap_or_else(|e| panic!("{t}: {e}"));
        }
        type_list("x integer, OUT y text, VARIADIC integer[]", Dialect::Postgres).unwrap();
        type_list("key text, \"Mixed\" numeric(10,2)", Dialect::Postgres).unwrap();
    }

    #[test]
    fn injected_type_names_are_refused() {
        for d in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            let e = type_name(INJECTION, d).unwrap_err();
            assert!(e.contains("')'") || e.contains("';'"), "{d:?}: {e}");
            assert!(type_list(INJECTION, d).is_err());
            for bad in [
                "integer -- x",
                "integer /* x */",
                "integer NOT NULL",
                "integer DEFAULT 1",
                "integer, evil text",
                "text COLLATE \"C\"",
                "varchar(10",
                "int)",
                "int; DROP TABLE victim",
                "int 'x'",
                "int = 1",
            ] {
                assert!(type_name(bad, d).is_err(), "{d:?}: {bad}");
            }
        }
        assert!(type_name("enum('a\\'); DROP TABLE victim; --')", Dialect::MySql).is_ok());
        assert!(type_name("enum('a\\'); DROP TABLE victim; --", Dialect::MySql).is_err());
        assert!(type_list("integer) ; DROP TABLE victim; --", Dialect::Postgres).is_err());
    }

    #[test]
    fn real_expressions_pass() {
        let pg = [
            "nextval('s'::regclass)",
            "(now() + '1 day'::interval)",
            "ARRAY[1, 2]",
            "'{1,2}'::integer[]",
            "CASE WHEN (a > 0) THEN 'x'::text ELSE NULL::text END",
            "E'it\\'s'",
            "$$a;b$$",
            "FOR VALUES FROM (MINVALUE) TO (10)",
            "FOR VALUES WITH (modulus 4, remainder 0)",
            "(a /* why */ > 0)",
            "\"Id\" > 0",
        ];
        for e in pg {
            expression(e, Dialect::Postgres).unwrap_or_else(|err| panic!("{e}: {err}"));
        }
        for e in [
            "CURRENT_TIMESTAMP(6)",
            "json_array()",
            "'it''s'",
            "current_timestamp()",
            "`a` + 1",
            "VALUES LESS THAN (10, MAXVALUE)",
        ] {
            expression(e, Dialect::MySql).unwrap_or_else(|err| panic!("{e}: {err}"));
        }
        for e in ["datetime('now')", "[a b] > 0", "CURRENT_TIMESTAMP", "x'00ff'", "-1"] {
            expression(e, Dialect::Sqlite).unwrap_or_else(|err| panic!("{e}: {err}"));
        }
    }

    #[test]
    fn injected_expressions_are_refused() {
        for d in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            for bad in [
                "0); DROP TABLE victim; --",
                "0; DROP TABLE victim",
                "1) NOT NULL, evil text, CHECK (1",
                "1, ADD COLUMN evil int",
                "1 -- swallow",
                "'open",
                "(1",
                "1)",
                "a\0b",
            ] {
                assert!(expression(bad, d).is_err(), "{d:?}: {bad}");
            }
        }
        assert!(expression("1 # swallow", Dialect::MySql).is_err());
        assert!(expression("/*!50000 1); DROP TABLE victim; -- */", Dialect::MySql).is_err());
        // One string literal in MySQL (backslash escapes); a breakout in PostgreSQL.
        assert!(expression(r"'\'); DROP TABLE victim; --'", Dialect::MySql).is_ok());
        assert!(expression(r"'\'); DROP TABLE victim; --'", Dialect::Postgres).is_err());
        assert!(expression("ARRAY[1]]", Dialect::Postgres).is_err());
    }

    #[test]
    fn names_and_options() {
        plain_word("btree").unwrap();
        assert!(plain_word("btree (a); DROP TABLE victim; --").is_err());
        qualified_name("\"app\".\"no\"\"case\"", Dialect::Postgres).unwrap();
        qualified_name("pg_catalog.int4_ops", Dialect::Postgres).unwrap();
        assert!(qualified_name("\"C\"; DROP TABLE victim; --", Dialect::Postgres).is_err());
        assert!(qualified_name("\"C\" , a", Dialect::Postgres).is_err());
        opclass("text_pattern_ops").unwrap();
        opclass("public.gist_trgm_ops(siglen=32)").unwrap();
        assert!(opclass("x) ; DROP TABLE victim; --").is_err());
        operator("&&").unwrap();
        operator("OPERATOR(pg_catalog.&&)").unwrap();
        assert!(operator("= 1) ; DROP TABLE victim").is_err());
        assert!(operator("--").is_err());
        for o in [
            "fillfactor=70",
            "toast.autovacuum_enabled=false",
            "security_barrier",
            "check_option='local'",
            "autovacuum_vacuum_scale_factor=0.05",
        ] {
            option(o, Dialect::Postgres).unwrap_or_else(|e| panic!("{o}: {e}"));
        }
        for o in ["fillfactor=70); DROP TABLE victim; --", "a=b c", "=1", "x='open"] {
            assert!(option(o, Dialect::Postgres).is_err(), "{o}");
        }
        for a in ["`root`@`localhost`", "'app'@'%'", "app@10.0.0.1", "CURRENT_USER", "`a``b`@`%`"] {
            mysql_account(a).unwrap_or_else(|e| panic!("{a}: {e}"));
        }
        assert!(mysql_account("`u`@`%` SQL SECURITY INVOKER VIEW victim AS SELECT 1; DROP TABLE victim; --").is_err());
        sqlite_module("fts5(a, b, tokenize = 'porter')").unwrap();
        sqlite_module("rtree").unwrap();
        assert!(sqlite_module("fts5(a); DROP TABLE victim; --").is_err());
        assert!(sqlite_module("fts5(a) x").is_err());
        pg_trigger_call("EXECUTE FUNCTION app.f()").unwrap();
        assert!(pg_trigger_call("EXECUTE FUNCTION f(); DROP TABLE victim").is_err());
        assert!(pg_trigger_call("DROP TABLE victim").is_err());
        let lexing = MySqlLexing::default();
        event_schedule("EVERY 1 DAY STARTS '2024-01-01 00:00:00' + INTERVAL 1 HOUR", lexing).unwrap();
        assert!(event_schedule("EVERY 1 DAY DO DELETE FROM victim", lexing).is_err());
        // Under NO_BACKSLASH_ESCAPES the backslash does not escape the quote.
        let breakout = "AT '2030-01-01\\'; DROP TABLE victim; -- '";
        event_schedule(breakout, lexing).unwrap();
        assert!(event_schedule(breakout, MySqlLexing::of(Some("NO_BACKSLASH_ESCAPES")).unwrap()).is_err());
    }
}
