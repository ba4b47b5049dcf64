//! SQLite: one function per change kind, each returning its statements.
//!
//! Text fields of the model (defaults, CHECK expressions, view definitions,
//! trigger bodies, ...) are written verbatim: the SQLite introspector reads
//! them back from `sqlite_schema` in the same spelling, which is what makes a
//! sync converge.

mod alter;
mod expr;
mod index;
mod keywords;
mod rebuild;
mod table;
mod trigger;
mod view;

use schemasync_diff::{Change, Plan};
use schemasync_model::{Dialect, QualifiedName, Script};

use crate::EmitError;

/// The dialect every function of this module writes.
const D: Dialect = Dialect::Sqlite;

/// Render a SQLite plan.
pub(crate) fn emit(plan: &Plan) -> Result<Script, EmitError> {
    let mut script = Script::new(D);
    for planned in &plan.changes {
        let sqls = render_change(&planned.change)?;
        // Dropping a table deletes its rows, which enforcement would refuse
        // while other doomed tables still reference them.
        if matches!(planned.change, Change::RebuildTable { .. } | Change::DropTable(_)) {
            // The old table is dropped while other tables still reference it;
            // the engine checks foreign keys once, before commit, instead.
            script.disable_foreign_keys = true;
        }
        crate::push_change(&mut script, sqls, &planned.hazards);
    }
    Ok(script)
}

fn render_change(change: &Change) -> Result<Vec<String>, EmitError> {
    match change {
        // Foreign keys are always inline in SQLite (it cannot add them later),
        // so `deferred_foreign_keys` is ignored: with enforcement off during
        // the transaction, forward references are fine.
        Change::CreateTable { table, .. } => Ok(vec![table::create_table(table)?]),
        Change::DropTable(table) => Ok(vec![table::drop_table(&table.name)?]),
        Change::AlterTable { table, ops } => alter::alter_table(table, ops),
        Change::RebuildTable { from, to } => rebuild::rebuild_table(from, to),
        Change::CreateIndex { table, index } => Ok(vec![index::create_index(table, index)?]),
        Change::DropIndex { index, .. } => Ok(vec![index::drop_index(index)?]),
        Change::CreateView(view) => Ok(vec![view::create_view(view)?]),
        Change::DropView(view) => Ok(vec![view::drop_view(view)?]),
        Change::CreateTrigger(trigger) => Ok(vec![trigger::create_trigger(trigger)?]),
        Change::DropTrigger(trigger) => Ok(vec![trigger::drop_trigger(trigger)?]),
        other => Err(unsupported(other.describe())),
    }
}

fn unsupported(what: impl Into<String>) -> EmitError {
    EmitError::unsupported(D, what)
}

/// The quoted name of a table, view or referenced table. SQLite objects live
/// in the database itself (`schema: None`); a qualifier could only name an
/// attached database, which several statements (`ON`, `REFERENCES`) cannot
/// spell, so it is refused rather than silently dropped.
fn object_name(name: &QualifiedName) -> Result<String, EmitError> {
    match &name.schema {
        Some(_) => Err(unsupported(format!("schema-qualified name {name}"))),
        None => Ok(D.quote_qualified(name)),
    }
}

/// A quoted identifier (column, index, trigger, constraint name).
fn ident(name: &str) -> String {
    D.quote_ident(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names_are_refused() {
        assert!(object_name(&QualifiedName::new(Some("aux"), "t")).is_err());
        assert_eq!(object_name(&QualifiedName::bare("t")).unwrap(), "\"t\"");
    }
}
