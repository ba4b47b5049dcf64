//! Bodies of routines, triggers and events exactly as they were written.
//!
//! information_schema (`ROUTINE_DEFINITION`, `ACTION_STATEMENT`,
//! `EVENT_DEFINITION`) shows a body with every string literal re-encoded
//! (MariaDB's `body_utf8`): escapes decoded and the value written again
//! another way, with quotes doubled, control characters as `\n`, `\t`, ...,
//! backslashes left bare (`'a\\'` reads as `'a\'`) and character set
//! introducers dropped (`_binary'x'` reads as `'x'`). That text is not even
//! valid SQL, and written back it can mean something else: a crafted body can
//! close its string literal early and run statements of its own on every
//! target. `SHOW CREATE ...` prints the body as stored, so the exact body is a
//! tail of that statement. Which tail is found by reading both texts token by
//! token: outside string literals they agree character for character, and
//! each literal has the same value up to how the re-encoding spells it, so
//! the body starts where the rest of the statement reads as the catalog's
//! text does. When no such place exists the object is refused rather than
//! guessed at; the text returned is always the server's own.

use crate::MySqlError;

/// Characters that re-encoding may add, remove or change: none appears in a
/// body without a string literal, and every literal has a quote.
fn is_escape_char(c: char) -> bool {
    matches!(c, '\\' | '\'' | '"')
}

/// Whether the catalog's text of a body may differ from the body as written.
pub(crate) fn may_be_decoded(decoded: &str) -> bool {
    decoded.contains(is_escape_char)
}

/// How the object's `sql_mode` makes the server read quotes and backslashes.
#[derive(Clone, Copy, Debug)]
struct Lexing {
    backslash_escapes: bool,
    ansi_quotes: bool,
}

/// How a text spells the values of its literals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spelling {
    /// As written in SQL, escapes per the object's sql_mode.
    Sql,
    /// As the catalog re-encodes them: only a doubled quote is special.
    Catalog,
}

impl Lexing {
    fn of(sql_mode: Option<&str>) -> Self {
        let has = |flag: &str| sql_mode.is_some_and(|m| m.split(',').any(|f| f.trim().eq_ignore_ascii_case(flag)));
        Lexing { backslash_escapes: !has("NO_BACKSLASH_ESCAPES"), ansi_quotes: has("ANSI_QUOTES") || has("ANSI") }
    }
}

/// The body as written: `decoded` itself when it cannot have been re-encoded,
/// else the tail of `show_create` (the object's `SHOW CREATE` statement) that
/// reads as `decoded` does. `sql_mode` is the object's own; `object` names
/// the object in errors.
pub(crate) fn exact_body(
    show_create: Option<&str>,
    decoded: &str,
    sql_mode: Option<&str>,
    object: &str,
) -> Result<String, MySqlError> {
    if !decoded.is_empty() && !may_be_decoded(decoded) {
        return Ok(decoded.to_owned());
    }
    let Some(show_create) = show_create else {
        return Err(MySqlError::catalog(
            "SHOW CREATE",
            format!("cannot read the exact body of {object}: SHOW CREATE shows nothing for it"),
        ));
    };
    tail_matching(show_create, decoded, Lexing::of(sql_mode), object)
}

fn tail_matching(show_create: &str, decoded: &str, lexing: Lexing, object: &str) -> Result<String, MySqlError> {
    let mismatch = |why: &str| {
        MySqlError::catalog(
            "SHOW CREATE",
            format!("cannot read the exact body of {object}: {why}; it is not copied rather than copied altered"),
        )
    };
    if decoded.is_empty() {
        return Err(mismatch("the catalog shows an empty body"));
    }
    let Some(stored) = Canonical::read(show_create, lexing, Spelling::Sql) else {
        return Err(mismatch("the statement has an unterminated literal"));
    };
    // MariaDB shows the catalog spelling; a server that shows the body as
    // written matches with the SQL spelling.
    let start = [Spelling::Catalog, Spelling::Sql].into_iter().find_map(|spelling| {
        let wanted = Canonical::read(decoded, lexing, spelling)?;
        let at = stored.text.len().checked_sub(wanted.text.len())?;
        if !stored.text.ends_with(&wanted.text) {
            return None;
        }
        stored.source_offset(at)
    });
    let Some(start) = start else {
        return Err(mismatch("texts differ"));
    };
    let before = show_create[..start].chars().next_back();
    if !before.is_some_and(char::is_whitespace) {
        return Err(mismatch("the body is not separated from its header"));
    }
    Ok(show_create[start..].to_owned())
}

/// A text with each string literal's value replaced by a form that both
/// spellings give (backslashes left out, control characters as the letter of
/// their escape) and introducers left out, so that two spellings of one body
/// read the same. Used only to find where the body starts.
struct Canonical {
    text: String,
    /// (offset in `text`, offset in the source) at each place a token of the
    /// source may start, in increasing order.
    starts: Vec<(usize, usize)>,
}

impl Canonical {
    fn source_offset(&self, at: usize) -> Option<usize> {
        let i = self.starts.binary_search_by_key(&at, |(canonical, _)| *canonical).ok()?;
        Some(self.starts[i].1)
    }

