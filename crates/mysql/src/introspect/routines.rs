//! Stored functions and procedures. The model's `definition` is a complete
//! `CREATE FUNCTION|PROCEDURE` statement rebuilt from information_schema
//! (parameters, return type, characteristics, body), without DEFINER, so that
//! it runs as is in any database.

use std::collections::BTreeMap;

use schemasync_model::{Dialect, QualifiedName, Routine, RoutineKind};

use super::SkippedObject;
use crate::MySqlError;
use crate::row::Cells;

/// Rows of `routines.sql` and `parameters.sql`; `show_create` gives the
/// `SHOW CREATE FUNCTION|PROCEDURE` text of a routine, whose tail is the
/// body as written (see `raw_bodies`).
pub(super) fn read(
    rows: &[Cells],
    parameter_rows: &[Cells],
    show_create: &BTreeMap<(String, String), String>,
    skipped: &mut Vec<SkippedObject>,
) -> Result<Vec<Routine>, MySqlError> {
    let mut parameters: BTreeMap<(String, String), Vec<Parameter>> = BTreeMap::new();
    for row in parameter_rows {
        let key = (row.text_or_empty(1)?, row.text(0)?);
        parameters.entry(key).or_default().push(Parameter {
            mode: row.opt_text(2)?,
            name: row.text_or_empty(3)?,
            dtd: row.text_or_empty(4)?,
            charset: row.opt_text(5)?,
            collation: row.opt_text(6)?,
        });
    }
    let mut routines = Vec::new();
    for row in rows {
        let name = row.text(0)?;
        let routine_type = row.text(1)?;
        let kind = match routine_type.as_str() {
            "FUNCTION" => RoutineKind::Function,
            "PROCEDURE" => RoutineKind::Procedure,
            other => {
                let reason = format!("{other} routines are not modelled");
                skipped.push(SkippedObject::new(format!("routine {name}"), reason));
                continue;
            }
        };
        let label = format!("{} {name}", routine_type.to_ascii_lowercase());
        if row.text_or_empty(5)? != "SQL" {
            skipped.push(SkippedObject::new(label, "only SQL routine bodies are modelled"));
            continue;
        }
        let Some(decoded) = row.opt_text(6)? else {
            skipped.push(SkippedObject::new(label, "its body is not visible to this user (needs SHOW_ROUTINE)"));
            continue;
        };
        let statement = show_create.get(&(routine_type.clone(), name.clone()));
        let body = super::raw_bodies::exact_body(
            statement.map(String::as_str),
            &decoded,
            row.opt_text(12)?.as_deref(),
            &label,
        )?;
        let database_collation = row.text_or_empty(11)?;
        let params = parameters.remove(&(routine_type.clone(), name.clone())).unwrap_or_default();
        let arguments = params.iter().map(|p| p.render(kind, &database_collation)).collect::<Vec<_>>().join(", ");
        let returns = match kind {
            RoutineKind::Function => Some(with_charset(
                &row.text_or_empty(2)?,
                row.opt_text(3)?.as_deref(),
                row.opt_text(4)?.as_deref(),
                &database_collation,
            )),
            _ => None,
        };
        let comment = Some(row.text_or_empty(10)?).filter(|c| !c.is_empty());
        let characteristics = Characteristics {
            deterministic: row.text_or_empty(7)? == "YES",
            data_access: row.text_or_empty(8)?,
            invoker: row.text_or_empty(9)? == "INVOKER",
            comment: comment.as_deref(),
        };
        let definition = definition(kind, &name, &arguments, returns.as_deref(), &characteristics, &body);
        routines.push(Routine {
            kind,
            name: QualifiedName::bare(name),
            signature: String::new(),
            arguments,
            returns,
            language: None,
            definition,
            depends_on: Vec::new(),
            owner: None,
            grants: Vec::new(),
            comment,
            sql_mode: row.opt_text(12)?,
        });
    }
    Ok(routines)
}

/// One row of `parameters.sql`.
struct Parameter {
    mode: Option<String>,
    name: String,
    dtd: String,
    charset: Option<String>,
    collation: Option<String>,
}

