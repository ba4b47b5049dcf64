//! Views. MySQL and MariaDB print a view's query with every name qualified
//! by its database (`` `shop`.`orders` ``); the current database's qualifier
//! is removed so that the same view reads the same in every database.

use schemasync_model::{CheckOption, Dialect, MySqlViewOptions, QualifiedName, View};

use super::IntrospectOptions;
use crate::MySqlError;
use crate::row::Cells;
use crate::text::strip_db_qualifier;

/// Rows of `views_*.sql`: name, definition, check option, security, definer, algorithm.
pub(super) fn read(rows: &[Cells], database: &str, options: &IntrospectOptions) -> Result<Vec<View>, MySqlError> {
    let mut views = Vec::new();
    for row in rows {
        let definition = strip_db_qualifier(&row.text_or_empty(1)?, database);
        let mut view = View::new(QualifiedName::bare(row.text(0)?), definition);
        view.check_option = match row.text_or_empty(2)?.as_str() {
            "LOCAL" => Some(CheckOption::Local),
            "CASCADED" => Some(CheckOption::Cascaded),
            _ => None,
        };
        let security = row.opt_text(3)?.filter(|s| s != "DEFINER");
        let algorithm = row.opt_text(5)?.filter(|a| a != "UNDEFINED");
        let definer = if options.keep_definers { row.opt_text(4)?.map(|d| quote_account(&d)) } else { None };
        if security.is_some() || algorithm.is_some() || definer.is_some() {
            view.mysql = Some(MySqlViewOptions { algorithm, security, definer });
        }
        views.push(view);
    }
    Ok(views)
}

/// `user@host` → `'user'@'host'` (a user name may itself contain `@`; the host cannot).
pub(super) fn quote_account(definer: &str) -> String {
    match definer.rsplit_once('@') {
        Some((user, host)) => format!("{}@{}", Dialect::MySql.quote_string(user), Dialect::MySql.quote_string(host)),
        None => Dialect::MySql.quote_string(definer),
    }
}

#[cfg(test)]
mod tests {
    use super::quote_account;

    #[test]
    fn quotes_accounts() {
        assert_eq!(quote_account("root@localhost"), "'root'@'localhost'");
        assert_eq!(quote_account("a@b@%"), "'a@b'@'%'");
        assert_eq!(quote_account("it's@h"), "'it''s'@'h'");
    }
}
