//! Schemas (namespaces) and extensions.

use schemasync_model::{Extension, Namespace};

use crate::EmitError;

use super::{ident, literal, unsupported};

/// `CREATE SCHEMA "s"`.
pub(super) fn create_schema(ns: &Namespace) -> Result<String, EmitError> {
    Ok(format!("CREATE SCHEMA {}", ident(&ns.name)))
}

/// `DROP SCHEMA "s"`: without CASCADE, so a schema still holding objects the
/// plan does not know about stops the script instead of losing them.
pub(super) fn drop_schema(ns: &Namespace) -> Result<String, EmitError> {
    Ok(format!("DROP SCHEMA {}", ident(&ns.name)))
}

/// `CREATE EXTENSION IF NOT EXISTS "x"[ SCHEMA "s"][ VERSION 'v']`. Some
/// extensions (plpgsql) come with every database, hence IF NOT EXISTS.
pub(super) fn create_extension(ext: &Extension) -> Result<String, EmitError> {
    let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", ident(&ext.name));
    if let Some(schema) = &ext.schema {
        sql.push_str(&format!(" SCHEMA {}", ident(schema)));
    }
    if let Some(version) = &ext.version {
        sql.push_str(&format!(" VERSION {}", literal(version)));
    }
    Ok(sql)
}

/// `DROP EXTENSION "x"`.
pub(super) fn drop_extension(ext: &Extension) -> Result<String, EmitError> {
    Ok(format!("DROP EXTENSION {}", ident(&ext.name)))
}

/// `ALTER EXTENSION "x" SET SCHEMA "s"` and `ALTER EXTENSION "x" UPDATE[ TO 'v']`
/// (without a version: to the default one).
pub(super) fn alter_extension(from: &Extension, to: &Extension) -> Result<Vec<String>, EmitError> {
    let name = ident(&to.name);
    let mut out = Vec::new();
    if from.schema != to.schema {
        let Some(schema) = &to.schema else {
            return Err(unsupported(format!("moving extension {} to no schema", to.name)));
        };
        out.push(format!("ALTER EXTENSION {name} SET SCHEMA {}", ident(schema)));
    }
    if from.version != to.version {
        match &to.version {
            Some(version) => out.push(format!("ALTER EXTENSION {name} UPDATE TO {}", literal(version))),
            None => out.push(format!("ALTER EXTENSION {name} UPDATE")),
        }
    }
    Ok(out)
}
