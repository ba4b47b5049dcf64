//! Expression text from the model: when it can go verbatim after `DEFAULT`,
//! and how collation names are spelled.
//!
//! SQLite's grammar takes a bare literal, signed number or identifier after
//! `DEFAULT` but any other expression only in parentheses. The introspector
//! stores an expression default without its parentheses (that is how SQLite
//! reports it), so they are put back here. A small scanner that knows SQLite's
//! quoting is enough to tell the cases apart; when in doubt the text is
//! wrapped, which is always valid.

use std::fmt::Write;

use crate::EmitError;
use crate::render::write_parenthesized;

use super::keywords::is_keyword;
use super::{D, ident};

/// Keywords SQLite accepts as a bare default value.
const DEFAULT_KEYWORDS: [&str; 6] = ["NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"];

/// ` DEFAULT` operand: verbatim when the grammar allows it bare, else in parentheses.
pub(super) fn write_default<W: Write>(w: &mut W, text: &str) -> Result<(), EmitError> {
    let t = text.trim();
    if is_default_keyword(t)
        || is_number(t)
        || is_string_literal(t)
        || is_blob_literal(t)
        || identifier_token(t).is_some()
        || is_fully_parenthesized(t)
    {
        w.write_str(text)?;
        Ok(())
    } else {
        write_parenthesized(w, text)
    }
}

/// A column default used as a value inside an expression (the `coalesce` of a
/// table rebuild). A bare identifier after `DEFAULT` is SQLite's spelling of a
/// string, but inside an expression it would name a column, so it becomes a
/// string literal here.
pub(super) fn write_default_value<W: Write>(w: &mut W, text: &str) -> Result<(), EmitError> {
    let t = text.trim();
    if is_default_keyword(t) {
        w.write_str(t)?;
        return Ok(());
    }
    if let Some(value) = identifier_token(t) {
        w.write_str(&D.quote_string(&value))?;
        return Ok(());
    }
    if is_number(t) || is_string_literal(t) || is_blob_literal(t) || is_fully_parenthesized(t) {
        w.write_str(text)?;
        return Ok(());
    }
    write_parenthesized(w, text)
}

/// ` COLLATE` operand. Built-in and ordinary collation names are written bare,
/// as people (and `sqlite3 .schema`) write them; anything else is quoted.
pub(super) fn write_collation<W: Write>(w: &mut W, name: &str) -> Result<(), EmitError> {
    let plain = is_plain_identifier(name) && !is_keyword(name);
    if plain {
        w.write_str(name)?;
    } else {
        w.write_str(&ident(name))?;
    }
    Ok(())
}

fn is_default_keyword(t: &str) -> bool {
    DEFAULT_KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(t))
}

