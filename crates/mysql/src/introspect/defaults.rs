//! Column defaults and `EXTRA` flags, normalized to SQL text that can be
//! written back after `DEFAULT` / `ON UPDATE` and reads back the same.
//!
//! MariaDB 10.2.7+ already prints `COLUMN_DEFAULT` as an expression (`'abc'`,
//! `5`, `current_timestamp()`, `NULL` for a NULL default). MySQL prints the
//! bare literal (`abc`) and marks expression defaults with
//! `DEFAULT_GENERATED` in `EXTRA`; both are turned into the MariaDB-like form.

use schemasync_model::Dialect;

use crate::Flavor;
use crate::text::{unescape_mysql8_expression, unwrap_parens};

/// The flags of `information_schema.COLUMNS.EXTRA`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Extra {
    pub(super) auto_increment: bool,
    pub(super) invisible: bool,
    /// `Some(stored)` for a generated column.
    pub(super) generated_stored: Option<bool>,
    /// MySQL: the default is an expression.
    pub(super) default_generated: bool,
    /// Normalized `ON UPDATE` expression.
    pub(super) on_update: Option<String>,
}

impl Extra {
    /// `auto_increment, INVISIBLE`, `on update current_timestamp(3)`,
    /// `DEFAULT_GENERATED on update CURRENT_TIMESTAMP`, `VIRTUAL GENERATED`, ...
    pub(super) fn parse(extra: &str) -> Extra {
        let lower = extra.to_ascii_lowercase();
        let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        let has = |w: &str| words.contains(&w);
        let generated_stored = if lower.contains("stored generated") {
            Some(true)
        } else if lower.contains("virtual generated") {
            Some(false)
        } else {
            None
        };
        let on_update = words
            .windows(3)
            .find(|w| w[0] == "on" && w[1] == "update")
            .map(|w| normalize_current_timestamp(w[2]).unwrap_or_else(|| w[2].to_owned()));
        Extra {
            auto_increment: has("auto_increment"),
            invisible: has("invisible"),
            generated_stored,
            default_generated: has("default_generated"),
            on_update,
        }
    }
}

/// `CURRENT_TIMESTAMP`, `current_timestamp()`, `CURRENT_TIMESTAMP(3)` →
/// `current_timestamp()` / `current_timestamp(3)`; `None` for anything else.
pub(super) fn normalize_current_timestamp(s: &str) -> Option<String> {
    let lower = s.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("current_timestamp")?;
    if rest.is_empty() || rest == "()" {
        return Some("current_timestamp()".to_owned());
    }
    let digits = rest.strip_prefix('(')?.strip_suffix(')')?.trim();
    digits.chars().all(|c| c.is_ascii_digit()).then(|| format!("current_timestamp({digits})"))
}

/// Types whose MySQL defaults are printed as SQL already (numbers, `b'101'`).
fn unquoted_type(data_type: &str) -> bool {
    matches!(
        data_type.to_ascii_lowercase().as_str(),
        "tinyint"
            | "smallint"
            | "mediumint"
            | "int"
            | "integer"
            | "bigint"
            | "decimal"
            | "numeric"
            | "float"
            | "double"
            | "real"
            | "bit"
            | "year"
    )
}

