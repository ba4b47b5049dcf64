//! A conservative identifier scan of SQL text (view definitions, trigger
//! bodies, expressions). It does not parse SQL: it only answers "could this
//! text refer to that name?", and errs on the side of yes, because a false
//! "yes" costs one needless drop and re-create while a false "no" makes a
//! script fail.

use std::collections::BTreeSet;

/// The identifier-like tokens of `text`, lowercased: bare words and names in
/// double quotes, backticks or brackets. String literals and comments are
/// skipped, so `'users'` does not count as a mention of `users`.
pub(crate) fn identifiers(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' => i = skip_quoted(&chars, i + 1, '\'').1,
            '"' | '`' | '[' => {
                let close = match c {
                    '[' => ']',
                    other => other,
                };
                let (word, next) = skip_quoted(&chars, i + 1, close);
                out.insert(word.to_lowercase());
                i = next;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while chars.get(i).is_some_and(|&ch| ch != '\n') {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars.get(i) == Some(&'*') && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
            }
            c if is_word_char(c) => {
                let start = i;
                while chars.get(i).is_some_and(|&ch| is_word_char(ch)) {
                    i += 1;
                }
                let word: String = chars.get(start..i).unwrap_or_default().iter().collect();
                out.insert(word.to_lowercase());
            }
            _ => i += 1,
        }
    }
    out
}

/// `a.b` or `"A"."b"` into its unquoted parts.
pub(crate) fn split_qualified(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    parts.push(current);
    parts
}

/// Names written as string literals, as `nextval('s.seq')` and
/// `'seq'::regclass` name sequences: the last dotted part of each literal
/// that looks like a (possibly qualified, possibly quoted) name, lowercased.
pub(crate) fn literal_names(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' => {
                let (content, next) = skip_quoted(&chars, i + 1, '\'');
                let last = content.rsplit('.').next().unwrap_or_default().trim_matches('"');
                if !last.is_empty() && last.chars().all(|ch| is_word_char(ch) || ch == ' ') {
                    out.insert(last.to_lowercase());
                }
                i = next;
            }
            '"' => i = skip_quoted(&chars, i + 1, '"').1,
            _ => i += 1,
        }
    }
    out
}

/// Function calls in `text`: the lowercased name right before each `(`
/// (so `s.f(1, 2)` is `f`) with its number of top-level arguments. Like
/// [`identifiers`], it skips string literals and comments.
pub(crate) fn calls(text: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut last_word: Option<(String, usize)> = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' => {
                i = skip_quoted(&chars, i + 1, '\'').1;
                last_word = None;
            }
            '"' | '`' => {
                let (word, next) = skip_quoted(&chars, i + 1, c);
                last_word = Some((word.to_lowercase(), next));
                i = next;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                while chars.get(i).is_some_and(|&ch| ch != '\n') {
                    i += 1;
                }
            }
            '(' => {
                if let Some((word, end)) = last_word.take()
                    && chars.get(end..i).is_some_and(|gap| gap.iter().all(|ch| ch.is_whitespace()))
                {
                    out.push((word, arity(&chars, i + 1)));
                }
                i += 1;
            }
            c if is_word_char(c) => {
                let start = i;
                while chars.get(i).is_some_and(|&ch| is_word_char(ch)) {
                    i += 1;
                }
                let word: String = chars.get(start..i).unwrap_or_default().iter().collect();
                last_word = Some((word.to_lowercase(), i));
            }
            c if c.is_whitespace() => i += 1,
            _ => {
                last_word = None;
                i += 1;
            }
        }
    }
    out
}

/// The number of top-level, comma-separated arguments of a call whose
/// argument list starts at `i` (just after its `(`): 0 for `()`.
fn arity(chars: &[char], mut i: usize) -> usize {
    let (mut depth, mut commas, mut empty) = (1usize, 0usize, true);
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' | '"' => {
                i = skip_quoted(chars, i + 1, c).1;
                empty = false;
                continue;
            }
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => commas += 1,
            c if !c.is_whitespace() => empty = false,
            _ => {}
        }
        i += 1;
    }
    if empty { 0 } else { commas + 1 }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Read a quoted token starting after its opening quote; a doubled closing
/// quote stands for itself. Returns the content and the index after the
/// closing quote (or the end of the text when it is unterminated).
fn skip_quoted(chars: &[char], mut i: usize, close: char) -> (String, usize) {
    let mut word = String::new();
    while let Some(&c) = chars.get(i) {
        if c == close {
            if close != ']' && chars.get(i + 1) == Some(&close) {
                word.push(close);
                i += 2;
                continue;
            }
            return (word, i + 1);
        }
        word.push(c);
        i += 1;
    }
    (word, i)
}

#[cfg(test)]
mod call_tests {
    use super::calls;

    #[test]
    fn calls_with_their_arity() {
        let found = calls("public.add(1, f(2, 3), 'a,b') + now() - \"Odd\" (x) + count(*) -- g(1)\n + (h)(1)");
        let expected = [("add", 3), ("f", 2), ("now", 0), ("odd", 1), ("count", 1)];
        assert_eq!(found, expected.map(|(n, a)| (n.to_owned(), a)));
    }
}

/// Whether `text` may mention `name` as an identifier (case-insensitive).
#[cfg(test)]
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    identifiers(text).contains(&name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bare_and_quoted_names() {
        let ids = identifiers(r#"SELECT "Order Items".id, `x``y`, [br] FROM Users -- t2"#);
        assert!(ids.contains("order items"));
        assert!(ids.contains("x`y"));
        assert!(ids.contains("br"));
        assert!(ids.contains("users"));
        assert!(!ids.contains("t2"));
    }

    #[test]
    fn skips_string_literals_and_block_comments() {
        let ids = identifiers("SELECT 'users' /* t3 */, \"a\"\"b\" FROM t");
        assert!(!ids.contains("users"));
        assert!(!ids.contains("t3"));
        assert!(ids.contains("a\"b"));
        assert!(mentions("select * from T", "t"));
    }

    #[test]
    fn unterminated_text_does_not_panic() {
        let _ = identifiers("'abc");
        let _ = identifiers("\"abc");
        let _ = identifiers("/* abc");
        let _ = identifiers("[abc");
    }
}
