//! Column renames between releases (issue 12): a plan that drops a column
//! and adds one of the same type to the same table says "possible rename"
//! with the exact flag, and `--rename TABLE.OLD=NEW` keeps the values. On
//! SQLite (no server needed), then PostgreSQL and MariaDB with rows.

mod common;

use common::*;
use schemasync_testkit::{Server, ServerDb, TestDir};

#[test]
fn a_dropped_and_added_column_of_one_type_is_a_possible_rename_and_rename_keeps_the_values() {
    let dir = TestDir::new();
    let h = dir.path("h.db");
    let source = dir.sqlite_db("v2.db", "CREATE TABLE staff (id INTEGER PRIMARY KEY, expires_at TEXT, note TEXT)");
    let target = dir.sqlite_db("v1.db", "CREATE TABLE staff (id INTEGER PRIMARY KEY, changed TEXT, note TEXT)");
    exec(&target, "INSERT INTO staff VALUES (1, '2026-01-01', 'a'), (2, '2027-06-30', 'b')");
    let (src, dst) = (sqlite_url(&source), sqlite_url(&target));

    let out = run(&h, &["diff", &src, &dst]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("possible rename to expires_at: keep its values with --rename staff.changed=expires_at"),
        "{}",
        out.stdout
    );
    // Without the hint the drop is refused, the target as it was.
    let out = run(&h, &["sync", "--from", &src, "--to", &dst]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stdout.contains("--rename staff.changed=expires_at"), "{}", out.stdout);

    let out = run(&h, &["sync", "--from", &src, "--to", &dst, "--rename", "staff.changed=expires_at"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let names: Vec<String> = columns(&target, "staff").into_iter().map(|c| c.0).collect();
    assert_eq!(names, ["id", "expires_at", "note"]);
    assert_eq!(count(&target, "staff"), 2);
    let kept = std::process::Command::new("sqlite3")
        .arg(&target)
        .arg("SELECT group_concat(expires_at, ',') FROM (SELECT expires_at FROM staff ORDER BY id)")
        .output()
        .expect("sqlite3 runs");
    assert_eq!(String::from_utf8_lossy(&kept.stdout).trim(), "2026-01-01,2027-06-30");
    assert_eq!(run(&h, &["diff", &src, &dst]).code, 0, "re-diff is empty");
}

#[test]
fn a_rename_hint_that_does_not_fit_the_wanted_schema_is_an_error() {
    let dir = TestDir::new();
    let h = dir.path("h.db");
    let source = dir.sqlite_db("v2.db", "CREATE TABLE staff (id INTEGER PRIMARY KEY, expires_at TEXT)");
    let target = dir.sqlite_db("v1.db", "CREATE TABLE staff (id INTEGER PRIMARY KEY, changed TEXT)");
    let before = std::fs::read(&target).unwrap();
    let (src, dst) = (sqlite_url(&source), sqlite_url(&target));
    for (hint, says) in [
        ("staff.changed=expiry", "no column expiry"),
        ("people.changed=expires_at", "no table people"),
        ("changed=expires_at", "expected TABLE.OLD=NEW"),
        ("staff.changed", "expected TABLE.OLD=NEW"),
    ] {
        let out = run(&h, &["sync", "--from", &src, "--to", &dst, "--rename", hint]);
        assert_eq!(out.code, 2, "{hint}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{hint}: {}", out.stderr);
    }
    assert_eq!(std::fs::read(&target).unwrap(), before, "the target is untouched");
}

#[test]
fn renames_keep_the_values_on_the_servers() {
    for server in [Server::Postgres, Server::MySql] {
        let Some(source) = ServerDb::create(server, "rename_src") else { continue };
        let Some(target) = ServerDb::create(server, "rename_dst") else { continue };
        source.exec("CREATE TABLE staff (id integer PRIMARY KEY, transaction_id varchar(40))");
        target.exec("CREATE TABLE staff (id integer PRIMARY KEY, stripe_id varchar(40))");
        target.exec("INSERT INTO staff VALUES (1, 'ch_1'), (2, 'ch_2')");
        let dir = TestDir::new();
        let h = dir.path("h.db");
        let out = run(&h, &["diff", source.url(), target.url()]);
        assert_eq!(out.code, 1, "{server:?}: {}", out.stderr);
        let table = if server == Server::Postgres { "public.staff" } else { "staff" };
        let flag = format!("--rename {table}.stripe_id=transaction_id");
        assert!(out.stdout.contains(&flag), "{server:?}: {}", out.stdout);
        let hint = format!("{table}.stripe_id=transaction_id");
        let out = run(&h, &["sync", "--from", source.url(), "--to", target.url(), "--rename", &hint]);
        assert_eq!(out.code, 0, "{server:?}: {}\n{}", out.stdout, out.stderr);
        // The bare table name works too (one table of that name).
        assert_eq!(
            run(&h, &["diff", source.url(), target.url(), "--rename", "staff.stripe_id=transaction_id"]).code,
            0
        );
        let out = run(&h, &["inspect", target.url(), "--format", "json"]);
        assert!(out.stdout.contains("transaction_id") && !out.stdout.contains("stripe_id"), "{}", out.stdout);
        // Values kept: read back with the engine's own client.
        let sql = "SELECT transaction_id FROM staff ORDER BY id";
        let read = match server {
            Server::Postgres => {
                std::process::Command::new("psql").args(["-X", "-A", "-t", target.url(), "-c", sql]).output()
            }
            Server::MySql => std::process::Command::new("mariadb")
                .args(["-uroot", "-h127.0.0.1", "-N", "-e", sql, target.name()])
                .output(),
        };
        let read = read.expect("client runs");
        assert_eq!(String::from_utf8_lossy(&read.stdout).split_whitespace().collect::<Vec<_>>(), ["ch_1", "ch_2"]);
    }
}
