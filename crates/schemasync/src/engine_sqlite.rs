//! SQLite behind the engine seam.

use std::path::{Path, PathBuf};

use schemasync_model::{Schema, Script};
use schemasync_sqlite::SqliteError;

use crate::Error;
use crate::engine::{Applied, Engine, skipped_lines};

pub(crate) struct SqliteEngine {
    path: PathBuf,
    conn: rusqlite::Connection,
}

impl SqliteEngine {
    pub(crate) fn open(path: &Path, create: bool) -> Result<Self, Error> {
        // A new database may be asked for in a folder that does not exist yet.
        if create
            && !path.exists()
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|source| Error::Io { path: parent.display().to_string(), source })?;
        }
        let conn = schemasync_sqlite::open(path, create).map_err(|e| at(path, e))?;
        Ok(SqliteEngine { path: path.to_owned(), conn })
    }
}

impl Engine for SqliteEngine {
    fn any_row(&mut self, sql: &str) -> Result<bool, String> {
        self.conn.prepare(sql).and_then(|mut statement| statement.exists([])).map_err(|e| e.to_string())
    }

    fn introspect(&mut self) -> Result<(Schema, Vec<String>), Error> {
        let found = schemasync_sqlite::introspect(&self.conn).map_err(|e| at(&self.path, e))?;
        Ok((found.schema, skipped(found.skipped)))
    }

    fn apply(&mut self, script: &Script, expected_hash: Option<&str>) -> Result<Applied, Error> {
        match schemasync_sqlite::apply(&mut self.conn, script, expected_hash) {
            Ok(report) => Ok(Applied { statements_run: report.statements_run, outside_transaction: 0 }),
            Err(SqliteError::Drift { expected, actual }) => {
                Err(Error::Drift { target: format!("sqlite:{}", self.path.display()), expected, actual })
            }
            Err(e) => Err(at(&self.path, e)),
        }
    }
}

pub(crate) fn load_sql(sql: &str, path: &Path) -> Result<(Schema, Vec<String>), Error> {
    let found = schemasync_sqlite::load_sql(sql).map_err(|e| at(path, e))?;
    Ok((found.schema, skipped(found.skipped)))
}

fn skipped(list: Vec<schemasync_sqlite::SkippedObject>) -> Vec<String> {
    skipped_lines(list.iter().map(|s| (s.name.as_str(), s.reason.as_str())))
}

fn at(path: &Path, source: SqliteError) -> Error {
    Error::Sqlite { place: path.display().to_string(), source }
}