    /// `None` when a literal, quoted identifier or comment is not closed.
    fn read(source: &str, lexing: Lexing, spelling: Spelling) -> Option<Canonical> {
        let mut out = Canonical { text: String::with_capacity(source.len()), starts: Vec::new() };
        let mut rest = source.char_indices().peekable();
        while let Some(&(at, c)) = rest.peek() {
            out.starts.push((out.text.len(), at));
            let tail = &source[at..];
            if c == '\'' || c == '"' && !lexing.ansi_quotes {
                let (value, len) = literal(tail, lexing.backslash_escapes && spelling == Spelling::Sql)?;
                out.push_literal(c, &value);
                advance(&mut rest, at + len);
            } else if c == '`' || c == '"' {
                let len = quoted_identifier(tail, c)?;
                out.text.push_str(&tail[..len]);
                advance(&mut rest, at + len);
            } else if let Some(len) = comment_len(tail) {
                out.text.push_str(&tail[..len?]);
                advance(&mut rest, at + len?);
            } else if is_word_char(c) {
                let word_len = tail.find(|ch: char| !is_word_char(ch)).unwrap_or(tail.len());
                let after = tail[word_len..].trim_start();
                // The catalog drops an introducer but keeps the space after it.
                let introducer = c == '_' && (after.starts_with('\'') || after.starts_with('"') && !lexing.ansi_quotes);
                if !introducer {
                    out.text.push_str(&tail[..word_len]);
                }
                advance(&mut rest, at + word_len);
            } else {
                out.text.push(c);
                rest.next();
            }
        }
        Some(out)
    }

    fn push_literal(&mut self, quote: char, value: &str) {
        self.text.push(quote);
        for c in value.chars() {
            let c = match c {
                '\\' => continue,
                '\0' => '0',
                '\u{8}' => 'b',
                '\n' => 'n',
                '\r' => 'r',
                '\t' => 't',
                '\u{1a}' => 'Z',
                c => c,
            };
            if c == quote {
                self.text.push(quote);
            }
            self.text.push(c);
        }
        self.text.push(quote);
    }
}

