//! Applying a script. MySQL DDL commits statement by statement, so there is
//! no transaction to roll back: statements run one by one, progress is
//! reported after each, and a failure says how many ran. The database is
//! held under a named lock (`GET_LOCK`) so two syncs never interleave.

use std::time::{Duration, Instant};

use mysql_async::Value;
use schemasync_model::{Dialect, Script};

use crate::{IntrospectOptions, MySqlConnection, MySqlError};

/// Longest lock name MySQL accepts.
const MAX_LOCK_NAME: usize = 64;

/// The `sql_mode` of every apply session, whatever the server's default.
/// A permissive mode lets ALTER TABLE convert data silently (`'abc'` → 0,
/// NULL → `''` under a new NOT NULL, long text cut short); the strict modes
/// make such a statement fail instead. NO_AUTO_VALUE_ON_ZERO keeps a stored 0
/// when a column becomes AUTO_INCREMENT rather than renumbering it. The mode
/// is set in full, not added to, so that modes that change how the emitted
/// text is read (ANSI_QUOTES, NO_BACKSLASH_ESCAPES, PIPES_AS_CONCAT) are off.
pub const APPLY_SQL_MODE: &str =
    "STRICT_ALL_TABLES,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO";

/// MySQL's "This command is not supported in the prepared statement protocol yet".
const ER_UNSUPPORTED_PS: u16 = 1295;

/// How a script is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyOptions {
    /// How long each statement may wait for a metadata lock held by other
    /// sessions (`lock_wait_timeout`), so a sync never hangs behind a long query.
    pub lock_wait_timeout: Duration,
    /// How long to wait for another schemasync run on the same database.
    pub lock_name_timeout: Duration,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions { lock_wait_timeout: Duration::from_secs(60), lock_name_timeout: Duration::from_secs(10) }
    }
}

/// What [`MySqlConnection::apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyReport {
    /// Statements executed (all of the script's on success).
    pub statements_run: usize,
}

/// Whole seconds, rounded up, at least `min`.
fn seconds(d: Duration, min: u64) -> u64 {
    let whole = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    whole.max(min)
}

/// `schemasync:<db>`, shortened with a hash of the database name when longer
/// than MySQL allows.
pub(crate) fn lock_name(database: &str) -> String {
    let name = format!("schemasync:{database}");
    if name.len() <= MAX_LOCK_NAME {
        return name;
    }
    // FNV-1a: stable across runs and platforms, which is all a lock name needs.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in database.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut prefix: String = String::new();
    for c in database.chars() {
        if "schemasync:".len() + prefix.len() + c.len_utf8() + 17 > MAX_LOCK_NAME {
            break;
        }
        prefix.push(c);
    }
    format!("schemasync:{prefix}:{hash:016x}")
}

