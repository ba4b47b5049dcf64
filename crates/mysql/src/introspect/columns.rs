//! Columns: type, nullability, default, character set and collation (when
//! not the table's), AUTO_INCREMENT, ON UPDATE, generation, INVISIBLE, comment.

use schemasync_model::{Column, Generated};

use super::defaults::{Extra, normalize_default};
use super::tables::{self, Tables};
use crate::row::Cells;
use crate::text::unescape_mysql8_expression;
use crate::{Flavor, MySqlError};

/// Rows of `columns.sql` (columns of views and skipped tables are ignored).
pub(super) fn read(rows: &[Cells], flavor: Flavor, tables: &mut Tables) -> Result<(), MySqlError> {
    for row in rows {
        let Some(table) = tables.get_mut(&row.text(0)?) else { continue };
        let (table_charset, table_collation) = tables::defaults(table);
        let extra = Extra::parse(&row.text_or_empty(8)?);
        let data_type = row.text(7)?;
        let mut column = Column::new(row.text(1)?, data_type);
        column.nullable = row.text(3)? == "YES";
        column.charset = row.opt_text(5)?.filter(|c| Some(c.as_str()) != table_charset);
        column.collation = row.opt_text(6)?.filter(|c| Some(c.as_str()) != table_collation);
        column.auto_increment = extra.auto_increment;
        column.invisible = extra.invisible;
        column.on_update = extra.on_update.clone();
        column.comment = Some(row.text_or_empty(9)?).filter(|c| !c.is_empty());
        if let Some(stored) = extra.generated_stored {
            let expr = row.text_or_empty(10)?;
            let expr = if flavor.mariadb { expr } else { unescape_mysql8_expression(&expr) };
            column.generated = Some(Generated { expr, stored });
        } else {
            let raw = row.opt_text_or_hex(2)?;
            column.default = normalize_default(flavor, raw.as_deref(), &row.text(4)?, extra.default_generated);
        }
        table.columns.push(column);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use schemasync_model::{QualifiedName, Table, TableOptions};

    use super::*;
    use crate::row::test_row;

    const MYSQL8: Flavor = Flavor { mariadb: false, version: (8, 0, 36) };

    fn tables() -> Tables {
        let mut t = Table::new(QualifiedName::bare("t"));
        t.options = TableOptions::MySql {
            engine: Some("InnoDB".into()),
            charset: Some("utf8mb4".into()),
            collation: Some("utf8mb4_0900_ai_ci".into()),
            row_format: None,
        };
        Tables::from([("t".to_owned(), t)])
    }

    /// A `columns.sql` row: name, default, nullable, DATA_TYPE, COLUMN_TYPE, EXTRA, generation expression.
    fn row(name: &str, default: Option<&str>, data_type: &str, column_type: &str, extra: &str, expr: &str) -> Cells {
        test_row(
            "columns",
            &[
                Some("t"),
                Some(name),
                default,
                Some("YES"),
                Some(data_type),
                Some("utf8mb4"),
                Some("utf8mb4_0900_ai_ci"),
                Some(column_type),
                Some(extra),
                Some(""),
                Some(expr),
            ],
        )
    }

    /// Rows as MySQL 8.0 prints them in `information_schema.COLUMNS`.
    #[test]
    fn mysql8_spellings() {
        let rows = [
            row("id", None, "int", "int", "auto_increment INVISIBLE", ""),
            row("made", Some("CURRENT_TIMESTAMP"), "timestamp", "timestamp", "DEFAULT_GENERATED", ""),
            row(
                "touched",
                Some("CURRENT_TIMESTAMP(6)"),
                "datetime",
                "datetime(6)",
                "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)",
                "",
            ),
            row("uid", Some("uuid()"), "varchar", "varchar(36)", "DEFAULT_GENERATED", ""),
            row("later", Some("(curdate() + interval 1 day)"), "date", "date", "DEFAULT_GENERATED", ""),
            row("tags", Some("json_array()"), "json", "json", "DEFAULT_GENERATED", ""),
            row("txt", Some("_utf8mb4\\'a\\'"), "text", "text", "DEFAULT_GENERATED", ""),
            row("s", Some("it's"), "varchar", "varchar(10)", "", ""),
            row("sn", Some("NULL"), "varchar", "varchar(10)", "", ""),
            row("empty", Some(""), "varchar", "varchar(10)", "", ""),
            row("flag", Some("1"), "tinyint", "tinyint(1)", "", ""),
            row("bits", Some("b'101'"), "bit", "bit(3)", "", ""),
            row("bin", Some("0x00FF"), "varbinary", "varbinary(4)", "", ""),
            row("g", None, "varchar", "varchar(20)", "VIRTUAL GENERATED", "concat(`s`,_utf8mb4\\' \\')"),
            row("gs", None, "int", "int", "STORED GENERATED INVISIBLE", "(`flag` + 1)"),
        ];
        let mut tables = tables();
        read(&rows, MYSQL8, &mut tables).unwrap();
        let t = &tables["t"];
        let col = |name: &str| t.column(name).unwrap();
        assert!(col("id").auto_increment && col("id").invisible && col("id").default.is_none());
        assert_eq!(col("made").default.as_deref(), Some("current_timestamp()"));
        assert_eq!(col("touched").default.as_deref(), Some("current_timestamp(6)"));
        assert_eq!(col("touched").on_update.as_deref(), Some("current_timestamp(6)"));
        assert_eq!(col("uid").default.as_deref(), Some("(uuid())"));
        assert_eq!(col("later").default.as_deref(), Some("(curdate() + interval 1 day)"));
        assert_eq!(col("tags").default.as_deref(), Some("(json_array())"));
        assert_eq!(col("txt").default.as_deref(), Some("(_utf8mb4'a')"));
        assert_eq!(col("s").default.as_deref(), Some("'it''s'"));
        assert_eq!(col("sn").default.as_deref(), Some("'NULL'"));
        assert_eq!(col("empty").default.as_deref(), Some("''"));
        assert_eq!(col("flag").default.as_deref(), Some("1"));
        assert_eq!(col("bits").default.as_deref(), Some("b'101'"));
        assert_eq!(col("bin").default.as_deref(), Some("0x00FF"));
        let g = col("g").generated.as_ref().unwrap();
        assert_eq!((g.expr.as_str(), g.stored), ("concat(`s`,_utf8mb4' ')", false));
        let gs = col("gs");
        assert_eq!(gs.generated.as_ref().map(|g| (g.expr.as_str(), g.stored)), Some(("(`flag` + 1)", true)));
        assert!(gs.invisible && gs.default.is_none());
        // Character set and collation equal to the table's are left out.
        assert!(t.columns.iter().all(|c| c.charset.is_none() && c.collation.is_none()));
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.first().copied(), Some("id"));
    }
}
