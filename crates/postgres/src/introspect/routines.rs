//! Functions, procedures and aggregates, and what views and routines depend on.

use schemasync_model::{Dialect, ObjectKey, QualifiedName, Routine, RoutineKey, RoutineKind};
use tokio_postgres::Row;

use super::row::Fields;
use super::{Builder, display_name};
use crate::PostgresError;

pub(crate) fn read_routines(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "routines");
        let schema: String = f.get("schema")?;
        let name: String = f.get("name")?;
        let signature: String = f.get::<Option<String>>("signature")?.unwrap_or_default();
        // Aggregates are read by `read_aggregates`, and not selected here.
        let kind = match f.flag("kind")? {
            'f' => RoutineKind::Function,
            'p' => RoutineKind::Procedure,
            _ => {
                b.skip(format!("{}({signature})", display_name(&schema, &name)), "window functions are not modelled");
                continue;
            }
        };
        let definition: Option<String> = f.get("definition")?;
        let definition = definition
            .ok_or_else(|| f.unexpected(format!("routine {} has no definition", display_name(&schema, &name))))?
            .trim()
            .to_owned();
        let qualified = QualifiedName::new(Some(&schema), name);
        let routine = Routine {
            sql_mode: None,
            kind,
            name: qualified,
            signature,
            arguments: f.get::<Option<String>>("arguments")?.unwrap_or_default(),
            returns: if kind == RoutineKind::Function { f.text_opt("result")? } else { None },
            language: f.text_opt("language")?,
            definition,
            depends_on: Vec::new(),
            owner: b.owner(f.get("owner")?),
            grants: Vec::new(),
            comment: f.get("comment")?,
        };
        let key = routine.routine_key();
        b.oids.routines.insert(f.get("oid")?, key.clone());
        b.schema.routines.insert(key, routine);
    }
    Ok(())
}

/// The `CREATE AGGREGATE` statement of one row of `aggregates.sql`, with
/// its options in the order `pg_dump` writes them; options at their
/// default are left out.
fn aggregate_definition(f: &Fields<'_>, name: &QualifiedName, arguments: &str) -> Result<String, PostgresError> {
    const D: Dialect = Dialect::Postgres;
    let mut options: Vec<String> = Vec::new();
    for (option, column) in [("SFUNC", "sfunc"), ("STYPE", "stype")] {
        let value = f.text_opt(column)?.ok_or_else(|| f.unexpected(format!("aggregate {name} has no {column}")))?;
        options.push(format!("{option} = {value}"));
    }
    if let Some(space) = f.get::<Option<i32>>("sspace")? {
        options.push(format!("SSPACE = {space}"));
    }
    let modify = |column: &str| -> Result<Option<&'static str>, PostgresError> {
        Ok(match f.get::<Option<String>>(column)?.as_deref() {
            Some("r") => Some("READ_ONLY"),
            Some("s") => Some("SHAREABLE"),
            Some("w") => Some("READ_WRITE"),
            _ => None,
        })
    };
    let literal = |column: &str| -> Result<Option<String>, PostgresError> {
        Ok(f.get::<Option<String>>(column)?.map(|v| D.quote_string(&v)))
    };
    if let Some(finalfunc) = f.text_opt("finalfunc")? {
        options.push(format!("FINALFUNC = {finalfunc}"));
        if f.get::<bool>("finalfunc_extra")? {
            options.push("FINALFUNC_EXTRA".to_owned());
        }
        if let Some(m) = modify("finalfunc_modify")? {
            options.push(format!("FINALFUNC_MODIFY = {m}"));
        }
    }
    for (option, column) in
        [("COMBINEFUNC", "combinefunc"), ("SERIALFUNC", "serialfunc"), ("DESERIALFUNC", "deserialfunc")]
    {
        if let Some(value) = f.text_opt(column)? {
            options.push(format!("{option} = {value}"));
        }
    }
    if let Some(init) = literal("initcond")? {
        options.push(format!("INITCOND = {init}"));
    }
    if let Some(msfunc) = f.text_opt("msfunc")? {
        options.push(format!("MSFUNC = {msfunc}"));
        if let Some(minv) = f.text_opt("minvfunc")? {
            options.push(format!("MINVFUNC = {minv}"));
        }
        if let Some(mstype) = f.text_opt("mstype")? {
            options.push(format!("MSTYPE = {mstype}"));
        }
        if let Some(space) = f.get::<Option<i32>>("msspace")? {
            options.push(format!("MSSPACE = {space}"));
        }
        if let Some(mfinal) = f.text_opt("mfinalfunc")? {
            options.push(format!("MFINALFUNC = {mfinal}"));
            if f.get::<bool>("mfinalfunc_extra")? {
                options.push("MFINALFUNC_EXTRA".to_owned());
            }
            if let Some(m) = modify("mfinalfunc_modify")? {
                options.push(format!("MFINALFUNC_MODIFY = {m}"));
            }
        }
        if let Some(init) = literal("minitcond")? {
            options.push(format!("MINITCOND = {init}"));
        }
    }
    if let Some(sortop) = f.text_opt("sortop")? {
        options.push(format!("SORTOP = {sortop}"));
    }
    if f.flag("aggkind")? == 'h' {
        options.push("HYPOTHETICAL".to_owned());
    }
    match f.flag("parallel")? {
        's' => options.push("PARALLEL = SAFE".to_owned()),
        'r' => options.push("PARALLEL = RESTRICTED".to_owned()),
        _ => {}
    }
    let arguments = if arguments.trim().is_empty() { "*" } else { arguments };
    Ok(format!("CREATE AGGREGATE {}({arguments}) (\n    {}\n)", D.quote_qualified(name), options.join(",\n    ")))
}

