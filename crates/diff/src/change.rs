//! Typed, small changes: what the differ produces and the emitter renders.

use serde::{Deserialize, Serialize};

use schemasync_model::{
    CheckConstraint, Collation, Column, Event, ExclusionConstraint, Extension, ForeignKey, Index, Namespace, ObjectKey,
    Policy, PrimaryKey, QualifiedName, Routine, RoutineKey, Rule, Sequence, Statistics, Table, TableOptions, Trigger,
    UniqueConstraint, UserType, View,
};

use schemasync_model::Grant;

/// One change to a schema. Drops carry the whole dropped object, so a plan can
/// be reviewed (and its hazards explained) without the schemas it came from.
// Plain data read by reviewers and the emitter; boxing the large variants
// would only complicate every match for no measurable gain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// CREATE SCHEMA.
    CreateNamespace(Namespace),
    /// DROP SCHEMA.
    DropNamespace(Namespace),
    /// CREATE EXTENSION.
    CreateExtension(Extension),
    /// DROP EXTENSION.
    DropExtension(Extension),
    /// ALTER EXTENSION (version, schema).
    AlterExtension {
        /// Current state.
        from: Extension,
        /// Wanted state.
        to: Extension,
    },
    /// CREATE COLLATION (PostgreSQL). A changed collation is dropped and
    /// created again.
    CreateCollation(Collation),
    /// DROP COLLATION.
    DropCollation(Collation),
    /// CREATE TYPE / CREATE DOMAIN.
    CreateType(UserType),
    /// DROP TYPE / DROP DOMAIN.
    DropType(UserType),
    /// ALTER TYPE (add enum value, domain default/not null/checks, composite attributes).
    AlterType {
        /// Current state.
        from: UserType,
        /// Wanted state.
        to: UserType,
    },
    /// CREATE SEQUENCE.
    CreateSequence(Sequence),
    /// DROP SEQUENCE.
    DropSequence(Sequence),
    /// ALTER SEQUENCE.
    AlterSequence {
        /// Current state.
        from: Sequence,
        /// Wanted state.
        to: Sequence,
    },
    /// CREATE TABLE with its columns and constraints. Indexes are separate
    /// [`Change::CreateIndex`] changes. Foreign keys listed in
    /// `deferred_foreign_keys` are left out and added later by
    /// [`Change::AddForeignKey`] (cycle breaking).
    CreateTable {
        /// The table as wanted.
        table: Table,
        /// Foreign keys (by position in `table.foreign_keys`) created later.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        deferred_foreign_keys: Vec<usize>,
    },
    /// DROP TABLE.
    DropTable(Table),
    /// In-place ALTER TABLE operations on one table.
    AlterTable {
        /// The table.
        table: QualifiedName,
        /// Operations, in order.
        ops: Vec<TableOp>,
    },
    /// Rebuild a table: create the new shape under a temporary name, copy the
    /// rows of the columns both shapes share, drop the old table, rename, and
    /// recreate the indexes of `to` (SQLite, for changes ALTER cannot make).
    /// Triggers and dependent views are dropped and recreated by their own
    /// changes around it. Column renames hinted for the table come first, as
    /// an `AlterTable` of `RenameColumn`s, so `from` already carries the new
    /// names and the copy keeps the renamed columns' data.
    RebuildTable {
        /// Current shape.
        from: Table,
        /// Wanted shape.
        to: Table,
    },
    /// CREATE INDEX on a table or materialized view.
    CreateIndex {
        /// Table or materialized view.
        table: QualifiedName,
        /// Index.
        index: Index,
    },
    /// DROP INDEX.
    DropIndex {
        /// Table or materialized view.
        table: QualifiedName,
        /// Index.
        index: Index,
    },
    /// ALTER TABLE ... ADD FOREIGN KEY.
    AddForeignKey {
        /// Referencing table.
        table: QualifiedName,
        /// Foreign key.
        foreign_key: ForeignKey,
    },
    /// ALTER TABLE ... DROP FOREIGN KEY / CONSTRAINT.
    DropForeignKey {
        /// Referencing table.
        table: QualifiedName,
        /// Foreign key.
        foreign_key: ForeignKey,
    },
    /// ALTER TABLE ... VALIDATE CONSTRAINT (PostgreSQL online plans: a foreign
    /// key or check is added `NOT VALID` inside the transaction and
    /// validated after it, which scans the table without blocking writes).
    ValidateConstraint {
        /// Table.
        table: QualifiedName,
        /// Constraint name.
        name: String,
    },
    /// CREATE VIEW / MATERIALIZED VIEW (indexes of a materialized view are
    /// separate [`Change::CreateIndex`] changes).
    CreateView(View),
    /// DROP VIEW.
    DropView(View),
    /// CREATE FUNCTION / PROCEDURE.
    CreateRoutine(Routine),
    /// DROP FUNCTION / PROCEDURE.
    DropRoutine(Routine),
    /// CREATE OR REPLACE a routine whose signature and return type are unchanged.
    ReplaceRoutine {
        /// Current state.
        from: Routine,
        /// Wanted state.
        to: Routine,
    },
    /// CREATE TRIGGER.
    CreateTrigger(Trigger),
    /// DROP TRIGGER.
    DropTrigger(Trigger),
    /// CREATE POLICY.
    CreatePolicy {
        /// Table.
        table: QualifiedName,
        /// Policy.
        policy: Policy,
    },
    /// DROP POLICY.
    DropPolicy {
        /// Table.
        table: QualifiedName,
        /// Policy.
        policy: Policy,
    },
    /// CREATE RULE (PostgreSQL).
    CreateRule(Rule),
    /// DROP RULE.
    DropRule(Rule),
    /// CREATE STATISTICS (PostgreSQL).
    CreateStatistics(Statistics),
    /// DROP STATISTICS.
    DropStatistics(Statistics),
    /// CREATE EVENT (MySQL).
    CreateEvent(Event),
    /// DROP EVENT (MySQL).
    DropEvent(Event),
    /// COMMENT ON ... (PostgreSQL); `None` removes the comment. PostgreSQL
    /// plans create objects without comments and set every comment with this
    /// change. MySQL plans use it only for the comment of a kept table
    /// (`ALTER TABLE ... COMMENT = ...`, target [`ObjectKey::Table`]); other
    /// MySQL comments travel inside definitions. SQLite plans never carry it.
    SetComment {
        /// The object.
        target: ObjectKey,
        /// The new comment.
        comment: Option<String>,
    },
    /// Owner and grants of one object (PostgreSQL, only when privileges are
    /// read): REVOKE, then ALTER ... OWNER TO, then GRANT. Revokes come first
    /// because a privilege revoked from the role about to become the owner
    /// would otherwise be taken from the owner itself; grants come last
    /// because an owner change moves the old owner's rights to the new one.
    /// A grant whose grant option changes is revoked and granted again.
    SetPrivileges {
        /// The object.
        target: Securable,
        /// Grants to take away.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        revoke: Vec<Grant>,
        /// The wanted owner, when it changes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        /// Grants to give.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        grant: Vec<Grant>,
    },
}

