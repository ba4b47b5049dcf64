//! Column definitions, shared by CREATE TABLE and ALTER TABLE ADD COLUMN,
//! and the identity and collation clauses ALTER COLUMN reuses.

use schemasync_model::{Column, Identity, QualifiedName};

use crate::EmitError;
use crate::render::{non_empty, render, write_parenthesized};

use super::sequence::option_clauses;
use super::{ident, unsupported};

/// `"c" <type>[ COLLATE "x"][ GENERATED ...][ DEFAULT d][ NOT NULL]`.
pub(super) fn column_def(table: &QualifiedName, column: &Column) -> Result<String, EmitError> {
    let what = || format!("column {table}.{}", column.name);
    check_column(table, column)?;
    if column.identity.is_some() && column.default.is_some() {
        return Err(EmitError::invalid(format!("{}: both a default and an identity", what())));
    }
    if column.generated.is_some() && (column.default.is_some() || column.identity.is_some()) {
        return Err(EmitError::invalid(format!("{}: a generated column with a default or an identity", what())));
    }
    let data_type = non_empty(&column.data_type, || format!("type of {}", what()))?;
    render(|w| {
        // The type is `format_type` text: user types come qualified and
        // quoted already, so it is written as it is.
        w.push_str(&ident(&column.name));
        w.push(' ');
        w.push_str(data_type);
        if let Some(collation) = &column.collation {
            w.push(' ');
            w.push_str(&collate(collation));
        }
        if let Some(generated) = &column.generated {
            w.push_str(" GENERATED ALWAYS AS ");
            write_parenthesized(w, non_empty(&generated.expr, || format!("expression of generated {}", what()))?)?;
            w.push_str(" STORED");
        }
        if let Some(identity) = &column.identity {
            w.push(' ');
            w.push_str(&identity_clause(identity, &what)?);
        }
        if let Some(default) = &column.default {
            w.push_str(" DEFAULT ");
            w.push_str(non_empty(default, || format!("default of {}", what()))?);
        }
        if !column.nullable {
            w.push_str(" NOT NULL");
        }
        Ok(())
    })
}

/// Parts of a column PostgreSQL has no syntax for.
pub(super) fn check_column(table: &QualifiedName, column: &Column) -> Result<(), EmitError> {
    let what = || format!("column {table}.{}", column.name);
    if column.charset.is_some() {
        return Err(unsupported(format!("character set of {}", what())));
    }
    if column.on_update.is_some() {
        return Err(unsupported(format!("ON UPDATE expression of {}", what())));
    }
    if column.auto_increment {
        return Err(unsupported(format!("AUTO_INCREMENT on {} (use an identity)", what())));
    }
    if column.invisible {
        return Err(unsupported(format!("invisible {}", what())));
    }
    if column.generated.as_ref().is_some_and(|g| !g.stored) {
        return Err(unsupported(format!("virtual generated {} (PostgreSQL 15 has only STORED)", what())));
    }
    Ok(())
}

/// `GENERATED ALWAYS|BY DEFAULT AS IDENTITY[ (options)]`. The sequence's
/// type follows the column's, so an `AS` option is not written.
pub(super) fn identity_clause(identity: &Identity, what: &dyn Fn() -> String) -> Result<String, EmitError> {
    let mut out = format!("GENERATED {} AS IDENTITY", generated_when(identity));
    let options = option_clauses(&identity.sequence, false, || format!("identity of {}", what()))?;
    if !options.is_empty() {
        out.push_str(" (");
        out.push_str(&options.join(" "));
        out.push(')');
    }
    Ok(out)
}

pub(super) fn generated_when(identity: &Identity) -> &'static str {
    if identity.always { "ALWAYS" } else { "BY DEFAULT" }
}

/// `COLLATE "x"`, see [`collation_name`].
pub(super) fn collate(collation: &str) -> String {
    format!("COLLATE {}", collation_name(collation))
}

/// A collation as SQL. The model holds either the bare name of a collation
/// in `pg_catalog` (`C`, `en_US.utf8`: it may contain dots, so it is quoted
/// as one identifier), or, for any other collation, SQL text that is already
/// quoted and schema-qualified (`"app"."nocase"`), written as it is. A text
/// starting with a double quote is the second kind.
pub(super) fn collation_name(collation: &str) -> String {
    if collation.starts_with('"') { collation.to_owned() } else { ident(collation) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collations_bare_or_qualified() {
        assert_eq!(collate("C"), "COLLATE \"C\"");
        assert_eq!(collate("en_US.utf8"), "COLLATE \"en_US.utf8\"");
        assert_eq!(collate("\"app\".\"no\"\"case\""), "COLLATE \"app\".\"no\"\"case\"");
    }
    use schemasync_model::SequenceOptions;

    #[test]
    fn identity_options_are_parenthesized() {
        let identity = Identity {
            always: false,
            sequence: SequenceOptions { data_type: Some("integer".into()), start: Some(10), ..Default::default() },
        };
        assert_eq!(
            identity_clause(&identity, &String::new).unwrap(),
            "GENERATED BY DEFAULT AS IDENTITY (START WITH 10)"
        );
    }

    #[test]
    fn default_and_identity_conflict() {
        let mut column = Column::new("id", "integer").default_expr("1");
        column.identity = Some(Identity { always: true, sequence: SequenceOptions::default() });
        assert!(matches!(column_def(&QualifiedName::bare("t"), &column), Err(EmitError::Invalid { .. })));
    }
}
