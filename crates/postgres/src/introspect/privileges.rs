//! Grants beyond each object's default privileges (opt-in).
//!
//! Only what differs from `acldefault` is read, so privileges the owner has
//! implicitly, or PUBLIC's default EXECUTE on functions, are not listed;
//! revoking such a default is not represented.

use std::collections::BTreeMap;

use schemasync_model::Grant;
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use crate::PostgresError;

pub(crate) fn read_grants(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    // Column grants of one relation, grouped by (grantee, privilege, grant option).
    let mut column_grants: BTreeMap<(u32, String, String, bool), Vec<String>> = BTreeMap::new();
    for row in rows {
        let f = Fields::new(row, "privileges");
        let kind: String = f.get("object_kind")?;
        let oid: u32 = f.get("oid")?;
        let grantee: String = f.get("grantee")?;
        let privilege: String = f.get("privilege")?;
        let with_grant_option: bool = f.get("grantable")?;
        if kind == "column" {
            if let Some(column) = f.get::<Option<String>>("column_name")? {
                column_grants.entry((oid, grantee, privilege, with_grant_option)).or_default().push(column);
            }
            continue;
        }
        let grant = Grant { grantee, privilege, columns: Vec::new(), with_grant_option };
        attach(b, &kind, oid, grant);
    }
    for ((oid, grantee, privilege, with_grant_option), columns) in column_grants {
        attach(b, "relation", oid, Grant { grantee, privilege, columns, with_grant_option });
    }
    Ok(())
}

fn attach(b: &mut Builder, kind: &str, oid: u32, grant: Grant) {
    let schema = &mut b.schema;
    let grants = match kind {
        "relation" => {
            if let Some(t) = b.oids.tables.get(&oid).and_then(|n| schema.tables.get_mut(n)) {
                &mut t.grants
            } else if let Some(v) = b.oids.views.get(&oid).and_then(|n| schema.views.get_mut(n)) {
                &mut v.grants
            } else if let Some(s) = b.oids.sequences.get(&oid).and_then(|n| schema.sequences.get_mut(n)) {
                &mut s.grants
            } else {
                return;
            }
        }
        "namespace" => match b.oids.namespaces.get(&oid).and_then(|n| schema.namespaces.get_mut(n)) {
            Some(ns) => &mut ns.grants,
            None => return,
        },
        "type" => match b.oids.types.get(&oid).and_then(|n| schema.types.get_mut(n)) {
            Some(ty) => &mut ty.grants,
            None => return,
        },
        "routine" => match b.oids.routines.get(&oid).and_then(|k| schema.routines.get_mut(k)) {
            Some(r) => &mut r.grants,
            None => return,
        },
        _ => return,
    };
    grants.push(grant);
}
