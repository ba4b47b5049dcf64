//! PostgreSQL: one function per change kind, each returning its statements.
//!
//! Text fields of the model (types, defaults, CHECK expressions, view and
//! routine definitions, trigger bodies, partition bounds, ...) are what
//! PostgreSQL's deparse functions print (`format_type`, `pg_get_expr`,
//! `pg_get_viewdef`, ...). They are written verbatim: PostgreSQL parses them
//! back to the same catalog entries and prints them identically, which is
//! what makes a sync converge. Only names and string literals are quoted here.

mod alter;
mod alter_column;
mod alter_type;
mod collation;
mod column;
mod column_options;
mod comment;
mod constraint;
mod index;
mod lex;
mod locks;
mod namespace;
mod options;
mod policy;
mod privilege;
mod routine;
mod rule;
mod sequence;
mod table;
mod trigger;
mod types;
mod view;

use std::collections::{BTreeMap, BTreeSet};

use schemasync_diff::{Change, Plan};
use schemasync_model::{Dialect, Hazard, HazardKind, ObjectKey, QualifiedName, Script};

use crate::EmitError;

/// The dialect every function of this module writes.
const D: Dialect = Dialect::Postgres;

/// One rendered change: its statements and when they run.
struct Rendered {
    sqls: Vec<String>,
    phase: Phase,
}

/// When a statement runs relative to the target's transaction. A script
/// lists its statements in the order they run: those before the
/// transaction, the transaction's, then those after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// Committed before the transaction starts (an enum label the
    /// transaction uses: PostgreSQL cannot use a label added by the
    /// uncommitted transaction itself).
    Before,
    /// Inside the one transaction.
    Transaction,
    /// After the transaction commits (`CREATE INDEX CONCURRENTLY`,
    /// `VALIDATE CONSTRAINT` of online plans).
    After,
}

impl Rendered {
    fn in_transaction(sqls: Vec<String>) -> Self {
        Rendered { sqls, phase: Phase::Transaction }
    }
}

/// Facts about the whole plan that single changes cannot tell.
#[derive(Debug, Default)]
struct PlanContext {
    /// Views whose kind the plan reveals: `true` for materialized. The kind
    /// decides the `COMMENT ON` keyword, and `ObjectKey::View` does not carry it.
    materialized: BTreeMap<QualifiedName, bool>,
    /// Indexes built CONCURRENTLY: they exist only after the transaction, so
    /// their comments must wait outside it too.
    concurrent_indexes: BTreeSet<(QualifiedName, String)>,
}

impl PlanContext {
    fn new(plan: &Plan) -> Self {
        let mut ctx = PlanContext::default();
        // The view as the plan leaves it: a CreateView wins over a DropView.
        for planned in &plan.changes {
            match &planned.change {
                Change::DropView(view) => {
                    ctx.materialized.entry(view.name.clone()).or_insert(view.materialized);
                }
                Change::CreateView(view) => {
                    ctx.materialized.insert(view.name.clone(), view.materialized);
                }
                Change::CreateIndex { table, index } if concurrent(&planned.hazards) => {
                    ctx.concurrent_indexes.insert((table.clone(), index.name.clone()));
                }
                _ => {}
            }
        }
        ctx
    }
}

/// The differ marks index builds of online plans as non-transactional:
/// those become `CREATE INDEX CONCURRENTLY`.
fn concurrent(hazards: &[Hazard]) -> bool {
    hazards.iter().any(|h| h.kind == HazardKind::NonTransactional)
}

/// Render a PostgreSQL plan.
pub(crate) fn emit(plan: &Plan) -> Result<Script, EmitError> {
    let ctx = PlanContext::new(plan);
    let mut phases: [Script; 3] = [Script::new(D), Script::new(D), Script::new(D)];
    for planned in &plan.changes {
        let mut rendered = render_change(&planned.change, &planned.hazards, &ctx)?;
        for sql in &mut rendered.sqls {
            // Verbatim text may end in a `--` comment, which would swallow the
            // `;` a script puts after the statement.
            if lex::ends_in_line_comment(sql) {
                sql.push('\n');
            }
        }
        let script = &mut phases[rendered.phase as usize];
        let first = script.statements.len();
        crate::push_change(script, rendered.sqls, &planned.hazards);
        let relations = locks::relations(&planned.change);
        for (n, statement) in script.statements.iter_mut().skip(first).enumerate() {
            statement.transactional = rendered.phase == Phase::Transaction;
            statement.relations = if n == 0 { relations } else { 1 };
        }
    }
    let [mut script, transaction, after] = phases;
    script.statements.extend(transaction.statements);
    script.statements.extend(after.statements);
    Ok(script)
}

