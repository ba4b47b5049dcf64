//! The shared history store: a schema of a PostgreSQL database that many
//! runners (machines, CI jobs) record into at once.

mod layout;
mod runtime;
mod sql;
mod url;

use schemasync_postgres::tokio_postgres::Client;
use schemasync_postgres::{PgConfig, PgConnection};
use std::cell::{Cell, Ref, RefCell};
use std::path::{Path, PathBuf};

use crate::intent_row::RawIntent;
use crate::row::RawRow;
use crate::{
    HistoryError, HistoryStore, Intent, IntentId, NewIntent, NewVersion, Outcome, Version, VersionSummary,
    count_statements,
};
use runtime::StoreRuntime;
use sql::{Sql, transaction};

/// Advisory lock keys of the store (the two-key form, a space apart from
/// the one-key lock of schemasync's apply).
mod lock_key {
    const fn fnv1a32(bytes: &[u8]) -> u32 {
        let mut hash: u32 = 0x811c_9dc5;
        let mut i = 0;
        while i < bytes.len() {
            hash ^= bytes[i] as u32;
            hash = hash.wrapping_mul(0x0100_0193);
            i += 1;
        }
        hash
    }

    /// Creating or migrating the layout (second key 0).
    pub(crate) const LAYOUT_CLASS: i32 = (fnv1a32(b"schemasync_history layout") & 0x7fff_ffff) as i32;

    /// Numbering the versions of one database (second key: [`database`]).
    pub(crate) const VERSIONS_CLASS: i32 = (fnv1a32(b"schemasync_history versions") & 0x7fff_ffff) as i32;

    /// The second key for a database key. Two keys with one hash only wait
    /// for each other; the numbers stay right.
    pub(crate) fn database(key: &str) -> i32 {
        i32::from_ne_bytes(fnv1a32(key.as_bytes()).to_ne_bytes())
    }
}

/// How long a write waits for a lock another runner holds (another
/// runner's version of the same database, a migration) before the history
/// is reported as not writable.
const LOCK_TIMEOUT: &str = "10s";

/// A runner that stops in the middle of one of the store's (short)
/// transactions, a machine put to sleep, loses its session instead of
/// blocking the others.
const IDLE_IN_TRANSACTION_TIMEOUT: &str = "60s";

/// Columns of a version row in the order of [`RawRow`]'s readers.
const VERSION_COLUMNS: &str = "database, number, kind, hash, parent,
    pg_catalog.to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), message";

/// A [`HistoryStore`] in the schema `schemasync_history` of a PostgreSQL database,
/// shared by every runner that opens it: version numbers are assigned in a
/// transaction that holds a per-database advisory lock, and
/// `(database, number)` is the primary key, so concurrent records never
/// collide.
///
/// The API is blocking; the store drives its connection on a tokio runtime
/// of its own, and may be used from inside a tokio runtime too (its calls
/// then run on a thread of their own). Async programs should call it from
/// `spawn_blocking`.
#[derive(Debug)]
pub struct PostgresHistory {
    // Dropped before the runtime it runs on. A `RefCell` so that a lost
    // connection can be replaced in a call that only reads.
    conn: RefCell<PgConnection>,
    /// The last call found the session gone: connect again before the next.
    lost: Cell<bool>,
    runtime: StoreRuntime,
    config: PgConfig,
    /// `postgres://host:port/database`: the own database key, and the
    /// store's name in errors and events (never credentials).
    store: String,
    /// The layout in the database (0: none yet, read-only stores only).
    layout: i32,
    read_only: bool,
}

impl PostgresHistory {
    /// The schema the history lives in.
    pub const SCHEMA: &'static str = layout::SCHEMA;

    /// The layout version this build creates and reads (the one row of
    /// `schemasync_history.layout`).
    pub const LAYOUT_VERSION: i32 = layout::LAYOUT_VERSION;

