//! Schemas and extensions.

use schemasync_model::{Extension, Namespace};
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use crate::PostgresError;

/// Every selected schema except `public`, which every database has (its
/// comment, owner and grants are therefore not compared).
pub(crate) fn read_namespaces(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "schemas");
        let oid: u32 = f.get("oid")?;
        let name: String = f.get("name")?;
        b.oids.namespaces.insert(oid, name.clone());
        if name == "public" {
            continue;
        }
        let owner = b.owner(f.get("owner")?);
        let comment = f.get("comment")?;
        b.schema.namespaces.insert(name.clone(), Namespace { name, owner, grants: Vec::new(), comment });
    }
    Ok(())
}

pub(crate) fn read_extensions(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "extensions");
        let name: String = f.get("name")?;
        let extension = Extension {
            name: name.clone(),
            schema: f.get("schema")?,
            version: f.get("version")?,
            comment: f.get("comment")?,
        };
        b.schema.extensions.insert(name, extension);
    }
    Ok(())
}
