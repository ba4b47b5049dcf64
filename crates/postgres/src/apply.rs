//! Applying a script: a session advisory lock, bounded lock and statement
//! timeouts, one transaction with an optional drift check, then the
//! statements that cannot run in a transaction.

use std::time::{Duration, Instant};

use schemasync_model::{Dialect, Script};
use tokio_postgres::error::SqlState;

use crate::error::{query_error, server_message};
use crate::{IntrospectOptions, PgConnection, PostgresError};

/// The advisory lock key every schemasync run takes: FNV-1a of "schemasync",
/// so unrelated applications' advisory locks are unlikely to collide with it.
pub(crate) const ADVISORY_LOCK_KEY: i64 = fnv1a(b"schemasync");

const fn fnv1a(bytes: &[u8]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash as i64
}

/// How [`PgConnection::apply`] behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyOptions {
    /// How long to wait for the advisory lock and for each table lock.
    pub lock_timeout: Duration,
    /// How long one statement may run.
    pub statement_timeout: Duration,
    /// What the drift check reads (must match what the plan was computed from).
    pub introspect: IntrospectOptions,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            lock_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(300),
            introspect: IntrospectOptions::default(),
        }
    }
}

/// What [`PgConnection::apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyReport {
    /// Statements executed (all of the script's on success).
    pub statements_run: usize,
    /// Of those, how many ran after the transaction, outside it.
    pub outside_transaction: usize,
}

/// A duration as a PostgreSQL setting value; 0 would mean "no limit", so at least 1 ms.
fn millis(d: Duration) -> String {
    format!("{}ms", d.as_millis().clamp(1, i32::MAX as u128))
}

impl PgConnection {
    /// Run `script` against the database.
    ///
    /// Takes the schemasync advisory lock (waiting at most `lock_timeout` if
    /// another run holds it, then [`PostgresError::Locked`]), sets
    /// `lock_timeout` and `statement_timeout`, and runs the transactional
    /// statements in one transaction; any failure rolls all of them back. With
    /// `expected_hash`, the schema is introspected inside that transaction
    /// first and a different content hash is [`PostgresError::Drift`], with
    /// nothing changed. Function bodies are not checked while the script runs
    /// (`check_function_bodies = off`, as `pg_dump` scripts do), since a body
    /// may name objects the script creates later. Statements marked
    /// non-transactional (`CREATE INDEX CONCURRENTLY`) run one by one after the
    /// commit. The lock is released and the settings reset whatever happens.
    pub async fn apply(
        &mut self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<ApplyReport, PostgresError> {
        if script.dialect != Dialect::Postgres {
            return Err(PostgresError::WrongDialect { dialect: script.dialect.to_string() });
        }
        self.advisory_lock(options.lock_timeout).await?;
        let result = self.apply_locked(script, expected_hash, options).await;
        let reset = self.control("resetting timeouts", "RESET lock_timeout; RESET statement_timeout").await;
        let unlocked =
            self.query("releasing the advisory lock", "SELECT pg_advisory_unlock($1)", &[&ADVISORY_LOCK_KEY]).await;
        let report = result?;
        reset?;
        unlocked?;
        Ok(report)
    }

    async fn advisory_lock(&self, wait: Duration) -> Result<(), PostgresError> {
        let rows = self
            .query("taking the advisory lock", "SELECT pg_try_advisory_lock($1) AS locked", &[&ADVISORY_LOCK_KEY])
            .await?;
        let locked = rows.first().map(|r| r.try_get::<_, bool>("locked")).transpose().ok().flatten();
        if locked == Some(true) {
            return Ok(());
        }
        let started = Instant::now();
        self.control("setting lock_timeout", &format!("SET lock_timeout = '{}'", millis(wait))).await?;
        let outcome = self.query_raw("SELECT pg_advisory_lock($1)", &[&ADVISORY_LOCK_KEY]).await;
        self.control("resetting lock_timeout", "RESET lock_timeout").await?;
        match outcome {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => {
                Err(PostgresError::Locked { database: self.config().database().to_owned(), waited: started.elapsed() })
            }
            Err(e) => Err(query_error("waiting for the advisory lock", &e)),
        }
    }

    async fn apply_locked(
        &self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<ApplyReport, PostgresError> {
        let settings = format!(
            "SET lock_timeout = '{}'; SET statement_timeout = '{}'",
            millis(options.lock_timeout),
            millis(options.statement_timeout)
        );
        self.control("setting timeouts", &settings).await?;
        self.control("starting the transaction", "BEGIN; SET LOCAL check_function_bodies = off").await?;
        let in_transaction = self.run_transactional(script, expected_hash, options).await;
        let statements_run = match in_transaction {
            Ok(n) => n,
            Err(e) => {
                // The error matters more than a failed ROLLBACK on a broken connection.
                let _ = self.batch("ROLLBACK").await;
                return Err(e);
            }
        };
        self.batch("COMMIT").await.map_err(|e| PostgresError::Statement {
            index: script.statements.len(),
            sql: "COMMIT".to_owned(),
            message: server_message(&e),
        })?;
        let mut outside_transaction = 0;
        for (index, statement) in script.statements.iter().enumerate().filter(|(_, s)| !s.transactional) {
            self.batch(&statement.sql).await.map_err(|e| PostgresError::Statement {
                index,
                sql: statement.sql.clone(),
                message: server_message(&e),
            })?;
            outside_transaction += 1;
        }
        Ok(ApplyReport { statements_run: statements_run + outside_transaction, outside_transaction })
    }

    async fn run_transactional(
        &self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<usize, PostgresError> {
        if let Some(expected) = expected_hash {
            let actual = self.introspect_in_transaction(&options.introspect).await?.schema.content_hash();
            if actual != expected {
                return Err(PostgresError::Drift { expected: expected.to_owned(), actual });
            }
        }
        let mut run = 0;
        for (index, statement) in script.statements.iter().enumerate().filter(|(_, s)| s.transactional) {
            self.batch(&statement.sql).await.map_err(|e| PostgresError::Statement {
                index,
                sql: statement.sql.clone(),
                message: server_message(&e),
            })?;
            run += 1;
        }
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lock_key_is_stable() {
        assert_eq!(super::ADVISORY_LOCK_KEY, super::fnv1a(b"schemasync"));
        assert_ne!(super::ADVISORY_LOCK_KEY, 0);
        assert_eq!(super::millis(std::time::Duration::ZERO), "1ms");
    }
}
