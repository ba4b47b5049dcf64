//! Where a database URL holds a password, read the way the engines read it
//! (`schemasync_postgres::PgConfig`, `schemasync_mysql::MySqlConfig`), and a
//! check that text shown to people does not give it away.

use std::ops::Range;

/// Windows of this many characters of a password are looked for in shown
/// text: short enough to catch a password cut in two, long enough not to
/// match a message's own words by chance.
const WINDOW: usize = 4;
/// Shorter passwords are not checked: they turn up in any text.
const MIN_PASSWORD: usize = 3;

/// Byte ranges of the passwords in `text`: the userinfo password of a
/// server URL and a PostgreSQL `password=` parameter, also inside
/// `history:URL@VERSION`.
pub fn passwords_in(text: &str) -> Vec<Range<usize>> {
    let mut found = in_url(text, 0);
    if let Some(rest) = text.strip_prefix("history:")
        && let Some((target, _)) = rest.rsplit_once('@')
    {
        found.extend(in_url(target, text.len() - rest.len()));
    }
    found.retain(|r| text[r.clone()].chars().count() >= MIN_PASSWORD);
    found
}

fn in_url(url: &str, base: usize) -> Vec<Range<usize>> {
    let postgres = ["postgres://", "postgresql://"].iter().find_map(|s| url.strip_prefix(s));
    let mysql = ["mysql://", "mariadb://"].iter().find_map(|s| url.strip_prefix(s));
    let Some(rest) = postgres.or(mysql) else { return Vec::new() };
    let start = base + url.len() - rest.len();
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = before_query.split('/').next().unwrap_or_default();
    let mut found = Vec::new();
    if let Some(at) = authority.rfind('@')
        && let Some(colon) = authority[..at].find(':')
    {
        found.push(start + colon + 1..start + at);
    }
    if postgres.is_some() {
        let mut offset = start + before_query.len() + 1;
        for pair in query.split('&') {
            if pair.starts_with("password=") {
                found.push(offset + "password=".len()..offset + pair.len());
            }
            offset += pair.len() + 1;
        }
    }
    found
}

/// Panic if `show(text)` gives away a password of `text`: a window of it
/// that occurs nowhere else in `text` and that is not shown any more once
/// the password is masked.
pub fn check_hidden(text: &str, show: impl Fn(&str) -> String) {
    // `***`, the redaction's own mask, is not the input's: next to a
    // password's neighbours it would read as a piece of it.
    let show = |t: &str| without_escapes(&show(t)).replace("***", "\u{2}");
    let shown = show(text);
    for range in passwords_in(text) {
        let password = &text[range.clone()];
        let mask = "\u{1}".repeat(password.chars().count());
        let masked = show(&format!("{}{mask}{}", &text[..range.start], &text[range.end..]));
        // Masked but with the characters that decide how the text parses
        // kept, so that the same message (whose own words a password may
        // happen to contain: "password", "escape") is shown for it.
        let same_path: String = password
            .chars()
            .map(|c| if c.is_ascii_hexdigit() || "%@:/?#&=".contains(c) { c } else { '\u{1}' })
            .collect();
        let same_path = show(&format!("{}{same_path}{}", &text[..range.start], &text[range.end..]));
        let chars: Vec<(usize, char)> = password.char_indices().collect();
        for window in chars.windows(WINDOW.min(chars.len())) {
            let (from, last) = (window[0].0, window[window.len() - 1]);
            let piece = &password[from..last.0 + last.1.len_utf8()];
            // The mask and placeholder characters stand for what was hidden:
            // a piece holding one proves nothing.
            if piece.contains(['\u{1}', '\u{2}']) {
                continue;
            }
            let kept_by_mask = piece.chars().all(|c| c.is_ascii_hexdigit() || "%@:/?#&=".contains(c));
            let message_words = same_path.contains(piece) && !kept_by_mask;
            if occurrences(text, piece) == 1 && shown.contains(piece) && !masked.contains(piece) && !message_words {
                panic!("password {password:?} of {text:?} shows as {shown:?}");
            }
        }
    }
}

/// `shown` with Rust's `Debug` escapes (`\0`, `\u{1}`, `\"`, ...) replaced
/// by one placeholder each: the characters of an escape are not the
/// input's (a `0` after a backslash does not show a password's `0`), while
/// printable characters of the input are shown as they are.
fn without_escapes(shown: &str) -> String {
    let mut out = String::with_capacity(shown.len());
    let mut chars = shown.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push('\u{2}');
        match chars.next() {
            Some('u') if chars.peek() == Some(&'{') => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
            }
            Some('x') => {
                chars.next();
                chars.next();
            }
            _ => {}
        }
    }
    out
}

/// How many times `needle` occurs in `haystack`, overlaps included.
fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.char_indices().filter(|(i, _)| haystack[*i..].starts_with(needle)).count()
}
