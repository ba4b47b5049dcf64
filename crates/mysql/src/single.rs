//! Whether a text is one statement, for DDL that must be sent as text
//! (MySQL 8 cannot prepare stored-program definitions). The server runs every
//! statement of a multi-statement text, so a text that would run more than
//! the one statement it was meant to be is refused before it is sent.
//!
//! The check errs on the side of refusing: a `;` is accepted only inside a
//! stored program's compound statement (`BEGIN ... END`, `CASE`, `IF`,
//! `LOOP`, `REPEAT`, `WHILE`), and executable comments (`/*! ... */`), whose
//! contents the server runs, are refused.

/// `Ok` when `sql` holds exactly one statement; else why not.
pub(crate) fn check_single_statement(sql: &str) -> Result<(), String> {
    let words = significant_words(sql)?;
    let mut depth: usize = 0;
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str);
        match word {
            ";" if depth == 0 => {
                return Err("the text holds more than one statement".into());
            }
            "BEGIN" | "LOOP" | "WHILE" | "CASE" => depth += 1,
            // IF(...) and REPEAT(...) are also functions.
            "IF" | "REPEAT" if next != Some("(") => depth += 1,
            "END" => {
                depth = depth.saturating_sub(1);
                if matches!(next, Some("IF" | "LOOP" | "REPEAT" | "WHILE" | "CASE")) {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Upper-cased words and single punctuation characters outside strings,
/// quoted identifiers and comments.
fn significant_words(sql: &str) -> Result<Vec<String>, String> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' | b'"' | b'`' => i = skip_quoted(bytes, i)?,
            b'#' => i = line_end(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-')
                && bytes.get(i + 2).is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_control()) =>
            {
                i = line_end(bytes, i)
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                if matches!(bytes.get(i + 2), Some(b'!' | b'M')) {
                    return Err("the text holds an executable comment".into());
                }
                let end = sql[i + 2..].find("*/").ok_or("the text has an unterminated comment")?;
                i += 2 + end + 2;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'$') || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                out.push(sql[start..i].to_ascii_uppercase());
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ => {
                out.push((b as char).to_string());
                i += 1;
            }
        }
    }
    Ok(out)
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| from + p + 1)
}

/// The index after the quoted text that starts at `start`; backslash escapes
/// apply in strings (the apply session's sql_mode has no NO_BACKSLASH_ESCAPES).
fn skip_quoted(bytes: &[u8], start: usize) -> Result<usize, String> {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == b'\\' && quote != b'`' {
            i += 2;
        } else if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return Ok(i + 1);
            }
        } else {
            i += 1;
        }
    }
    Err("the text has an unterminated quote".into())
}

#[cfg(test)]
mod tests {
    use super::check_single_statement as check;

    #[test]
    fn stored_programs_with_bodies_are_one_statement() {
        assert!(check("CREATE PROCEDURE `p`()\nBEGIN SELECT 1; IF a THEN SELECT 2; END IF; END").is_ok());
        assert!(check("CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = 'a;b'").is_ok());
        assert!(check("CREATE FUNCTION `f`() RETURNS int RETURN IF(1, 2, 3)").is_ok());
        assert!(check("CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END").is_ok());
        assert!(check("ALTER TABLE `t` ADD COLUMN `a;` int -- x;\n").is_ok());
    }

    #[test]
    fn a_second_statement_is_refused() {
        assert!(
            check("CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = 'x\\''; DROP TABLE v").is_err()
        );
        assert!(check("CREATE PROCEDURE p() BEGIN SELECT 1; END; DROP TABLE v").is_err());
        assert!(check("SELECT 1 /*! ; DROP TABLE v */").is_err());
        assert!(check("SELECT 'unterminated").is_err());
        assert!(check("SELECT 1;").is_err());
    }
}
