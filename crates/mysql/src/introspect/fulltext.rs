//! The parser of FULLTEXT indexes (`WITH PARSER ngram`), which no
//! `information_schema` table holds: it is read from `SHOW CREATE TABLE`,
//! and only for tables with a FULLTEXT index on a server where a full-text
//! parser plugin is loaded (MySQL 8 always has `ngram`; a stock MariaDB has
//! none), so introspection stays at a fixed number of queries otherwise.

use std::collections::BTreeMap;

use schemasync_model::IndexKind;

use super::tables::Tables;

/// Tables with a FULLTEXT index, whose parser may need reading.
pub(super) fn tables_with_fulltext(tables: &Tables) -> Vec<String> {
    tables
        .values()
        .filter(|t| t.indexes.values().any(|i| matches!(i.kind, IndexKind::Fulltext { .. })))
        .map(|t| t.name.name.clone())
        .collect()
}

/// Record the parsers `SHOW CREATE TABLE` printed for `table`.
pub(super) fn apply_parsers(tables: &mut Tables, table: &str, create_table: &str) {
    let Some(table) = tables.get_mut(table) else { return };
    for (index, parser) in parsers(create_table) {
        if let Some(index) = table.indexes.get_mut(&index)
            && let IndexKind::Fulltext { parser: slot } = &mut index.kind
        {
            *slot = Some(parser);
        }
    }
}

/// Index name → parser name, from the `FULLTEXT KEY` lines of a
/// `SHOW CREATE TABLE` text. Both servers print the parser in a versioned
/// comment, `` FULLTEXT KEY `ft` (`body`) /*!50100 WITH PARSER `ngram` */ ``;
/// the bare form `WITH PARSER ngram` is read too.
pub(super) fn parsers(create_table: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in create_table.lines() {
        let line = line.trim_start();
        let Some(rest) = strip_prefix_ci(line, "FULLTEXT KEY ").or_else(|| strip_prefix_ci(line, "FULLTEXT INDEX "))
        else {
            continue;
        };
        let Some((name, rest)) = identifier(rest) else { continue };
        if let Some(parser) = parser_after(rest) {
            out.insert(name, parser);
        }
    }
    out
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// A `` `quoted` `` (doubled backticks inside) or bare identifier at the
/// start of `s`, and the text after it.
fn identifier(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start();
    if let Some(quoted) = s.strip_prefix('`') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '`' {
                if chars.peek().is_some_and(|(_, next)| *next == '`') {
                    chars.next();
                    name.push('`');
                } else {
                    return Some((name, &quoted[i + 1..]));
                }
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(s.len());
    (end > 0).then(|| (s[..end].to_owned(), &s[end..]))
}

/// The parser named by `WITH PARSER` outside string literals and quoted
/// names in the rest of a key line (a comment may contain the words).
fn parser_after(rest: &str) -> Option<String> {
    let bytes = rest.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == b'\\' && q != b'`' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if matches!(b, b'\'' | b'"' | b'`') => quote = Some(b),
            None => {
                if let Some(after) = rest.get(i..).and_then(|tail| strip_prefix_ci(tail, "WITH PARSER ")) {
                    return identifier(after).map(|(name, _)| name);
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parsers_of_both_servers() {
        let mysql8 = "CREATE TABLE `docs` (\n  `id` int NOT NULL,\n  `body` text,\n  `t` text,\n  PRIMARY KEY (`id`),\n  \
                      FULLTEXT KEY `ft` (`body`) /*!50100 WITH PARSER `ngram` */ ,\n  \
                      FULLTEXT KEY `plain` (`t`),\n  \
                      FULLTEXT KEY `odd``name` (`t`) COMMENT 'not WITH PARSER x' /*!50100 WITH PARSER `mecab` */ \n\
                      ) ENGINE=InnoDB";
        let found = parsers(mysql8);
        assert_eq!(found.get("ft").map(String::as_str), Some("ngram"));
        assert_eq!(found.get("odd`name").map(String::as_str), Some("mecab"));
        assert!(!found.contains_key("plain"));
        assert_eq!(found.len(), 2);
        let bare = "  FULLTEXT INDEX ft2 (`b`) WITH PARSER simple_parser,";
        assert_eq!(parsers(bare).get("ft2").map(String::as_str), Some("simple_parser"));
        // The words inside a comment are not a parser.
        assert!(parsers("  FULLTEXT KEY `c` (`b`) COMMENT 'it''s WITH PARSER x'").is_empty());
        assert!(parsers("  KEY `k` (`b`) /*!50100 WITH PARSER `ngram` */").is_empty());
        assert!(parsers("  FULLTEXT KEY `unterminated").is_empty());
    }
}