    /// Connects to the database `url` names (a `postgres://` URL, with
    /// `sslmode` and the `PG*` environment variables as the PostgreSQL
    /// engine reads them), creates the schema [`Self::SCHEMA`] and its tables if
    /// missing, and brings an older layout up to date. A layout newer than
    /// this build is refused with [`HistoryError::UnsupportedFormat`] and a
    /// schema of that name holding something else with
    /// [`HistoryError::Corrupt`]; neither is changed.
    pub fn open(url: &str) -> Result<Self, HistoryError> {
        let mut history = PostgresHistory::connect(url, false)?;
        history.layout =
            history.run(async |conn: &PgConnection, store: &str| layout::prepare(conn.client(), store).await)?;
        Ok(history)
    }

    /// Connects for reading only: nothing is created, migrated or written
    /// (the session is read-only too). A database without the schema reads
    /// as an empty history. [`HistoryStore::begin`] and the other writes
    /// fail with [`HistoryError::NotWritable`].
    pub fn open_read_only(url: &str) -> Result<Self, HistoryError> {
        let mut history = PostgresHistory::connect(url, true)?;
        history.layout = history
            .read(async |conn: &PgConnection, store: &str| layout::check_read_only(conn.client(), store).await)?;
        Ok(history)
    }

    /// The store's location, `postgres://host:port/database` (no credentials).
    pub fn location(&self) -> &str {
        &self.store
    }

    fn connect(url: &str, read_only: bool) -> Result<Self, HistoryError> {
        let config = url::parse(url)?;
        let store = store_key(&config);
        let runtime = StoreRuntime::new()?;
        let conn = runtime.run(|| session(&config, &store, read_only))?;
        tracing::debug!(store = %store, read_only, "history: PostgreSQL store connected");
        Ok(PostgresHistory {
            conn: RefCell::new(conn),
            lost: Cell::new(false),
            runtime,
            config,
            store,
            layout: 0,
            read_only,
        })
    }

    /// The connection, connected again first if the last one was lost (a
    /// restarted server, a session ended by an administrator or a
    /// network): the call that found it lost failed, the next ones work.
    fn connection(&self) -> Result<Ref<'_, PgConnection>, HistoryError> {
        if self.lost.get() || self.conn.borrow().client().is_closed() {
            let (config, store, read_only) = (&self.config, self.store.as_str(), self.read_only);
            let fresh = self.runtime.run(|| session(config, store, read_only))?;
            *self.conn.borrow_mut() = fresh;
            self.lost.set(false);
            tracing::info!(store = %self.store, "history: PostgreSQL store reconnected after losing its session");
        }
        Ok(self.conn.borrow())
    }

    /// Run `call` once, noting whether it lost the session.
    fn once<T: Send>(
        &self,
        call: impl AsyncFnOnce(&PgConnection, &str) -> Result<T, HistoryError> + Send,
    ) -> Result<T, HistoryError> {
        let result = {
            let conn = self.connection()?;
            let (conn, store) = (&*conn, self.store.as_str());
            self.runtime.run(move || call(conn, store))
        };
        if result.as_ref().is_err_and(sql::session_lost) {
            self.lost.set(true);
        }
        result
    }

    /// Run one call of the store on its runtime (writes: never repeated,
    /// since a lost connection may have committed it).
    fn run<T: Send>(
        &self,
        call: impl AsyncFnOnce(&PgConnection, &str) -> Result<T, HistoryError> + Send,
    ) -> Result<T, HistoryError> {
        self.once(call)
    }

    /// Run a read, once more on a new connection if the session was lost
    /// during it.
    fn read<T: Send>(
        &self,
        call: impl AsyncFn(&PgConnection, &str) -> Result<T, HistoryError> + Sync,
    ) -> Result<T, HistoryError> {
        match self.once(&call) {
            Err(error) if sql::session_lost(&error) => self.once(&call),
            other => other,
        }
    }

    fn writable(&self) -> Result<(), HistoryError> {
        if self.read_only {
            return Err(HistoryError::NotWritable {
                path: PathBuf::from(&self.store),
                cause: "opened read-only".to_owned(),
            });
        }
        Ok(())
    }
}

/// The own database key: the one the facade computes for this URL.
fn store_key(config: &PgConfig) -> String {
    let (host, port) = config.host_key();
    crate::database_key_for_url("postgres", &host, port, config.database())
}

