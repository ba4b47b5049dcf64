//! Where in a `.sql` file a failing statement is: the server reports a
//! position inside the statement it was sent, and a reader needs the line
//! and column of the file.

use schemasync_sql::LocatedStatement;

/// How many characters of a statement an error quotes: enough to recognise
/// it, never the whole script.
const PREVIEW_CHARS: usize = 60;

/// The byte offset of each statement in `script`, found in order from the
/// line the splitter says it starts on (statement texts are verbatim slices
/// of the script). `None` when a statement cannot be found, which only
/// costs its column.
pub(crate) fn statement_offsets(script: &str, statements: &[LocatedStatement]) -> Vec<Option<usize>> {
    let mut line_starts = vec![0];
    line_starts.extend(script.match_indices('\n').map(|(i, _)| i + 1));
    let mut cursor = 0;
    statements
        .iter()
        .map(|statement| {
            let line_start = line_starts.get(statement.line.saturating_sub(1)).copied().unwrap_or(cursor);
            let from = cursor.max(line_start);
            let found = script.get(from..).and_then(|rest| rest.find(&statement.sql)).map(|i| from + i);
            if let Some(at) = found {
                cursor = at + statement.sql.len();
            }
            found
        })
        .collect()
}

/// 1-based line and column (in characters) of byte `offset` of `script`.
pub(crate) fn line_column(script: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(script.len());
    while !script.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &script[..offset];
    let line = 1 + before.bytes().filter(|&b| b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, 1 + before[line_start..].chars().count())
}

/// Where in the file the error is: `at line L, column C` when the position
/// inside the statement is known (`chars_in` counted from 0), else the line
/// the statement starts on; then the statement's first words.
pub(crate) fn describe(
    script: &str,
    statement: &LocatedStatement,
    offset: Option<usize>,
    chars_in: Option<usize>,
) -> String {
    let place = match (offset, chars_in) {
        (Some(start), Some(chars)) => {
            let inner = statement.sql.char_indices().nth(chars).map_or(statement.sql.len(), |(i, _)| i);
            let (line, column) = line_column(script, start + inner);
            format!("at line {line}, column {column}")
        }
        _ => format!("at line {}", statement.line),
    };
    format!("{place} (statement `{}`)", preview(&statement.sql))
}

/// The first words of a statement on one line.
pub(crate) fn preview(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= PREVIEW_CHARS {
        return joined;
    }
    let cut: String = joined.chars().take(PREVIEW_CHARS).collect();
    format!("{}...", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use schemasync_model::Dialect;
    use schemasync_sql::split_statements_located;

    use super::*;

    #[test]
    fn maps_a_position_in_a_statement_to_the_file() {
        let script = "-- header\nCREATE TABLE a (id int); CREATE TABLE b (\n  id int,\n  nme tex\n);\n";
        let statements = split_statements_located(script, Dialect::Postgres).unwrap();
        let offsets = statement_offsets(script, &statements);
        assert_eq!(offsets, [Some(10), Some(35)]);
        // "tex" is character 33 (0-based) of the second statement.
        let at = statements[1].sql.find("tex").unwrap();
        let text = describe(script, &statements[1], offsets[1], Some(at));
        assert_eq!(text, "at line 4, column 7 (statement `CREATE TABLE b ( id int, nme tex )`)");
        assert_eq!(describe(script, &statements[0], None, None), "at line 2 (statement `CREATE TABLE a (id int)`)");
    }

    #[test]
    fn columns_count_characters_and_statements_are_found_after_comments() {
        let script = "-- SELECT 1\nSELECT 'é'; SELECT 1";
        let statements = split_statements_located(script, Dialect::Postgres).unwrap();
        let offsets = statement_offsets(script, &statements);
        assert_eq!(offsets[1], Some(script.rfind("SELECT 1").unwrap()));
        assert_eq!(line_column(script, offsets[1].unwrap()), (2, 13));
        assert_eq!(line_column(script, 999), (2, 21));
    }

    #[test]
    fn previews_are_short_and_on_one_line() {
        assert_eq!(preview("CREATE  TABLE\n t (a int)"), "CREATE TABLE t (a int)");
        let long = format!("CREATE TABLE t ({})", "a int, ".repeat(40));
        let shown = preview(&long);
        assert!(shown.ends_with("...") && shown.chars().count() <= PREVIEW_CHARS + 3, "{shown}");
    }
}
