//! Small, quote-aware helpers for SQL text the server prints: view bodies,
//! expressions, partition keys. They never look inside string literals.

use schemasync_model::Dialect;

/// What a byte range of SQL text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A `'...'` or `"..."` string literal.
    Literal,
    /// A `` `...` `` quoted identifier.
    QuotedIdent,
    /// A single character of anything else.
    Char,
}

/// Split `s` into literals, quoted identifiers and single other characters.
/// An unterminated quote runs to the end of the text.
fn pieces(s: &str) -> Vec<(Piece, usize, usize)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let quote = bytes[i];
        let piece = match quote {
            b'\'' | b'"' => Piece::Literal,
            b'`' => Piece::QuotedIdent,
            _ => {
                let len = s[i..].chars().next().map_or(1, char::len_utf8);
                out.push((Piece::Char, i, i + len));
                i += len;
                continue;
            }
        };
        i += 1;
        while i < bytes.len() {
            if piece == Piece::Literal && bytes[i] == b'\\' {
                i += 2;
            } else if bytes[i] == quote {
                // A doubled quote is an escaped quote, not the end.
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    i += 1;
                    break;
                }
            } else {
                i += 1;
            }
        }
        let end = i.min(bytes.len());
        out.push((piece, start, end));
        i = end;
    }
    out
}

/// Remove the qualifier `` `db`. `` in front of names, so that a view body
/// printed with its database (`` `shop`.`orders` ``) reads the same in any
/// database (`` `orders` ``). Names of other databases stay qualified.
pub(crate) fn strip_db_qualifier(s: &str, database: &str) -> String {
    let qualifier = Dialect::MySql.quote_ident(database);
    let parts = pieces(s);
    let mut out = String::with_capacity(s.len());
    let mut k = 0;
    while k < parts.len() {
        let (piece, start, end) = parts[k];
        let followed_by_dot = parts.get(k + 1).is_some_and(|&(p, a, b)| p == Piece::Char && &s[a..b] == ".");
        if piece == Piece::QuotedIdent && s[start..end] == qualifier && followed_by_dot {
            k += 2;
            continue;
        }
        out.push_str(&s[start..end]);
        k += 1;
    }
    out
}

/// The text inside one pair of parentheses enclosing all of `s`
/// (`(a + b)` → `a + b`); `s` itself (trimmed) when they do not enclose it all
/// (`(a) + (b)`).
pub(crate) fn unwrap_parens(s: &str) -> &str {
    let trimmed = s.trim();
    if !trimmed.starts_with('(') || !trimmed.ends_with(')') {
        return trimmed;
    }
    let mut depth = 0usize;
    for (piece, start, _) in pieces(trimmed) {
        if piece != Piece::Char {
            continue;
        }
        match trimmed.as_bytes()[start] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && start + 1 != trimmed.len() {
                    return trimmed;
                }
            }
            _ => {}
        }
    }
    trimmed[1..trimmed.len() - 1].trim()
}

/// Split at commas outside parentheses and quotes, trimming each part.
pub(crate) fn split_top_level_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut from = 0;
    for (piece, start, _) in pieces(s) {
        if piece != Piece::Char {
            continue;
        }
        match s.as_bytes()[start] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                out.push(s[from..start].trim().to_owned());
                from = start + 1;
            }
            _ => {}
        }
    }
    let last = s[from..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last.to_owned());
    }
    out
}

/// MySQL 8 prints some expressions (generated columns, CHECK clauses,
/// expression defaults) with their quotes backslash-escaped
/// (`_utf8mb4\'a\'`); undo one level of that escaping so the text is SQL again.
pub(crate) fn unescape_mysql8_expression(s: &str) -> String {
    if !s.contains("\\'") {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next) => out.push(next),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_only_the_current_database() {
        let view = "select `fx`.`t`.`id` AS `id`,'`fx`.' AS `s` from `fx`.`t` join `other`.`u`";
        assert_eq!(strip_db_qualifier(view, "fx"), "select `t`.`id` AS `id`,'`fx`.' AS `s` from `t` join `other`.`u`");
        assert_eq!(strip_db_qualifier("select `a``b`.`t`.`x`", "a`b"), "select `t`.`x`");
        assert_eq!(strip_db_qualifier("select `fx` from t", "fx"), "select `fx` from t");
    }

    #[test]
    fn unwraps_enclosing_parentheses_only() {
        assert_eq!(unwrap_parens("(a + b)"), "a + b");
        assert_eq!(unwrap_parens("(a) + (b)"), "(a) + (b)");
        assert_eq!(unwrap_parens("(')')"), "')'");
        assert_eq!(unwrap_parens(" x "), "x");
    }

    #[test]
    fn splits_at_top_level_commas() {
        assert_eq!(split_top_level_commas("`a`,`b`"), ["`a`", "`b`"]);
        assert_eq!(split_top_level_commas("f(a,b), 'x,y'"), ["f(a,b)", "'x,y'"]);
        assert!(split_top_level_commas("").is_empty());
    }

    #[test]
    fn unescapes_mysql8_quotes() {
        assert_eq!(unescape_mysql8_expression("concat(`a`,_utf8mb4\\'x\\')"), "concat(`a`,_utf8mb4'x')");
        assert_eq!(unescape_mysql8_expression("`a` > 0"), "`a` > 0");
    }
}