/// An object that has an owner and privileges, with what its `ALTER` and
/// `GRANT` statements need to name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Securable {
    /// A schema.
    Namespace {
        /// Name.
        name: String,
    },
    /// A type; domains are addressed as `DOMAIN`.
    Type {
        /// Name.
        name: QualifiedName,
        /// Whether it is a domain.
        #[serde(default)]
        domain: bool,
    },
    /// A sequence.
    Sequence {
        /// Name.
        name: QualifiedName,
    },
    /// A table.
    Table {
        /// Name.
        name: QualifiedName,
    },
    /// A view or materialized view.
    View {
        /// Name.
        name: QualifiedName,
        /// Whether it is materialized.
        #[serde(default)]
        materialized: bool,
    },
    /// A function, procedure or aggregate.
    Routine {
        /// Kind, name and signature.
        key: RoutineKey,
    },
}

impl std::fmt::Display for Securable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Securable::Namespace { name } => write!(f, "schema {name}"),
            Securable::Type { name, domain: true } => write!(f, "domain {name}"),
            Securable::Type { name, .. } => write!(f, "type {name}"),
            Securable::Sequence { name } => write!(f, "sequence {name}"),
            Securable::Table { name } => write!(f, "table {name}"),
            Securable::View { name, materialized: true } => write!(f, "materialized view {name}"),
            Securable::View { name, .. } => write!(f, "view {name}"),
            Securable::Routine { key } => write!(f, "routine {key}"),
        }
    }
}

