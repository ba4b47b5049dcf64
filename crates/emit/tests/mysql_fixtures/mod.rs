//! MySQL fixtures shared by the snapshot and execution tests: tables in the
//! spelling the MySQL introspector produces (`int(11)`, `current_timestamp()`,
//! backticked expressions).
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use schemasync_diff::{Change, Plan, PlannedChange};
use schemasync_model::{
    CheckConstraint, Column, Deferrable, Dialect, Event, FkAction, FkMatch, ForeignKey, Hazard, HazardKind, Index,
    IndexKind, IndexPart, MySqlViewOptions, QualifiedName, Routine, RoutineKind, Script, Table, TableOptions, Trigger,
    TriggerEvent, TriggerTiming, View,
};

/// A name that breaks any emitter that quotes by hand, in MySQL's quoting.
pub const HOSTILE: &str = "a`b\"c; DROP TABLE x";
/// A non-ASCII name.
pub const NON_ASCII: &str = "naïve 名前";

pub fn plan(changes: Vec<PlannedChange>) -> Plan {
    Plan { dialect: Dialect::MySql, from_hash: String::new(), to_hash: String::new(), changes }
}

pub fn change(change: Change) -> PlannedChange {
    PlannedChange { change, hazards: Vec::new() }
}

pub fn with_hazards(change: Change, hazards: &[(HazardKind, &str)]) -> PlannedChange {
    PlannedChange { change, hazards: hazards.iter().map(|(kind, message)| Hazard::new(*kind, *message)).collect() }
}

/// `CreateTable` followed by the `CreateIndex` changes of its indexes, as the differ plans them.
pub fn create_with_indexes(table: &Table) -> Vec<PlannedChange> {
    let mut out = vec![change(Change::CreateTable { table: table.clone(), deferred_foreign_keys: Vec::new() })];
    for index in table.indexes.values() {
        out.push(change(Change::CreateIndex { table: table.name.clone(), index: index.clone() }));
    }
    out
}

/// The script as reviewers see it: hazards as comments above their statement.
pub fn show(script: &Script) -> String {
    let mut out = String::new();
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

pub fn options(engine: &str, charset: &str, collation: &str) -> TableOptions {
    TableOptions::MySql {
        engine: Some(engine.into()),
        charset: Some(charset.into()),
        collation: Some(collation.into()),
        row_format: None,
    }
}

pub fn fk(name: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: Some(name.into()),
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

pub fn check(name: &str, expr: &str) -> CheckConstraint {
    CheckConstraint {
        name: Some(name.into()),
        expr: expr.into(),
        not_valid: false,
        no_inherit: false,
        not_enforced: false,
        comment: None,
    }
}

pub fn index(name: &str, columns: &[&str]) -> Index {
    Index::on_columns(name, columns.iter().copied())
}

/// `authors`: an AUTO_INCREMENT key, a column character set, a unique key and a table comment.
pub fn authors() -> Table {
    let mut name = Column::new("name", "varchar(100)").not_null().collate("utf8mb4_bin");
    name.charset = Some("utf8mb4".into());
    let mut table = Table::new("authors")
        .with_column(Column::new("id", "int(10) unsigned").not_null().auto_increment())
        .with_column(name)
        .with_primary_key(["id"])
        .with_index(index("authors_name", &["name"]).unique());
    table.options = options("InnoDB", "utf8mb4", "utf8mb4_general_ci");
    table.comment = Some("who wrote it's \\ books".into());
    table
}

/// `books`: every column clause, a foreign key whose index carries its name,
/// a prefix index, a FULLTEXT index and a check.
pub fn books() -> Table {
    let mut author_fk = fk("fk_author", &["author_id"], "authors", &["id"]);
    author_fk.on_delete = FkAction::Cascade;
    author_fk.on_update = FkAction::Restrict;
    let mut updated = Column::new("updated", "timestamp").default_expr("NULL");
    updated.on_update = Some("current_timestamp()".into());
    let mut secret = Column::new("secret", "int(11)");
    secret.invisible = true;
    let mut prefix = index("idx_title", &["title"]);
    prefix.parts[0].prefix_length = Some(20);
    prefix.parts[0].descending = true;
    prefix.method = Some("BTREE".into());
    prefix.comment = Some("prefix, 'quoted'".into());
    let mut fulltext = index("ft_notes", &["notes"]);
    fulltext.kind = IndexKind::Fulltext { parser: None };
    let mut table = Table::new("books")
        .with_column(Column::new("id", "int(11)").not_null().auto_increment())
        .with_column(Column::new("author_id", "int(10) unsigned"))
        .with_column(Column::new("title", "varchar(200)").not_null().default_expr("''"))
        .with_column(Column::new("price", "decimal(10,2)").not_null().default_expr("0.00"))
        .with_column(Column::new("kind", "enum('novel','essay')").not_null().default_expr("'novel'"))
        .with_column(Column::new("created", "timestamp(6)").not_null().default_expr("current_timestamp(6)"))
        .with_column(updated)
        .with_column(Column::new("slug", "varchar(200)").generated_as("lcase(`title`)", false))
        .with_column(Column::new("title_len", "int(11)").generated_as("char_length(`title`)", true))
        .with_column(secret)
        .with_column(Column::new("notes", "text").comment("free text"))
        .with_primary_key(["id"])
        .with_foreign_key(author_fk)
        .with_check(check("price_positive", "`price` >= 0"))
        .with_index(index("fk_author", &["author_id"]))
        .with_index(prefix)
        .with_index(fulltext);
    table.options = options("InnoDB", "utf8mb4", "utf8mb4_general_ci");
    table
}

/// A row trigger on `table`.
pub fn trigger(table: &str, name: &str, timing: TriggerTiming, event: TriggerEvent, body: &str) -> Trigger {
    Trigger {
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
        sql_mode: None,
    }
}

pub fn view(name: &str, definition: &str) -> View {
    View::new(name, definition)
}

pub fn view_options(algorithm: Option<&str>, security: Option<&str>) -> MySqlViewOptions {
    MySqlViewOptions { algorithm: algorithm.map(str::to_owned), security: security.map(str::to_owned), definer: None }
}

pub fn routine(kind: RoutineKind, name: &str, definition: &str) -> Routine {
    Routine {
        kind,
        name: QualifiedName::bare(name),
        signature: String::new(),
        arguments: String::new(),
        returns: None,
        language: None,
        definition: definition.to_owned(),
        depends_on: Vec::new(),
        owner: None,
        grants: Vec::new(),
        comment: None,
        sql_mode: None,
    }
}

pub fn event(name: &str, schedule: &str, body: &str) -> Event {
    Event {
        name: QualifiedName::bare(name),
        schedule: schedule.to_owned(),
        preserve: false,
        enabled: true,
        body: body.to_owned(),
        comment: None,
        sql_mode: None,
    }
}

/// A table with only the columns given, all `int(11)` and nullable.
pub fn simple(name: &str, columns: &[&str]) -> Table {
    let mut table = Table::new(name);
    for column in columns {
        table.columns.push(Column::new(*column, "int(11)"));
    }
    table
}

pub fn part(column: &str) -> IndexPart {
    IndexPart::column(column)
}
