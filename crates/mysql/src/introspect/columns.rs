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
