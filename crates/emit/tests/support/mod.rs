//! Fixtures shared by the snapshot and execution tests.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use schemasync_diff::{Change, Plan, PlannedChange};
use schemasync_model::{
    CheckConstraint, Column, Deferrable, Dialect, FkAction, FkMatch, ForeignKey, Hazard, HazardKind, Index, IndexPart,
    PrimaryKey, QualifiedName, Script, Table, TableOptions, Trigger, TriggerEvent, TriggerTiming, UniqueConstraint,
    View,
};

/// A name that breaks any emitter that quotes by hand.
pub const HOSTILE: &str = "a\"b; DROP TABLE x";

pub fn plan(changes: Vec<PlannedChange>) -> Plan {
    Plan { dialect: Dialect::Sqlite, from_hash: String::new(), to_hash: String::new(), changes }
}

pub fn change(change: Change) -> PlannedChange {
    PlannedChange { change, hazards: Vec::new() }
}

pub fn with_hazards(change: Change, hazards: &[(HazardKind, &str)]) -> PlannedChange {
    PlannedChange { change, hazards: hazards.iter().map(|(kind, message)| Hazard::new(*kind, *message)).collect() }
}

pub fn create(table: Table) -> Change {
    Change::CreateTable { table, deferred_foreign_keys: Vec::new() }
}

/// The script as reviewers see it: hazards as comments above their statement.
pub fn show(script: &Script) -> String {
    let mut out = String::new();
    if script.disable_foreign_keys {
        out.push_str("-- (foreign keys disabled around the transaction)\n");
    }
    for statement in &script.statements {
        for hazard in &statement.hazards {
            out.push_str(&format!("-- hazard {hazard}\n"));
        }
        if !statement.transactional {
            out.push_str("-- (outside the transaction)\n");
        }
        out.push_str(&statement.sql);
        out.push_str(";\n");
    }
    out
}

pub fn fk(columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: QualifiedName::bare(ref_table),
        ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_type: FkMatch::Simple,
        deferrable: Deferrable::NotDeferrable,
        not_valid: false,
        comment: None,
    }
}

pub fn check(name: Option<&str>, expr: &str) -> CheckConstraint {
    CheckConstraint {
        name: name.map(str::to_owned),
        expr: expr.to_owned(),
        not_valid: false,
        no_inherit: false,
        not_enforced: false,
        comment: None,
    }
}

pub fn unique(name: Option<&str>, columns: &[&str]) -> UniqueConstraint {
    UniqueConstraint {
        name: name.map(str::to_owned),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        nulls_not_distinct: false,
        deferrable: Deferrable::NotDeferrable,
        comment: None,
        on_conflict: None,
    }
}

pub fn sqlite_options(strict: bool, without_rowid: bool, virtual_using: Option<&str>) -> TableOptions {
    TableOptions::Sqlite { strict, without_rowid, virtual_using: virtual_using.map(str::to_owned) }
}

/// `authors`: an AUTOINCREMENT key and a unique, case-insensitive name.
pub fn authors() -> Table {
    let mut table = Table::new("authors")
        .with_column(Column::new("id", "INTEGER").not_null().auto_increment())
        .with_column(Column::new("name", "TEXT").not_null().collate("NOCASE"))
        .with_primary_key(["id"]);
    table.uniques.push(unique(None, &["name"]));
    table
}

/// `books`: every column clause and every kind of table constraint.
pub fn books() -> Table {
    let mut author_fk = fk(&["author_id"], "authors", &["id"]);
    author_fk.name = Some("fk_author".into());
    author_fk.on_delete = FkAction::Cascade;
    author_fk.on_update = FkAction::SetNull;
    author_fk.deferrable = Deferrable::InitiallyDeferred;
    let mut table = Table::new("books")
        .with_column(Column::new("id", "INTEGER").not_null())
        .with_column(Column::new("author_id", "INTEGER"))
        .with_column(Column::new("title", "TEXT").not_null().default_expr("''"))
        .with_column(Column::new("price", "REAL").default_expr("0.0"))
        .with_column(Column::new("created", "TEXT").default_expr("CURRENT_TIMESTAMP"))
        .with_column(Column::new("stamp", "TEXT").default_expr("datetime('now')"))
        .with_column(Column::new("slug", "TEXT").generated_as("lower(title)", false))
        .with_column(Column::new("title_len", "INTEGER").generated_as("length(title)", true))
        .with_column(Column::new("payload", "BLOB").default_expr("X'00ff'"))
        .with_column(Column::new("anything", ""))
        .with_foreign_key(author_fk)
        .with_check(check(Some("price_positive"), "price >= 0"))
        .with_check(check(None, "length(title) < 200"));
    table.primary_key =
        Some(PrimaryKey { name: Some("books_pk".into()), columns: vec!["id".into()], on_conflict: None });
    table.uniques.push(unique(Some("books_title_author"), &["title", "author_id"]));
    table
}

/// A trigger with the defaults of a SQLite row trigger.
pub fn trigger(table: &str, name: &str, timing: TriggerTiming, event: TriggerEvent, body: &str) -> Trigger {
    Trigger {
        sql_mode: None,
        table: QualifiedName::bare(table),
        name: name.to_owned(),
        timing,
        events: vec![event],
        update_columns: Vec::new(),
        for_each_row: true,
        when: None,
        body: body.to_owned(),
        constraint: false,
        deferrable: Deferrable::NotDeferrable,
        order: None,
        disabled: false,
        depends_on: Vec::new(),
        comment: None,
    }
}

pub fn view(name: &str, definition: &str) -> View {
    View::new(name, definition)
}

pub fn index(name: &str, columns: &[&str]) -> Index {
    Index::on_columns(name, columns.iter().copied())
}

pub fn expression_part(expr: &str) -> IndexPart {
    IndexPart::expression(expr)
}
