//! Every bad input gets one line saying what and where, and exit 2.

mod common;

use common::*;
use schemasync_testkit::TestDir;

fn assert_error(out: &Output, needle: &str) {
    assert_eq!(out.code, 2, "stdout: {}\nstderr: {}", out.stdout, out.stderr);
    let line = out.stderr.trim_end();
    assert_eq!(line.lines().count(), 1, "one line expected: {line}");
    assert!(line.starts_with("error: "), "{line}");
    assert!(line.to_lowercase().contains(&needle.to_lowercase()), "{needle:?} not in {line}");
}

#[test]
fn missing_source_file() {
    let dir = TestDir::new();
    let out =
        run(&dir.path("h.db"), &["sync", "--from", &dir.path("nope.sql").display().to_string(), "--to", "sqlite:x.db"]);
    assert_error(&out, "nope.sql");
    let out = run(&dir.path("h.db"), &["inspect", &sqlite_url(&dir.path("missing.db"))]);
    assert_error(&out, "missing.db");
}

#[test]
fn not_a_database() {
    let dir = TestDir::new();
    let junk = dir.file("junk.db", "this is not an sqlite database at all, just some text that is long enough");
    let out = run(&dir.path("h.db"), &["inspect", &sqlite_url(&junk)]);
    assert_error(&out, "junk.db");
    let src = dir.file("s.sql", "CREATE TABLE t (id INTEGER);");
    let out = run(&dir.path("h.db"), &["sync", "--from", src.to_str().unwrap(), "--to", &sqlite_url(&junk)]);
    assert_error(&out, "junk.db");
}

#[test]
fn bad_urls_and_unknown_schemes() {
    let dir = TestDir::new();
    let h = dir.path("h.db");
    assert_error(&run(&h, &["inspect", "oracle://db/x"]), "unknown scheme");
    assert_error(&run(&h, &["inspect", "postgres://u:secret@host:notaport/db"]), "port");
    let out = run(&h, &["inspect", "postgres://u:secret@host:notaport/db"]);
    assert!(!out.stderr.contains("secret"), "password leaked: {}", out.stderr);
    assert_error(&run(&h, &["inspect", "nonsense"]), "nonsense");
    assert_error(&run(&h, &["inspect", "history:sqlite:x.db@abc"]), "not a number");
}

#[test]
fn corrupt_history_file() {
    let dir = TestDir::new();
    let history = dir.file("history.db", "garbage garbage garbage garbage garbage garbage garbage garbage");
    let src = dir.file("s.sql", "CREATE TABLE t (id INTEGER);");
    let out = run(&history, &["sync", "--from", src.to_str().unwrap(), "--to", &sqlite_url(&dir.path("t.db"))]);
    assert_error(&out, "history");
    assert!(!dir.path("t.db").exists(), "nothing applied with a broken history");
}

#[test]
fn sql_file_that_does_not_run() {
    let dir = TestDir::new();
    let src = dir.file("bad.sql", "CREATE TABLE t (id INTEGER;\n");
    let out = run(&dir.path("h.db"), &["inspect", src.to_str().unwrap()]);
    assert_error(&out, "bad.sql");
}

#[test]
fn unknown_version() {
    let dir = TestDir::new();
    let db = dir.sqlite_db("a.db", "CREATE TABLE t (id INTEGER);");
    let out = run(&dir.path("h.db"), &["rollback", &sqlite_url(&db), "--to", "7"]);
    assert_error(&out, "7");
}

#[test]
fn diff_exit_codes() {
    let dir = TestDir::new();
    let h = dir.path("h.db");
    let a = dir.sqlite_db("a.db", "CREATE TABLE t (id INTEGER);");
    let b = dir.sqlite_db("b.db", "CREATE TABLE t (id INTEGER, x TEXT);");
    assert_eq!(run(&h, &["diff", &sqlite_url(&a), &sqlite_url(&a)]).code, 0);
    assert_eq!(run(&h, &["diff", &sqlite_url(&b), &sqlite_url(&a)]).code, 1);
    assert_eq!(run(&h, &["diff", &sqlite_url(&b), &sqlite_url(&dir.path("none.db"))]).code, 2);
    assert!(!h.exists(), "diff does not create a history store");
}

#[test]
fn a_raw_password_is_never_echoed() {
    let dir = TestDir::new();
    for url in [
        "postgres://alice:Pa/5sW0rd@127.0.0.1/db",
        "mysql://alice:Pa/5sW0rd@127.0.0.1:3306/db",
        "postgres://alice:Pa?5sW0rd@127.0.0.1/db",
        "postgres://alice:Pa%z5sW0rd@127.0.0.1/db",
        "mysql://alice:Pa@/5sW0rd@127.0.0.1/db",
    ] {
        for args in [vec!["inspect", url], vec!["sync", "--from", url, "--to", "sqlite:t.db", "--dry-run"]] {
            let out = run(&dir.path("h.db"), &args);
            assert_eq!(out.code, 2, "{url}: {}", out.stderr);
            for fragment in ["Pa", "5sW0rd", "%z"] {
                assert!(!out.stderr.contains(fragment) && !out.stdout.contains(fragment), "{url}: {}", out.stderr);
            }
        }
    }
}
