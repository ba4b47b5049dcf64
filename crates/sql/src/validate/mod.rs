//! Validation of every text a schema hands to emit, before it reaches SQL.
//!
//! Emit writes type names, expressions, bodies and some options verbatim
//! (that is what makes a sync converge: the engine reads back what it
//! printed). A schema from a JSON snapshot, a history version or code is not
//! what an engine printed, so each such field is checked against a rule for
//! where emit writes it: a type name stays a type name, an expression one
//! expression, a body one statement. Names and literals are quoted by emit
//! and only have to be free of NUL bytes.
//!
//! ```
//! use schemasync_model::{Column, Dialect, Schema, Table};
//!
//! let mut schema = Schema::new(Dialect::Sqlite);
//! schema.add_table(Table::new("t").with_column(Column::new("id", "integer); DROP TABLE victim; --")))?;
//! let problems = schemasync_sql::schema_problems(&schema);
//! assert_eq!(problems[0].path, r#"tables["t"].columns["id"].data_type"#);
//! assert!(schemasync_sql::validate_schema(&schema).is_err());
//! # Ok::<(), schemasync_model::ModelError>(())
//! ```

mod body;
mod fragment;
mod program;
mod scan;
mod structure;
mod walk;

use schemasync_model::Schema;

use crate::{Problem, SqlError};

pub(crate) use walk::qualified as qualified_key;

/// Every problem of `schema`: text that would not stay in its clause, and
/// shape errors (duplicate columns, keys on missing columns, duplicate
/// constraint names). Empty when the schema can go to emit.
pub fn schema_problems(schema: &Schema) -> Vec<Problem> {
    let mut walker = walk::Walker::new(schema.dialect);
    walker.schema(schema);
    let mut problems = walker.problems;
    structure::check(schema, &mut problems);
    problems
}

/// [`schema_problems`] as a result: `Err(SqlError::InvalidSchema)` naming
/// every problem.
pub fn validate_schema(schema: &Schema) -> Result<(), SqlError> {
    let problems = schema_problems(schema);
    if problems.is_empty() { Ok(()) } else { Err(SqlError::InvalidSchema { problems }) }
}

#[cfg(test)]
mod mysql_tests;
#[cfg(test)]
mod tests;
