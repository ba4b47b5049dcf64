//! Dialect-independent writer helpers shared by the dialect modules.

use std::fmt::Write;

use schemasync_model::Dialect;

use crate::EmitError;

/// Run a writer function against a fresh `String` and hand back the text.
pub(crate) fn render<F>(write: F) -> Result<String, EmitError>
where
    F: FnOnce(&mut String) -> Result<(), EmitError>,
{
    let mut out = String::new();
    write(&mut out)?;
    Ok(out)
}

/// `"a", "b", "c"`: names quoted by the dialect and joined by `, `.
pub(crate) fn write_ident_list<W, S>(w: &mut W, dialect: Dialect, names: &[S]) -> Result<(), EmitError>
where
    W: Write,
    S: AsRef<str>,
{
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        w.write_str(&dialect.quote_ident(name.as_ref()))?;
    }
    Ok(())
}

/// `(<expr>)`. A `--` comment at the end of the expression would swallow the
/// closing parenthesis, so the parenthesis then goes on its own line.
pub(crate) fn write_parenthesized<W: Write>(w: &mut W, expr: &str) -> Result<(), EmitError> {
    w.write_char('(')?;
    w.write_str(expr)?;
    if expr.contains("--") {
        w.write_char('\n')?;
    }
    w.write_char(')')?;
    Ok(())
}

/// Model text written verbatim into SQL must hold something: an empty
/// expression would leave a dangling keyword (`DEFAULT`, `CHECK ()`, `AS`).
pub(crate) fn non_empty(text: &str, what: impl FnOnce() -> String) -> Result<&str, EmitError> {
    if text.trim().is_empty() { Err(EmitError::invalid(format!("{}: empty SQL text", what()))) } else { Ok(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_lists_are_quoted() {
        let text = render(|w| write_ident_list(w, Dialect::Sqlite, &["a", "b\"c"])).unwrap();
        assert_eq!(text, "\"a\", \"b\"\"c\"");
    }

    #[test]
    fn trailing_comment_does_not_swallow_paren() {
        let text = render(|w| write_parenthesized(w, "1 -- one")).unwrap();
        assert_eq!(text, "(1 -- one\n)");
        assert_eq!(render(|w| write_parenthesized(w, "a > 0")).unwrap(), "(a > 0)");
    }

    #[test]
    fn empty_text_is_invalid() {
        assert!(non_empty("  ", || "default of t.c".into()).is_err());
        assert_eq!(non_empty("1", String::new).unwrap(), "1");
    }
}
