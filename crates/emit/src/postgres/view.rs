//! CREATE / DROP [MATERIALIZED] VIEW.

use schemasync_model::{CheckOption, View};

use crate::EmitError;
use crate::render::{non_empty, render, write_ident_list};

use super::lex::ends_in_line_comment;
use super::{D, qname, unsupported, without_semicolon};

/// `CREATE [MATERIALIZED ]VIEW "s"."v"[ ("a")][ WITH (options)] AS <definition>
/// [ WITH CASCADED|LOCAL CHECK OPTION]`. A materialized view is filled
/// (`WITH DATA`, the default), so it is usable as soon as the script ends.
pub(super) fn create_view(view: &View) -> Result<String, EmitError> {
    let what = || format!("view {}", view.name);
    if view.mysql.is_some() {
        return Err(unsupported(format!("MySQL options of {}", what())));
    }
    if view.materialized && view.check_option.is_some() {
        return Err(EmitError::invalid(format!("materialized {}: a CHECK OPTION", what())));
    }
    let definition = without_semicolon(non_empty(&view.definition, || format!("definition of {}", what()))?);
    render(|w| {
        w.push_str(if view.materialized { "CREATE MATERIALIZED VIEW " } else { "CREATE VIEW " });
        w.push_str(&qname(&view.name));
        if !view.columns.is_empty() {
            w.push_str(" (");
            write_ident_list(w, D, &view.columns)?;
            w.push(')');
        }
        if !view.options.is_empty() {
            w.push_str(" WITH (");
            w.push_str(&view.options.join(", "));
            w.push(')');
        }
        w.push_str(" AS");
        // `pg_get_viewdef` starts with a space or a newline; keep its layout.
        if !definition.starts_with(char::is_whitespace) {
            w.push(' ');
        }
        w.push_str(definition);
        if let Some(option) = view.check_option {
            // A trailing `--` comment would swallow the clause on the same line.
            w.push(if ends_in_line_comment(definition) { '\n' } else { ' ' });
            w.push_str(match option {
                CheckOption::Cascaded => "WITH CASCADED CHECK OPTION",
                CheckOption::Local => "WITH LOCAL CHECK OPTION",
            });
        }
        Ok(())
    })
}

/// `DROP VIEW "s"."v"` / `DROP MATERIALIZED VIEW "s"."v"`.
pub(super) fn drop_view(view: &View) -> Result<String, EmitError> {
    let keyword = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    Ok(format!("DROP {keyword} {}", qname(&view.name)))
}
