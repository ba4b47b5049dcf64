//! The server's shared lock table, which bounds how many relations one
//! transaction can lock: a plan that needs more is split into several
//! transactions (`Script::split_transactions`) instead of failing with
//! "out of shared memory" on default settings.

use crate::database::maintenance;
use crate::{PgConfig, PgConnection, PostgresError};

const SIZE_QUERY: &str = "SELECT current_setting('max_locks_per_transaction')::bigint \
     * (current_setting('max_connections')::bigint + current_setting('max_prepared_transactions')::bigint) AS size";

impl PgConnection {
    /// Entries of the server's shared lock table:
    /// `max_locks_per_transaction` × (`max_connections` +
    /// `max_prepared_transactions`), as PostgreSQL sizes it (it has a little
    /// slack on top for background workers).
    pub async fn lock_table_size(&self) -> Result<u64, PostgresError> {
        let rows = self.query("reading the lock table settings", SIZE_QUERY, &[]).await?;
        let size = rows.first().and_then(|row| row.try_get::<_, i64>("size").ok());
        Ok(size.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }
}

/// [`PgConnection::lock_table_size`] of the server `config` points at, read
/// through its maintenance database (for a database not created yet).
pub async fn server_lock_table_size(config: &PgConfig) -> Result<u64, PostgresError> {
    maintenance(config).await?.lock_table_size().await
}

/// How many relation locks one transaction of an apply may take on a server
/// whose lock table has `lock_table_size` entries: half of it, so that the
/// server's other sessions keep room for theirs, and never less than one
/// session's own share (64 by default).
pub fn transaction_lock_budget(lock_table_size: u64) -> u64 {
    (lock_table_size / 2).max(64)
}

#[cfg(test)]
mod tests {
    #[test]
    fn half_of_the_table_and_never_less_than_a_session_share() {
        // Defaults: 64 × (100 + 0).
        assert_eq!(super::transaction_lock_budget(6400), 3200);
        assert_eq!(super::transaction_lock_budget(0), 64);
    }
}
