//! `-v` / `RUST_LOG`: the library's events on stderr, stdout unchanged, no
//! password in any of it.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use schemasync_testkit::{Server, ServerDb, TestDir};

const SCHEMA: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n\
                      CREATE INDEX users_email ON users (email);\n";

/// `schemasync` with `args`, `RUST_LOG` set to `rust_log` (or removed).
fn run_logged(history: &Path, args: &[&str], rust_log: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schemasync"));
    command.args(args).env("SCHEMASYNC_HISTORY", history);
    match rust_log {
        Some(value) => command.env("RUST_LOG", value),
        None => command.env_remove("RUST_LOG"),
    };
    let out = command.output().expect("run schemasync");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A sync of `SCHEMA` into a new SQLite file in a directory of its own.
fn sqlite_sync(flags: &[&str], rust_log: Option<&str>) -> (TestDir, Output) {
    let dir = TestDir::new();
    let source = dir.file("a.sql", SCHEMA);
    let source = source.to_str().expect("utf-8 path");
    let target = sqlite_url(&dir.path("b.db"));
    let mut args: Vec<&str> = flags.to_vec();
    args.extend(["sync", "--from", source, "--to", &target]);
    let out = run_logged(&dir.path("history.db"), &args, rust_log);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    (dir, out)
}

/// The report names the temporary directory; everything else must match.
fn without_dir(out: &Output, dir: &TestDir) -> String {
    out.stdout.replace(&dir.root().display().to_string(), "<dir>")
}

#[test]
fn verbose_sync_logs_each_step_on_stderr_and_leaves_stdout_alone() {
    let (quiet_dir, quiet) = sqlite_sync(&[], None);
    let (dir, verbose) = sqlite_sync(&["-v"], None);
    assert_eq!(quiet.stderr, "", "nothing is logged without -v");
    assert_eq!(without_dir(&verbose, &dir), without_dir(&quiet, &quiet_dir), "stdout differs with -v");
    for event in [
        "connected engine=\"sqlite\"",
        "introspected engine=\"sqlite\"",
        "tables=1",
        "indexes=1",
        "drift check passed",
        "statement applied engine=\"sqlite\" index=0 statement=CREATE TABLE \"users\"",
        "statement applied engine=\"sqlite\" index=1 statement=CREATE INDEX \"users_email\"",
        "history: apply intent begun",
        "history: apply intent completed",
        "re-diff after apply: nothing left",
    ] {
        assert!(verbose.stderr.contains(event), "no `{event}` in:\n{}", verbose.stderr);
    }
    // At info level a statement is shown by its first words, not its SQL.
    assert!(!verbose.stderr.contains("running statement"), "{}", verbose.stderr);
    assert!(verbose.stderr.lines().all(|l| l.contains(" INFO ")), "{}", verbose.stderr);
}

#[test]
fn rust_log_debug_shows_the_sql_and_wins_over_the_flags() {
    let (_dir, out) = sqlite_sync(&[], Some("debug"));
    assert!(out.stderr.contains("running statement"), "{}", out.stderr);
    assert!(out.stderr.contains(r#"sql=CREATE INDEX "users_email" ON "users" ("email")"#), "{}", out.stderr);

    // A target=level list: only the history crate, at info.
    let (_dir, out) = sqlite_sync(&["-vv"], Some("schemasync_history=info"));
    assert!(out.stderr.contains("history: apply intent completed"), "{}", out.stderr);
    assert!(!out.stderr.contains("statement applied"), "{}", out.stderr);
}

#[test]
fn a_password_never_reaches_the_trace_output() {
    let Some(db) = ServerDb::create(Server::Postgres, "cli_tracing") else { return };
    let url = db.url().to_owned();
    // The password the URL holds, or one added (the test server trusts local connections).
    let (url, secret) = match password_of(&url) {
        Some(secret) => (url.clone(), secret),
        None => (url.replacen('@', ":Tr4ce-S3cret-Pw@", 1), "Tr4ce-S3cret-Pw".to_owned()),
    };
    let dir = TestDir::new();
    let source = dir.file("a.sql", "CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\n");
    let args = ["-vvv", "sync", "--from", source.to_str().expect("utf-8 path"), "--to", &url];
    let out = run_logged(&dir.path("history.db"), &args, None);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert!(out.stderr.contains("connected engine=\"postgres\""), "{}", out.stderr);
    assert!(out.stderr.contains("statement applied engine=\"postgres\""), "{}", out.stderr);
    for (name, text) in [("stderr", &out.stderr), ("stdout", &out.stdout)] {
        assert!(!text.contains(&secret), "the password is in {name}:\n{text}");
    }
}

/// The user-info password of a URL, if it has one.
fn password_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let user_info = &rest[..rest.rfind('@')?];
    user_info.split_once(':').map(|(_, password)| password.to_owned())
}
