//! Commands of the engines' command-line clients that appear in scripts but
//! are not SQL: MySQL `DELIMITER`, psql backslash meta-commands (pg_dump
//! writes `\restrict` and `\connect`), sqlite3 dot-commands.

use schemasync_model::Dialect;

/// Reads the argument of a `DELIMITER` command whose keyword ends at byte
/// `after_keyword`. Returns the new delimiter (if the line has one) and the
/// offset of the end of the command's line.
pub(crate) fn parse_command(src: &str, after_keyword: usize) -> (Option<&str>, usize) {
    let rest = &src[after_keyword..];
    let line_end = rest.find('\n').map_or(src.len(), |n| after_keyword + n);
    let argument = src[after_keyword..line_end].split_whitespace().next();
    (argument, line_end)
}

/// Whether the word just read starts a `DELIMITER` command: the keyword must
/// be followed by whitespace (or end the input, which is an error reported by
/// the caller).
pub(crate) fn is_command(src: &str, word_start: usize, word_end: usize) -> bool {
    src[word_start..word_end].eq_ignore_ascii_case("delimiter")
        && src.as_bytes().get(word_end).is_none_or(u8::is_ascii_whitespace)
}

/// Whether the one-character token at `start` begins a client meta-command
/// line that the client would consume itself: `\...` for psql, `.xxx` at the
/// start of a line for sqlite3. Returns the end of that line.
pub(crate) fn meta_command_end(src: &str, dialect: Dialect, start: usize) -> Option<usize> {
    let is_meta = match (dialect, src.as_bytes().get(start)) {
        (Dialect::Postgres, Some(b'\\')) => true,
        (Dialect::Sqlite, Some(b'.')) => {
            let line_start = src[..start].rfind('\n').map_or(0, |n| n + 1);
            src[line_start..start].trim().is_empty()
        }
        _ => false,
    };
    is_meta.then(|| src[start..].find('\n').map_or(src.len(), |n| start + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_argument_up_to_line_end() {
        let src = "DELIMITER ;;  \nSELECT 1;;";
        assert!(is_command(src, 0, 9));
        assert_eq!(parse_command(src, 9), (Some(";;"), 14));
        let src = "delimiter //";
        assert_eq!(parse_command(src, 9), (Some("//"), 12));
        assert_eq!(parse_command("DELIMITER \n", 9), (None, 10));
        assert!(!is_command("delimiter_x", 0, 9));
    }

    #[test]
    fn meta_commands_run_to_line_end() {
        let src = "\\restrict abc\nSET x = 1;";
        assert_eq!(meta_command_end(src, Dialect::Postgres, 0), Some(13));
        assert_eq!(meta_command_end(src, Dialect::MySql, 0), None);
        let src = "SELECT 1;\n  .mode csv\nSELECT a.b";
        assert_eq!(meta_command_end(src, Dialect::Sqlite, 12), Some(21));
        assert_eq!(meta_command_end(src, Dialect::Sqlite, 30), None);
    }
}
