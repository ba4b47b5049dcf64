//! Indexes of tables and materialized views.

use std::collections::HashMap;

use schemasync_model::{Index, IndexKind, IndexPart, IndexTarget};
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use crate::PostgresError;

/// `indoption` bits.
const INDOPTION_DESC: i16 = 1;
const INDOPTION_NULLS_FIRST: i16 = 2;

/// The shape of an index that backs a constraint, for the constraint to use.
pub(crate) struct IndexShape {
    pub(crate) method: String,
    pub(crate) parts: Vec<IndexPart>,
    pub(crate) include: Vec<String>,
    pub(crate) predicate: Option<String>,
}

/// Adds free-standing indexes to their tables and materialized views; returns
/// the shapes of constraint-backing indexes by index oid.
pub(crate) fn read_indexes(b: &mut Builder, rows: &[Row]) -> Result<HashMap<u32, IndexShape>, PostgresError> {
    let mut backing = HashMap::new();
    for row in rows {
        let f = Fields::new(row, "indexes");
        let table_oid: u32 = f.get("table_oid")?;
        let on_table = b.oids.tables.get(&table_oid).cloned();
        let on_view = b.oids.views.get(&table_oid).cloned();
        if on_table.is_none() && on_view.is_none() {
            continue;
        }
        // Created by the parent's index on a partition; not declared on it.
        if f.get::<bool>("inherited")? {
            continue;
        }
        let name: String = f.get("name")?;
        let method: String = f.get("method")?;
        let (parts, include) = read_parts(&f)?;
        let predicate = f.text_opt("predicate")?;
        if f.get::<bool>("backs_constraint")? {
            backing.insert(f.get("oid")?, IndexShape { method, parts, include, predicate });
            continue;
        }
        let owner_name = on_table.as_ref().or(on_view.as_ref()).map(ToString::to_string).unwrap_or_default();
        if !f.get::<bool>("is_valid")? {
            b.skip(format!("{owner_name} index {name}"), "invalid index (a failed concurrent build)");
            continue;
        }
        let mut options = f.list("reloptions")?;
        options.sort();
        let index = Index {
            name: name.clone(),
            unique: f.get("is_unique")?,
            method: (method != "btree").then_some(method),
            kind: IndexKind::Plain,
            parts,
            include,
            predicate,
            nulls_not_distinct: f.get("nulls_not_distinct")?,
            options,
            comment: f.get("comment")?,
        };
        if let Some(table) = on_table.and_then(|t| b.schema.tables.get_mut(&t)) {
            table.indexes.insert(name, index);
        } else if let Some(view) = on_view.and_then(|v| b.schema.views.get_mut(&v)) {
            view.indexes.insert(name, index);
        }
    }
    Ok(backing)
}

/// Key parts and INCLUDE columns from the per-column arrays of `indexes.sql`.
fn read_parts(f: &Fields<'_>) -> Result<(Vec<IndexPart>, Vec<String>), PostgresError> {
    let key_count = usize::try_from(f.get::<i32>("key_count")?).unwrap_or(0);
    let columns = f.opt_list("columns")?;
    let definitions = f.opt_list("definitions")?;
    let collations = f.opt_list("collations")?;
    let opclasses = f.opt_list("opclasses")?;
    let options: Vec<Option<i16>> = f.get::<Option<Vec<Option<i16>>>>("options")?.unwrap_or_default();
    let count = columns.len();
    if definitions.len() != count || collations.len() != count || opclasses.len() != count || options.len() != count {
        return Err(f.unexpected("index column arrays of different lengths"));
    }
    let mut parts = Vec::new();
    let mut include = Vec::new();
    for (k, column) in columns.into_iter().enumerate() {
        let target = match column {
            Some(name) => IndexTarget::Column(name),
            None => IndexTarget::Expression(
                definitions[k].clone().ok_or_else(|| f.unexpected("an index expression could not be deparsed"))?,
            ),
        };
        if k >= key_count {
            match target {
                IndexTarget::Column(name) => include.push(name),
                IndexTarget::Expression(e) => return Err(f.unexpected(format!("expression {e:?} in INCLUDE"))),
            }
            continue;
        }
        let bits = options[k].unwrap_or(0);
        let descending = bits & INDOPTION_DESC != 0;
        let nulls_first = bits & INDOPTION_NULLS_FIRST != 0;
        parts.push(IndexPart {
            target,
            descending,
            // The default is NULLS LAST ascending, NULLS FIRST descending.
            nulls_first: (nulls_first != descending).then_some(nulls_first),
            collation: collations[k].clone(),
            opclass: opclasses[k].clone(),
            prefix_length: None,
        });
    }
    Ok((parts, include))
}
