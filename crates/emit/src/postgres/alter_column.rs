//! ALTER TABLE ... ALTER COLUMN: the subcommands that turn one column
//! definition into another.
//!
//! PostgreSQL runs the subcommands of one ALTER TABLE in passes (drops,
//! then type changes, then column attributes, then defaults and identity),
//! so they can be listed in one statement. Within a pass it keeps the
//! written order, which is why DROP IDENTITY comes before DROP NOT NULL.

use schemasync_diff::{PostgresConversion, postgres_conversion};
use schemasync_model::{Column, Identity, QualifiedName};

use crate::EmitError;
use crate::render::non_empty;

use super::column::{collate, generated_when, identity_clause};
use super::sequence::changed_clauses;
use super::{ident, unsupported};

/// `ALTER COLUMN "c" ...` subcommands, in a safe order.
pub(super) fn alter_column(table: &QualifiedName, from: &Column, to: &Column) -> Result<Vec<String>, EmitError> {
    let what = || format!("column {table}.{}", to.name);
    if from.name != to.name {
        return Err(EmitError::invalid(format!("{}: altered under another name ({})", what(), from.name)));
    }
    let column = format!("ALTER COLUMN {}", ident(&to.name));
    let mut out = Vec::new();

    if from.identity.is_some() && to.identity.is_none() {
        out.push(format!("{column} DROP IDENTITY"));
    }
    match (&from.generated, &to.generated) {
        (Some(_), None) => out.push(format!("{column} DROP EXPRESSION")),
        (None, Some(_)) => {
            return Err(unsupported(format!("making {} generated in place (drop and add the column instead)", what())));
        }
        (Some(a), Some(b)) if a != b => {
            return Err(unsupported(format!(
                "changing the expression of generated {} (PostgreSQL 15 has no SET EXPRESSION; drop and add the column instead)",
                what()
            )));
        }
        _ => {}
    }

    let type_changed = from.data_type != to.data_type;
    let retyped = type_changed || from.collation != to.collation;
    // A default that cannot be cast to the new type would make the type
    // change fail, so it is dropped first and set again afterwards.
    let drop_default = from.default.is_some() && (to.default.is_none() || retyped);
    let set_default = to.default.is_some() && (to.default != from.default || drop_default);
    if drop_default {
        out.push(format!("{column} DROP DEFAULT"));
    }

    if retyped {
        let data_type = non_empty(&to.data_type, || format!("type of {}", what()))?;
        let mut sql = format!("{column} TYPE {data_type}");
        if let Some(collation) = &to.collation {
            sql.push(' ');
            sql.push_str(&collate(collation));
        }
        // The conversion is the one the plan's hazards assume (see
        // `postgres_conversion`): without USING, the assignment cast raises
        // on a value too long for the new length where an explicit cast
        // would cut it; USING CAST where no assignment cast exists; NULL
        // where no cast does (a data-loss hazard says so), or the new
        // default, as if the column were dropped and added again. A
        // collation-only change needs none.
        if type_changed {
            match postgres_conversion(&from.data_type, data_type) {
                PostgresConversion::Assignment => {}
                PostgresConversion::Null => match &to.default {
                    Some(default) => {
                        let default = non_empty(default, || format!("default of {}", what()))?;
                        sql.push_str(&format!(" USING ({default})"));
                    }
                    None => sql.push_str(&format!(" USING CAST(NULL AS {data_type})")),
                },
                _ => sql.push_str(&format!(" USING CAST({} AS {data_type})", ident(&to.name))),
            }
        }
        out.push(sql);
    }

    if !from.nullable && to.nullable {
        out.push(format!("{column} DROP NOT NULL"));
    }
    if from.nullable && !to.nullable {
        out.push(format!("{column} SET NOT NULL"));
    }
    if set_default && let Some(default) = &to.default {
        out.push(format!("{column} SET DEFAULT {}", non_empty(default, || format!("default of {}", what()))?));
    }

    match (&from.identity, &to.identity) {
        (None, Some(identity)) => out.push(format!("{column} ADD {}", identity_clause(identity, &what)?)),
        (Some(old), Some(new)) if old != new => out.extend(identity_change(&column, old, new, &what)?),
        _ => {}
    }
    Ok(out)
}

/// `ALTER COLUMN "c" SET GENERATED ... SET INCREMENT BY ...`: one subcommand
/// carrying every changed identity option.
fn identity_change(
    column: &str,
    from: &Identity,
    to: &Identity,
    what: &dyn Fn() -> String,
) -> Result<Option<String>, EmitError> {
    let mut options = Vec::new();
    if from.always != to.always {
        options.push(format!("SET GENERATED {}", generated_when(to)));
    }
    for clause in changed_clauses(&from.sequence, &to.sequence, false, || format!("identity of {}", what()))? {
        options.push(format!("SET {clause}"));
    }
    Ok((!options.is_empty()).then(|| format!("{column} {}", options.join(" "))))
}
