//! Views and materialized views.

use schemasync_model::{CheckOption, QualifiedName, View};
use tokio_postgres::Row;

use super::Builder;
use super::row::Fields;
use crate::PostgresError;

/// `pg_get_viewdef` text without surrounding blanks and the final `;`.
pub(crate) fn clean_definition(text: &str) -> String {
    let text = text.trim();
    text.strip_suffix(';').unwrap_or(text).trim_end().to_owned()
}

pub(crate) fn read_views(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "views");
        let schema: String = f.get("schema")?;
        let name = QualifiedName::new(Some(&schema), f.get::<String>("name")?);
        let definition: Option<String> = f.get("definition")?;
        let definition =
            clean_definition(&definition.ok_or_else(|| f.unexpected(format!("view {name} has no definition")))?);
        let mut view = View::new(name.clone(), definition);
        view.materialized = f.flag("kind")? == 'm';
        for option in f.list("reloptions")? {
            match option.split_once('=') {
                Some(("check_option", "local")) => view.check_option = Some(CheckOption::Local),
                Some(("check_option", "cascaded")) => view.check_option = Some(CheckOption::Cascaded),
                _ => view.options.push(option),
            }
        }
        view.options.sort();
        view.owner = b.owner(f.get("owner")?);
        view.comment = f.get("comment")?;
        b.oids.views.insert(f.get("oid")?, name.clone());
        b.schema.views.insert(name, view);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn definitions_lose_the_semicolon() {
        assert_eq!(super::clean_definition(" SELECT 1;\n"), "SELECT 1");
    }
}
