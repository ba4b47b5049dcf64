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

/// Whether `sql` is exactly one statement to a MySQL or MariaDB server
/// whose session runs under `sql_mode` (`None`: a mode without ANSI_QUOTES
/// and NO_BACKSLASH_ESCAPES, as an apply session's).
///
/// The server runs every statement of a multi-statement text, so a text
/// sent as one statement must not hold a `;` that the server reads as the
/// end of one. It is read as the mode makes the server lex it (`"` quotes
/// an identifier under ANSI_QUOTES, a backslash is an ordinary character
/// under NO_BACKSLASH_ESCAPES), and a `;` is accepted only inside the body
/// of a `CREATE FUNCTION | PROCEDURE | TRIGGER | EVENT`, where the parser of
/// the compound-statement grammar that validates schemas ([`validate_schema`])
/// decides which `;` the body's compound statements hold (`BEGIN ... END`,
/// but also a trigger body `IF ... END IF` or a procedure's `LOOP ... END
/// LOOP` without any BEGIN).
///
/// The check errs on the side of refusing: executable comments (`/*! ... */`,
/// whose text the server runs), anything left unterminated, NUL bytes, an
/// empty text, top-level compound statements (MySQL reads a top-level `BEGIN`
/// as the start of a transaction) and `sql_mode`s it does not model (MariaDB's
/// ORACLE and MSSQL) are refused. It judges the server's reading only:
/// `mysql` client commands (`DELIMITER`, `\g`) are not looked for.
///
/// ```
/// use schemasync_sql::check_mysql_statement;
///
/// let trigger = "CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW IF NEW.a < 0 THEN SET NEW.a = 0; END IF";
/// assert!(check_mysql_statement(trigger, None).is_ok());
/// assert!(check_mysql_statement("ALTER TABLE `x` COMMENT 'a;b'", None).is_ok());
/// assert!(check_mysql_statement("ALTER TABLE `x` COMMENT 'a'; DROP TABLE `y`", None).is_err());
/// // One statement under the default mode, three when backslashes are ordinary characters.
/// let body = r"CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SET @a = 'x\'; DROP TABLE `y`; -- '";
/// assert!(check_mysql_statement(body, None).is_ok());
/// assert!(check_mysql_statement(body, Some("STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES")).is_err());
/// ```
pub fn check_mysql_statement(sql: &str, sql_mode: Option<&str>) -> Result<(), NotOneStatement> {
    let lexing = program::MySqlLexing::of(sql_mode).map_err(|reason| NotOneStatement { reason })?;
    program::mysql_statement(sql, lexing).map_err(|reason| NotOneStatement { reason })
}

/// Why [`check_mysql_statement`] refused a text: it is not (or not
/// provably) exactly one statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not exactly one statement: {reason}")]
#[non_exhaustive]
pub struct NotOneStatement {
    /// What the check found, e.g. "';' ends the statement and starts another".
    pub reason: String,
}

#[cfg(test)]
mod mysql_tests;
#[cfg(test)]
mod tests;
