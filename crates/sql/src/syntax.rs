//! Which lexical rules apply in each dialect.

use schemasync_model::Dialect;

/// The lexical differences between dialects that matter for finding where
/// statements end and where whitespace may be collapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syntax {
    pub dialect: Option<Dialect>,
    /// `\'` escapes inside single- and double-quoted strings (MySQL default
    /// `sql_mode`).
    pub backslash_escapes: bool,
    /// MySQL reads `"..."` as a string, so backslash escapes apply inside it.
    pub double_quote_is_string: bool,
    pub backtick_identifiers: bool,
    pub bracket_identifiers: bool,
    pub hash_comments: bool,
    /// MySQL only starts a `--` comment when whitespace follows, so `1--1` is arithmetic.
    pub dash_comment_needs_space: bool,
    pub nested_block_comments: bool,
    /// MySQL `/*! ... */` and MariaDB `/*M! ... */` are executed, not ignored.
    pub executable_comments: bool,
    pub dollar_quotes: bool,
    /// PostgreSQL `E'...'` strings take backslash escapes.
    pub escape_string_prefix: bool,
}

impl Syntax {
    pub(crate) fn for_dialect(dialect: Dialect) -> Syntax {
        match dialect {
            Dialect::Postgres => Syntax {
                dialect: Some(dialect),
                backtick_identifiers: false,
                nested_block_comments: true,
                dollar_quotes: true,
                escape_string_prefix: true,
                ..Syntax::generic()
            },
            Dialect::MySql => Syntax {
                dialect: Some(dialect),
                backslash_escapes: true,
                double_quote_is_string: true,
                hash_comments: true,
                dash_comment_needs_space: true,
                executable_comments: true,
                dollar_quotes: false,
                escape_string_prefix: false,
                ..Syntax::generic()
            },
            Dialect::Sqlite => Syntax {
                dialect: Some(dialect),
                bracket_identifiers: true,
                dollar_quotes: false,
                escape_string_prefix: false,
                ..Syntax::generic()
            },
            // A dialect added to the model later gets the standard rules until
            // it is taught here.
            _ => Syntax::generic(),
        }
    }

    /// Standard SQL plus the PostgreSQL extensions that cannot be mistaken for
    /// anything else in the other dialects.
    pub(crate) fn generic() -> Syntax {
        Syntax {
            dialect: None,
            backslash_escapes: false,
            double_quote_is_string: false,
            backtick_identifiers: true,
            bracket_identifiers: false,
            hash_comments: false,
            dash_comment_needs_space: false,
            nested_block_comments: false,
            executable_comments: false,
            dollar_quotes: true,
            escape_string_prefix: true,
        }
    }
}
