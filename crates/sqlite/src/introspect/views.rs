//! Views.

use schemasync_model::{QualifiedName, View};

use super::names::Names;
use crate::SqliteError;
use crate::ddl_parser::create_view::parse_create_view;

/// Read a view; `names` holds every table and view, for `depends_on`.
pub(crate) fn read_view(name: &str, sql: &str, names: &Names) -> Result<View, SqliteError> {
    let def = parse_create_view(sql)
        .map_err(|e| SqliteError::Parse { object: format!("view {name}"), message: e.message })?;
    let mut view = View::new(QualifiedName::bare(name), def.definition);
    view.columns = def.columns;
    view.depends_on = names.mentioned(&def.identifiers, &[name]);
    Ok(view)
}
