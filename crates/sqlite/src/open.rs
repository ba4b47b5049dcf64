//! Opening a database file, telling "missing" and "not a database" apart.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::SqliteError;

/// How long a statement waits for another connection's lock before failing,
/// so that a sync neither fails at once on a busy database nor hangs.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Open the database at `path`. With `create` a missing file is created
/// (its directory must exist); without it a missing file is
/// [`SqliteError::NotFound`]. A file that is not an SQLite database is
/// [`SqliteError::NotADatabase`].
pub fn open(path: &Path, create: bool) -> Result<Connection, SqliteError> {
    let exists = path.try_exists().map_err(|e| open_error(path, e.to_string()))?;
    if !exists {
        if !create {
            return Err(SqliteError::NotFound { path: path.to_owned() });
        }
        let missing_dir = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir());
        if let Some(dir) = missing_dir {
            return Err(open_error(path, format!("directory {} does not exist", dir.display())));
        }
    }
    // No SQLITE_OPEN_URI: a path is a path, even if it starts with `file:`.
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e.to_string()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Opening is lazy: only reading the schema finds out what the file holds.
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0)) {
        Ok(_) => {
            tracing::info!(engine = "sqlite", path = %path.display(), created = !exists, "connected");
            Ok(conn)
        }
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(SqliteError::NotADatabase { path: path.to_owned() })
        }
        Err(e) => Err(e.into()),
    }
}

fn open_error(path: &Path, message: String) -> SqliteError {
    SqliteError::Open { path: path.to_owned(), message }
}