/// The default as SQL text, `None` when there is none or it is NULL.
/// `data_type` is `COLUMN.DATA_TYPE` (`varchar`, `int`).
pub(super) fn normalize_default(
    flavor: Flavor,
    raw: Option<&str>,
    data_type: &str,
    default_generated: bool,
) -> Option<String> {
    let raw = raw?;
    if flavor.mariadb {
        // An unquoted NULL is the NULL default; the string 'NULL' is quoted.
        if raw == "NULL" {
            return None;
        }
        return Some(normalize_current_timestamp(raw).unwrap_or_else(|| raw.to_owned()));
    }
    if let Some(now) = normalize_current_timestamp(raw) {
        return Some(now);
    }
    if default_generated {
        let expr = unescape_mysql8_expression(raw);
        return Some(format!("({})", unwrap_parens(&expr)));
    }
    if unquoted_type(data_type) || raw.starts_with("0x") && !data_type.contains("char") && !data_type.contains("text") {
        return Some(raw.to_owned());
    }
    Some(Dialect::MySql.quote_string(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARIADB: Flavor = Flavor { mariadb: true, version: (10, 11, 0) };
    const MYSQL: Flavor = Flavor { mariadb: false, version: (8, 0, 36) };

    #[test]
    fn parses_extra() {
        let e = Extra::parse("auto_increment, INVISIBLE");
        assert!(e.auto_increment && e.invisible && e.generated_stored.is_none());
        let e = Extra::parse("DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)");
        assert!(e.default_generated);
        assert_eq!(e.on_update.as_deref(), Some("current_timestamp(3)"));
        assert_eq!(Extra::parse("on update current_timestamp()").on_update.as_deref(), Some("current_timestamp()"));
        assert_eq!(Extra::parse("STORED GENERATED").generated_stored, Some(true));
        assert_eq!(Extra::parse("VIRTUAL GENERATED").generated_stored, Some(false));
        assert_eq!(Extra::parse(""), Extra::default());
    }

    /// `EXTRA` as MySQL 8.0 prints it.
    #[test]
    fn parses_mysql8_extra() {
        let e = Extra::parse("DEFAULT_GENERATED INVISIBLE");
        assert!(e.default_generated && e.invisible && e.on_update.is_none());
        let e = Extra::parse("auto_increment INVISIBLE");
        assert!(e.auto_increment && e.invisible);
        let e = Extra::parse("STORED GENERATED INVISIBLE");
        assert_eq!((e.generated_stored, e.invisible), (Some(true), true));
        let e = Extra::parse("DEFAULT_GENERATED on update CURRENT_TIMESTAMP");
        assert_eq!(e.on_update.as_deref(), Some("current_timestamp()"));
        assert!(!Extra::parse("VIRTUAL GENERATED").default_generated);
    }

    #[test]
    fn mysql8_expression_defaults_get_one_pair_of_parentheses() {
        let d = |raw: &str, ty: &str| normalize_default(MYSQL, Some(raw), ty, true);
        assert_eq!(d("CURRENT_TIMESTAMP", "timestamp").as_deref(), Some("current_timestamp()"));
        assert_eq!(d("json_array()", "json").as_deref(), Some("(json_array())"));
        assert_eq!(d("(curdate() + interval 1 day)", "date").as_deref(), Some("(curdate() + interval 1 day)"));
        assert_eq!(d("(`a` + 1) * 2", "int").as_deref(), Some("((`a` + 1) * 2)"));
        assert_eq!(d("_utf8mb4\\'x\\'", "text").as_deref(), Some("(_utf8mb4'x')"));
        // Literal defaults are not DEFAULT_GENERATED.
        assert_eq!(normalize_default(MYSQL, Some(""), "varchar", false).as_deref(), Some("''"));
        assert_eq!(normalize_default(MYSQL, Some("NULL"), "varchar", false).as_deref(), Some("'NULL'"));
        assert_eq!(normalize_default(MYSQL, Some("-1.50"), "decimal", false).as_deref(), Some("-1.50"));
        assert_eq!(normalize_default(MYSQL, Some("10:00:00"), "time", false).as_deref(), Some("'10:00:00'"));
        assert_eq!(normalize_default(MYSQL, None, "int", false), None);
    }

    #[test]
    fn mariadb_defaults_are_expressions_already() {
        assert_eq!(normalize_default(MARIADB, Some("NULL"), "int", false), None);
        assert_eq!(normalize_default(MARIADB, Some("'NULL'"), "varchar", false).as_deref(), Some("'NULL'"));
        assert_eq!(
            normalize_default(MARIADB, Some("current_timestamp()"), "timestamp", false).as_deref(),
            Some("current_timestamp()")
        );
        assert_eq!(normalize_default(MARIADB, Some("(1 + 2)"), "int", false).as_deref(), Some("(1 + 2)"));
        assert_eq!(normalize_default(MARIADB, None, "int", false), None);
    }

    #[test]
    fn mysql_defaults_are_quoted_or_wrapped() {
        assert_eq!(normalize_default(MYSQL, Some("abc"), "varchar", false).as_deref(), Some("'abc'"));
        assert_eq!(normalize_default(MYSQL, Some("it's"), "enum", false).as_deref(), Some("'it''s'"));
        assert_eq!(normalize_default(MYSQL, Some("1.50"), "decimal", false).as_deref(), Some("1.50"));
        assert_eq!(normalize_default(MYSQL, Some("b'101'"), "bit", false).as_deref(), Some("b'101'"));
        assert_eq!(normalize_default(MYSQL, Some("2020-01-01"), "date", false).as_deref(), Some("'2020-01-01'"));
        assert_eq!(
            normalize_default(MYSQL, Some("CURRENT_TIMESTAMP(3)"), "datetime", true).as_deref(),
            Some("current_timestamp(3)")
        );
        assert_eq!(normalize_default(MYSQL, Some("uuid()"), "varchar", true).as_deref(), Some("(uuid())"));
        assert_eq!(normalize_default(MYSQL, Some("(1 + 2)"), "int", true).as_deref(), Some("(1 + 2)"));
        assert_eq!(
            normalize_default(MYSQL, Some("concat(_utf8mb4\\'a\\')"), "varchar", true).as_deref(),
            Some("(concat(_utf8mb4'a'))")
        );
        assert_eq!(normalize_default(MYSQL, Some("0x00FF"), "varbinary", false).as_deref(), Some("0x00FF"));
    }
}
