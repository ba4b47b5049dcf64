//! Running the real binary, and reading SQLite databases the way SQLite sees them.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `schemasync` with `args` and the history store in `history`.
pub fn run(history: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_schemasync"))
        .args(args)
        .env("SCHEMASYNC_HISTORY", history)
        // Log lines on stderr would change what the tests compare.
        .env_remove("RUST_LOG")
        .output()
        .expect("run schemasync");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run `schemasync` in folder `dir` (where a schemasync.toml may be), with
/// `history` as `SCHEMASYNC_HISTORY` (none: the config or the default
/// decides) and `env` set.
pub fn run_in(dir: &Path, history: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schemasync"));
    command.args(args).current_dir(dir).env_remove("SCHEMASYNC_HISTORY").env_remove("RUST_LOG");
    if let Some(history) = history {
        command.env("SCHEMASYNC_HISTORY", history);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("run schemasync");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite:{}", path.display())
}

/// Columns as SQLite reports them: (name, type, notnull, default, pk).
pub fn columns(db: &Path, table: &str) -> Vec<(String, String, bool, Option<String>, i64)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)").unwrap();
    stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `sqlite_master` rows (type, name, sql) other than SQLite's own.
pub fn master(db: &Path) -> Vec<(String, String, Option<String>)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

pub fn object_names(db: &Path) -> Vec<String> {
    master(db).into_iter().map(|(ty, name, _)| format!("{ty} {name}")).collect()
}

pub fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    let sql = format!("SELECT count(*) FROM {}", schemasync::Dialect::Sqlite.quote_ident(table));
    conn.query_row(&sql, [], |r| r.get(0)).unwrap()
}

pub fn exec(db: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute_batch(sql).expect("exec");
}

pub const HR_V1: &str = "
CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department_id INTEGER REFERENCES departments (id) ON DELETE CASCADE,
  name TEXT NOT NULL COLLATE NOCASE,
  salary REAL CHECK (salary >= 0)
);
CREATE INDEX employees_dept ON employees (department_id);
CREATE VIEW headcount AS SELECT department_id, count(*) AS n FROM employees GROUP BY department_id;
CREATE TRIGGER no_negative BEFORE UPDATE OF salary ON employees WHEN new.salary < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END;
";
