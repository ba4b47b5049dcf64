//! Just enough of PostgreSQL's lexer to tell whether verbatim text ends
//! inside a `--` comment, which would swallow whatever is written after it
//! on the same line (a clause, or the `;` a script puts between statements).

/// Whether `sql` ends inside a line comment. Quoted strings, quoted
/// identifiers, dollar-quoted bodies and block comments are skipped, so a
/// `--` inside them does not count.
pub(super) fn ends_in_line_comment(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => match find(bytes, i + 2, b"\n") {
                Some(end) => i = end + 1,
                None => return true,
            },
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i + 2),
            b'\'' => i = skip_quoted(bytes, i + 1, b'\'', escape_string(bytes, i)),
            b'"' => i = skip_quoted(bytes, i + 1, b'"', false),
            b'$' => match dollar_tag(bytes, i) {
                Some(tag_end) => {
                    let tag = &bytes[i..tag_end];
                    i = find(bytes, tag_end, tag).map_or(bytes.len(), |end| end + tag.len());
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    false
}

/// Position of `needle` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Block comments nest in PostgreSQL.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 1usize;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Past the closing quote; a doubled quote stands for itself.
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8, backslash_escapes: bool) -> usize {
    while let Some(&b) = bytes.get(i) {
        if backslash_escapes && b == b'\\' {
            i += 2;
        } else if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// `E'...'`: the quote at `quote_at` follows a lone `E`.
fn escape_string(bytes: &[u8], quote_at: usize) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    match quote_at.checked_sub(1).and_then(|p| bytes.get(p)) {
        Some(b'E' | b'e') => quote_at.checked_sub(2).and_then(|p| bytes.get(p)).is_none_or(|&b| !is_word(b)),
        _ => false,
    }
}

/// The end of a `$tag$` opener at `start` (`$1` is a parameter, not a tag).
fn dollar_tag(bytes: &[u8], start: usize) -> Option<usize> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    if start > 0 && bytes.get(start - 1).is_some_and(|&b| is_word(b)) {
        return None;
    }
    let mut i = start + 1;
    if bytes.get(i).is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            b'$' => return Some(i + 1),
            _ if is_word(b) => i += 1,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_only_outside_quotes() {
        assert!(ends_in_line_comment("SELECT 1 -- one"));
        assert!(ends_in_line_comment("SELECT '--' -- real"));
        assert!(!ends_in_line_comment("SELECT 1 -- one\n  FROM t"));
        assert!(!ends_in_line_comment("SELECT '-- not' FROM \"a--b\""));
        assert!(!ends_in_line_comment("SELECT $$ -- body $$"));
        assert!(!ends_in_line_comment("SELECT $f$ $$ -- $f$"));
        assert!(!ends_in_line_comment("SELECT /* -- /* nested */ -- */ 1"));
        assert!(!ends_in_line_comment("SELECT E'\\' -- ' AS x"));
        assert!(ends_in_line_comment("SELECT $1 -- p"));
        assert!(!ends_in_line_comment("SELECT 'it''s -- fine'"));
    }

    #[test]
    fn unterminated_text_does_not_panic() {
        for text in ["'", "\"", "$a$", "/*", "E'\\", "$", "-"] {
            assert!(!ends_in_line_comment(text));
        }
    }
}
