//! A rendered, reviewable script: statements with their hazards.
//!
//! It lives in the model so that engine crates, which may depend only on the
//! model, can apply what the emitter produced.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::Dialect;

/// What can go wrong when a change runs against a database that holds data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HazardKind {
    /// Rows, columns or values are lost or silently changed (drop table or
    /// column; a type change that rounds, cuts or converts values).
    DataLoss,
    /// The statement can fail on rows already there (NOT NULL without default,
    /// new UNIQUE/CHECK/FK, a narrower type that existing values may not fit).
    FailsOnExistingRows,
    /// The table is rebuilt: copied into a new table and renamed (SQLite).
    TableRebuild,
    /// The table is rewritten in place (PostgreSQL type change, volatile default).
    TableRewrite,
    /// MySQL copies the table (ALGORITHM=COPY).
    TableCopy,
    /// An ACCESS EXCLUSIVE (or equivalent metadata) lock is held while it runs.
    ExclusiveLock,
    /// An index build that blocks writes while it runs.
    BlocksWrites,
    /// A full scan to validate a constraint.
    ValidationScan,
    /// The statement cannot run inside a transaction.
    NonTransactional,
    /// The plan is too large for one transaction on the target (PostgreSQL:
    /// more relation locks than its lock table holds) and runs in several:
    /// a failure leaves the earlier ones committed, and the next sync
    /// plans from the state reached.
    NotAtomic,
}

impl HazardKind {
    /// Hazards that need `--allow-destructive`.
    pub fn is_destructive(self) -> bool {
        matches!(self, HazardKind::DataLoss)
    }

    /// Stable snake_case name (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            HazardKind::DataLoss => "data_loss",
            HazardKind::FailsOnExistingRows => "fails_on_existing_rows",
            HazardKind::TableRebuild => "table_rebuild",
            HazardKind::TableRewrite => "table_rewrite",
            HazardKind::TableCopy => "table_copy",
            HazardKind::ExclusiveLock => "exclusive_lock",
            HazardKind::BlocksWrites => "blocks_writes",
            HazardKind::ValidationScan => "validation_scan",
            HazardKind::NonTransactional => "non_transactional",
            HazardKind::NotAtomic => "not_atomic",
        }
    }
}

impl fmt::Display for HazardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One hazard of one change, with a sentence saying what and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hazard {
    /// Kind.
    pub kind: HazardKind,
    /// Human-readable detail (`drops column users.email`).
    pub message: String,
}

impl Hazard {
    /// A hazard.
    pub fn new(kind: HazardKind, message: impl Into<String>) -> Self {
        Hazard { kind, message: message.into() }
    }
}

impl fmt::Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// One SQL statement, without a trailing semicolon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The SQL.
    pub sql: String,
    /// Whether it may run inside the target's transaction. Non-transactional
    /// statements run after the transaction commits.
    #[serde(default = "crate::default_true")]
    pub transactional: bool,
    /// Hazards of the change this statement belongs to (on its first statement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
    /// How many relations (tables, indexes, sequences, TOAST tables) the
    /// statement locks, as far as the emitter can tell (PostgreSQL; 0 when
    /// unknown, counted as 1). Decides where a plan too large for one
    /// transaction is split ([`Script::split_transactions`]).
    #[serde(default, skip_serializing_if = "crate::is_zero")]
    pub relations: u32,
}

impl Statement {
    /// A transactional statement without hazards.
    pub fn new(sql: impl Into<String>) -> Self {
        Statement { sql: sql.into(), transactional: true, hazards: Vec::new(), relations: 0 }
    }
}

/// An ordered list of statements for one dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    /// Dialect the SQL is written in.
    pub dialect: Dialect,
    /// Statements in execution order.
    pub statements: Vec<Statement>,
    /// SQLite: the script rebuilds tables, so foreign key enforcement must be
    /// switched off around the transaction and `PRAGMA foreign_key_check` run
    /// before commit.
    #[serde(default, skip_serializing_if = "crate::is_false")]
    pub disable_foreign_keys: bool,
    /// Statements (by index) that start a new transaction, besides the
    /// first transactional one: a plan too large for one transaction runs
    /// in these batches. Empty: one transaction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transaction_starts: Vec<usize>,
}

impl Script {
    /// An empty script.
    pub fn new(dialect: Dialect) -> Self {
        Script { dialect, statements: Vec::new(), disable_foreign_keys: false, transaction_starts: Vec::new() }
    }

    /// Whether there is nothing to run.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// All hazards of all statements.
    pub fn hazards(&self) -> impl Iterator<Item = &Hazard> {
        self.statements.iter().flat_map(|s| s.hazards.iter())
    }

    /// Whether any hazard needs `--allow-destructive`.
    pub fn is_destructive(&self) -> bool {
        self.hazards().any(|h| h.kind.is_destructive())
    }

    /// The script as text: each statement followed by `;` and a newline.
    pub fn to_sql(&self) -> String {
        let mut out = String::new();
        for statement in &self.statements {
            out.push_str(&statement.sql);
            out.push_str(";\n");
        }
        out
    }
}