fn render_change(change: &Change, hazards: &[Hazard], ctx: &PlanContext) -> Result<Rendered, EmitError> {
    let one = |sql: Result<String, EmitError>| sql.map(|s| Rendered::in_transaction(vec![s]));
    let many = |sqls: Result<Vec<String>, EmitError>| sqls.map(Rendered::in_transaction);
    match change {
        Change::CreateNamespace(ns) => one(namespace::create_schema(ns)),
        Change::DropNamespace(ns) => one(namespace::drop_schema(ns)),
        Change::CreateExtension(ext) => one(namespace::create_extension(ext)),
        Change::DropExtension(ext) => one(namespace::drop_extension(ext)),
        Change::AlterExtension { from, to } => many(namespace::alter_extension(from, to)),
        Change::CreateType(ty) => many(types::create_type(ty)),
        Change::DropType(ty) => one(types::drop_type(ty)),
        Change::CreateRule(r) => one(rule::create_rule(r)),
        Change::DropRule(r) => one(Ok(rule::drop_rule(r))),
        Change::CreateStatistics(s) => many(rule::create_statistics(s)),
        Change::DropStatistics(s) => one(Ok(rule::drop_statistics(s))),
        Change::CreateCollation(c) => one(collation::create_collation(c)),
        Change::DropCollation(c) => one(Ok(collation::drop_collation(c))),
        // The differ marks label additions the plan itself uses.
        Change::AlterType { from, to } if concurrent(hazards) => {
            Ok(Rendered { sqls: alter_type::alter_type(from, to)?, phase: Phase::Before })
        }
        Change::AlterType { from, to } => many(alter_type::alter_type(from, to)),
        Change::ValidateConstraint { table, name } => {
            Ok(Rendered { sqls: vec![alter::validate_constraint(table, name)], phase: Phase::After })
        }
        Change::CreateSequence(seq) => one(sequence::create_sequence(seq)),
        Change::DropSequence(seq) => one(sequence::drop_sequence(seq)),
        Change::AlterSequence { from, to } => many(sequence::alter_sequence(from, to)),
        Change::CreateTable { table, deferred_foreign_keys } => many(table::create_table(table, deferred_foreign_keys)),
        Change::DropTable(table) => one(table::drop_table(&table.name)),
        Change::AlterTable { table, ops } => many(alter::alter_table(table, ops)),
        Change::CreateIndex { table, index } => {
            let concurrently = concurrent(hazards);
            let sql = index::create_index(table, index, concurrently)?;
            Ok(Rendered { sqls: vec![sql], phase: if concurrently { Phase::After } else { Phase::Transaction } })
        }
        Change::DropIndex { table, index } => one(index::drop_index(table, index)),
        Change::AddForeignKey { table, foreign_key } => one(alter::add_foreign_key(table, foreign_key)),
        Change::DropForeignKey { table, foreign_key } => one(alter::drop_foreign_key(table, foreign_key)),
        Change::CreateView(view) => one(view::create_view(view)),
        Change::DropView(view) => one(view::drop_view(view)),
        Change::CreateRoutine(routine) => one(routine::create_routine(routine)),
        Change::ReplaceRoutine { from, to } => many(routine::replace_routine(from, to)),
        Change::DropRoutine(routine) => one(routine::drop_routine(routine)),
        Change::CreateTrigger(trigger) => many(trigger::create_trigger(trigger)),
        Change::DropTrigger(trigger) => one(trigger::drop_trigger(trigger)),
        Change::CreatePolicy { table, policy } => one(policy::create_policy(table, policy)),
        Change::DropPolicy { table, policy } => one(policy::drop_policy(table, policy)),
        Change::SetComment { target, comment } => {
            let sql = comment::set_comment(target, comment.as_deref(), ctx)?;
            let after_commit = matches!(target, ObjectKey::Index { table, name }
                if ctx.concurrent_indexes.contains(&(table.clone(), name.clone())));
            Ok(Rendered { sqls: vec![sql], phase: if after_commit { Phase::After } else { Phase::Transaction } })
        }
        Change::SetPrivileges { target, revoke, owner, grant } => {
            Ok(Rendered::in_transaction(privilege::set_privileges(target, revoke, owner.as_deref(), grant)?))
        }
        // A PostgreSQL table never needs a rebuild: ALTER TABLE covers it.
        Change::RebuildTable { .. } | Change::CreateEvent(_) | Change::DropEvent(_) => {
            Err(unsupported(change.describe()))
        }
        other => Err(unsupported(other.describe())),
    }
}

fn unsupported(what: impl Into<String>) -> EmitError {
    EmitError::unsupported(D, what)
}

/// A quoted identifier (column, index, constraint, trigger, policy, role name).
fn ident(name: &str) -> String {
    D.quote_ident(name)
}

/// A quoted, schema-qualified object name.
fn qname(name: &QualifiedName) -> String {
    D.quote_qualified(name)
}

/// A quoted string literal.
fn literal(text: &str) -> String {
    D.quote_string(text)
}

/// The name of an object that lives in its table's schema (an index): the
/// table's schema with the object's own name.
fn sibling(table: &QualifiedName, name: &str) -> String {
    qname(&QualifiedName { schema: table.schema.clone(), name: name.to_owned() })
}

/// Verbatim text that PostgreSQL may print with a trailing semicolon
/// (`pg_get_viewdef`): the statement separator is added by the script.
fn without_semicolon(text: &str) -> &str {
    let trimmed = text.trim_end();
    trimmed.strip_suffix(';').map_or(trimmed, str::trim_end)
}

/// A constraint's name for messages, `(unnamed)` when it has none.
fn name_or_unnamed(name: Option<&str>) -> &str {
    name.unwrap_or("(unnamed)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_semicolons_are_dropped() {
        assert_eq!(without_semicolon(" SELECT 1;\n"), " SELECT 1");
        assert_eq!(without_semicolon("SELECT 1"), "SELECT 1");
        assert_eq!(without_semicolon("SELECT ';' ;  "), "SELECT ';'");
    }

    #[test]
    fn siblings_live_in_their_tables_schema() {
        assert_eq!(sibling(&QualifiedName::new(Some("s"), "t"), "i\"x"), "\"s\".\"i\"\"x\"");
    }
}
