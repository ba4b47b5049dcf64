//! Foreign keys and CHECK constraints.

use schemasync_model::{CheckConstraint, Dialect, FkAction, ForeignKey, QualifiedName, Table};

use super::tables::{self, Tables};
use crate::row::Cells;
use crate::text::{unescape_mysql8_expression, unwrap_parens};
use crate::{Flavor, MySqlError};

/// Rows of `foreign_keys.sql`, one per key column, ordered by table, name,
/// position; `rules` are the rows of `fk_rules.sql`.
pub(super) fn read_foreign_keys(
    rows: &[Cells],
    rules: &[Cells],
    database: &str,
    tables: &mut Tables,
) -> Result<(), MySqlError> {
    let mut actions = std::collections::BTreeMap::new();
    for rule in rules {
        actions.insert((rule.text(0)?, rule.text(1)?), (rule.text(2)?, rule.text(3)?));
    }
    for row in rows {
        let Some(table) = tables.get_mut(&row.text(0)?) else { continue };
        let name = row.text(1)?;
        let column = row.text(2)?;
        let ref_column = row.text_or_empty(5)?;
        if let Some(fk) = table.foreign_keys.iter_mut().find(|fk| fk.name.as_deref() == Some(name.as_str())) {
            fk.columns.push(column);
            fk.ref_columns.push(ref_column);
            continue;
        }
        let ref_schema = row.opt_text(3)?.filter(|s| s != database);
        let (on_update, on_delete) = actions
            .get(&(row.text(0)?, name.clone()))
            .ok_or_else(|| MySqlError::catalog("foreign keys", format!("no referential actions for {name:?}")))?;
        table.foreign_keys.push(ForeignKey {
            name: Some(name),
            columns: vec![column],
            ref_table: QualifiedName::new(ref_schema.as_deref(), row.text(4)?),
            ref_columns: vec![ref_column],
            on_delete: action(on_delete)?,
            on_update: action(on_update)?,
            match_type: Default::default(),
            deferrable: Default::default(),
            not_valid: false,
            comment: None,
        });
    }
    Ok(())
}

/// The rule as the catalog names it. InnoDB enforces RESTRICT and NO ACTION
/// alike, but the servers remember which was given and print them apart:
/// MariaDB reports an action left out as RESTRICT (and SHOW CREATE TABLE
/// omits it) and an explicit NO ACTION as NO ACTION (printed); MySQL 8
/// reports an action left out as NO ACTION (omitted) and an explicit RESTRICT
/// as RESTRICT (printed). Keeping them apart lets a copy print like its source.
fn action(rule: &str) -> Result<FkAction, MySqlError> {
    match rule {
        "CASCADE" => Ok(FkAction::Cascade),
        "SET NULL" => Ok(FkAction::SetNull),
        "SET DEFAULT" => Ok(FkAction::SetDefault),
        "RESTRICT" => Ok(FkAction::Restrict),
        "NO ACTION" => Ok(FkAction::NoAction),
        other => Err(MySqlError::catalog("foreign keys", format!("unknown referential action {other:?}"))),
    }
}

/// Rows of `checks_*.sql`: table, name, clause, enforced (MariaDB: and level).
pub(super) fn read_checks(rows: &[Cells], flavor: Flavor, tables: &mut Tables) -> Result<(), MySqlError> {
    for row in rows {
        let Some(table) = tables.get_mut(&row.text(0)?) else { continue };
        let name = row.text(1)?;
        let clause = row.text(2)?;
        if flavor.mariadb && row.text_or_empty(4)? == "Column" && mariadb_json_column(table, &name, &clause) {
            continue;
        }
        // MySQL prints the clause in parentheses and with escaped quotes;
        // MariaDB prints the bare expression.
        let expr = if flavor.mariadb { clause } else { unwrap_parens(&unescape_mysql8_expression(&clause)).to_owned() };
        table.checks.push(CheckConstraint {
            name: Some(name),
            expr,
            not_valid: false,
            no_inherit: false,
            not_enforced: row.text_or_empty(3)? == "NO",
            comment: None,
        });
    }
    Ok(())
}

