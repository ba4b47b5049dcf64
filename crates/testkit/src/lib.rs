//! Test helpers shared by schemasync's test suites (not published).
//!
//! SQLite databases live in a per-test temporary directory that is removed
//! when the [`TestDir`] is dropped. Tests that need outside material (the
//! real-world schema corpus, database servers) print one clear skip line when
//! it is missing, and fail instead under `CI=true`.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};

use schemasync_model::Dialect;

mod private_server;
mod servers;
mod tls;
pub use private_server::PrivateMariaDb;
pub use servers::{Server, ServerDb, admin};
pub use tls::{IssuedCert, RSA_TEST_KEY_PEM, TestCa, postgres_server_cert};

/// A temporary directory for one test's databases and history store.
#[derive(Debug)]
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// A fresh, empty directory.
    ///
    /// # Panics
    /// When no temporary directory can be created (a broken test machine).
    pub fn new() -> TestDir {
        TestDir { dir: tempfile::tempdir().expect("create a temporary directory") }
    }

    /// A path inside the directory (nothing is created).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// An SQLite database file created from `ddl`.
    ///
    /// # Panics
    /// When the DDL does not run: the test is wrong.
    pub fn sqlite_db(&self, name: &str, ddl: &str) -> PathBuf {
        let path = self.path(name);
        let conn = rusqlite::Connection::open(&path).expect("open test database");
        conn.execute_batch(ddl).unwrap_or_else(|e| panic!("test DDL for {name} failed: {e}\n{ddl}"));
        path
    }

    /// Write a file (a `.sql` script, a snapshot) and return its path.
    ///
    /// # Panics
    /// When the file cannot be written.
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }
}

impl Default for TestDir {
    fn default() -> Self {
        TestDir::new()
    }
}

/// Whether this run is CI (`CI=true`), where missing outside material fails.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skip (print one line and return `None`) or, under CI, panic.
///
/// # Panics
/// Under `CI=true`, since a skipped check there would hide a broken set-up.
pub fn skip<T>(what: &str) -> Option<T> {
    if in_ci() {
        panic!("{what} (CI=true: refusing to skip)");
    }
    eprintln!("SKIP: {what}");
    None
}

/// The real-world schema corpus for `engine` (`sqlite`, `postgres`, `mysql`),
/// from `SCHEMASYNC_CORPUS_DIR`: every `.sql` file, sorted by name.
pub fn corpus(engine: &str) -> Option<Vec<PathBuf>> {
    let Some(dir) = std::env::var_os("SCHEMASYNC_CORPUS_DIR").filter(|d| !d.is_empty()) else {
        eprintln!("SKIP: SCHEMASYNC_CORPUS_DIR is not set; real-world {engine} schemas not tested");
        return None;
    };
    let dir = PathBuf::from(dir).join(engine);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => return skip(&format!("cannot read corpus directory {}: {e}", dir.display())),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    Some(files)
}

/// A deterministic, dense set of rows for every table of an SQLite database
/// (one row per table, values chosen by declared type), so that tests can
/// check data survives a rebuild. Returns how many tables got a row.
///
/// # Panics
/// When the database cannot be read.
pub fn fill_one_row_each(conn: &rusqlite::Connection) -> usize {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("list tables");
    let names: Vec<String> = stmt.query_map([], |r| r.get(0)).expect("list tables").filter_map(Result::ok).collect();
    let mut filled = 0;
    conn.execute_batch("PRAGMA foreign_keys = OFF").expect("foreign keys off");
    for name in names {
        let quoted = Dialect::Sqlite.quote_ident(&name);
        let mut cols = conn.prepare(&format!("PRAGMA table_xinfo({quoted})")).expect("table_xinfo");
        let columns: Vec<(String, String, i64)> = cols
            .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(6)?)))
            .expect("columns")
            .filter_map(Result::ok)
            .filter(|(_, _, hidden)| *hidden == 0)
            .collect();
        if columns.is_empty() {
            continue;
        }
        let names: Vec<String> = columns.iter().map(|(n, _, _)| Dialect::Sqlite.quote_ident(n)).collect();
        let values: Vec<&str> = columns
            .iter()
            .map(|(_, ty, _)| {
                let ty = ty.to_ascii_uppercase();
                if ty.contains("INT") {
                    "1"
                } else if ty.contains("REAL") || ty.contains("FLOA") || ty.contains("DOUB") || ty.contains("NUM") {
                    "1.5"
                } else if ty.contains("BLOB") {
                    "x'01'"
                } else {
                    "'x'"
                }
            })
            .collect();
        let sql = format!("INSERT INTO {quoted} ({}) VALUES ({})", names.join(", "), values.join(", "));
        if conn.execute(&sql, []).is_ok() {
            filled += 1;
        }
    }
    filled
}

/// The PostgreSQL server tests use: `SCHEMASYNC_TEST_POSTGRES_URL`, default
/// `postgres://postgres@127.0.0.1:5432/postgres`.
pub fn postgres_url() -> String {
    std::env::var("SCHEMASYNC_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The MySQL/MariaDB server tests use: `SCHEMASYNC_TEST_MYSQL_URL`, default
/// `mysql://root@127.0.0.1:3306`.
pub fn mysql_url() -> String {
    std::env::var("SCHEMASYNC_TEST_MYSQL_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "mysql://root@127.0.0.1:3306".to_owned())
}

/// A database name no other test (or test run) uses: `ss_<prefix>_<pid>_<n>_<nanos>`,
/// lowercase ASCII so it needs no quoting anywhere.
pub fn unique_db_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let clean: String =
        prefix.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    format!("ss_{clean}_{}_{n}_{nanos}", std::process::id())
}

/// Replace the database (path) part of a server URL, keeping user, host,
/// port and query: `postgres://u@h:5432/postgres` → `postgres://u@h:5432/NAME`.
pub fn with_database(url: &str, database: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = head.find("://").map_or(0, |i| i + 3);
    let base = match head[after_scheme..].find('/') {
        Some(i) => &head[..after_scheme + i],
        None => head,
    };
    format!("{base}/{database}{query}")
}