fn is_plain_identifier(t: &str) -> bool {
    let mut chars = t.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `[+-]` followed by a decimal, real or hexadecimal literal.
fn is_number(t: &str) -> bool {
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if let Some(hex) = unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X")) {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(pos) => (&unsigned[..pos], Some(&unsigned[pos + 1..])),
        None => (unsigned, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = digits(int_part)
        && frac_part.is_none_or(digits)
        && (!int_part.is_empty() || frac_part.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Exactly one `'...'` literal (with `''` escapes), nothing around it.
fn is_string_literal(t: &str) -> bool {
    t.starts_with('\'') && quoted_end(t, '\'') == Some(t.len())
}

/// `X'...'` with hexadecimal digits.
fn is_blob_literal(t: &str) -> bool {
    let Some(rest) = t.strip_prefix(['x', 'X']) else { return false };
    let Some(inner) = rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) else { return false };
    inner.len() % 2 == 0 && inner.chars().all(|c| c.is_ascii_hexdigit())
}

/// One identifier token (bare, `"..."`, `` `...` `` or `[...]`) and its value.
fn identifier_token(t: &str) -> Option<String> {
    let first = t.chars().next()?;
    match first {
        '"' | '`' => {
            if quoted_end(t, first)? != t.len() {
                return None;
            }
            let inner = &t[1..t.len() - 1];
            let doubled: String = [first, first].iter().collect();
            Some(inner.replace(&doubled, &first.to_string()))
        }
        '[' => {
            let inner = t.strip_prefix('[')?.strip_suffix(']')?;
            (!inner.contains(']')).then(|| inner.to_owned())
        }
        // SQLite reads every non-ASCII character as part of an identifier.
        c if c.is_ascii_alphabetic() || c == '_' || !c.is_ascii() => {
            t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()).then(|| t.to_owned())
        }
        _ => None,
    }
}

/// Byte offset just past the quoted token that starts at the beginning of `t`
/// (quote character `q`, doubled to escape), or `None` if it is unterminated.
fn quoted_end(t: &str, q: char) -> Option<usize> {
    let mut chars = t.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == q {
            if chars.peek().is_some_and(|&(_, next)| next == q) {
                chars.next();
            } else {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// Whether the parenthesis opening `t` is closed by its last character, so the
/// text is one parenthesized expression. Quotes and comments are skipped so a
/// `)` inside them does not count.
fn is_fully_parenthesized(t: &str) -> bool {
    if !t.starts_with('(') {
        return false;
    }
    let bytes = t.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // Only ASCII bytes are inspected and an ASCII byte never continues a
        // UTF-8 sequence, so `i` is a character boundary wherever `rest` is used.
        let rest = t.get(i..).unwrap_or_default();
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1 == bytes.len();
                }
            }
            q @ (b'\'' | b'"' | b'`') => match quoted_end(rest, char::from(q)) {
                Some(len) => {
                    i += len;
                    continue;
                }
                None => return false,
            },
            b'[' => match rest.find(']') {
                Some(end) => {
                    i += end + 1;
                    continue;
                }
                None => return false,
            },
            b'-' if rest.starts_with("--") => return false,
            b'/' if rest.starts_with("/*") => match rest.find("*/") {
                Some(end) => {
                    i += end + 2;
                    continue;
                }
                None => return false,
            },
            _ => {}
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render;

    fn default(text: &str) -> String {
        render(|w| write_default(w, text)).unwrap()
    }

    fn value(text: &str) -> String {
        render(|w| write_default_value(w, text)).unwrap()
    }

    #[test]
    fn literals_stay_bare() {
        for text in [
            "NULL",
            "true",
            "CURRENT_TIMESTAMP",
            "0",
            "-1",
            "+1.5",
            ".5",
            "1e10",
            "-2.5E-3",
            "0x1F",
            "''",
            "'it''s'",
            "X'00ff'",
            "abc",
            "\"quoted\"",
            "(1 + 2)",
            "((a) + (b))",
            "('(')",
        ] {
            assert_eq!(default(text), text, "{text}");
        }
    }

    #[test]
    fn expressions_are_wrapped() {
        for (text, want) in [
            ("random()", "(random())"),
            ("1 + 2", "(1 + 2)"),
            ("(1) + (2)", "((1) + (2))"),
            ("'a' || 'b'", "('a' || 'b')"),
            ("-(1)", "(-(1))"),
            ("1.", "1."),
            ("1e", "(1e)"),
            ("0x", "(0x)"),
            ("X'0'", "(X'0')"),
            ("(1) -- )", "((1) -- )\n)"),
            ("datetime('now')", "(datetime('now'))"),
        ] {
            assert_eq!(default(text), want, "{text}");
        }
    }

    #[test]
    fn identifier_defaults_become_strings_inside_expressions() {
        assert_eq!(value("abc"), "'abc'");
        assert_eq!(value("\"a\"\"b\""), "'a\"b'");
        assert_eq!(value("[x y]"), "'x y'");
        assert_eq!(value("NULL"), "NULL");
        assert_eq!(value("'x'"), "'x'");
        assert_eq!(value("7"), "7");
        assert_eq!(value("random()"), "(random())");
    }

    #[test]
    fn collations() {
        let c = |name: &str| render(|w| write_collation(w, name)).unwrap();
        assert_eq!(c("NOCASE"), "NOCASE");
        assert_eq!(c("my_coll2"), "my_coll2");
        assert_eq!(c("order"), "\"order\"");
        assert_eq!(c("a b"), "\"a b\"");
        assert_eq!(c("a\"b"), "\"a\"\"b\"");
        assert_eq!(c("ü"), "\"ü\"");
    }

    #[test]
    fn every_prefix_of_awkward_text_renders() {
        let awkward = "(x'é名\"a\"\"b`c`[d]' -- /* */ ) 0x1e+5 'it''s' (\u{1F600}) [";
        for (end, _) in awkward.char_indices() {
            for start in awkward.char_indices().map(|(i, _)| i).filter(|&i| i <= end) {
                let text = &awkward[start..end];
                assert!(render(|w| write_default(w, text)).is_ok());
                assert!(render(|w| write_default_value(w, text)).is_ok());
                assert!(render(|w| write_collation(w, text)).is_ok());
            }
        }
    }

    #[test]
    fn scanner_handles_unterminated_text() {
        assert!(!is_fully_parenthesized("('"));
        assert!(!is_fully_parenthesized("(["));
        assert!(!is_fully_parenthesized("(/*"));
        assert!(!is_fully_parenthesized("(("));
        assert!(!is_string_literal("'"));
        assert!(identifier_token("\"").is_none());
        assert!(identifier_token("").is_none());
        assert!(!is_number(""));
        assert!(!is_number("-"));
        assert!(!is_number("."));
    }
}
