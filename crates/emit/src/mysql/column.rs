//! Column definitions, shared by CREATE TABLE, ADD COLUMN, MODIFY COLUMN and
//! CHANGE COLUMN.

use std::fmt::Write;

use schemasync_model::{Column, QualifiedName};

use crate::EmitError;
use crate::render::{non_empty, write_parenthesized};

use super::{D, ident, unsupported, word};

/// `` `c` <type> [CHARACTER SET x] [COLLATE y] [GENERATED ALWAYS AS (e) VIRTUAL|STORED]
/// [NOT NULL|NULL] [DEFAULT d] [ON UPDATE e] [AUTO_INCREMENT] [INVISIBLE] [COMMENT 'c'] ``.
pub(super) fn write_column_def<W: Write>(w: &mut W, table: &QualifiedName, column: &Column) -> Result<(), EmitError> {
    let what = || format!("column {table}.{}", column.name);
    if column.identity.is_some() {
        return Err(unsupported(format!("identity {}", what())));
    }
    let data_type = non_empty(&column.data_type, || format!("type of {}", what()))?;
    write!(w, "{} {data_type}", ident(&column.name))?;
    if let Some(charset) = &column.charset {
        write!(w, " CHARACTER SET {}", word(charset))?;
    }
    if let Some(collation) = &column.collation {
        write!(w, " COLLATE {}", word(collation))?;
    }
    match &column.generated {
        Some(generated) => {
            if column.default.is_some() || column.on_update.is_some() || column.auto_increment {
                return Err(EmitError::invalid(format!(
                    "{}: a generated column takes no DEFAULT, ON UPDATE or AUTO_INCREMENT",
                    what()
                )));
            }
            w.write_str(" GENERATED ALWAYS AS ")?;
            write_parenthesized(w, non_empty(&generated.expr, || format!("expression of generated {}", what()))?)?;
            w.write_str(if generated.stored { " STORED" } else { " VIRTUAL" })?;
            // MariaDB accepts neither NULL nor NOT NULL on a generated column
            // (its generated columns are always nullable); MySQL accepts both.
            if !column.nullable {
                w.write_str(" NOT NULL")?;
            }
        }
        None => {
            // An explicit NULL keeps a nullable TIMESTAMP nullable where
            // explicit_defaults_for_timestamp is off.
            w.write_str(if column.nullable { " NULL" } else { " NOT NULL" })?;
            if let Some(default) = &column.default {
                write!(w, " DEFAULT {}", non_empty(default, || format!("default of {}", what()))?)?;
            }
            if let Some(on_update) = &column.on_update {
                write!(w, " ON UPDATE {}", non_empty(on_update, || format!("ON UPDATE of {}", what()))?)?;
            }
            if column.auto_increment {
                w.write_str(" AUTO_INCREMENT")?;
            }
        }
    }
    if column.invisible {
        w.write_str(" INVISIBLE")?;
    }
    if let Some(comment) = &column.comment {
        write!(w, " COMMENT {}", D.quote_string(comment))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::render;

    fn def(column: &Column) -> Result<String, EmitError> {
        render(|w| write_column_def(w, &QualifiedName::bare("t"), column))
    }

    #[test]
    fn every_clause_in_server_order() {
        let mut column = Column::new("u", "timestamp(6)").default_expr("current_timestamp(6)").comment("it's \\");
        column.on_update = Some("current_timestamp(6)".into());
        column.invisible = true;
        assert_eq!(
            def(&column).unwrap(),
            "`u` timestamp(6) NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6) INVISIBLE \
             COMMENT 'it''s \\\\'"
        );
        let mut text = Column::new("s", "varchar(5)").not_null().collate("utf8mb4_bin");
        text.charset = Some("utf8mb4".into());
        assert_eq!(def(&text).unwrap(), "`s` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL");
        let id = Column::new("id", "int(10) unsigned zerofill").not_null().auto_increment();
        assert_eq!(def(&id).unwrap(), "`id` int(10) unsigned zerofill NOT NULL AUTO_INCREMENT");
    }

    #[test]
    fn generated_columns_take_no_null_or_default() {
        let virt = Column::new("g", "int(11)").generated_as("`a` + 1", false);
        assert_eq!(def(&virt).unwrap(), "`g` int(11) GENERATED ALWAYS AS (`a` + 1) VIRTUAL");
        let stored = Column::new("g", "int(11)").generated_as("`a` + 1", true).not_null();
        assert_eq!(def(&stored).unwrap(), "`g` int(11) GENERATED ALWAYS AS (`a` + 1) STORED NOT NULL");
        let bad = Column::new("g", "int(11)").generated_as("1", true).default_expr("0");
        assert!(matches!(def(&bad), Err(EmitError::Invalid { .. })));
    }

    #[test]
    fn refused_columns() {
        assert!(matches!(def(&Column::new("c", " ")), Err(EmitError::Invalid { .. })));
        let mut identity = Column::new("c", "int");
        identity.identity = Some(schemasync_model::Identity { always: true, sequence: Default::default() });
        assert!(matches!(def(&identity), Err(EmitError::Unsupported { .. })));
        assert!(def(&Column::new("c", "int").default_expr("")).is_err());
    }
}