impl MySqlConnection {
    /// Run `script` against the connection's database.
    ///
    /// Takes the named lock `schemasync:<database>` (waiting at most
    /// `options.lock_name_timeout`, else [`MySqlError::Locked`]), sets
    /// `lock_wait_timeout`, and with `expected_hash` refuses to run
    /// ([`MySqlError::Drift`]) unless the schema's content hash is that one.
    /// Then runs the statements in order, calling `progress(i)` after
    /// statement `i` (0-based) succeeded and before the next one is sent:
    /// the place to report progress, or to record how far a run got before
    /// the process itself is stopped.
    ///
    /// A failure is [`MySqlError::Statement`] with the number of statements
    /// that ran before it; those stay applied, and a new plan computed from
    /// the database picks up where this one stopped. A connection lost
    /// between statements (killed, network gone) fails the next statement
    /// the same way. The lock is released in every case (a lost session
    /// releases it on the server).
    pub async fn apply(
        &mut self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ApplyReport, MySqlError> {
        if script.dialect != Dialect::MySql {
            return Err(MySqlError::WrongDialect { dialect: script.dialect.to_string() });
        }
        use tracing::Instrument;
        let span = tracing::info_span!("apply", engine = "mysql", statements = script.statements.len());
        async {
            let lock = lock_name(&self.database);
            self.acquire(&lock, options.lock_name_timeout).await?;
            let result = self.apply_locked(script, expected_hash, options, progress).await;
            // A failed release changes nothing: the lock goes with the session anyway.
            let _ = self.first_value("SELECT RELEASE_LOCK(?)", (lock,)).await;
            result
        }
        .instrument(span)
        .await
    }

    async fn acquire(&mut self, lock: &str, timeout: Duration) -> Result<(), MySqlError> {
        let waited_secs = seconds(timeout, 0);
        let got = self.first_value("SELECT GET_LOCK(?, ?)", (lock, waited_secs)).await?;
        match got {
            Some(Value::Int(1) | Value::UInt(1)) => Ok(()),
            Some(Value::Bytes(b)) if b == b"1" => Ok(()),
            Some(Value::Int(0) | Value::UInt(0)) => {
                Err(MySqlError::Locked { database: self.database.clone(), waited_secs })
            }
            Some(Value::Bytes(b)) if b == b"0" => {
                Err(MySqlError::Locked { database: self.database.clone(), waited_secs })
            }
            other => Err(MySqlError::catalog("GET_LOCK", format!("unexpected result {other:?}"))),
        }
    }

    async fn apply_locked(
        &mut self,
        script: &Script,
        expected_hash: Option<&str>,
        options: &ApplyOptions,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ApplyReport, MySqlError> {
        let wait = seconds(options.lock_wait_timeout, 1);
        self.run(&format!("SET SESSION lock_wait_timeout = {wait}")).await?;
        self.strict_mode().await?;
        if let Some(expected) = expected_hash {
            let actual = self.introspect(&IntrospectOptions::default()).await?.schema.content_hash();
            crate::observe::drift_checked(expected, &actual);
            if actual != expected {
                return Err(MySqlError::Drift { expected: expected.to_owned(), actual });
            }
        }
        for (index, statement) in script.statements.iter().enumerate() {
            crate::observe::statement_starts(index, statement);
            let started = Instant::now();
            if let Err(e) = self.run_one(&statement.sql).await {
                return Err(MySqlError::Statement {
                    index,
                    sql: statement.sql.clone(),
                    message: MySqlError::server_message(&e),
                    completed: index,
                    total: script.statements.len(),
                });
            }
            crate::observe::statement_applied(index, statement, started);
            progress(index);
        }
        Ok(ApplyReport { statements_run: script.statements.len() })
    }

    /// Set [`APPLY_SQL_MODE`] and check that the server took it: a proxy or
    /// an old server that ignored it would leave the permissive default.
    async fn strict_mode(&mut self) -> Result<(), MySqlError> {
        self.run(&format!("SET SESSION sql_mode = {}", Dialect::MySql.quote_string(APPLY_SQL_MODE))).await?;
        let mode = match self.first_value("SELECT @@SESSION.sql_mode", ()).await? {
            Some(Value::Bytes(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            other => return Err(MySqlError::catalog("@@SESSION.sql_mode", format!("unexpected value {other:?}"))),
        };
        let set: Vec<&str> = mode.split(',').collect();
        let missing: Vec<&str> = APPLY_SQL_MODE.split(',').filter(|m| !set.contains(m)).collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(MySqlError::catalog(
                "SET SESSION sql_mode",
                format!("the server kept sql_mode {mode:?}, without {}; nothing was applied", missing.join(",")),
            ))
        }
    }

    /// Run one statement of a script as exactly one statement: through the
    /// prepared-statement protocol, where the server refuses a text that
    /// holds several (the text protocol runs them all, so a body that broke
    /// out of its string literal would run statements of its own). MySQL 8
    /// cannot prepare some DDL (stored programs); those go as text, after a
    /// check that they hold a single statement.
    async fn run_one(&mut self, sql: &str) -> Result<(), mysql_async::Error> {
        match self.exec_prepared_once(sql).await {
            Err(mysql_async::Error::Server(e)) if e.code == ER_UNSUPPORTED_PS => {
                if let Err(reason) = crate::single::check_single_statement(sql) {
                    return Err(mysql_async::Error::Other(reason.into()));
                }
                self.run(sql).await
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_names_fit() {
        assert_eq!(lock_name("hr_prod"), "schemasync:hr_prod");
        let long = "x".repeat(64);
        let name = lock_name(&long);
        assert!(name.len() <= MAX_LOCK_NAME, "{name}");
        assert_ne!(name, lock_name(&"x".repeat(63)));
        assert!(lock_name(&"é".repeat(40)).len() <= MAX_LOCK_NAME);
    }

    #[test]
    fn rounds_seconds_up() {
        assert_eq!(seconds(Duration::from_millis(1500), 0), 2);
        assert_eq!(seconds(Duration::ZERO, 1), 1);
        assert_eq!(seconds(Duration::from_secs(60), 1), 60);
    }
}
