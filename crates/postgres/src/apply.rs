//! Applying a script: a session advisory lock, bounded lock and statement
//! timeouts, one transaction with an optional drift check, then the
//! statements that cannot run in a transaction.

use std::time::{Duration, Instant};

use schemasync_model::{Dialect, Script, Statement};
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
    /// `expected_hash`, the schema is introspected before anything runs and
    /// a different content hash is [`PostgresError::Drift`], with nothing
    /// changed. Function bodies are not checked while the script runs
    /// (`check_function_bodies = off`, as `pg_dump` scripts do), since a body
    /// may name objects the script creates later. Statements marked
    /// non-transactional run one by one outside the transaction: those that
    /// come before the first transactional statement (enum labels the
    /// transaction uses) before it, the others (`CREATE INDEX CONCURRENTLY`,
    /// `VALIDATE CONSTRAINT`) after its commit. A failure once any of them
    /// was committed is [`PostgresError::PartlyApplied`]. A script split
    /// into several transactions ([`Script::transaction_starts`], for plans
    /// larger than the server's lock table: see [`transaction_lock_budget`])
    /// runs them one after the other, the drift check in the first; a
    /// failure rolls back its own transaction and is
    /// [`PostgresError::PartlyApplied`] when earlier ones had committed. The
    /// lock is released and the settings reset whatever happens.
    ///
    /// [`transaction_lock_budget`]: crate::transaction_lock_budget
    pub async fn apply(
        &mut self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<ApplyReport, PostgresError> {
        if script.dialect != Dialect::Postgres {
            return Err(PostgresError::WrongDialect { dialect: script.dialect.to_string() });
        }
        use tracing::Instrument;
        let span = tracing::info_span!("apply", engine = "postgres", statements = script.statements.len());
        async {
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
        .instrument(span)
        .await
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
        let batches = script.transaction_batches();
        let Some(leading) = batches.first().map(|b| b.start) else {
            // Nothing transactional: every statement simply runs in order.
            return self.run_all_outside(script, expected_hash, options).await;
        };
        let mut expected_hash = expected_hash;
        // The drift check must see the schema before the leading statements.
        if leading > 0
            && let Some(expected) = expected_hash.take()
        {
            self.check_drift_alone(expected, options).await?;
        }
        let mut committed = self.run_outside(&script.statements[..leading], 0, 0).await?;
        let mut in_transactions = 0;
        for (n, batch) in batches.iter().enumerate() {
            let drift = if n == 0 { expected_hash } else { None };
            let run = self.run_batch(script, batch.clone(), drift, options).await.map_err(|e| partly(committed, e))?;
            committed += run;
            in_transactions += run;
            if batches.len() > 1 {
                tracing::info!(
                    database = self.config().database(),
                    transaction = n + 1,
                    of = batches.len(),
                    statements = run,
                    "committed one transaction of a plan split into several"
                );
            }
        }
        let after: Vec<(usize, &Statement)> =
            script.statements.iter().enumerate().skip(leading).filter(|(_, s)| !s.transactional).collect();
        for (index, statement) in after {
            self.run_one(index, statement).await.map_err(|e| partly(committed, e))?;
            committed += 1;
        }
        Ok(ApplyReport { statements_run: committed, outside_transaction: committed - in_transactions })
    }

    /// One transaction: the transactional statements of `batch` (script
    /// indices), after the drift check when `expected_hash` is given.
    /// Everything of it is rolled back on failure.
    async fn run_batch(
        &self,
        script: &Script,
        batch: std::ops::Range<usize>,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<usize, PostgresError> {
        self.control("starting the transaction", "BEGIN; SET LOCAL check_function_bodies = off").await?;
        let ran = self.run_transactional(script, batch, expected_hash, options).await;
        let run = match ran {
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
        Ok(run)
    }

    /// `statements` one by one, each committed on its own; `index0` is the
    /// script position of the first.
    async fn run_outside(
        &self,
        statements: &[Statement],
        index0: usize,
        committed: usize,
    ) -> Result<usize, PostgresError> {
        let mut run = 0;
        for (offset, statement) in statements.iter().enumerate() {
            self.run_one(index0 + offset, statement).await.map_err(|e| partly(committed + run, e))?;
            run += 1;
        }
        Ok(run)
    }

    /// A script without transactional statements: drift check, then every
    /// statement on its own.
    async fn run_all_outside(
        &self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<ApplyReport, PostgresError> {
        if let Some(expected) = expected_hash {
            self.check_drift_alone(expected, options).await?;
        }
        let run = self.run_outside(&script.statements, 0, 0).await?;
        Ok(ApplyReport { statements_run: run, outside_transaction: run })
    }

    async fn run_one(&self, index: usize, statement: &Statement) -> Result<(), PostgresError> {
        crate::observe::statement_starts(index, statement);
        let started = Instant::now();
        self.single(&statement.sql).await.map_err(|e| PostgresError::Statement {
            index,
            sql: statement.sql.clone(),
            message: server_message(&e),
        })?;
        crate::observe::statement_applied(index, statement, started);
        Ok(())
    }

    /// The drift check in a transaction of its own (one snapshot).
    async fn check_drift_alone(&self, expected: &str, options: &ApplyOptions) -> Result<(), PostgresError> {
        self.control("starting the drift check", "BEGIN").await?;
        let checked = self.check_drift(expected, options).await;
        let _ = self.batch("ROLLBACK").await;
        checked
    }

    async fn check_drift(&self, expected: &str, options: &ApplyOptions) -> Result<(), PostgresError> {
        let actual = self.introspect_in_transaction(&options.introspect).await?.schema.content_hash();
        crate::observe::drift_checked(expected, &actual);
        if actual != expected {
            return Err(PostgresError::Drift { expected: expected.to_owned(), actual });
        }
        Ok(())
    }

    async fn run_transactional(
        &self,
        script: &Script,
        batch: std::ops::Range<usize>,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
    ) -> Result<usize, PostgresError> {
        if let Some(expected) = expected_hash {
            self.check_drift(expected, options).await?;
        }
        let mut run = 0;
        let statements = script.statements.iter().enumerate().skip(batch.start).take(batch.len());
        for (index, statement) in statements.filter(|(_, s)| s.transactional) {
            self.run_one(index, statement).await?;
            run += 1;
        }
        Ok(run)
    }
}

/// `error`, marked as partly applied when statements were committed before it.
fn partly(committed: usize, error: PostgresError) -> PostgresError {
    if committed == 0 { error } else { PostgresError::PartlyApplied { committed, source: Box::new(error) } }
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
