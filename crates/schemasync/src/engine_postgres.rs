//! PostgreSQL behind the engine seam.

use std::path::Path;

use schemasync_model::{Schema, Script};
use schemasync_postgres::{ApplyOptions, IntrospectOptions, PgConfig, PgConnection, PostgresError};

use crate::Error;
use crate::engine::{Applied, Engine, skipped_lines};
use crate::location::redact;
use crate::runtime::new_runtime;

pub(crate) struct PostgresEngine {
    runtime: tokio::runtime::Runtime,
    conn: PgConnection,
    place: String,
}

impl PostgresEngine {
    pub(crate) fn open(url: &str, create: bool) -> Result<Self, Error> {
        let place = redact(url);
        let config = PgConfig::parse(url).map_err(|e| at(&place, e))?;
        let runtime = new_runtime()?;
        if create {
            runtime.block_on(schemasync_postgres::create_database(&config)).map_err(|e| at(&place, e))?;
        }
        let conn = runtime.block_on(schemasync_postgres::connect(&config)).map_err(|e| at(&place, e))?;
        Ok(PostgresEngine { runtime, conn, place })
    }
}

impl Engine for PostgresEngine {
    fn introspect(&mut self) -> Result<(Schema, Vec<String>), Error> {
        let found = self
            .runtime
            .block_on(self.conn.introspect(&IntrospectOptions::default()))
            .map_err(|e| at(&self.place, e))?;
        Ok((found.schema, skipped_lines(found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())))))
    }

    fn apply(&mut self, script: &Script, expected_hash: Option<&str>) -> Result<Applied, Error> {
        let options = ApplyOptions::default();
        match self.runtime.block_on(self.conn.apply(script, expected_hash, &options)) {
            Ok(report) => {
                Ok(Applied { statements_run: report.statements_run, outside_transaction: report.outside_transaction })
            }
            Err(PostgresError::Drift { expected, actual }) => {
                Err(Error::Drift { target: self.place.clone(), expected, actual })
            }
            Err(e) => Err(at(&self.place, e)),
        }
    }
}

pub(crate) fn exists(url: &str) -> Result<bool, Error> {
    let place = redact(url);
    let config = PgConfig::parse(url).map_err(|e| at(&place, e))?;
    new_runtime()?.block_on(schemasync_postgres::database_exists(&config)).map_err(|e| at(&place, e))
}

pub(crate) fn load_sql(url: &str, sql: &str, path: &Path) -> Result<(Schema, Vec<String>), Error> {
    let place = path.display().to_string();
    let config = PgConfig::parse(url).map_err(|e| at(&redact(url), e))?;
    let found = new_runtime()?.block_on(schemasync_postgres::load_sql(&config, sql)).map_err(|e| at(&place, e))?;
    Ok((found.schema, skipped_lines(found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())))))
}

fn at(place: &str, source: PostgresError) -> Error {
    Error::Postgres { place: place.to_owned(), source }
}
