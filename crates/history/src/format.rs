//! The on-disk format of the SQLite history file: how it is recognized,
//! created and migrated.

use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

use crate::HistoryError;

/// `PRAGMA application_id` of a schemasync history ("SSYN"), so that the file
/// is recognized as ours by SQLite tooling and by us.
pub(crate) const APPLICATION_ID: i64 = 0x5353_594E;

/// `PRAGMA user_version`: the layout of the tables below. 1: `versions`;
/// 2: `intents` added.
pub(crate) const FORMAT_VERSION: i64 = 2;

/// The first format with the `intents` table.
pub(crate) const INTENTS_FORMAT: i64 = 2;

const CREATE_VERSIONS: &str = "
CREATE TABLE versions (
    database   TEXT    NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    kind       TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    snapshot   TEXT    NOT NULL,
    script     TEXT    NOT NULL,
    statements INTEGER NOT NULL,
    parent     INTEGER,
    created_at TEXT    NOT NULL,
    message    TEXT    NOT NULL,
    PRIMARY KEY (database, number)
);
";

// An intent is written before a database changes and completed after: a
// pending row is what a run that died in between leaves.
const CREATE_INTENTS: &str = "
CREATE TABLE intents (
    id           INTEGER PRIMARY KEY,
    database     TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    from_hash    TEXT    NOT NULL,
    to_hash      TEXT    NOT NULL,
    script       TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    version      INTEGER,
    completed_at TEXT,
    note         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX intents_pending ON intents (database) WHERE status = 'pending';
";

/// What an opened SQLite file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Identity {
    application_id: i64,
    user_version: i64,
    objects: i64,
    has_versions_table: bool,
}

fn identify(conn: &Connection) -> rusqlite::Result<Identity> {
    conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id),
                (SELECT user_version FROM pragma_user_version),
                (SELECT count(*) FROM sqlite_schema),
                EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'versions')",
        [],
        |row| {
            Ok(Identity {
                application_id: row.get(0)?,
                user_version: row.get(1)?,
                objects: row.get(2)?,
                has_versions_table: row.get(3)?,
            })
        },
    )
}

/// Makes `conn` a usable history: creates the tables in an empty database,
/// brings an older layout of ours up to date, refuses anything else.
/// Returns the format now in the file.
pub(crate) fn prepare(conn: &mut Connection, path: &Path) -> Result<i64, HistoryError> {
    let sqlite = |e| HistoryError::from_sqlite(path, e);
    let found = identify(conn).map_err(sqlite)?;
    if !is_empty(found) {
        check(found, path)?;
        if found.user_version == FORMAT_VERSION {
            return Ok(FORMAT_VERSION);
        }
    }
    // Two processes may open a new (or old) file at once; the write lock
    // makes one of them create or migrate the tables and the other find them.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sqlite)?;
    let locked = identify(&tx).map_err(sqlite)?;
    if is_empty(locked) {
        tx.execute_batch(CREATE_VERSIONS).map_err(sqlite)?;
        tx.execute_batch(CREATE_INTENTS).map_err(sqlite)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(sqlite)?;
    } else {
        check(locked, path)?;
        if locked.user_version < INTENTS_FORMAT {
            tx.execute_batch(CREATE_INTENTS).map_err(sqlite)?;
        }
    }
    tx.pragma_update(None, "user_version", FORMAT_VERSION).map_err(sqlite)?;
    let ready = identify(&tx).map_err(sqlite)?;
    tx.commit().map_err(sqlite)?;
    check(ready, path)?;
    Ok(ready.user_version)
}

/// Accepts any format of ours this build reads, without changing the file.
/// Returns the format found.
pub(crate) fn check_read_only(conn: &Connection, path: &Path) -> Result<i64, HistoryError> {
    let found = identify(conn).map_err(|e| HistoryError::from_sqlite(path, e))?;
    // An empty file is a history nothing was recorded in yet.
    if is_empty(found) {
        return Ok(0);
    }
    check(found, path)?;
    Ok(found.user_version)
}

fn is_empty(found: Identity) -> bool {
    found.application_id == 0 && found.user_version == 0 && found.objects == 0
}

fn check(found: Identity, path: &Path) -> Result<(), HistoryError> {
    let corrupt = |message: String| Err(HistoryError::Corrupt { path: path.to_path_buf(), message });
    if found.application_id != APPLICATION_ID {
        return corrupt(format!(
            "it is an SQLite database of another application (application_id {:#x}, user_version {}, {} schema objects)",
            found.application_id, found.user_version, found.objects
        ));
    }
    if found.user_version > FORMAT_VERSION {
        return Err(HistoryError::UnsupportedFormat {
            path: path.to_path_buf(),
            found: found.user_version,
            supported: FORMAT_VERSION,
        });
    }
    if found.user_version < 1 || !found.has_versions_table {
        return corrupt(format!("history format {} without its versions table", found.user_version));
    }
    Ok(())
}