fn advance(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, to: usize) {
    while chars.peek().is_some_and(|(at, _)| *at < to) {
        chars.next();
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// The value of the string literal at the start of `text` and its length in
/// bytes; `escapes` when a backslash escapes the next character.
fn literal(text: &str, escapes: bool) -> Option<(String, usize)> {
    let mut chars = text.char_indices();
    let (_, quote) = chars.next()?;
    let mut value = String::new();
    while let Some((at, c)) = chars.next() {
        if c == '\\' && escapes {
            let (_, escaped) = chars.next()?;
            match escaped {
                '0' => value.push('\0'),
                'b' => value.push('\u{8}'),
                'n' => value.push('\n'),
                'r' => value.push('\r'),
                't' => value.push('\t'),
                'Z' => value.push('\u{1a}'),
                // LIKE wildcards keep their backslash.
                '%' | '_' => {
                    value.push('\\');
                    value.push(escaped);
                }
                other => value.push(other),
            }
        } else if c == quote {
            if text[at + 1..].starts_with(quote) {
                value.push(quote);
                chars.next();
            } else {
                return Some((value, at + 1));
            }
        } else {
            value.push(c);
        }
    }
    None
}

/// The length of the quoted identifier at the start of `text`.
fn quoted_identifier(text: &str, quote: char) -> Option<usize> {
    let mut at = quote.len_utf8();
    loop {
        let end = at + text[at..].find(quote)?;
        if text[end + 1..].starts_with(quote) {
            at = end + 2;
        } else {
            return Some(end + 1);
        }
    }
}

/// `Some(len)` when a comment starts `text` (`None` inside when it is not
/// closed); `None` when no comment starts here.
fn comment_len(text: &str) -> Option<Option<usize>> {
    let to_line_end = |from: usize| Some(text[from..].find('\n').map_or(text.len(), |e| from + e));
    if text.starts_with('#') {
        return Some(to_line_end(1));
    }
    if let Some(after) = text.strip_prefix("--")
        && after.chars().next().is_none_or(char::is_whitespace)
    {
        return Some(to_line_end(2));
    }
    if let Some(inside) = text.strip_prefix("/*") {
        return Some(inside.find("*/").map(|e| e + 4));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::exact_body as exact;

    fn exact_body(show: &str, decoded: &str, object: &str) -> Result<String, crate::MySqlError> {
        exact(Some(show), decoded, None, object)
    }

    #[test]
    fn undoes_the_catalogs_decoding() {
        let show = "CREATE DEFINER=`root`@`localhost` FUNCTION `f`() RETURNS text CHARSET utf8mb4\n    DETERMINISTIC\nRETURN CONCAT('a\\\\', 'b\\n', 'it''s', \"dq\\\"x\")";
        let decoded = "RETURN CONCAT('a\\', 'b\\n', 'it''s', \"dq\"\"x\")";
        assert_eq!(
            exact_body(show, decoded, "function f").unwrap(),
            "RETURN CONCAT('a\\\\', 'b\\n', 'it''s', \"dq\\\"x\")"
        );
    }

    #[test]
    fn bodies_without_quotes_or_escapes_need_no_show_create() {
        assert_eq!(exact(None, "SET NEW.a = 1", None, "trigger tr").unwrap(), "SET NEW.a = 1");
        assert!(exact(None, "SET NEW.a = 'x'", None, "trigger tr").is_err());
        assert!(exact(None, "", None, "trigger tr").is_err());
        let show = "CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 'x'";
        assert_eq!(exact_body(show, "SET NEW.a = 'x'", "trigger tr").unwrap(), "SET NEW.a = 'x'");
        assert!(exact_body(show, "SET NEW.a = 'y'", "trigger tr").is_err());
    }

    #[test]
    fn an_injection_attempt_is_kept_inside_its_literal() {
        // The stored body is `SELECT 'x\\'; DROP TABLE t; -- '`: one
        // string literal `x\` and a comment. Decoded, the literal would end
        // early and DROP TABLE would become a statement of its own.
        let raw = "BEGIN SELECT 'x\\\\''; DROP TABLE t; -- '; END";
        let show = format!("CREATE DEFINER=`u`@`h` PROCEDURE `p`()\n{raw}");
        let decoded = "BEGIN SELECT 'x\\''; DROP TABLE t; -- '; END";
        assert_eq!(exact_body(&show, decoded, "procedure p").unwrap(), raw);
    }

    #[test]
    fn refuses_texts_that_do_not_agree() {
        let show = "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO INSERT INTO t VALUES ('e\\\\')";
        assert!(exact_body(show, "INSERT INTO t VALUES ('f\\')", "event e").is_err());
        assert!(exact_body(show, "", "event e").is_err());
        assert!(exact_body("x", "INSERT INTO t VALUES ('e\\')", "event e").is_err());
        assert_eq!(
            exact_body(show, "INSERT INTO t VALUES ('e\\')", "event e").unwrap(),
            "INSERT INTO t VALUES ('e\\\\')"
        );
    }

    #[test]
    fn reads_mariadbs_re_encoded_literals() {
        // What MariaDB 10.11 stores and shows for one function: newlines and
        // tabs in literals re-escaped, `\b` decoded, `\'` doubled, `\"`
        // doubled, introducers dropped.
        let body = "begin\n  declare a text default 'tab\there';\n  set a = concat(a, 'cr\\rnl\nz\\0zz\\Zb\\b\\%\\_\u{e9}\\t\\\\ \\' \" '' ', \"x\\\"y\" \"q\"\"q\");\n  set a = concat(a, _binary'bin\\n', x'41', _latin1 'lat\\n', N'nat\\n', 'a' 'b\\n');\n  return a; -- it's\nend";
        let decoded = "begin\n  declare a text default 'tab\\there';\n  set a = concat(a, 'cr\\rnl\\nz\\0zz\\Zb\u{8}\\%\\_\u{e9}\\t\\ '' \" '' ', \"x\"\"y\" \"q\"\"q\");\n  set a = concat(a, 'bin\\n', x'41',  'lat\\n', N'nat\\n', 'a' 'b\\n');\n  return a; -- it's\nend";
        let show = format!(
            "CREATE DEFINER=`root`@`localhost` FUNCTION `f2`() RETURNS text CHARSET utf8mb4\n    DETERMINISTIC\n{body}"
        );
        assert_eq!(exact_body(&show, decoded, "function f2").unwrap(), body);
        // The literal's value differs: refused.
        assert!(exact_body(&show, &decoded.replace("bin", "bim"), "function f2").is_err());
    }

    #[test]
    fn a_multi_line_literal_is_found() {
        let body = "BEGIN\n    RETURN\n'\n    == USAGE ==\n';\nEND";
        let decoded = "BEGIN\n    RETURN\n'\\n    == USAGE ==\\n';\nEND";
        let show = format!(
            "CREATE DEFINER=`root`@`localhost` FUNCTION `u`() RETURNS text CHARSET utf8mb4\n    DETERMINISTIC\n{body}"
        );
        assert_eq!(exact_body(&show, decoded, "function u").unwrap(), body);
    }

    #[test]
    fn the_objects_sql_mode_decides_how_literals_read() {
        let show = "CREATE DEFINER=`u`@`h` PROCEDURE `p`()\nSELECT 'a\\' AS `x'y`, \"col\"";
        let decoded = "SELECT 'a\\' AS `x'y`, \"col\"";
        assert!(exact(Some(show), decoded, None, "procedure p").is_err());
        let mode = Some("ANSI_QUOTES,NO_BACKSLASH_ESCAPES");
        assert_eq!(exact(Some(show), decoded, mode, "procedure p").unwrap(), decoded);
    }

    #[test]
    fn unterminated_texts_are_refused() {
        let show = "CREATE DEFINER=`u`@`h` PROCEDURE `p`()\nSELECT 'a";
        assert!(exact_body(show, "SELECT 'a", "procedure p").is_err());
        assert!(exact_body("CREATE PROCEDURE p() SELECT 1 /* ' ", "SELECT 1 /* ' ", "procedure p").is_err());
    }
}
