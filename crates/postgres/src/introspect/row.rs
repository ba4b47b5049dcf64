//! Typed reads of catalog rows: a missing or mistyped column is a
//! [`PostgresError::Decode`], never a panic.

use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::PostgresError;

/// One catalog row and what it describes, for error messages.
pub(crate) struct Fields<'a> {
    row: &'a Row,
    what: &'static str,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(row: &'a Row, what: &'static str) -> Self {
        Fields { row, what }
    }

    pub(crate) fn get<T: FromSql<'a>>(&self, column: &str) -> Result<T, PostgresError> {
        self.row.try_get(column).map_err(|e| PostgresError::Decode {
            what: format!("reading {}", self.what),
            message: format!("column {column}: {e}"),
        })
    }

    /// A text column that may be NULL, with NULL and '' both meaning "none".
    pub(crate) fn text_opt(&self, column: &str) -> Result<Option<String>, PostgresError> {
        Ok(self.get::<Option<String>>(column)?.filter(|s| !s.is_empty()))
    }

    /// A one-character `"char"` column read as text (`relkind::text`).
    pub(crate) fn flag(&self, column: &str) -> Result<char, PostgresError> {
        Ok(self.get::<String>(column)?.chars().next().unwrap_or('\0'))
    }

    /// A text array that may hold NULL entries.
    pub(crate) fn opt_list(&self, column: &str) -> Result<Vec<Option<String>>, PostgresError> {
        Ok(self.get::<Option<Vec<Option<String>>>>(column)?.unwrap_or_default())
    }

    /// A text array without NULL entries.
    pub(crate) fn list(&self, column: &str) -> Result<Vec<String>, PostgresError> {
        Ok(self.get::<Option<Vec<String>>>(column)?.unwrap_or_default())
    }

    pub(crate) fn unexpected(&self, message: impl Into<String>) -> PostgresError {
        PostgresError::Decode { what: format!("reading {}", self.what), message: message.into() }
    }
}
