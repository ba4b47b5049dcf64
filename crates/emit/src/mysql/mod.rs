//! MySQL and MariaDB: one function per change kind, each returning its
//! statements.
//!
//! Text fields of the model (column types, defaults, CHECK expressions, view
//! definitions, routine definitions, trigger and event bodies, partition
//! expressions and bounds) are written verbatim: the MySQL introspector reads
//! them back from `information_schema` in the server's own spelling, which is
//! what makes a sync converge. Names go through [`Dialect::quote_ident`]
//! (backticks) and comments through [`Dialect::quote_string`].
//!
//! Two things are decided at the level of the whole plan rather than per
//! change (see [`layout`]): indexes of a table created by the plan are written
//! inside its `CREATE TABLE`, and triggers sharing a table, timing and event
//! are created in their firing order.

mod alter;
mod column;
mod constraint;
mod event;
mod index;
mod layout;
mod partition;
mod routine;
mod table;
mod trigger;
mod view;

use schemasync_diff::{Change, Plan};
use schemasync_model::{Dialect, Hazard, Index, QualifiedName, Script};

use crate::EmitError;

use layout::{Layout, Slot};

/// The dialect every function of this module writes.
const D: Dialect = Dialect::MySql;

/// Render a MySQL plan.
pub(crate) fn emit(plan: &Plan) -> Result<Script, EmitError> {
    let layout = Layout::new(&plan.changes);
    let mut script = Script::new(D);
    for (position, planned) in plan.changes.iter().enumerate() {
        match layout.slot(position) {
            Slot::Skip => {}
            Slot::Render { indexes } => {
                let inline: Vec<&Index> = indexes.iter().map(|(index, _)| *index).collect();
                let mut hazards = planned.hazards.clone();
                for hazard in indexes.iter().flat_map(|(_, h)| h.iter()) {
                    if !hazards.contains(hazard) {
                        hazards.push(hazard.clone());
                    }
                }
                let sqls = render_change(&planned.change, &inline)?;
                crate::push_change(&mut script, sqls, &hazards);
            }
            Slot::Triggers(group) => {
                for member in group {
                    let sqls = render_change(&member.change, &[])?;
                    crate::push_change(&mut script, sqls, &member.hazards);
                }
            }
        }
    }
    Ok(script)
}

/// The statements of one change. `inline` holds the indexes the plan creates
/// separately but which are written into this change's statement instead.
fn render_change(change: &Change, inline: &[&Index]) -> Result<Vec<String>, EmitError> {
    match change {
        Change::CreateTable { table, deferred_foreign_keys } => {
            Ok(vec![table::create_table(table, deferred_foreign_keys, inline)?])
        }
        Change::DropTable(table) => Ok(vec![table::drop_table(&table.name)]),
        Change::AlterTable { table, ops } => Ok(alter::alter_table(table, ops)?.into_iter().collect()),
        Change::CreateIndex { table, index } => Ok(vec![index::create_index(table, index)?]),
        Change::DropIndex { table, index } => Ok(vec![index::drop_index(table, index)]),
        Change::AddForeignKey { table, foreign_key } => Ok(vec![alter::add_foreign_key(table, foreign_key, inline)?]),
        Change::DropForeignKey { table, foreign_key } => Ok(vec![alter::drop_foreign_key(table, foreign_key)?]),
        Change::CreateView(view) => Ok(vec![view::create_view(view)?]),
        Change::DropView(view) => Ok(vec![view::drop_view(view)?]),
        Change::CreateRoutine(routine) => {
            Ok(under_sql_mode(routine.sql_mode.as_deref(), routine::create_routine(routine)?))
        }
        Change::DropRoutine(routine) => Ok(vec![routine::drop_routine(routine)?]),
        // MySQL 8 has no CREATE OR REPLACE for routines; MariaDB has, but
        // DROP + CREATE works on both.
        Change::ReplaceRoutine { from, to } => {
            let mut sqls = vec![routine::drop_routine(from)?];
            sqls.extend(under_sql_mode(to.sql_mode.as_deref(), routine::create_routine(to)?));
            Ok(sqls)
        }
        Change::CreateTrigger(trigger) => {
            Ok(under_sql_mode(trigger.sql_mode.as_deref(), trigger::create_trigger(trigger)?))
        }
        Change::DropTrigger(trigger) => Ok(vec![trigger::drop_trigger(trigger)]),
        Change::CreateEvent(event) => Ok(under_sql_mode(event.sql_mode.as_deref(), event::create_event(event)?)),
        Change::DropEvent(event) => Ok(vec![event::drop_event(event)]),
        Change::SetComment { target, comment } => Ok(vec![alter::set_comment(target, comment.as_deref())?]),
        other => Err(unsupported(other.describe())),
    }
}

