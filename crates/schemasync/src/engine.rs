//! The engine seam: each database engine introspects and applies; the facade
//! does everything else (planning, hazards, history) the same way for all.

use schemasync_model::{Dialect, Schema, Script};

use crate::{Error, Location};

/// What an engine reports after applying a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Statements executed.
    pub statements_run: usize,
}

/// A connection to one target database.
pub(crate) trait Engine {
    /// Read the current schema, with skipped objects and why.
    fn introspect(&mut self) -> Result<(Schema, Vec<String>), Error>;
    /// Apply a script atomically where the engine can, refusing when the
    /// schema's hash is no longer `expected_hash` (drift).
    fn apply(&mut self, script: &Script, expected_hash: Option<&str>) -> Result<Applied, Error>;
}

/// Connect to a database. With `create`, a missing database is created
/// (an SQLite file; servers need the `create` option of a later engine).
pub(crate) fn connect(location: &Location, create: bool) -> Result<Box<dyn Engine>, Error> {
    match location {
        #[cfg(feature = "sqlite")]
        Location::Sqlite { path } => Ok(Box::new(crate::engine_sqlite::SqliteEngine::open(path, create)?)),
        #[cfg(not(feature = "sqlite"))]
        Location::Sqlite { .. } => Err(Error::EngineNotBuilt { engine: "sqlite" }),
        Location::Postgres { .. } => {
            let _ = create;
            Err(Error::EngineNotBuilt { engine: "postgres" })
        }
        Location::MySql { .. } => Err(Error::EngineNotBuilt { engine: "mysql" }),
    }
}

/// Read the schema of a `.sql` file written for `dialect`.
pub(crate) fn load_sql(dialect: Dialect, sql: &str, path: &std::path::Path) -> Result<(Schema, Vec<String>), Error> {
    match dialect {
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => crate::engine_sqlite::load_sql(sql, path),
        other => {
            let _ = (sql, path);
            Err(Error::EngineNotBuilt { engine: other.as_str() })
        }
    }
}
