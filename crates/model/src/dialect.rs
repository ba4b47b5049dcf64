//! SQL dialects and the one identifier-escaping function per dialect.
//!
//! Every identifier that reaches generated SQL goes through [`Dialect::quote_ident`]
//! (or [`Dialect::quote_qualified`]); string literals go through
//! [`Dialect::quote_string`]. Nothing else in the workspace builds quoted names.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::QualifiedName;

/// The database engine family a schema belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Dialect {
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    #[serde(rename = "mysql")]
    MySql,
    /// SQLite.
    Sqlite,
}

impl Dialect {
    /// Quote an identifier so that any name, including one with quotes,
    /// semicolons, spaces or non-ASCII characters, is read back verbatim.
    pub fn quote_ident(self, name: &str) -> String {
        let (open, close) = match self {
            Dialect::Postgres | Dialect::Sqlite => ('"', '"'),
            Dialect::MySql => ('`', '`'),
        };
        let mut out = String::with_capacity(name.len() + 2);
        out.push(open);
        for ch in name.chars() {
            if ch == close {
                out.push(close);
            }
            out.push(ch);
        }
        out.push(close);
        out
    }

    /// Quote a possibly schema-qualified name.
    pub fn quote_qualified(self, name: &QualifiedName) -> String {
        match &name.schema {
            Some(schema) => format!("{}.{}", self.quote_ident(schema), self.quote_ident(&name.name)),
            None => self.quote_ident(&name.name),
        }
    }

    /// Quote a string literal (comments, enum labels, ...).
    pub fn quote_string(self, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('\'');
        for ch in value.chars() {
            match ch {
                '\'' => out.push_str("''"),
                // MySQL treats backslash as an escape character by default.
                '\\' if self == Dialect::MySql => out.push_str("\\\\"),
                _ => out.push(ch),
            }
        }
        out.push('\'');
        out
    }

    /// The lowercase name used in URLs, JSON and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
            Dialect::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_hostile_identifiers() {
        let name = "a\"b; DROP TABLE x";
        assert_eq!(Dialect::Postgres.quote_ident(name), "\"a\"\"b; DROP TABLE x\"");
        assert_eq!(Dialect::Sqlite.quote_ident(name), "\"a\"\"b; DROP TABLE x\"");
        assert_eq!(Dialect::MySql.quote_ident("a`b"), "`a``b`");
        assert_eq!(Dialect::MySql.quote_ident(name), "`a\"b; DROP TABLE x`");
    }

    #[test]
    fn quotes_strings() {
        assert_eq!(Dialect::Sqlite.quote_string("it's"), "'it''s'");
        assert_eq!(Dialect::MySql.quote_string("a\\b'c"), "'a\\\\b''c'");
        assert_eq!(Dialect::Postgres.quote_string("a\\b"), "'a\\b'");
    }

    #[test]
    fn qualified_names() {
        let q = QualifiedName::new(Some("my schema"), "t");
        assert_eq!(Dialect::Postgres.quote_qualified(&q), "\"my schema\".\"t\"");
        assert_eq!(Dialect::Sqlite.quote_qualified(&QualifiedName::bare("t")), "\"t\"");
    }
}
