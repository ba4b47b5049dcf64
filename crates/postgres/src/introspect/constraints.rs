//! PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY and EXCLUDE constraints.

use std::collections::HashMap;

use schemasync_model::{
    CheckConstraint, Deferrable, ExclusionConstraint, ExclusionElement, FkAction, FkMatch, ForeignKey, PrimaryKey,
    QualifiedName, UniqueConstraint,
};
use tokio_postgres::Row;

use super::Builder;
use super::indexes::IndexShape;
use super::row::Fields;
use super::text::check_expression;
use crate::PostgresError;

fn deferrable(f: &Fields<'_>) -> Result<Deferrable, PostgresError> {
    Ok(match (f.get::<bool>("deferrable")?, f.get::<bool>("deferred")?) {
        (false, _) => Deferrable::NotDeferrable,
        (true, false) => Deferrable::InitiallyImmediate,
        (true, true) => Deferrable::InitiallyDeferred,
    })
}

fn action(code: char) -> FkAction {
    match code {
        'r' => FkAction::Restrict,
        'c' => FkAction::Cascade,
        'n' => FkAction::SetNull,
        'd' => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

pub(crate) fn read_constraints(
    b: &mut Builder,
    rows: &[Row],
    backing: &HashMap<u32, IndexShape>,
) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "constraints");
        let Some(table_name) = b.oids.tables.get(&f.get::<u32>("table_oid")?).cloned() else { continue };
        let name: String = f.get("name")?;
        let comment: Option<String> = f.get("comment")?;
        let shown = format!("{table_name} constraint {name}");
        let kind = f.flag("kind")?;
        let index_oid: u32 = f.get("index_oid")?;
        if matches!(kind, 'p' | 'u') && backing.get(&index_oid).is_some_and(|s| !s.include.is_empty()) {
            b.skip(shown.clone(), "INCLUDE columns of a primary key or unique constraint are not modelled");
        }
        let Some(table) = b.schema.tables.get_mut(&table_name) else { continue };
        match kind {
            'p' => {
                table.primary_key =
                    Some(PrimaryKey { name: Some(name), columns: f.list("columns")?, on_conflict: None });
                if comment.is_some() {
                    b.skip(shown, "the comment of a primary key is not modelled");
                }
            }
            'u' => table.uniques.push(UniqueConstraint {
                name: Some(name),
                columns: f.list("columns")?,
                nulls_not_distinct: f.get("nulls_not_distinct")?,
                deferrable: deferrable(&f)?,
                comment,
                on_conflict: None,
            }),
            'c' => {
                let definition: String = f.get("definition")?;
                let expr = check_expression(&definition)
                    .ok_or_else(|| f.unexpected(format!("{shown}: cannot read {definition:?}")))?;
                table.checks.push(CheckConstraint {
                    name: Some(name),
                    expr,
                    not_valid: !f.get::<bool>("validated")?,
                    no_inherit: f.get("no_inherit")?,
                    not_enforced: false,
                    comment,
                });
            }
            'f' => {
                let ref_table = match (f.get::<Option<String>>("ref_schema")?, f.get::<Option<String>>("ref_table")?) {
                    (Some(s), Some(t)) => QualifiedName::new(Some(&s), t),
                    _ => return Err(f.unexpected(format!("{shown} references no table"))),
                };
                let match_type = match f.flag("match_type")? {
                    'f' => FkMatch::Full,
                    'p' => FkMatch::Partial,
                    _ => FkMatch::Simple,
                };
                table.foreign_keys.push(ForeignKey {
                    name: Some(name),
                    columns: f.list("columns")?,
                    ref_table,
                    ref_columns: f.list("ref_columns")?,
                    on_delete: action(f.flag("on_delete")?),
                    on_update: action(f.flag("on_update")?),
                    match_type,
                    deferrable: deferrable(&f)?,
                    not_valid: !f.get::<bool>("validated")?,
                    comment,
                });
                if f.get::<bool>("has_delete_set_columns")? {
                    b.skip(shown, "ON DELETE SET NULL/DEFAULT (columns) is read without its column list");
                }
            }
            'x' => {
                let shape =
                    backing.get(&index_oid).ok_or_else(|| f.unexpected(format!("{shown}: its index was not found")))?;
                let operators = f.list("operators")?;
                if operators.len() != shape.parts.len() {
                    return Err(f.unexpected(format!("{shown}: operators do not match the index columns")));
                }
                let elements = shape
                    .parts
                    .iter()
                    .cloned()
                    .zip(operators)
                    .map(|(part, operator)| ExclusionElement { part, operator })
                    .collect();
                table.exclusions.push(ExclusionConstraint {
                    name,
                    method: shape.method.clone(),
                    elements,
                    include: shape.include.clone(),
                    predicate: shape.predicate.clone(),
                    deferrable: deferrable(&f)?,
                    comment,
                });
            }
            _ => {}
        }
    }
    Ok(())
}
