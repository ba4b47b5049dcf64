//! MySQL/MariaDB behind the engine seam.

use std::path::Path;

use schemasync_model::{Schema, Script};
use schemasync_mysql::{ApplyOptions, IntrospectOptions, MySqlConfig, MySqlConnection, MySqlError};

use crate::engine::{Applied, Engine, ScratchLoad, skipped_lines};
use crate::location::redact;
use crate::runtime::{EngineRuntime, run_once};
use crate::{EngineOptions, Error};

pub(crate) struct MySqlEngine {
    // Dropped before the runtime that drives it.
    conn: MySqlConnection,
    runtime: EngineRuntime,
    place: String,
    apply: ApplyOptions,
}

impl MySqlEngine {
    /// With `create`, a missing database is created with `charset`/`collation`
    /// (the source's defaults, when known).
    pub(crate) fn open(
        url: &str,
        create: bool,
        charset: Option<(&str, &str)>,
        options: &EngineOptions,
    ) -> Result<Self, Error> {
        let place = redact(url);
        let config = MySqlConfig::parse(url).map_err(|e| at(&place, e))?;
        let runtime = EngineRuntime::new()?;
        if create {
            let (cs, co) = charset.map_or((None, None), |(a, b)| (Some(a), Some(b)));
            runtime.run(|| schemasync_mysql::create_database(&config, cs, co)).map_err(|e| at(&place, e))?;
        }
        let conn = runtime.run(|| schemasync_mysql::connect(&config)).map_err(|e| at(&place, e))?;
        let mut apply = ApplyOptions::default();
        if let Some(timeout) = options.lock_timeout {
            apply.lock_wait_timeout = timeout;
        }
        Ok(MySqlEngine { runtime, conn, place, apply })
    }
}

impl Engine for MySqlEngine {
    fn any_row(&mut self, sql: &str) -> Result<bool, String> {
        let conn = &mut self.conn;
        self.runtime.run(|| conn.any_row(sql)).map_err(|e| e.to_string())
    }

    fn introspect(&mut self) -> Result<(Schema, Vec<String>), Error> {
        let (conn, options) = (&mut self.conn, IntrospectOptions::default());
        let found = self.runtime.run(|| conn.introspect(&options)).map_err(|e| at(&self.place, e))?;
        Ok((found.schema, skipped_lines(found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())))))
    }

    fn apply(&mut self, script: &Script, expected_hash: Option<&str>) -> Result<Applied, Error> {
        let (conn, options) = (&mut self.conn, &self.apply);
        let (result, done) = self.runtime.run(|| async move {
            let mut done = 0usize;
            let result = conn.apply(script, expected_hash, options, &mut |_index| done += 1).await;
            (result, done)
        });
        match result {
            Ok(report) => Ok(Applied { statements_run: report.statements_run, outside_transaction: 0 }),
            Err(MySqlError::Drift { expected, actual }) => {
                Err(Error::Drift { target: self.place.clone(), expected, actual })
            }
            // Nothing ran: an ordinary failure, the target is unchanged.
            Err(e) if done == 0 => Err(at(&self.place, e)),
            Err(e) => Err(Error::PartlyApplied {
                place: self.place.clone(),
                completed: done,
                source: Box::new(at(&self.place, e)),
            }),
        }
    }
}

pub(crate) fn exists(url: &str) -> Result<bool, Error> {
    let place = redact(url);
    let config = MySqlConfig::parse(url).map_err(|e| at(&place, e))?;
    run_once(|| schemasync_mysql::database_exists(&config))?.map_err(|e| at(&place, e))
}

pub(crate) fn load_sql(url: &str, sql: &str, path: &Path) -> Result<(Schema, Vec<String>), Error> {
    let place = path.display().to_string();
    let config = MySqlConfig::parse(url).map_err(|e| at(&redact(url), e))?;
    let interrupt = schemasync_mysql::Interrupt::new();
    let stop = interrupt.clone();
    let Some(running) = ScratchLoad::register(move || stop.interrupt()) else {
        return Err(Error::Interrupted { place });
    };
    let loaded = run_once(|| schemasync_mysql::load_sql_interruptible(&config, sql, &interrupt))?;
    // Unregistered first: an interrupt from now on finds no load running,
    // one before is seen here, even if the load had just finished.
    drop(running);
    if interrupt.is_interrupted() {
        return Err(Error::Interrupted { place });
    }
    let found = loaded.map_err(|e| at(&place, e))?;
    Ok((found.schema, skipped_lines(found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())))))
}

fn at(place: &str, source: MySqlError) -> Error {
    Error::MySql { place: place.to_owned(), source }
}
