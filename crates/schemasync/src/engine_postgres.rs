//! PostgreSQL behind the engine seam.

use std::path::Path;

use schemasync_model::{Schema, Script};
use schemasync_postgres::{ApplyOptions, IntrospectOptions, PgConfig, PgConnection, PostgresError};

use crate::engine::{Applied, Engine, ScratchLoad, skipped_lines};
use crate::location::redact;
use crate::runtime::{EngineRuntime, run_once};
use crate::{EngineOptions, Error};

pub(crate) struct PostgresEngine {
    // Dropped before the runtime that drives it.
    conn: PgConnection,
    runtime: EngineRuntime,
    place: String,
    apply: ApplyOptions,
}

/// The crate's options as the PostgreSQL engine takes them.
fn apply_options(options: &EngineOptions) -> ApplyOptions {
    let mut apply = ApplyOptions { introspect: introspect_options(options), ..ApplyOptions::default() };
    if let Some(timeout) = options.lock_timeout {
        apply.lock_timeout = timeout;
    }
    if let Some(timeout) = options.statement_timeout {
        apply.statement_timeout = timeout;
    }
    apply
}

fn introspect_options(options: &EngineOptions) -> IntrospectOptions {
    IntrospectOptions {
        include_schemas: options.include_schemas.clone(),
        exclude_schemas: options.exclude_schemas.clone(),
        privileges: options.privileges,
    }
}

impl PostgresEngine {
    pub(crate) fn open(url: &str, create: bool, options: &EngineOptions) -> Result<Self, Error> {
        let place = redact(url);
        let config = PgConfig::parse(url).map_err(|e| at(&place, e))?;
        let runtime = EngineRuntime::new()?;
        if create {
            runtime.run(|| schemasync_postgres::create_database(&config)).map_err(|e| at(&place, e))?;
        }
        let conn = runtime.run(|| schemasync_postgres::connect(&config)).map_err(|e| at(&place, e))?;
        Ok(PostgresEngine { runtime, conn, place, apply: apply_options(options) })
    }
}

impl Engine for PostgresEngine {
    fn introspect(&mut self) -> Result<(Schema, Vec<String>), Error> {
        let (conn, options) = (&self.conn, &self.apply.introspect);
        let found = self.runtime.run(|| conn.introspect(options)).map_err(|e| at(&self.place, e))?;
        Ok((found.schema, skipped_lines(found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())))))
    }

    fn apply(&mut self, script: &Script, expected_hash: Option<&str>) -> Result<Applied, Error> {
        let (conn, options) = (&mut self.conn, &self.apply);
        match self.runtime.run(|| conn.apply(script, expected_hash, options)) {
            Ok(report) => {
                Ok(Applied { statements_run: report.statements_run, outside_transaction: report.outside_transaction })
            }
            Err(PostgresError::Drift { expected, actual }) => {
                Err(Error::Drift { target: self.place.clone(), expected, actual })
            }
            // Statements outside the transaction had been committed.
            Err(PostgresError::PartlyApplied { committed, source }) => Err(Error::PartlyApplied {
                place: self.place.clone(),
                completed: committed,
                source: Box::new(at(&self.place, *source)),
            }),
            Err(e) => Err(at(&self.place, e)),
        }
    }

    fn transaction_lock_budget(&mut self) -> Result<Option<u64>, Error> {
        let conn = &self.conn;
        let size = self.runtime.run(|| conn.lock_table_size()).map_err(|e| at(&self.place, e))?;
        Ok(Some(schemasync_postgres::transaction_lock_budget(size)))
    }

    fn any_row(&mut self, sql: &str) -> Result<bool, String> {
        let conn = &self.conn;
        self.runtime.run(|| conn.any_row(sql)).map_err(|e| e.to_string())
    }

    fn identity_key(&mut self) -> Result<Option<String>, Error> {
        let conn = &self.conn;
        let found = self.runtime.run(|| conn.server_identity()).map_err(|e| at(&self.place, e))?;
        if found.system_identifier.is_empty() || found.database.is_empty() {
            return Ok(None);
        }
        let server = format!("system-{}", found.system_identifier);
        Ok(Some(schemasync_history::database_key_for_url("postgres", &server, Some(found.port), &found.database)))
    }
}

pub(crate) fn server_transaction_lock_budget(url: &str) -> Result<u64, Error> {
    let place = redact(url);
    let config = PgConfig::parse(url).map_err(|e| at(&place, e))?;
    let size = run_once(|| schemasync_postgres::server_lock_table_size(&config))?.map_err(|e| at(&place, e))?;
    Ok(schemasync_postgres::transaction_lock_budget(size))
}

pub(crate) fn exists(url: &str) -> Result<bool, Error> {
    let place = redact(url);
    let config = PgConfig::parse(url).map_err(|e| at(&place, e))?;
    run_once(|| schemasync_postgres::database_exists(&config))?.map_err(|e| at(&place, e))
}

pub(crate) fn load_sql(
    url: &str,
    sql: &str,
    path: &Path,
    options: &EngineOptions,
) -> Result<(Schema, Vec<String>), Error> {
    let place = path.display().to_string();
    let config = PgConfig::parse(url).map_err(|e| at(&redact(url), e))?;
    let interrupt = schemasync_postgres::Interrupt::new();
    let stop = interrupt.clone();
    let Some(running) = ScratchLoad::register(move || stop.interrupt()) else {
        return Err(Error::Interrupted { place });
    };
    let scope = introspect_options(options);
    let loaded = run_once(|| schemasync_postgres::load_sql_interruptible(&config, sql, &scope, &interrupt))?;
    // Unregistered first: an interrupt from now on finds no load running,
    // one before is seen here, even if the load had just finished.
    drop(running);
    if interrupt.is_interrupted() {
        return Err(Error::Interrupted { place });
    }
    let found = loaded.map_err(|e| at(&place, e))?;
    Ok((found.schema, skipped_lines(found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())))))
}

fn at(place: &str, source: PostgresError) -> Error {
    Error::Postgres { place: place.to_owned(), source }
}
