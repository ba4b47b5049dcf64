//! CREATE VIEW / DROP VIEW.

use std::fmt::Write;

use schemasync_model::{CheckOption, View};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list};

use super::{D, keyword, name, unsupported};

/// `CREATE [ALGORITHM=x] [DEFINER=d] [SQL SECURITY x] VIEW `v` [(cols)] AS <definition>
/// [WITH CASCADED|LOCAL CHECK OPTION]`. DEFINER is written only when the model
/// keeps one: by default the introspector normalizes it away, and the view is
/// then owned by whoever applies the script.
pub(super) fn create_view(view: &View) -> Result<String, EmitError> {
    let what = || format!("view {}", view.name);
    if view.materialized {
        return Err(unsupported(format!("materialized {}", what())));
    }
    if !view.options.is_empty() {
        return Err(unsupported(format!("options of {}", what())));
    }
    if !view.indexes.is_empty() {
        return Err(unsupported(format!("indexes on {}", what())));
    }
    if view.comment.is_some() {
        return Err(unsupported(format!("comment on {}", what())));
    }
    let definition = non_empty(&view.definition, || format!("definition of {}", what()))?;
    let mysql = view.mysql.as_ref();
    let algorithm = mysql
        .and_then(|m| m.algorithm.as_deref())
        .map(|a| keyword(a, &["UNDEFINED", "MERGE", "TEMPTABLE"], || format!("algorithm of {}", what())))
        .transpose()?;
    let security = mysql
        .and_then(|m| m.security.as_deref())
        .map(|s| keyword(s, &["DEFINER", "INVOKER"], || format!("SQL SECURITY of {}", what())))
        .transpose()?;
    let definer = mysql
        .and_then(|m| m.definer.as_deref())
        .map(|d| non_empty(d, || format!("definer of {}", what())))
        .transpose()?;
    render(|w| {
        w.write_str("CREATE")?;
        if let Some(algorithm) = algorithm {
            write!(w, " ALGORITHM={algorithm}")?;
        }
        if let Some(definer) = definer {
            write!(w, " DEFINER={definer}")?;
        }
        if let Some(security) = security {
            write!(w, " SQL SECURITY {security}")?;
        }
        write!(w, " VIEW {}", name(&view.name))?;
        if !view.columns.is_empty() {
            w.write_str(" (")?;
            write_ident_list(w, D, &view.columns)?;
            w.write_char(')')?;
        }
        write!(w, " AS {definition}")?;
        match view.check_option {
            None => {}
            Some(CheckOption::Cascaded) => w.write_str(" WITH CASCADED CHECK OPTION")?,
            Some(CheckOption::Local) => w.write_str(" WITH LOCAL CHECK OPTION")?,
        }
        Ok(())
    })
}

/// `DROP VIEW `v``.
pub(super) fn drop_view(view: &View) -> Result<String, EmitError> {
    if view.materialized {
        return Err(unsupported(format!("materialized view {}", view.name)));
    }
    Ok(format!("DROP VIEW {}", name(&view.name)))
}
