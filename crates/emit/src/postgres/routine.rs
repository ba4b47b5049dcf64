//! Functions, procedures and aggregates. Their definitions are the complete
//! `CREATE OR REPLACE ...` text of `pg_get_functiondef`, written as it is.

use schemasync_model::{QualifiedName, Routine, RoutineKind};

use crate::EmitError;
use crate::render::non_empty;

use super::{qname, without_semicolon};

/// The routine's definition, verbatim.
pub(super) fn create_routine(routine: &Routine) -> Result<String, EmitError> {
    definition(routine).map(str::to_owned)
}

/// CREATE OR REPLACE of a routine that exists. A definition parsed from a
/// `.sql` file may say plain `CREATE`, which would fail on the existing
/// routine, so `OR REPLACE` is added when missing.
pub(super) fn replace_routine(routine: &Routine) -> Result<String, EmitError> {
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
            replace_routine(&plain).unwrap(),
            "CREATE OR REPLACE function s.f(integer) returns int language sql as 'select 1'"
        );
        let already = routine("CREATE OR REPLACE FUNCTION s.f(integer)\n RETURNS integer\n");
        assert_eq!(replace_routine(&already).unwrap(), "CREATE OR REPLACE FUNCTION s.f(integer)\n RETURNS integer");
        assert_eq!(drop_routine(&plain).unwrap(), "DROP FUNCTION \"s\".\"f\"(integer)");
    }
}
