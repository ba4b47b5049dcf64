//! Bodies of routines, triggers and events exactly as they were written.
//!
//! information_schema (`ROUTINE_DEFINITION`, `ACTION_STATEMENT`,
//! `EVENT_DEFINITION`) shows a body with its string escapes decoded:
//! `'a\\'` reads as `'a\'` and `"x\"y"` as `"x""y"`. Written back, such a
//! text means something else, and a crafted body can close its string literal
//! early and run statements of its own on every target. `SHOW CREATE ...`
//! prints the body as stored, so the exact body is the tail of that
//! statement. Which tail is found by comparing with the decoded text: the two
//! differ only in backslashes and quote characters, so with those set aside
//! they are equal, and the tail of the right length is the body. When they do
//! not agree the object is refused rather than guessed at.

use crate::MySqlError;

/// Characters that decoding may add, remove or change.
fn is_escape_char(c: char) -> bool {
    matches!(c, '\\' | '\'' | '"')
}

/// Whether the catalog's text of a body may differ from the body as written.
/// Decoding only touches escapes and quotes, which no string literal lacks,
/// so a body without them is shown exactly and needs no `SHOW CREATE`.
pub(crate) fn may_be_decoded(decoded: &str) -> bool {
    decoded.contains(is_escape_char)
}

/// The body as written: `decoded` itself when it cannot have been decoded,
/// else the tail of `show_create` (the object's `SHOW CREATE` statement)
/// whose decoded form is `decoded`. `object` names the object in errors.
pub(crate) fn exact_body(show_create: Option<&str>, decoded: &str, object: &str) -> Result<String, MySqlError> {
    if !decoded.is_empty() && !may_be_decoded(decoded) {
        return Ok(decoded.to_owned());
    }
    let Some(show_create) = show_create else {
        return Err(MySqlError::catalog(
            "SHOW CREATE",
            format!("cannot read the exact body of {object}: SHOW CREATE shows nothing for it"),
        ));
    };
    tail_matching(show_create, decoded, object)
}

fn tail_matching(show_create: &str, decoded: &str, object: &str) -> Result<String, MySqlError> {
    let mismatch = |why: &str| {
        MySqlError::catalog(
            "SHOW CREATE",
            format!("cannot read the exact body of {object}: {why}; it is not copied rather than copied altered"),
        )
    };
    if decoded.is_empty() {
        return Err(mismatch("the catalog shows an empty body"));
    }
    let wanted: Vec<char> = decoded.chars().filter(|c| !is_escape_char(*c)).collect();
    // Byte offsets of the kept characters of `show_create`, in order.
    let kept: Vec<(usize, char)> = show_create.char_indices().filter(|(_, c)| !is_escape_char(*c)).collect();
    if wanted.is_empty() || kept.len() < wanted.len() {
        return Err(mismatch("the statement is shorter than the body"));
    }
    let tail = &kept[kept.len() - wanted.len()..];
    if !tail.iter().map(|(_, c)| *c).eq(wanted.iter().copied()) {
        return Err(mismatch("texts differ"));
    }
    let first = decoded.chars().next().unwrap_or(' ');
    // A body starts with a keyword or a label, never with a quote, so the
    // tail starts at the first kept character, which must be the body's.
    let start = tail[0].0;
    if is_escape_char(first) || !show_create[start..].starts_with(first) {
        return Err(mismatch("the body does not start where expected"));
    }
    let before = show_create[..start].chars().next_back();
    if !before.is_some_and(char::is_whitespace) {
        return Err(mismatch("the body is not separated from its header"));
    }
    Ok(show_create[start..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::exact_body as exact;

    fn exact_body(show: &str, decoded: &str, object: &str) -> Result<String, crate::MySqlError> {
        exact(Some(show), decoded, object)
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
        assert_eq!(exact(None, "SET NEW.a = 1", "trigger tr").unwrap(), "SET NEW.a = 1");
        assert!(exact(None, "SET NEW.a = 'x'", "trigger tr").is_err());
        assert!(exact(None, "", "trigger tr").is_err());
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
}
