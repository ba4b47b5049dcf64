//! What must hold for any split, whatever the input.

use schemasync_model::Dialect;
use schemasync_sql::{split_statements, split_statements_located};

/// Split `input` and check the result: each statement is a trimmed,
/// non-empty slice of the input, they appear in input order, and each
/// starts on the line it reports.
pub fn check_split(input: &str, dialect: Dialect) {
    let located = split_statements_located(input, dialect);
    let plain = split_statements(input, dialect);
    let Ok(located) = located else {
        assert_eq!(plain.err(), located.err(), "the two splitters disagree on the error");
        return;
    };
    let sqls: Vec<String> = located.iter().map(|s| s.sql.clone()).collect();
    assert_eq!(plain.ok(), Some(sqls), "split_statements differs from the located split");

    let starts = line_starts(input);
    let mut cursor = 0;
    for statement in &located {
        let sql = statement.sql.as_str();
        assert!(!sql.is_empty(), "empty statement");
        assert_eq!(sql, sql.trim_matches(is_sql_space), "statement not trimmed");
        assert!(statement.line >= 1 && statement.line <= starts.len(), "line {} outside the input", statement.line);
        let offset = find_on_line(input, sql, cursor, &starts, statement.line)
            .unwrap_or_else(|| panic!("{sql:?} not found on line {} after byte {cursor}", statement.line));
        assert!(input.is_char_boundary(offset) && input.is_char_boundary(offset + sql.len()));
        cursor = offset + sql.len();
    }
}

/// Whitespace as the engines' lexers see it (ASCII only; U+00A0 is a word
/// character to them).
fn is_sql_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// Byte offsets where each line starts (line 1 at index 0).
fn line_starts(input: &str) -> Vec<usize> {
    std::iter::once(0).chain(input.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The first occurrence of `needle` at or after `from` that starts on
/// `line`: the earliest one leaves the most room for the statements after it.
fn find_on_line(input: &str, needle: &str, from: usize, starts: &[usize], line: usize) -> Option<usize> {
    let line_start = starts[line - 1];
    let line_end = starts.get(line).copied().unwrap_or(input.len() + 1);
    let mut at = from.max(line_start);
    while at < line_end && at <= input.len() {
        if input.is_char_boundary(at) && input[at..].starts_with(needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}
