//! Taking apart the few deparsed texts whose pieces the model stores
//! separately: `CHECK (...)` of a constraint, `WHEN (...)` and `EXECUTE
//! FUNCTION ...` of a trigger, the key list of `PARTITION BY`.
//!
//! The scanner skips string literals, quoted identifiers and dollar quotes,
//! so parentheses and keywords inside them are not taken for structure.

/// Byte ranges of the input that are code (outside literals and quoted names).
fn code_mask(text: &str) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut mask = vec![true; bytes.len()];
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
            }
            b'$' => {
                let tag_end = bytes[i + 1..].iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
                match tag_end.map(|n| i + 1 + n) {
                    Some(end) if bytes[end] == b'$' => {
                        let tag = &text[i..=end];
                        match text[end + 1..].find(tag) {
                            Some(close) => i = end + 1 + close + tag.len(),
                            None => i = bytes.len(),
                        }
                    }
                    _ => {
                        i += 1;
                        continue;
                    }
                }
            }
            _ => {
                i += 1;
                continue;
            }
        }
        for m in &mut mask[start..i] {
            *m = false;
        }
    }
    mask
}

/// The text between the parenthesis at `open` and its match.
fn balanced(text: &str, mask: &[bool], open: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    for (i, b) in bytes.iter().enumerate().skip(open) {
        if !mask[i] {
            continue;
        }
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((open + 1, i));
                }
            }
            _ => {}
        }
    }
    None
}

/// Position of `keyword` followed by `(` in code, at a word boundary.
fn find_keyword_paren(text: &str, mask: &[bool], keyword: &str) -> Option<usize> {
    let upper = text.to_ascii_uppercase();
    let mut from = 0;
    while let Some(pos) = upper[from..].find(keyword).map(|p| p + from) {
        let before_ok = pos == 0 || !is_word(upper.as_bytes()[pos - 1]);
        let after = pos + keyword.len();
        let rest = &text[after..];
        let paren = after + (rest.len() - rest.trim_start().len());
        if before_ok && mask[pos] && text.as_bytes().get(paren) == Some(&b'(') {
            return Some(paren);
        }
        from = pos + keyword.len();
    }
    None
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `CHECK ((a > 0)) NOT VALID` → `(a > 0)`.
pub(crate) fn check_expression(definition: &str) -> Option<String> {
    let mask = code_mask(definition);
    let open = find_keyword_paren(definition, &mask, "CHECK")?;
    let (start, end) = balanced(definition, &mask, open)?;
    Some(definition[start..end].to_owned())
}

/// The `WHEN (...)` condition of `pg_get_triggerdef`, without its own parentheses.
pub(crate) fn trigger_when(definition: &str) -> Option<String> {
    let mask = code_mask(definition);
    let open = find_keyword_paren(definition, &mask, "WHEN")?;
    let (start, end) = balanced(definition, &mask, open)?;
    Some(definition[start..end].to_owned())
}

/// `EXECUTE FUNCTION schema.f(args)` to the end of `pg_get_triggerdef`.
pub(crate) fn trigger_body(definition: &str) -> Option<String> {
    let mask = code_mask(definition);
    let upper = definition.to_ascii_uppercase();
    let mut from = 0;
    while let Some(pos) = upper[from..].find(" EXECUTE FUNCTION ").map(|p| p + from) {
        if mask[pos + 1] {
            return Some(definition[pos + 1..].trim_end().to_owned());
        }
        from = pos + 1;
    }
    None
}

/// `RANGE (a, lower(b))` → (`RANGE`, [`a`, `lower(b)`]).
pub(crate) fn partition_key(definition: &str) -> Option<(String, Vec<String>)> {
    let mask = code_mask(definition);
    let open = definition.find('(')?;
    let strategy = definition[..open].trim().to_ascii_uppercase();
    let (start, end) = balanced(definition, &mask, open)?;
    Some((strategy, split_top_level(&definition[start..end], &mask[start..end])))
}

fn split_top_level(text: &str, mask: &[bool]) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        if !mask[i] {
            continue;
        }
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b',' if depth == 0 => {
                parts.push(text[last..i].trim().to_owned());
                last = i + 1;
            }
            _ => {}
        }
    }
    let tail = text[last..].trim();
    if !tail.is_empty() {
        parts.push(tail.to_owned());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks() {
        assert_eq!(check_expression("CHECK ((a > 0)) NOT VALID").as_deref(), Some("(a > 0)"));
        assert_eq!(
            check_expression("CHECK (((b)::text <> ')'::text)) NO INHERIT").as_deref(),
            Some("((b)::text <> ')'::text)")
        );
        assert_eq!(check_expression("CHECK ((\"CHECK(\" > 1))").as_deref(), Some("(\"CHECK(\" > 1)"));
        assert_eq!(check_expression("PRIMARY KEY (a)"), None);
    }

    #[test]
    fn triggers() {
        let def = "CREATE TRIGGER trg BEFORE UPDATE OF a ON public.t FOR EACH ROW \
                   WHEN ((old.a IS DISTINCT FROM new.a)) EXECUTE FUNCTION public.tf('WHEN (x)')";
        assert_eq!(trigger_when(def).as_deref(), Some("(old.a IS DISTINCT FROM new.a)"));
        assert_eq!(trigger_body(def).as_deref(), Some("EXECUTE FUNCTION public.tf('WHEN (x)')"));
        let def = "CREATE TRIGGER \"WHEN (\" AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION public.tf()";
        assert_eq!(trigger_when(def), None);
        assert_eq!(trigger_body(def).as_deref(), Some("EXECUTE FUNCTION public.tf()"));
    }

    #[test]
    fn partition_keys() {
        let (s, k) = partition_key("RANGE (a, lower(b), (c || ','::text))").unwrap();
        assert_eq!(s, "RANGE");
        assert_eq!(k, vec!["a", "lower(b)", "(c || ','::text)"]);
        let (s, k) = partition_key("HASH (\"Odd, name\")").unwrap();
        assert_eq!((s.as_str(), k), ("HASH", vec!["\"Odd, name\"".to_owned()]));
    }
}