/// A new connection with the store's session settings.
async fn session(config: &PgConfig, store: &str, read_only: bool) -> Result<PgConnection, HistoryError> {
    let conn = schemasync_postgres::connect(config)
        .await
        .map_err(|source| HistoryError::Connect { store: store.to_owned(), source })?;
    session_settings(conn.client(), store, read_only).await?;
    Ok(conn)
}

/// Session settings (never the server's): a search path that only
/// PostgreSQL's own objects are found on (everything of ours is named with
/// its schema), bounded waits, a durable commit even where the server
/// turned that off for speed, and a read-only session for readers (a writer
/// keeps a database's own `default_transaction_read_only`, and fails as not
/// writable under it).
async fn session_settings(client: &Client, store: &str, read_only: bool) -> Result<(), HistoryError> {
    let sql = Sql::new(store, "setting up the session");
    sql.query(
        client,
        "SELECT pg_catalog.set_config('search_path', 'pg_catalog', false),
                pg_catalog.set_config('lock_timeout', $1, false),
                pg_catalog.set_config('idle_in_transaction_session_timeout', $2, false),
                CASE WHEN $3 THEN pg_catalog.set_config('default_transaction_read_only', 'on', false) END,
                CASE WHEN pg_catalog.current_setting('synchronous_commit') = 'off'
                     THEN pg_catalog.set_config('synchronous_commit', 'local', false) END",
        &[&LOCK_TIMEOUT, &IDLE_IN_TRANSACTION_TIMEOUT, &read_only],
    )
    .await?;
    Ok(())
}

fn raw_row(
    sql: &Sql<'_>,
    row: &schemasync_postgres::tokio_postgres::Row,
    summary: bool,
) -> Result<RawRow, HistoryError> {
    Ok(RawRow {
        database: sql.get(row, 0)?,
        number: sql.get(row, 1)?,
        kind: sql.get(row, 2)?,
        hash: sql.get(row, 3)?,
        parent: sql.get(row, 4)?,
        created_at: sql.get(row, 5)?,
        message: sql.get(row, 6)?,
        statements: if summary { sql.get(row, 7)? } else { 0 },
        body: if summary { None } else { Some((sql.get(row, 7)?, sql.get(row, 8)?)) },
    })
}

impl HistoryStore for PostgresHistory {
    fn record(&mut self, new: NewVersion) -> Result<Version, HistoryError> {
        self.writable()?;
        let version = self.run(async move |conn: &PgConnection, store: &str| {
            let client = conn.client();
            transaction(client, store, "recording a version", insert_version(client, store, new)).await
        })?;
        tracing::info!(
            database = %version.database,
            version = version.number,
            kind = %version.kind,
            hash = %version.hash,
            store = %self.store,
            "history: version recorded"
        );
        Ok(version)
    }

    fn list(&self, database: &str) -> Result<Vec<VersionSummary>, HistoryError> {
        if self.layout == 0 {
            return Ok(Vec::new());
        }
        let rows = self.read(async |conn: &PgConnection, store: &str| {
            let sql = Sql::new(store, "listing versions");
            let query = format!(
                "SELECT {VERSION_COLUMNS}, statements FROM schemasync_history.versions
                 WHERE database = $1 ORDER BY number"
            );
            let rows = sql.query(conn.client(), &query, &[&database]).await?;
            rows.iter().map(|row| raw_row(&sql, row, true)).collect::<Result<Vec<_>, _>>()
        })?;
        rows.into_iter().map(RawRow::into_summary).collect()
    }

    fn get(&self, database: &str, number: u64) -> Result<Version, HistoryError> {
        let missing = || HistoryError::NoSuchVersion { database: database.to_owned(), number };
        let Ok(stored_number) = i64::try_from(number) else { return Err(missing()) };
        if self.layout == 0 {
            return Err(missing());
        }
        let row = self.read(async |conn: &PgConnection, store: &str| {
            let sql = Sql::new(store, "reading a version");
            let query = format!(
                "SELECT {VERSION_COLUMNS}, snapshot, script FROM schemasync_history.versions
                 WHERE database = $1 AND number = $2"
            );
            let rows = sql.query(conn.client(), &query, &[&database, &stored_number]).await?;
            rows.first().map(|row| raw_row(&sql, row, false)).transpose()
        })?;
        row.ok_or_else(missing)?.into_version()
    }

