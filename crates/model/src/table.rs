//! Tables: columns, constraints, indexes, options, partitioning, policies.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::column::Column;
use crate::constraint::{CheckConstraint, ExclusionConstraint, ForeignKey, PrimaryKey, UniqueConstraint};
use crate::index::Index;
use crate::keyed::Keyed;
use crate::privilege::Grant;
use crate::{QualifiedName, is_false};

/// A table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// Qualified name.
    pub name: QualifiedName,
    /// Columns, in table order.
    pub columns: Vec<Column>,
    /// PRIMARY KEY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// UNIQUE constraints (sorted by [`crate::Schema::normalize`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uniques: Vec<UniqueConstraint>,
    /// CHECK constraints (sorted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConstraint>,
    /// FOREIGN KEYs (sorted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// EXCLUDE constraints (PostgreSQL, sorted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<ExclusionConstraint>,
    /// Indexes by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub indexes: BTreeMap<String, Index>,
    /// Engine-specific options.
    #[serde(default, skip_serializing_if = "TableOptions::is_default")]
    pub options: TableOptions,
    /// This table is partitioned by ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioning: Option<Partitioning>,
    /// This table is a partition of ... (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// Row-level security policies by name (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub policies: BTreeMap<String, Policy>,
    /// Owner (opt-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Privileges (opt-in), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Table {
    type Key = QualifiedName;
    fn key(&self) -> QualifiedName {
        self.name.clone()
    }
}

impl Table {
    /// An empty table.
    pub fn new(name: impl Into<QualifiedName>) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            exclusions: Vec::new(),
            indexes: BTreeMap::new(),
            options: TableOptions::Default,
            partitioning: None,
            partition_of: None,
            policies: BTreeMap::new(),
            owner: None,
            grants: Vec::new(),
            comment: None,
        }
    }

    /// Builder: append a column.
    #[must_use]
    pub fn with_column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Builder: primary key on columns.
    #[must_use]
    pub fn with_primary_key<I, S>(mut self, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.primary_key =
            Some(PrimaryKey { name: None, columns: columns.into_iter().map(Into::into).collect(), on_conflict: None });
        self
    }

    /// Builder: add an index.
    #[must_use]
    pub fn with_index(mut self, index: Index) -> Self {
        self.indexes.insert(index.name.clone(), index);
        self
    }

    /// Builder: add a foreign key.
    #[must_use]
    pub fn with_foreign_key(mut self, fk: ForeignKey) -> Self {
        self.foreign_keys.push(fk);
        self
    }

    /// Builder: add a check constraint.
    #[must_use]
    pub fn with_check(mut self, check: CheckConstraint) -> Self {
        self.checks.push(check);
        self
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column with this name, mutably.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Append a column; refuses a duplicate name.
    pub fn add_column(&mut self, column: Column) -> Result<&mut Column, crate::ModelError> {
        if self.column(&column.name).is_some() {
            return Err(crate::ModelError::DuplicateColumn { table: self.name.to_string(), column: column.name });
        }
        self.columns.push(column);
        let last = self.columns.len() - 1;
        Ok(&mut self.columns[last])
    }

    /// Remove a column by name, returning it.
    pub fn remove_column(&mut self, name: &str) -> Option<Column> {
        let pos = self.columns.iter().position(|c| c.name == name)?;
        Some(self.columns.remove(pos))
    }

    pub(crate) fn normalize(&mut self) {
        self.uniques.sort();
        self.checks.sort();
        self.foreign_keys.sort();
        self.exclusions.sort();
        self.grants.sort();
        for policy in self.policies.values_mut() {
            policy.roles.sort();
        }
        self.options.normalize();
    }
}

