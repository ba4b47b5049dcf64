//! How the facade talks to database engines: what introspection reads and how
//! long applying waits. One value serves every connection of a [`Syncer`], so
//! a source and its targets are always read with the same scope (a diff
//! between differently scoped reads would drop what one side did not read).
//!
//! [`Syncer`]: crate::Syncer

use std::time::Duration;

/// Engine settings for a [`crate::Syncer`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EngineOptions {
    /// PostgreSQL: read only these schemas (empty: every schema but the
    /// system ones). MySQL and SQLite hold one schema per database and
    /// ignore it.
    pub include_schemas: Vec<String>,
    /// PostgreSQL: never read these schemas.
    pub exclude_schemas: Vec<String>,
    /// PostgreSQL: read and sync owners and grants (off by default, since
    /// roles differ between environments).
    pub privileges: bool,
    /// How long applying waits for a lock held by another session
    /// (PostgreSQL `lock_timeout`, MySQL `lock_wait_timeout`); `None` keeps
    /// the engine's default (5 s on PostgreSQL, 60 s on MySQL).
    pub lock_timeout: Option<Duration>,
    /// PostgreSQL: how long one statement may run (`statement_timeout`);
    /// `None` keeps the default (300 s).
    pub statement_timeout: Option<Duration>,
    /// PostgreSQL: at most this many relation locks per transaction of an
    /// apply; a larger plan is split into several transactions, and says so
    /// (hazard `not_atomic`) before anything runs. `None`: half of the
    /// target server's lock table (`max_locks_per_transaction` ×
    /// (`max_connections` + `max_prepared_transactions`)), read when planning.
    pub transaction_lock_budget: Option<u64>,
}

impl EngineOptions {
    /// Builder: PostgreSQL schemas to read.
    #[must_use]
    pub fn include_schemas<S: Into<String>>(mut self, schemas: impl IntoIterator<Item = S>) -> Self {
        self.include_schemas = schemas.into_iter().map(Into::into).collect();
        self
    }

    /// Builder: PostgreSQL schemas to leave out.
    #[must_use]
    pub fn exclude_schemas<S: Into<String>>(mut self, schemas: impl IntoIterator<Item = S>) -> Self {
        self.exclude_schemas = schemas.into_iter().map(Into::into).collect();
        self
    }

    /// Builder: read and sync owners and grants.
    #[must_use]
    pub fn privileges(mut self, privileges: bool) -> Self {
        self.privileges = privileges;
        self
    }

    /// Builder: lock wait timeout.
    #[must_use]
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = Some(timeout);
        self
    }

    /// Builder: relation locks per transaction (PostgreSQL).
    #[must_use]
    pub fn transaction_lock_budget(mut self, locks: u64) -> Self {
        self.transaction_lock_budget = Some(locks);
        self
    }

    /// Builder: statement timeout.
    #[must_use]
    pub fn statement_timeout(mut self, timeout: Duration) -> Self {
        self.statement_timeout = Some(timeout);
        self
    }
}