    fn latest(&self, database: &str) -> Result<Option<Version>, HistoryError> {
        if self.layout == 0 {
            return Ok(None);
        }
        let row = self.read(async |conn: &PgConnection, store: &str| {
            let sql = Sql::new(store, "reading the latest version");
            let query = format!(
                "SELECT {VERSION_COLUMNS}, snapshot, script FROM schemasync_history.versions
                 WHERE database = $1 ORDER BY number DESC LIMIT 1"
            );
            let rows = sql.query(conn.client(), &query, &[&database]).await?;
            rows.first().map(|row| raw_row(&sql, row, false)).transpose()
        })?;
        row.map(RawRow::into_version).transpose()
    }

    fn databases(&self) -> Result<Vec<String>, HistoryError> {
        if self.layout == 0 {
            return Ok(Vec::new());
        }
        self.read(async |conn: &PgConnection, store: &str| {
            let sql = Sql::new(store, "listing databases");
            let rows = sql
                .query(
                    conn.client(),
                    "SELECT DISTINCT database FROM schemasync_history.versions ORDER BY database",
                    &[],
                )
                .await?;
            rows.iter().map(|row| sql.get(row, 0)).collect()
        })
    }

    fn begin(&mut self, intent: NewIntent) -> Result<IntentId, HistoryError> {
        self.writable()?;
        let intent = &intent;
        let id = self.run(async move |conn: &PgConnection, store: &str| {
            let sql = Sql::new(store, "writing an apply intent");
            // One statement, committed on its own: once it returned, the intent is stored.
            let row = sql
                .one(
                    conn.client(),
                    "INSERT INTO schemasync_history.intents
                         (database, kind, from_hash, to_hash, script, message, status)
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING id",
                    &[
                        &intent.database,
                        &intent.kind.as_str(),
                        &intent.from_hash,
                        &intent.to_hash,
                        &intent.script,
                        &intent.message,
                    ],
                )
                .await?;
            let id: i64 = sql.get(&row, 0)?;
            // Identity values start at 1.
            Ok(IntentId(u64::try_from(id).unwrap_or_default()))
        })?;
        tracing::info!(
            database = %intent.database,
            intent = %id,
            from_hash = %intent.from_hash,
            to_hash = %intent.to_hash,
            store = %self.store,
            "history: apply intent begun"
        );
        Ok(id)
    }

    fn complete(&mut self, id: IntentId, outcome: Outcome) -> Result<Option<Version>, HistoryError> {
        self.writable()?;
        let status = outcome.status();
        let version = self.run(async move |conn: &PgConnection, store: &str| {
            let client = conn.client();
            transaction(client, store, "completing an apply intent", async {
                let sql = Sql::new(store, "completing an apply intent");
                let path = || PathBuf::from(store);
                let Ok(stored_id) = i64::try_from(id.0) else {
                    return Err(HistoryError::NoSuchIntent { path: path(), id: id.0 });
                };
                // The row lock makes a second completion wait, then see the first.
                let rows = sql
                    .query(
                        client,
                        "SELECT status FROM schemasync_history.intents WHERE id = $1 FOR UPDATE",
                        &[&stored_id],
                    )
                    .await?;
                let Some(row) = rows.first() else {
                    return Err(HistoryError::NoSuchIntent { path: path(), id: id.0 });
                };
                let found: String = sql.get(row, 0)?;
                if !matches!(found.as_str(), "pending" | "interrupted") {
                    return Err(HistoryError::IntentClosed { path: path(), id: id.0, status: found });
                }
                let (new, note) = outcome.into_parts();
                let version = match new {
                    Some(new) => Some(insert_version(client, store, new).await?),
                    None => None,
                };
                let number = version.as_ref().and_then(|v| i64::try_from(v.number).ok());
                sql.execute(
                    client,
                    "UPDATE schemasync_history.intents
                     SET status = $2, version = coalesce($3, version), completed_at = pg_catalog.clock_timestamp(),
                         note = $4
                     WHERE id = $1",
                    &[&stored_id, &status.as_str(), &number, &note],
                )
                .await?;
                Ok(version)
            })
            .await
        })?;
        tracing::info!(
            intent = %id,
            %status,
            database = version.as_ref().map(|v| v.database.as_str()),
            version = version.as_ref().map(|v| v.number),
            store = %self.store,
            "history: apply intent completed"
        );
        Ok(version)
    }

