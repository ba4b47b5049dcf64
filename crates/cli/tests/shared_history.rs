//! Two runners in different folders sharing a history in PostgreSQL: one
//! records, the other lists and rolls back, naming the target with another
//! spelling of its host (the history key is what the server says the
//! database is, not how its URL is written).

mod common;

use std::path::Path;
use std::process::Command;

use common::Output;
use schemasync_testkit::{Server, ServerDb, TestDir};

fn run_in(dir: &Path, history: &str, args: &[&str]) -> Output {
    common::run_in(dir, Some(history), args, &[])
}

const V1: &str = "CREATE TABLE accounts (id integer PRIMARY KEY, name text NOT NULL);\n";
const V2: &str =
    "CREATE TABLE accounts (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL DEFAULT '');\n";

#[test]
fn runners_share_a_postgres_history_whatever_the_host_spelling() {
    let Some(history) = ServerDb::create(Server::Postgres, "cli_hist") else { return };
    let Some(target) = ServerDb::create(Server::Postgres, "cli_shared") else { return };
    let other_spelling = if target.url().contains("127.0.0.1") {
        target.url().replacen("127.0.0.1", "localhost", 1)
    } else {
        target.url().replacen("localhost", "127.0.0.1", 1)
    };
    let (a, b) = (TestDir::new(), TestDir::new());
    a.file("v1.sql", V1);
    a.file("v2.sql", V2);
    b.file("v1.sql", V1);

    // Runner A records two versions.
    let out = run_in(a.root(), history.url(), &["sync", "--from", "v1.sql", "--to", target.url()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    target.exec("INSERT INTO accounts VALUES (1, 'ada')");
    let out = run_in(a.root(), history.url(), &["sync", "--from", "v2.sql", "--to", target.url()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!a.root().join(".schemasync").exists(), "no local history when the history is a server");

    // Runner B, elsewhere, with the other spelling, sees them.
    let listed = run_in(b.root(), history.url(), &["history", "list", &other_spelling, "--format", "json"]);
    assert_eq!(listed.code, 0, "{}{}", listed.stdout, listed.stderr);
    let versions: serde_json::Value = serde_json::from_str(&listed.stdout).expect("json");
    let kinds: Vec<&str> =
        versions.as_array().expect("versions").iter().map(|v| v["kind"].as_str().unwrap_or("")).collect();
    assert_eq!(kinds, ["baseline", "sync", "sync"], "{}", listed.stdout);

    // ... and rolls the target back to version 2 (V1), keeping its rows.
    let out = run_in(b.root(), history.url(), &["rollback", &other_spelling, "--to", "2", "--allow-destructive"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let same = run_in(b.root(), history.url(), &["diff", "v1.sql", target.url()]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    let rows = Command::new("psql")
        .args([target.url(), "-Atc", "SELECT count(*) FROM accounts"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if let Ok(rows) = rows {
        assert_eq!(rows, "1", "rows kept");
    }
    // Runner A sees B's rollback.
    let listed = run_in(a.root(), history.url(), &["history", "list", target.url()]);
    assert!(listed.stdout.contains("rollback"), "{}", listed.stdout);
}
