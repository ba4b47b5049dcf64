//! The tables of the PostgreSQL history: how they are recognized, created
//! and migrated. They live in a schema of their own, [`SCHEMA`], whose
//! `layout` table holds the layout version (one row).

use schemasync_postgres::tokio_postgres::Client;
use std::path::PathBuf;

use super::{Sql, lock_key};
use crate::HistoryError;

/// The schema holding the history.
pub(crate) const SCHEMA: &str = "schemasync_history";

/// The layout this build writes and reads. 1: `layout`, `versions`, `intents`.
pub(crate) const LAYOUT_VERSION: i32 = 1;

/// `MIGRATIONS[n]` takes layout `n` to `n + 1`; layout 0 is "nothing yet".
/// A new layout adds one entry and bumps [`LAYOUT_VERSION`].
const MIGRATIONS: [&str; LAYOUT_VERSION as usize] = [CREATE];

// Text columns keyed or sorted on use the "C" collation, so equality and
// order are bytewise whatever the database's collation (as in SQLite).
// Times are the server's clock, so runners with skewed clocks agree.
const CREATE: &str = "
CREATE SCHEMA IF NOT EXISTS schemasync_history;
COMMENT ON SCHEMA schemasync_history IS 'schemasync: schema version history';
CREATE TABLE schemasync_history.layout (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version    integer NOT NULL,
    written_by text    NOT NULL
);
CREATE TABLE schemasync_history.versions (
    database   text COLLATE \"C\" NOT NULL,
    number     bigint      NOT NULL CHECK (number >= 1),
    kind       text        NOT NULL,
    hash       text        NOT NULL,
    snapshot   text        NOT NULL,
    script     text        NOT NULL,
    statements bigint      NOT NULL,
    parent     bigint,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    message    text        NOT NULL,
    PRIMARY KEY (database, number)
);
CREATE TABLE schemasync_history.intents (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    database     text COLLATE \"C\" NOT NULL,
    kind         text        NOT NULL,
    from_hash    text        NOT NULL,
    to_hash      text        NOT NULL,
    script       text        NOT NULL,
    message      text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    status       text        NOT NULL,
    version      bigint,
    completed_at timestamptz,
    note         text        NOT NULL DEFAULT ''
);
CREATE INDEX intents_pending ON schemasync_history.intents (database, id) WHERE status = 'pending';
";

/// What the database holds under [`SCHEMA`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// No schema, or one without any object (made ready by an administrator).
    Nothing,
    /// Our layout table, with this version.
    Layout(i32),
}

async fn identify(client: &Client, store: &str) -> Result<Found, HistoryError> {
    let sql = Sql::new(store, "reading the history layout");
    let row = sql
        .one(
            client,
            "SELECT n.oid IS NOT NULL,
                    (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid)
                    + (SELECT count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid)
                    + (SELECT count(*) FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typrelid = 0),
                    pg_catalog.to_regclass('schemasync_history.layout') IS NOT NULL,
                    pg_catalog.to_regclass('schemasync_history.versions') IS NOT NULL,
                    pg_catalog.to_regclass('schemasync_history.intents') IS NOT NULL
             FROM (SELECT 1) AS one
             LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = 'schemasync_history'",
            &[],
        )
        .await?;
    let has_schema: bool = sql.get(&row, 0)?;
    let objects: i64 = sql.get(&row, 1)?;
    let (layout, versions, intents): (bool, bool, bool) = (sql.get(&row, 2)?, sql.get(&row, 3)?, sql.get(&row, 4)?);
    if !has_schema || objects == 0 {
        return Ok(Found::Nothing);
    }
    let not_ours = |message: String| HistoryError::Corrupt { path: PathBuf::from(store), message };
    if !layout {
        return Err(not_ours(format!(
            "schema {SCHEMA} holds {objects} object(s) but no layout table: it belongs to something else"
        )));
    }
    let rows = sql.query(client, "SELECT version FROM schemasync_history.layout", &[]).await?;
    let [row] = rows.as_slice() else {
        return Err(not_ours(format!("{SCHEMA}.layout holds {} rows instead of one", rows.len())));
    };
    let version: i32 = sql.get(row, 0)?;
    if version > LAYOUT_VERSION {
        return Err(HistoryError::UnsupportedFormat {
            path: PathBuf::from(store),
            found: i64::from(version),
            supported: i64::from(LAYOUT_VERSION),
        });
    }
    if version < 1 {
        return Err(not_ours(format!("layout version {version}")));
    }
    // Layout 1 is the first: every layout has both tables.
    if !(versions && intents) {
        return Err(not_ours(format!("layout {version} without its versions and intents tables")));
    }
    Ok(Found::Layout(version))
}

/// Makes the database hold a usable history: creates the schema and tables
/// in a database without them, migrates an older layout, refuses a newer
/// one or a schema of someone else's, never changing those. Returns the
/// layout now there.
pub(crate) async fn prepare(client: &Client, store: &str) -> Result<i32, HistoryError> {
    if identify(client, store).await? == Found::Layout(LAYOUT_VERSION) {
        return Ok(LAYOUT_VERSION);
    }
    // Several runners may open a new (or old) history at once: the lock
    // makes one of them create or migrate it and the others find it done.
    super::transaction(client, store, "preparing the history", async {
        let sql = Sql::new(store, "preparing the history");
        sql.execute(client, "SELECT pg_catalog.pg_advisory_xact_lock($1, 0)", &[&lock_key::LAYOUT_CLASS]).await?;
        let from = match identify(client, store).await? {
            Found::Nothing => 0,
            Found::Layout(version) => version,
        };
        let start = usize::try_from(from).unwrap_or(usize::MAX);
        for step in MIGRATIONS.iter().skip(start) {
            sql.batch(client, step).await?;
        }
        if from < LAYOUT_VERSION {
            let written_by = concat!("schemasync-history ", env!("CARGO_PKG_VERSION"));
            sql.execute(
                client,
                "INSERT INTO schemasync_history.layout (only_row, version, written_by) VALUES (true, $1, $2)
                 ON CONFLICT (only_row) DO UPDATE SET version = EXCLUDED.version, written_by = EXCLUDED.written_by",
                &[&LAYOUT_VERSION, &written_by],
            )
            .await?;
            tracing::info!(store, from, to = LAYOUT_VERSION, "history: layout created or migrated");
        }
        match identify(client, store).await? {
            Found::Layout(version) => Ok(version),
            Found::Nothing => Err(HistoryError::Corrupt {
                path: PathBuf::from(store),
                message: "the history tables vanished while being created".to_owned(),
            }),
        }
    })
    .await
}

/// Accepts any layout this build reads, changing nothing. Returns the
/// layout found (0: no history here yet).
pub(crate) async fn check_read_only(client: &Client, store: &str) -> Result<i32, HistoryError> {
    Ok(match identify(client, store).await? {
        Found::Nothing => 0,
        Found::Layout(version) => version,
    })
}