/// The user variable holding the session's `sql_mode` while a routine,
/// trigger or event is created under its own.
const SAVED_SQL_MODE: &str = "@schemasync_sql_mode";

/// `create` run under `sql_mode`, when the model records one.
///
/// A routine, trigger or event keeps the `sql_mode` of the session that
/// created it (it applies whenever the object runs, and
/// `information_schema` reports it). To create it as its source was, the
/// session switches to that mode and back:
///
/// ```sql
/// SET @schemasync_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = '<mode>'
/// CREATE ...
/// SET SESSION sql_mode = @schemasync_sql_mode
/// ```
///
/// The session's own mode is saved in a user variable and restored from it,
/// rather than `SET sql_mode = DEFAULT` (which would be the *global* mode and
/// drop anything the connection had set itself). The three statements rely on
/// running in order on one connection, which is how a script is applied. If
/// the CREATE fails, the apply stops there and the session (whose mode is then
/// still the object's) is not used further.
fn under_sql_mode(sql_mode: Option<&str>, create: String) -> Vec<String> {
    match sql_mode {
        None => vec![create],
        Some(mode) => vec![
            format!("SET {SAVED_SQL_MODE} = @@SESSION.sql_mode, SESSION sql_mode = {}", D.quote_string(mode)),
            create,
            format!("SET SESSION sql_mode = {SAVED_SQL_MODE}"),
        ],
    }
}

fn unsupported(what: impl Into<String>) -> EmitError {
    EmitError::unsupported(D, what)
}

/// The quoted name of a table, view, routine or event. The database is the
/// namespace, so names are bare; a qualifier names another database
/// (`` `db`.`t` ``), which MySQL accepts everywhere a name goes.
fn name(name: &QualifiedName) -> String {
    D.quote_qualified(name)
}

/// A quoted identifier (column, index, constraint, trigger, partition name).
fn ident(name: &str) -> String {
    D.quote_ident(name)
}

/// A character set, collation, engine or parser name: written bare when it is
/// a plain word, as the server prints it, and quoted otherwise.
fn word(name: &str) -> String {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain { name.to_owned() } else { ident(name) }
}

/// A keyword-valued option (`ROW_FORMAT`, index method, view algorithm): it
/// cannot be quoted, so anything but one of the allowed keywords is refused.
fn keyword<'a>(value: &'a str, allowed: &[&str], what: impl FnOnce() -> String) -> Result<&'a str, EmitError> {
    if allowed.iter().any(|k| k.eq_ignore_ascii_case(value)) {
        Ok(value)
    } else {
        Err(EmitError::invalid(format!("{}: `{value}` is not one of {}", what(), allowed.join(", "))))
    }
}

/// An index written into another change's statement, with the hazards of its
/// own `CreateIndex` change.
type Absorbed<'a> = (&'a Index, &'a [Hazard]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_bare_unless_odd() {
        assert_eq!(word("utf8mb4_0900_ai_ci"), "utf8mb4_0900_ai_ci");
        assert_eq!(word("my set"), "`my set`");
        assert_eq!(word(""), "``");
    }

    #[test]
    fn keywords_are_checked() {
        assert_eq!(keyword("dynamic", &["DYNAMIC"], String::new).unwrap(), "dynamic");
        assert!(keyword("DYNAMIC; DROP", &["DYNAMIC"], String::new).is_err());
    }

    #[test]
    fn objects_are_created_under_their_sql_mode() {
        assert_eq!(under_sql_mode(None, "CREATE X".into()), ["CREATE X"]);
        assert_eq!(
            under_sql_mode(Some("ANSI_QUOTES,TRADITIONAL"), "CREATE X".into()),
            [
                "SET @schemasync_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = 'ANSI_QUOTES,TRADITIONAL'",
                "CREATE X",
                "SET SESSION sql_mode = @schemasync_sql_mode",
            ]
        );
        assert_eq!(
            under_sql_mode(Some(""), "CREATE X".into())[0],
            "SET @schemasync_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = ''"
        );
    }

    #[test]
    fn qualified_names_name_the_database() {
        assert_eq!(name(&QualifiedName::new(Some("db"), "t`x")), "`db`.`t``x`");
        assert_eq!(name(&QualifiedName::bare("t")), "`t`");
    }
}