/// MariaDB's `JSON` is `LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`
/// with a column-level `CHECK (json_valid(`col`))` named like the column;
/// when `check` is that check of such a column, the column becomes `json`
/// again (and the check is not kept apart). Written as `json`, the column
/// keeps its check through `MODIFY COLUMN`, which drops a column's own
/// CHECK when the new definition does not restate it.
fn mariadb_json_column(table: &mut Table, check: &str, clause: &str) -> bool {
    let (charset, collation) = tables::defaults(table);
    let (charset, collation) = (charset.map(str::to_owned), collation.map(str::to_owned));
    let Some(column) = table.column_mut(check) else { return false };
    let is_json = column.data_type.eq_ignore_ascii_case("longtext")
        && clause == format!("json_valid({})", Dialect::MySql.quote_ident(&column.name))
        && column.charset.as_ref().or(charset.as_ref()).is_some_and(|c| c == "utf8mb4")
        && column.collation.as_ref().or(collation.as_ref()).is_some_and(|c| c == "utf8mb4_bin");
    if is_json {
        column.data_type = "json".to_owned();
        column.charset = None;
        column.collation = None;
    }
    is_json
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::row::test_row;
    use schemasync_model::Table;

    #[test]
    fn mysql8_check_clauses_lose_their_parentheses_and_escapes() {
        let mysql8 = Flavor { mariadb: false, version: (8, 0, 36) };
        let mut tables = Tables::from([("t".to_owned(), Table::new(QualifiedName::bare("t")))]);
        // checks_mysql.sql: table, name, clause, ENFORCED from TABLE_CONSTRAINTS.
        let rows = [
            test_row("checks", &[Some("t"), Some("t_chk_1"), Some("(`a` > 0)"), Some("YES")]),
            test_row("checks", &[Some("t"), Some("w_set"), Some("(`w` <> _utf8mb4\\'\\')"), Some("NO")]),
            test_row("checks", &[Some("t"), Some("both"), Some("((`a` > 0) and (`b` < 5))"), Some("YES")]),
            test_row("checks", &[Some("other"), Some("x"), Some("(1)"), Some("YES")]),
        ];
        read_checks(&rows, mysql8, &mut tables).unwrap();
        let checks: Vec<(&str, &str, bool)> = tables["t"]
            .checks
            .iter()
            .map(|c| (c.name.as_deref().unwrap_or_default(), c.expr.as_str(), c.not_enforced))
            .collect();
        assert_eq!(
            checks,
            [
                ("t_chk_1", "`a` > 0", false),
                ("w_set", "`w` <> _utf8mb4''", true),
                ("both", "(`a` > 0) and (`b` < 5)", false),
            ]
        );
    }

    #[test]
    fn mariadb_json_columns_are_json_with_their_own_check_folded_in() {
        use schemasync_model::{Column, TableOptions};
        let mariadb = Flavor { mariadb: true, version: (10, 11, 0) };
        let mut t = Table::new(QualifiedName::bare("t"));
        t.options = TableOptions::MySql {
            engine: None,
            charset: Some("latin1".into()),
            collation: Some("latin1_swedish_ci".into()),
            row_format: None,
        };
        let json_like = |name: &str| {
            let mut c = Column::new(name, "longtext");
            c.charset = Some("utf8mb4".into());
            c.collation = Some("utf8mb4_bin".into());
            c
        };
        t.columns = vec![json_like("j"), json_like("by_table"), json_like("other_check"), Column::new("l", "longtext")];
        let mut tables = Tables::from([("t".to_owned(), t)]);
        let row = |name: &str, clause: &str, level: &str| {
            test_row("checks", &[Some("t"), Some(name), Some(clause), Some("YES"), Some(level)])
        };
        let rows = [
            row("j", "json_valid(`j`)", "Column"),
            row("by_table", "json_valid(`by_table`)", "Table"),
            row("other_check", "json_valid(`other_check`) and 1", "Column"),
            row("l", "json_valid(`l`)", "Column"),
        ];
        read_checks(&rows, mariadb, &mut tables).unwrap();
        let t = &tables["t"];
        let types: Vec<(&str, Option<&str>)> =
            t.columns.iter().map(|c| (c.data_type.as_str(), c.collation.as_deref())).collect();
        assert_eq!(
            types,
            [("json", None), ("longtext", Some("utf8mb4_bin")), ("longtext", Some("utf8mb4_bin")), ("longtext", None)]
        );
        let checks: Vec<&str> = t.checks.iter().filter_map(|c| c.name.as_deref()).collect();
        assert_eq!(checks, ["by_table", "other_check", "l"]);
    }

    #[test]
    fn restrict_and_no_action_are_kept_apart() {
        assert_eq!(action("RESTRICT").unwrap(), FkAction::Restrict);
        assert_eq!(action("NO ACTION").unwrap(), FkAction::NoAction);
        assert_eq!(action("SET NULL").unwrap(), FkAction::SetNull);
        assert!(action("BOGUS").is_err());
    }
}