/// Aggregates as routines of kind `Aggregate` whose definition is a
/// complete `CREATE AGGREGATE`; what they depend on (their support
/// functions and types) comes from `read_dependencies`.
pub(crate) fn read_aggregates(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "aggregates");
        let schema: String = f.get("schema")?;
        let name = QualifiedName::new(Some(&schema), f.get::<String>("name")?);
        let signature: String = f.get::<Option<String>>("signature")?.unwrap_or_default();
        let arguments: String = f.get::<Option<String>>("arguments")?.unwrap_or_default();
        let definition = aggregate_definition(&f, &name, &arguments)?;
        let routine = Routine {
            sql_mode: None,
            kind: RoutineKind::Aggregate,
            name,
            signature,
            arguments,
            returns: f.text_opt("result")?,
            language: None,
            definition,
            depends_on: Vec::new(),
            owner: b.owner(f.get("owner")?),
            grants: Vec::new(),
            comment: f.get("comment")?,
        };
        let key = routine.routine_key();
        b.oids.routines.insert(f.get("oid")?, key.clone());
        b.schema.routines.insert(key, routine);
    }
    Ok(())
}

/// A row of `dependencies.sql` as a model key.
fn referenced(f: &Fields<'_>) -> Result<Option<ObjectKey>, PostgresError> {
    let kind: String = f.get("ref_kind")?;
    let schema: String = f.get("ref_schema")?;
    let name: String = f.get("ref_name")?;
    let qualified = || QualifiedName::new(Some(&schema), name.clone());
    let routine = |kind| {
        Ok::<_, PostgresError>(ObjectKey::Routine {
            key: RoutineKey {
                kind,
                name: qualified(),
                signature: f.get::<Option<String>>("ref_signature")?.unwrap_or_default(),
            },
        })
    };
    Ok(Some(match kind.as_str() {
        "extension" => ObjectKey::Extension { name },
        "table" => ObjectKey::Table { name: qualified() },
        "view" => ObjectKey::View { name: qualified() },
        "sequence" => ObjectKey::Sequence { name: qualified() },
        "type" => ObjectKey::Type { name: qualified() },
        "function" => routine(RoutineKind::Function)?,
        "procedure" => routine(RoutineKind::Procedure)?,
        "aggregate" => routine(RoutineKind::Aggregate)?,
        _ => return Ok(None),
    }))
}

pub(crate) fn read_dependencies(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "dependencies");
        let Some(key) = referenced(&f)? else { continue };
        let oid: u32 = f.get("dependent_oid")?;
        match f.get::<String>("dependent")?.as_str() {
            "view" => {
                let Some(name) = b.oids.views.get(&oid) else { continue };
                if matches!(&key, ObjectKey::View { name: n } if n == name) {
                    continue;
                }
                if let Some(view) = b.schema.views.get_mut(name) {
                    view.depends_on.push(key);
                }
            }
            _ => {
                let Some(routine_key) = b.oids.routines.get(&oid) else { continue };
                if matches!(&key, ObjectKey::Routine { key: k } if k == routine_key) {
                    continue;
                }
                if let Some(routine) = b.schema.routines.get_mut(routine_key) {
                    routine.depends_on.push(key);
                }
            }
        }
    }
    Ok(())
}
