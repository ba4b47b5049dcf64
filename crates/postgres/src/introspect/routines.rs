//! Functions and procedures, and what views and routines depend on.

use schemasync_model::{ObjectKey, QualifiedName, Routine, RoutineKey, RoutineKind};
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
        let kind = match f.flag("kind")? {
            'f' => RoutineKind::Function,
            'p' => RoutineKind::Procedure,
            'a' => {
                b.skip(format!("{}({signature})", display_name(&schema, &name)), "aggregates are not modelled");
                continue;
            }
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
