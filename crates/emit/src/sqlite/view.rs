//! CREATE VIEW / DROP VIEW.

use std::fmt::Write;

use schemasync_model::View;

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list};

use super::{D, object_name, unsupported};

/// `CREATE VIEW "v"[ ("a", "b")] AS <definition>`.
pub(super) fn create_view(view: &View) -> Result<String, EmitError> {
    let name = object_name(&view.name)?;
    if view.materialized {
        return Err(unsupported(format!("materialized view {}", view.name)));
    }
    if view.check_option.is_some() || !view.options.is_empty() || view.mysql.is_some() {
        return Err(unsupported(format!("CHECK OPTION / options of view {}", view.name)));
    }
    let definition = non_empty(&view.definition, || format!("definition of view {}", view.name))?;
    render(|w| {
        write!(w, "CREATE VIEW {name}")?;
        if !view.columns.is_empty() {
            w.write_str(" (")?;
            write_ident_list(w, D, &view.columns)?;
            w.write_char(')')?;
        }
        write!(w, " AS {definition}")?;
        Ok(())
    })
}

/// `DROP VIEW "v"`.
pub(super) fn drop_view(view: &View) -> Result<String, EmitError> {
    let name = object_name(&view.name)?;
    render(|w| Ok(write!(w, "DROP VIEW {name}")?))
}
