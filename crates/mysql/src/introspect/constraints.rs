//! Foreign keys and CHECK constraints.

use schemasync_model::{CheckConstraint, FkAction, ForeignKey, QualifiedName};

use super::tables::Tables;
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

/// Rows of `checks_*.sql`: table, name, clause, enforced.
pub(super) fn read_checks(rows: &[Cells], flavor: Flavor, tables: &mut Tables) -> Result<(), MySqlError> {
    for row in rows {
        let Some(table) = tables.get_mut(&row.text(0)?) else { continue };
        let clause = row.text(2)?;
        // MySQL prints the clause in parentheses and with escaped quotes;
        // MariaDB prints the bare expression.
        let expr = if flavor.mariadb { clause } else { unwrap_parens(&unescape_mysql8_expression(&clause)).to_owned() };
        table.checks.push(CheckConstraint {
            name: Some(row.text(1)?),
            expr,
            not_valid: false,
            no_inherit: false,
            not_enforced: row.text_or_empty(3)? == "NO",
            comment: None,
        });
    }
    Ok(())
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
    fn restrict_and_no_action_are_kept_apart() {
        assert_eq!(action("RESTRICT").unwrap(), FkAction::Restrict);
        assert_eq!(action("NO ACTION").unwrap(), FkAction::NoAction);
        assert_eq!(action("SET NULL").unwrap(), FkAction::SetNull);
        assert!(action("BOGUS").is_err());
    }
}
