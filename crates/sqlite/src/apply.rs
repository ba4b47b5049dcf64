//! Applying a script: one `BEGIN IMMEDIATE` transaction, an optional drift
//! check inside it, and the foreign key dance of SQLite table rebuilds.

use std::time::Instant;

use rusqlite::{Connection, TransactionBehavior};
use schemasync_model::{Dialect, Script, Statement};

use crate::{SqliteError, introspect};

/// What [`apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplyReport {
    /// Statements executed (all of the script's on success).
    pub statements_run: usize,
}

/// Run `script` against the database.
///
/// Transactional statements run in one `BEGIN IMMEDIATE` transaction, which
/// keeps other writers out; any failure rolls all of them back. With
/// `expected_hash`, the schema is introspected inside that transaction first
/// and a different content hash is [`SqliteError::Drift`], with nothing
/// changed. Statements marked non-transactional run after the commit.
///
/// With `script.disable_foreign_keys` (table rebuilds), foreign key
/// enforcement is off while the script runs, `PRAGMA foreign_key_check` must
/// find nothing before commit, and the connection's pragmas are restored
/// afterwards whatever happens.
pub fn apply(conn: &mut Connection, script: &Script, expected_hash: Option<&str>) -> Result<ApplyReport, SqliteError> {
    if script.dialect != Dialect::Sqlite {
        return Err(SqliteError::WrongDialect { dialect: script.dialect.to_string() });
    }
    let _span = tracing::info_span!("apply", engine = "sqlite", statements = script.statements.len()).entered();
    let saved = if script.disable_foreign_keys { Some(SavedPragmas::switch_for_rebuild(conn)?) } else { None };
    let result = run(conn, script, expected_hash);
    let restored = saved.map_or(Ok(()), |s| s.restore(conn));
    let report = result?;
    restored?;
    Ok(report)
}

/// Run `sql` as exactly one statement: rusqlite's `prepare` refuses a text
/// with a second statement after the first, where `execute_batch` would run
/// whatever a text smuggled in after a `;`. A NUL byte, which would make
/// SQLite ignore the rest of the text, is refused too.
fn run_single(conn: &Connection, sql: &str) -> Result<(), String> {
    if sql.contains('\0') {
        return Err("the statement holds a NUL byte".to_owned());
    }
    let run = || -> Result<(), rusqlite::Error> {
        let mut statement = conn.prepare(sql)?;
        let mut rows = statement.raw_query();
        while rows.next()?.is_some() {}
        Ok(())
    };
    run().map_err(|e| match e {
        rusqlite::Error::MultipleStatement => "the text holds more than one statement".to_owned(),
        other => other.to_string(),
    })
}

/// [`run_single`] between its `tracing` events.
fn run_logged(conn: &Connection, index: usize, statement: &Statement) -> Result<(), String> {
    crate::observe::statement_starts(index, statement);
    let started = Instant::now();
    run_single(conn, &statement.sql)?;
    crate::observe::statement_applied(index, statement, started);
    Ok(())
}

fn run(conn: &mut Connection, script: &Script, expected_hash: Option<&str>) -> Result<ApplyReport, SqliteError> {
    let mut statements_run = 0;
    // Dropping `tx` without commit rolls back, on every early return below.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(expected) = expected_hash {
        let actual = introspect(&tx)?.schema.content_hash();
        crate::observe::drift_checked(expected, &actual);
        if actual != expected {
            return Err(SqliteError::Drift { expected: expected.to_owned(), actual });
        }
    }
    // Rows that already break a foreign key (inserted while enforcement was
    // off) must not block a schema change; only violations it adds do.
    let violations_before = if script.disable_foreign_keys { Some(foreign_key_violations(&tx)?) } else { None };
    for (index, statement) in script.statements.iter().enumerate().filter(|(_, s)| s.transactional) {
        let failed = |message: String| SqliteError::Statement { index, sql: statement.sql.clone(), message };
        run_logged(&tx, index, statement).map_err(failed)?;
        if tx.is_autocommit() {
            return Err(failed("the statement ended the transaction; nothing more was applied".to_owned()));
        }
        statements_run += 1;
    }
    if let Some(before) = violations_before {
        check_new_foreign_key_violations(&tx, &before)?;
    }
    tx.commit()?;
    for (index, statement) in script.statements.iter().enumerate().filter(|(_, s)| !s.transactional) {
        run_logged(conn, index, statement).map_err(|message| SqliteError::Statement {
            index,
            sql: statement.sql.clone(),
            message,
        })?;
        statements_run += 1;
    }
    Ok(ApplyReport { statements_run })
}

/// One row of `PRAGMA foreign_key_check`: (table, rowid, parent).
type Violation = (String, Option<i64>, String);

fn foreign_key_violations(conn: &Connection) -> Result<Vec<Violation>, SqliteError> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    let mut found = rows.collect::<Result<Vec<Violation>, _>>()?;
    found.sort();
    Ok(found)
}

/// Fails on the first violation that was not there before the script ran.
/// Counted per (table, parent) as well, since WITHOUT ROWID tables have no
/// rowid to tell their rows apart.
fn check_new_foreign_key_violations(conn: &Connection, before: &[Violation]) -> Result<(), SqliteError> {
    use std::collections::BTreeMap;
    let mut allowance: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (table, _, parent) in before {
        *allowance.entry((table.clone(), parent.clone())).or_default() += 1;
    }
    for (table, rowid, parent) in foreign_key_violations(conn)? {
        let left = allowance.entry((table.clone(), parent.clone())).or_default();
        let was_there = rowid.is_none() || before.iter().any(|b| b.0 == table && b.1 == rowid && b.2 == parent);
        if *left > 0 && was_there {
            *left -= 1;
            continue;
        }
        return Err(SqliteError::ForeignKeyViolation { table, rowid, parent });
    }
    Ok(())
}

/// Connection pragmas changed for a table rebuild, to be put back.
#[derive(Debug)]
struct SavedPragmas {
    foreign_keys: bool,
    legacy_alter_table: bool,
}

impl SavedPragmas {
    /// Both pragmas are no-ops inside a transaction, so this runs before BEGIN.
    ///
    /// `foreign_keys = OFF`: a rebuild drops the old table while children
    /// still reference it. `legacy_alter_table = ON`: when the new table is
    /// renamed to the old name, modern SQLite re-resolves every view and
    /// trigger of the schema and fails on those that mention the dropped
    /// table; the legacy behaviour renames without that check, which is the
    /// procedure SQLite's documentation gives for schema changes ALTER TABLE
    /// cannot make.
    fn switch_for_rebuild(conn: &Connection) -> Result<Self, SqliteError> {
        let saved = SavedPragmas {
            foreign_keys: conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
            legacy_alter_table: conn.query_row("PRAGMA legacy_alter_table", [], |r| r.get(0))?,
        };
        conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA legacy_alter_table = ON")?;
        Ok(saved)
    }

    fn restore(self, conn: &Connection) -> Result<(), SqliteError> {
        let on_off = |b: bool| if b { "ON" } else { "OFF" };
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = {}; PRAGMA legacy_alter_table = {}",
            on_off(self.foreign_keys),
            on_off(self.legacy_alter_table)
        ))?;
        Ok(())
    }
}
