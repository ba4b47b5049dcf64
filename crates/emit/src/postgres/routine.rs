//! Functions, procedures and aggregates. Their definitions are complete
//! statements, written as they are: the `CREATE OR REPLACE ...` text of
//! `pg_get_functiondef`, or for aggregates the `CREATE AGGREGATE ...` the
//! introspector builds from `pg_aggregate`.

use schemasync_model::{QualifiedName, Routine, RoutineKind};

use crate::EmitError;
use crate::render::non_empty;

use super::{qname, without_semicolon};

/// The routine's definition, verbatim.
pub(super) fn create_routine(routine: &Routine) -> Result<String, EmitError> {
    definition(routine).map(str::to_owned)
}

/// Replace a routine that exists: CREATE OR REPLACE for functions and
/// procedures; an aggregate has no OR REPLACE that may change its support
/// functions or state type, so it is dropped and created again.
pub(super) fn replace_routine(from: &Routine, to: &Routine) -> Result<Vec<String>, EmitError> {
    if to.kind == RoutineKind::Aggregate {
        return Ok(vec![drop_routine(from)?, create_routine(to)?]);
    }
    or_replace(to).map(|sql| vec![sql])
}

/// The definition as CREATE OR REPLACE. A definition parsed from a `.sql`
/// file may say plain `CREATE`, which would fail on the existing routine, so
/// `OR REPLACE` is added when missing.
fn or_replace(routine: &Routine) -> Result<String, EmitError> {
    let text = definition(routine)?;
    let body = text.trim_start();
    let Some(after_create) = strip_keyword(body, "CREATE") else { return Ok(text.to_owned()) };
    if strip_keyword(after_create.trim_start(), "OR").is_some() {
        return Ok(text.to_owned());
    }
    Ok(format!("CREATE OR REPLACE{after_create}"))
}

/// `DROP FUNCTION|PROCEDURE|AGGREGATE "s"."f"(<signature>)`.
pub(super) fn drop_routine(routine: &Routine) -> Result<String, EmitError> {
    Ok(format!("DROP {} {}", keyword(routine.kind), signature(routine)))
}

/// `FUNCTION`, `PROCEDURE` or `AGGREGATE`.
pub(super) fn keyword(kind: RoutineKind) -> &'static str {
    match kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
        RoutineKind::Aggregate => "AGGREGATE",
    }
}

/// `"s"."f"(<identity arguments>)`; an aggregate without arguments is `(*)`.
pub(super) fn signature_of(kind: RoutineKind, name: &QualifiedName, args: &str) -> String {
    let args = if kind == RoutineKind::Aggregate && args.trim().is_empty() { "*" } else { args };
    format!("{}({args})", qname(name))
}

fn signature(routine: &Routine) -> String {
    signature_of(routine.kind, &routine.name, &routine.signature)
}

fn definition(routine: &Routine) -> Result<&str, EmitError> {
    let text = non_empty(&routine.definition, || format!("definition of routine {}", routine.routine_key()))?;
    Ok(without_semicolon(text))
}

/// The text after a leading keyword (ASCII case-insensitive) that is
/// followed by whitespace.
fn strip_keyword<'a>(text: &'a str, keyword: &str) -> Option<&'a str> {
    let head = text.get(..keyword.len())?;
    let rest = text.get(keyword.len()..)?;
    (head.eq_ignore_ascii_case(keyword) && rest.starts_with(char::is_whitespace)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routine(definition: &str) -> Routine {
        Routine {
            sql_mode: None,
            kind: RoutineKind::Function,
            name: QualifiedName::new(Some("s"), "f"),
            signature: "integer".into(),
            arguments: String::new(),
            returns: None,
            language: None,
            definition: definition.into(),
            depends_on: Vec::new(),
            owner: None,
            grants: Vec::new(),
            comment: None,
        }
    }

    #[test]
    fn replace_adds_or_replace_once() {
        let plain = routine("create function s.f(integer) returns int language sql as 'select 1';");
        assert_eq!(
            or_replace(&plain).unwrap(),
            "CREATE OR REPLACE function s.f(integer) returns int language sql as 'select 1'"
        );
        let already = routine("CREATE OR REPLACE FUNCTION s.f(integer)\n RETURNS integer\n");
        assert_eq!(
            replace_routine(&already, &already).unwrap(),
            ["CREATE OR REPLACE FUNCTION s.f(integer)\n RETURNS integer"]
        );
        assert_eq!(drop_routine(&plain).unwrap(), "DROP FUNCTION \"s\".\"f\"(integer)");
    }

    #[test]
    fn aggregates_are_dropped_and_created_again() {
        let old = Routine {
            kind: RoutineKind::Aggregate,
            signature: String::new(),
            definition: "CREATE AGGREGATE \"s\".\"f\"(*) (\n    SFUNC = int8inc,\n    STYPE = bigint\n)".into(),
            ..routine("")
        };
        let new =
            Routine { definition: old.definition.replace("bigint", "bigint,\n    INITCOND = '0'"), ..old.clone() };
        assert_eq!(
            replace_routine(&old, &new).unwrap(),
            [
                "DROP AGGREGATE \"s\".\"f\"(*)".to_owned(),
                "CREATE AGGREGATE \"s\".\"f\"(*) (\n    SFUNC = int8inc,\n    STYPE = bigint,\n    INITCOND = '0'\n)"
                    .to_owned()
            ]
        );
    }
}