/// Engine-specific table options, one closed variant per engine.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(tag = "dialect", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TableOptions {
    /// Nothing beyond the engine defaults.
    #[default]
    Default,
    /// SQLite: `STRICT`, `WITHOUT ROWID`.
    Sqlite {
        /// STRICT table.
        #[serde(default, skip_serializing_if = "is_false")]
        strict: bool,
        /// WITHOUT ROWID table.
        #[serde(default, skip_serializing_if = "is_false")]
        without_rowid: bool,
        /// A virtual table: the module and its arguments as written after
        /// `USING` (`fts5(title, body)`). Its shadow tables are not modelled.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        virtual_using: Option<String>,
    },
    /// MySQL/MariaDB table options.
    #[serde(rename = "mysql")]
    MySql {
        /// Storage engine (`InnoDB`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        engine: Option<String>,
        /// Default character set.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        charset: Option<String>,
        /// Default collation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collation: Option<String>,
        /// Row format.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        row_format: Option<String>,
    },
    /// PostgreSQL table options.
    Postgres {
        /// UNLOGGED.
        #[serde(default, skip_serializing_if = "is_false")]
        unlogged: bool,
        /// Row-level security enabled.
        #[serde(default, skip_serializing_if = "is_false")]
        rls_enabled: bool,
        /// Row-level security forced for the owner too.
        #[serde(default, skip_serializing_if = "is_false")]
        rls_forced: bool,
        /// Storage parameters (`fillfactor=70`), sorted.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        storage: Vec<String>,
    },
}

impl TableOptions {
    /// Whether these are the engine defaults.
    pub fn is_default(&self) -> bool {
        match self {
            TableOptions::Default => true,
            TableOptions::Sqlite { strict, without_rowid, virtual_using } => {
                !strict && !without_rowid && virtual_using.is_none()
            }
            TableOptions::MySql { engine, charset, collation, row_format } => {
                engine.is_none() && charset.is_none() && collation.is_none() && row_format.is_none()
            }
            TableOptions::Postgres { unlogged, rls_enabled, rls_forced, storage } => {
                !unlogged && !rls_enabled && !rls_forced && storage.is_empty()
            }
        }
    }

    fn normalize(&mut self) {
        if let TableOptions::Postgres { storage, .. } = self {
            storage.sort();
        }
        if self.is_default() {
            *self = TableOptions::Default;
        }
    }

    /// SQLite STRICT.
    pub fn sqlite_strict(&self) -> bool {
        matches!(self, TableOptions::Sqlite { strict: true, .. })
    }

    /// SQLite WITHOUT ROWID.
    pub fn sqlite_without_rowid(&self) -> bool {
        matches!(self, TableOptions::Sqlite { without_rowid: true, .. })
    }

    /// SQLite virtual table module and arguments.
    pub fn sqlite_virtual_using(&self) -> Option<&str> {
        match self {
            TableOptions::Sqlite { virtual_using, .. } => virtual_using.as_deref(),
            _ => None,
        }
    }
}

/// `PARTITION BY` of a partitioned table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partitioning {
    /// Strategy.
    pub strategy: PartitionStrategy,
    /// MySQL `RANGE COLUMNS` / `LIST COLUMNS`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub columns_form: bool,
    /// Partition key: columns or expressions as SQL text.
    pub key: Vec<String>,
    /// Partitions declared inline (MySQL). PostgreSQL partitions are tables
    /// with [`Table::partition_of`] set instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<PartitionDef>,
    /// MySQL `PARTITIONS n` for HASH/KEY without explicit definitions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// MySQL `SUBPARTITION BY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subpartitioning: Option<Box<Partitioning>>,
}

/// Partitioning strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionStrategy {
    /// RANGE.
    Range,
    /// LIST.
    List,
    /// HASH.
    Hash,
    /// KEY (MySQL).
    Key,
    /// LINEAR HASH (MySQL).
    LinearHash,
    /// LINEAR KEY (MySQL).
    LinearKey,
}

/// One inline partition (MySQL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionDef {
    /// Partition name.
    pub name: String,
    /// Bound text (`VALUES LESS THAN (10)`, `VALUES IN (1,2)`), empty for HASH/KEY.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bound: String,
    /// Sub-partition names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subpartitions: Vec<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `PARTITION OF parent FOR VALUES ...` (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionOf {
    /// Parent table.
    pub parent: QualifiedName,
    /// Bound as `pg_get_expr` prints it (`FOR VALUES FROM (1) TO (10)`, `DEFAULT`).
    pub bound: String,
}

/// A row-level security policy (PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Policy name.
    pub name: String,
    /// PERMISSIVE (true) or RESTRICTIVE.
    #[serde(default = "crate::default_true")]
    pub permissive: bool,
    /// FOR command.
    #[serde(default)]
    pub command: PolicyCommand,
    /// TO roles (sorted; empty means PUBLIC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// USING expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// WITH CHECK expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Keyed for Policy {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

impl Keyed for Index {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// The command a policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    /// ALL.
    #[default]
    All,
    /// SELECT.
    Select,
    /// INSERT.
    Insert,
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
}
