//! JSON snapshots: loading, normalizing, the canonical round trip, hashing,
//! validation, and emitting what validates: every statement emitted for a
//! schema that passed validation must be exactly one statement (text from
//! a snapshot can never smuggle in another). MySQL statements are read as
//! the server reads them, under the sql_mode emit runs each one under, by
//! the validator's stored-program parser (`check_mysql_statement`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use schemasync_model::{Dialect, Schema};

fuzz_target!(|input: &str| {
    let Ok(mut schema) = Schema::from_json(input) else { return };
    assert!(schema.is_normalized(), "from_json hands over an unnormalized schema");
    schema.normalize();
    let canonical = schema.to_canonical_json();
    let back =
        Schema::from_json(&canonical).unwrap_or_else(|e| panic!("canonical JSON does not load: {e}\n{canonical}"));
    assert_eq!(back, schema, "canonical JSON round trip changed the schema\n{canonical}");
    assert_eq!(back.to_canonical_json(), canonical, "canonical JSON is not stable");
    assert_eq!(back.content_hash(), schema.content_hash());
    if schemasync_sql::validate_schema(&schema).is_err() {
        return;
    }
    let Ok(script) = schemasync_emit::emit_schema(&schema) else { return };
    // The sql_mode the server reads each MySQL statement under: emit creates
    // a routine, trigger or event under its own mode, set just before.
    let mut sql_mode: Option<String> = None;
    for statement in &script.statements {
        let upper = statement.sql.trim_start().to_ascii_uppercase();
        if schema.dialect == Dialect::MySql {
            // The server's reading, by the validator's own parser: a `;` only
            // inside a stored program's compound statements (BEGIN ... END,
            // IF ... END IF, LOOP ... END LOOP, ...).
            if let Err(e) = schemasync_sql::check_mysql_statement(&statement.sql, sql_mode.as_deref()) {
                panic!(
                    "a validated schema emitted a statement that is not one statement under sql_mode {sql_mode:?}: \
                     {e}\n{}\n{canonical}",
                    statement.sql
                );
            }
            if let Some(literal) = statement.sql.strip_prefix(SET_OWN_MODE) {
                let mode =
                    unquote(literal).unwrap_or_else(|| panic!("unexpected sql_mode literal in {:?}", statement.sql));
                sql_mode = Some(mode);
            } else if statement.sql == RESTORE_MODE {
                sql_mode = None;
            }
            // The splitter reads a stored program as the mysql client does
            // without DELIMITER (a `;` in its body ends the text): the check
            // above is the one that counts for those.
            if is_stored_program(&schema, &statement.sql) {
                continue;
            }
        }
        // The splitter also cuts a PostgreSQL rule's action list
        // `DO [ALSO|INSTEAD] (a; b)`, which the server reads as one.
        let actions = ["DO (", "DO ALSO (", "DO INSTEAD ("].iter().any(|d| upper.contains(d));
        if schema.dialect == Dialect::Postgres && upper.starts_with("CREATE RULE") && actions {
            continue;
        }
        let Ok(parts) = schemasync_sql::split_statements(&statement.sql, schema.dialect) else { continue };
        assert!(
            parts.len() <= 1,
            "a validated schema emitted a statement that splits into {}:\n{}\n{canonical}",
            parts.len(),
            statement.sql
        );
    }
});

/// How emit switches to an object's sql_mode before creating it, and back.
const SET_OWN_MODE: &str = "SET @schemasync_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = ";
const RESTORE_MODE: &str = "SET SESSION sql_mode = @schemasync_sql_mode";

/// The value of a MySQL string literal as emit quotes one (`''` and `\\`
/// escaped), when `literal` is exactly one.
fn unquote(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '\\' if chars.next() == Some(c) => out.push(c),
            '\'' | '\\' => return None,
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Whether `sql` creates one of the schema's MySQL routines (emit writes
/// the definition as it is), triggers or events.
fn is_stored_program(schema: &Schema, sql: &str) -> bool {
    sql.starts_with("CREATE TRIGGER ")
        || sql.starts_with("CREATE EVENT ")
        || schema.routines.values().any(|r| r.definition == sql)
}