    fn pending(&self, database: &str) -> Result<Vec<Intent>, HistoryError> {
        if self.layout == 0 {
            return Ok(Vec::new());
        }
        let rows = self.read(async |conn: &PgConnection, store: &str| {
            let sql = Sql::new(store, "reading pending apply intents");
            let rows = sql
                .query(
                    conn.client(),
                    "SELECT id, database, kind, from_hash, to_hash, script, message,
                            pg_catalog.to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                            status, version,
                            pg_catalog.to_char(completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                            note
                     FROM schemasync_history.intents WHERE database = $1 AND status = 'pending' ORDER BY id",
                    &[&database],
                )
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(RawIntent {
                        id: sql.get(row, 0)?,
                        database: sql.get(row, 1)?,
                        kind: sql.get(row, 2)?,
                        from_hash: sql.get(row, 3)?,
                        to_hash: sql.get(row, 4)?,
                        script: sql.get(row, 5)?,
                        message: sql.get(row, 6)?,
                        created_at: sql.get(row, 7)?,
                        status: sql.get(row, 8)?,
                        version: sql.get(row, 9)?,
                        completed_at: sql.get(row, 10)?,
                        note: sql.get(row, 11)?,
                    })
                })
                .collect::<Result<Vec<_>, HistoryError>>()
        })?;
        let path = Path::new(&self.store);
        rows.into_iter().map(|row| row.into_intent(path)).collect()
    }

    fn own_database_key(&self) -> Result<Option<String>, HistoryError> {
        Ok(Some(self.store.clone()))
    }
}

/// Insert the next version of `new.database`, inside a transaction: the
/// advisory lock of that database is held until it ends, so a concurrent
/// runner computes its number only after this one committed.
async fn insert_version(client: &Client, store: &str, new: NewVersion) -> Result<Version, HistoryError> {
    let sql = Sql::new(store, "recording a version");
    let schema = new.schema.normalized();
    let snapshot = schema.to_canonical_json();
    let hash = schema.content_hash();
    let statements = i64::try_from(count_statements(&new.script)).unwrap_or(i64::MAX);
    sql.execute(
        client,
        "SELECT pg_catalog.pg_advisory_xact_lock($1, $2)",
        &[&lock_key::VERSIONS_CLASS, &lock_key::database(&new.database)],
    )
    .await?;
    // A statement of its own after the lock: under READ COMMITTED it sees
    // every version committed before the lock was granted.
    let row = sql
        .one(
            client,
            "INSERT INTO schemasync_history.versions
                 (database, number, kind, hash, snapshot, script, statements, parent, message)
             SELECT $1::text, coalesce(max(number), 0) + 1, $2::text, $3::text, $4::text, $5::text, $6::int8,
                    max(number), $7::text
             FROM schemasync_history.versions WHERE database = $1
             RETURNING number, parent,
                 pg_catalog.to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
            &[&new.database, &new.kind.as_str(), &hash, &snapshot, &new.script, &statements, &new.message],
        )
        .await?;
    let (number, parent, created_at): (i64, Option<i64>, String) =
        (sql.get(&row, 0)?, sql.get(&row, 1)?, sql.get(&row, 2)?);
    let as_u64 = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(Version {
        database: new.database,
        number: as_u64(number),
        kind: new.kind,
        hash,
        schema,
        script: new.script,
        parent: parent.map(as_u64),
        created_at,
        message: new.message,
    })
}
