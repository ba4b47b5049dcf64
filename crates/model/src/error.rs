//! Errors of the model crate.

/// What can go wrong building, editing or reading a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A JSON snapshot could not be read.
    #[error("invalid schema JSON: {0}")]
    Json(String),
    /// An object with this name already exists.
    #[error("{0} already exists")]
    DuplicateObject(String),
    /// A column with this name already exists in the table.
    #[error("column {column} already exists in table {table}")]
    DuplicateColumn {
        /// Table.
        table: String,
        /// Column.
        column: String,
    },
    /// The named object does not exist.
    #[error("{0} does not exist")]
    NoSuchObject(String),
}