impl Parameter {
    /// `IN \`a\` int(11)` (procedures) or `` `a` int(11) `` (functions, which have no modes).
    fn render(&self, kind: RoutineKind, database_collation: &str) -> String {
        let ty = with_charset(&self.dtd, self.charset.as_deref(), self.collation.as_deref(), database_collation);
        let name = Dialect::MySql.quote_ident(&self.name);
        match (&self.mode, kind) {
            (Some(mode), RoutineKind::Procedure) => format!("{mode} {name} {ty}"),
            _ => format!("{name} {ty}"),
        }
    }
}

/// A parameter or return type with the character set and collation it was
/// declared with, when they are not the database's defaults (which is what
/// an undeclared character set becomes).
fn with_charset(dtd: &str, charset: Option<&str>, collation: Option<&str>, database_collation: &str) -> String {
    let Some(charset) = charset else { return dtd.to_owned() };
    let database_charset = database_collation.split('_').next().unwrap_or_default();
    let collation = collation.unwrap_or_default();
    if charset != database_charset {
        if collation.is_empty() {
            format!("{dtd} CHARSET {charset}")
        } else {
            format!("{dtd} CHARSET {charset} COLLATE {collation}")
        }
    } else if !collation.is_empty() && collation != database_collation {
        format!("{dtd} COLLATE {collation}")
    } else {
        dtd.to_owned()
    }
}

/// Routine characteristics, each written only when it is not the default.
struct Characteristics<'a> {
    deterministic: bool,
    data_access: String,
    invoker: bool,
    comment: Option<&'a str>,
}

fn definition(
    kind: RoutineKind,
    name: &str,
    arguments: &str,
    returns: Option<&str>,
    characteristics: &Characteristics<'_>,
    body: &str,
) -> String {
    let keyword = if kind == RoutineKind::Function { "FUNCTION" } else { "PROCEDURE" };
    let mut out = format!("CREATE {keyword} {}({arguments})", Dialect::MySql.quote_ident(name));
    if let Some(returns) = returns {
        out.push_str(&format!(" RETURNS {returns}"));
    }
    if characteristics.deterministic {
        out.push_str(" DETERMINISTIC");
    }
    let access = characteristics.data_access.as_str();
    if !access.is_empty() && access != "CONTAINS SQL" {
        out.push(' ');
        out.push_str(access);
    }
    if characteristics.invoker {
        out.push_str(" SQL SECURITY INVOKER");
    }
    if let Some(comment) = characteristics.comment {
        out.push_str(&format!(" COMMENT {}", Dialect::MySql.quote_string(comment)));
    }
    out.push('\n');
    out.push_str(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_only_when_not_the_database_default() {
        let db = "utf8mb4_general_ci";
        assert_eq!(with_charset("int(11)", None, None, db), "int(11)");
        assert_eq!(with_charset("text", Some("utf8mb4"), Some("utf8mb4_general_ci"), db), "text");
        assert_eq!(with_charset("text", Some("utf8mb4"), Some("utf8mb4_bin"), db), "text COLLATE utf8mb4_bin");
        assert_eq!(
            with_charset("varchar(10)", Some("latin1"), Some("latin1_swedish_ci"), db),
            "varchar(10) CHARSET latin1 COLLATE latin1_swedish_ci"
        );
    }

    #[test]
    fn builds_definitions() {
        let c = Characteristics {
            deterministic: true,
            data_access: "NO SQL".into(),
            invoker: false,
            comment: Some("it's"),
        };
        assert_eq!(
            definition(RoutineKind::Function, "f", "`a` int(11)", Some("int(11)"), &c, "RETURN a + 1"),
            "CREATE FUNCTION `f`(`a` int(11)) RETURNS int(11) DETERMINISTIC NO SQL COMMENT 'it''s'\nRETURN a + 1"
        );
        let c =
            Characteristics { deterministic: false, data_access: "CONTAINS SQL".into(), invoker: true, comment: None };
        assert_eq!(
            definition(RoutineKind::Procedure, "p", "IN `a` int(11)", None, &c, "BEGIN END"),
            "CREATE PROCEDURE `p`(IN `a` int(11)) SQL SECURITY INVOKER\nBEGIN END"
        );
    }
}