/// One operation inside an ALTER TABLE.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TableOp {
    /// ADD COLUMN.
    AddColumn {
        /// The column.
        column: Column,
        /// Where (MySQL keeps column order with FIRST/AFTER).
        #[serde(default)]
        position: ColumnPosition,
    },
    /// DROP COLUMN.
    DropColumn(Column),
    /// Change a column's type, nullability, default, collation, identity, ...
    AlterColumn {
        /// Current state.
        from: Column,
        /// Wanted state.
        to: Column,
    },
    /// RENAME COLUMN (only from explicit rename hints).
    RenameColumn {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// ADD PRIMARY KEY.
    AddPrimaryKey(PrimaryKey),
    /// DROP PRIMARY KEY.
    DropPrimaryKey(PrimaryKey),
    /// ADD UNIQUE.
    AddUnique(UniqueConstraint),
    /// DROP UNIQUE.
    DropUnique(UniqueConstraint),
    /// ADD CHECK.
    AddCheck(CheckConstraint),
    /// DROP CHECK.
    DropCheck(CheckConstraint),
    /// ADD EXCLUDE.
    AddExclusion(ExclusionConstraint),
    /// DROP EXCLUDE.
    DropExclusion(ExclusionConstraint),
    /// Change engine-specific table options.
    SetOptions {
        /// Current options.
        from: TableOptions,
        /// Wanted options.
        to: TableOptions,
    },
    /// MySQL: `ADD [UNIQUE] KEY` inside the table's ALTER TABLE. The differ
    /// writes a [`Change::CreateIndex`] into the table's ALTER TABLE this way
    /// when a foreign key needs an index that the same statement drops (see
    /// [`TableOp::DropIndex`]): MySQL checks the keys a foreign key needs
    /// against the table as the whole statement leaves it.
    AddIndex(Index),
    /// MySQL: `DROP INDEX` (or `DROP PRIMARY KEY` for the index `PRIMARY`)
    /// inside the table's ALTER TABLE, together with the [`TableOp::AddIndex`]
    /// or key that takes over for a foreign key.
    DropIndex(Index),
    /// MySQL: put an existing column at `position` (`MODIFY COLUMN ...
    /// FIRST|AFTER`), so the table's column order becomes the wanted one.
    /// `column` is the wanted definition, which MODIFY must restate. A column
    /// that also changes has an [`TableOp::AlterColumn`] in the same list
    /// (for its hazards); the emitter writes the two as one clause.
    ///
    /// Moves and [`TableOp::AddColumn`]s come in the wanted column order and
    /// name as `After` the wanted predecessor, which then already stands
    /// where it should: either it does not move, or its own move came first.
    MoveColumn {
        /// The column as wanted.
        column: Column,
        /// Where it goes (never `Last`: the wanted predecessor is named).
        position: ColumnPosition,
    },
}

/// Position of an added column.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnPosition {
    /// At the end.
    #[default]
    Last,
    /// FIRST.
    First,
    /// AFTER the named column.
    After(String),
}

impl Change {
    /// A short description for reports: `create table users`.
    pub fn describe(&self) -> String {
        match self {
            Change::CreateNamespace(n) => format!("create schema {}", n.name),
            Change::DropNamespace(n) => format!("drop schema {}", n.name),
            Change::CreateExtension(e) => format!("create extension {}", e.name),
            Change::DropExtension(e) => format!("drop extension {}", e.name),
            Change::AlterExtension { to, .. } => format!("alter extension {}", to.name),
            Change::CreateCollation(c) => format!("create collation {}", c.name),
            Change::DropCollation(c) => format!("drop collation {}", c.name),
            Change::CreateType(t) => format!("create type {}", t.name),
            Change::DropType(t) => format!("drop type {}", t.name),
            Change::AlterType { to, .. } => format!("alter type {}", to.name),
            Change::CreateSequence(s) => format!("create sequence {}", s.name),
            Change::DropSequence(s) => format!("drop sequence {}", s.name),
            Change::AlterSequence { to, .. } => format!("alter sequence {}", to.name),
            Change::CreateTable { table, .. } => format!("create table {}", table.name),
            Change::DropTable(t) => format!("drop table {}", t.name),
            Change::AlterTable { table, .. } => format!("alter table {table}"),
            Change::RebuildTable { to, .. } => format!("rebuild table {}", to.name),
            Change::CreateIndex { table, index } => format!("create index {} on {table}", index.name),
            Change::DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            Change::AddForeignKey { table, foreign_key } => {
                format!("add foreign key {} on {table}", foreign_key.name.as_deref().unwrap_or("(unnamed)"))
            }
            Change::DropForeignKey { table, foreign_key } => {
                format!("drop foreign key {} on {table}", foreign_key.name.as_deref().unwrap_or("(unnamed)"))
            }
            Change::ValidateConstraint { table, name } => format!("validate constraint {name} on {table}"),
            Change::CreateView(v) => {
                format!("create {} {}", if v.materialized { "materialized view" } else { "view" }, v.name)
            }
            Change::DropView(v) => {
                format!("drop {} {}", if v.materialized { "materialized view" } else { "view" }, v.name)
            }
            Change::CreateRoutine(r) => format!("create routine {}", r.routine_key()),
            Change::DropRoutine(r) => format!("drop routine {}", r.routine_key()),
            Change::ReplaceRoutine { to, .. } => format!("replace routine {}", to.routine_key()),
            Change::CreateTrigger(t) => format!("create trigger {} on {}", t.name, t.table),
            Change::DropTrigger(t) => format!("drop trigger {} on {}", t.name, t.table),
            Change::CreatePolicy { table, policy } => format!("create policy {} on {table}", policy.name),
            Change::DropPolicy { table, policy } => format!("drop policy {} on {table}", policy.name),
            Change::CreateRule(r) => format!("create rule {} on {}", r.name, r.table),
            Change::DropRule(r) => format!("drop rule {} on {}", r.name, r.table),
            Change::CreateStatistics(s) => format!("create statistics {}", s.name),
            Change::DropStatistics(s) => format!("drop statistics {}", s.name),
            Change::CreateEvent(e) => format!("create event {}", e.name),
            Change::DropEvent(e) => format!("drop event {}", e.name),
            Change::SetComment { target, .. } => format!("comment on {target}"),
            Change::SetPrivileges { target, .. } => format!("set owner and privileges of {target}"),
        }
    }
}
