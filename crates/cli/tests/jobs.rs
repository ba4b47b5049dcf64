//! The three jobs through the CLI, checked with SQLite's own PRAGMAs.

mod common;

use common::*;
use schemasync_testkit::TestDir;

#[test]
fn sync_to_a_new_database_then_one_to_many_then_roll_back() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let source_sql = dir.file("hr.sql", HR_V1);
    let prod = dir.path("prod.db");
    let prod2 = dir.path("sub dir/prod 2.db");

    // Job 1: new databases (one in a folder that does not exist yet).
    let out = run(
        &history,
        &["sync", "--from", source_sql.to_str().unwrap(), "--to", &sqlite_url(&prod), &sqlite_url(&prod2)],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("applied"), "{}", out.stdout);
    for db in [&prod, &prod2] {
        let cols = columns(db, "employees");
        assert_eq!(cols.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["id", "department_id", "name", "salary"]);
        let names = object_names(db);
        for wanted in ["index employees_dept", "view headcount", "trigger no_negative", "table departments"] {
            assert!(names.contains(&wanted.to_owned()), "{wanted} missing in {names:?}");
        }
    }
    exec(
        &prod,
        "INSERT INTO departments (id, name) VALUES (1, 'R&D'); INSERT INTO employees (department_id, name, salary) VALUES (1, 'ada', 10);",
    );

    // Job 2: the source gains `email TEXT NOT NULL DEFAULT ''`; roll it out to both.
    let source_db = dir.path("test.db");
    let v2 = HR_V1.replace(
        "salary REAL CHECK (salary >= 0)",
        "salary REAL CHECK (salary >= 0),\n  email TEXT NOT NULL DEFAULT ''",
    );
    dir.sqlite_db("test.db", &v2);
    let diff = run(&history, &["diff", &sqlite_url(&source_db), &sqlite_url(&prod)]);
    assert_eq!(diff.code, 1, "{}{}", diff.stdout, diff.stderr);
    assert!(diff.stdout.contains("email"), "{}", diff.stdout);
    let out = run(
        &history,
        &["sync", "--from", &sqlite_url(&source_db), "--to", &sqlite_url(&prod), &sqlite_url(&prod2), "-m", "email"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for db in [&prod, &prod2] {
        let email = columns(db, "employees").into_iter().find(|c| c.0 == "email").expect("email column");
        assert_eq!((email.1.as_str(), email.2, email.3.as_deref()), ("TEXT", true, Some("''")));
    }
    assert_eq!(count(&prod, "employees"), 1, "rows kept");
    let same = run(&history, &["diff", &sqlite_url(&source_db), &sqlite_url(&prod)]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
    let again = run(&history, &["sync", "--from", &sqlite_url(&source_db), "--to", &sqlite_url(&prod)]);
    assert_eq!(again.code, 0);
    assert!(again.stdout.contains("unchanged"), "{}", again.stdout);

    // History: version 1 (first sync), 2 (email).
    let list = run(&history, &["history", "list", &sqlite_url(&prod), "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let versions: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(versions.as_array().map(Vec::len), Some(2), "{}", list.stdout);

    // Job 3: roll back to version 1: refused without --allow-destructive, then done.
    let refused = run(&history, &["rollback", &sqlite_url(&prod), "--to", "1"]);
    assert_eq!(refused.code, 3, "{}{}", refused.stdout, refused.stderr);
    assert!(columns(&prod, "employees").iter().any(|c| c.0 == "email"), "refusal changed nothing");
    let done = run(&history, &["rollback", &sqlite_url(&prod), "--to", "1", "--allow-destructive"]);
    assert_eq!(done.code, 0, "{}{}", done.stdout, done.stderr);
    assert!(!columns(&prod, "employees").iter().any(|c| c.0 == "email"));
    assert_eq!(count(&prod, "employees"), 1, "rows kept through the rollback");
    let back = run(&history, &["diff", source_sql.to_str().unwrap(), &sqlite_url(&prod)]);
    assert_eq!((back.code, back.stdout.as_str()), (0, ""), "{}", back.stderr);
    let show = run(&history, &["history", "show", &sqlite_url(&prod), "3"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains("CREATE TABLE"), "{}", show.stdout);
}

#[test]
fn a_live_source_is_versioned_and_can_be_rolled_back() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let source = dir.sqlite_db("source.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    let target = dir.path("copy.db");
    let out = run(&history, &["sync", "--from", &sqlite_url(&source), "--to", &sqlite_url(&target)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    exec(&source, "ALTER TABLE t ADD COLUMN email TEXT NOT NULL DEFAULT ''; INSERT INTO t (name) VALUES ('x');");
    let out = run(&history, &["sync", "--from", &sqlite_url(&source), "--to", &sqlite_url(&target)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(columns(&target, "t").iter().any(|c| c.0 == "email"));
    // The source has versions 1 (first sync) and 2 (with email): back to 1.
    let out = run(&history, &["rollback", &sqlite_url(&source), "--to", "1", "--allow-destructive"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(columns(&source, "t").iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["id", "name"]);
    assert_eq!(count(&source, "t"), 1, "rows kept");
}

#[test]
fn data_loss_refuses_every_target_and_exits_3() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let a = dir.sqlite_db("a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT);");
    let b = dir.sqlite_db("b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);");
    let source = dir.file("s.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, y TEXT);");
    // b only gains a column, a loses x: nothing may change anywhere.
    let out = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", &sqlite_url(&b), &sqlite_url(&a)]);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("data_loss"), "{}", out.stdout);
    assert_eq!(columns(&a, "t").len(), 2);
    assert_eq!(columns(&b, "t").len(), 1);
    let json =
        run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", &sqlite_url(&a), "--format", "json"]);
    assert_eq!(json.code, 3);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("one JSON document");
    let target = &doc["targets"][0];
    assert_eq!(target["status"], "refused");
    assert_eq!(target["refusal"], "data_loss");
    assert!(target["statements"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(target["hazards"].as_array().is_some_and(|h| h.iter().any(|h| h["kind"] == "data_loss")));
    assert!(target["version"].is_null());
}

#[test]
fn dry_run_changes_nothing_and_json_has_the_contract_fields() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let source = dir.file("s.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT);");
    let target = dir.path("new.db");
    let out = run(
        &history,
        &["sync", "--from", source.to_str().unwrap(), "--to", &sqlite_url(&target), "--dry-run", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!target.exists(), "dry run created the database");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let t = &doc["targets"][0];
    for field in ["target", "status", "statements", "hazards", "version"] {
        assert!(t.get(field).is_some(), "missing {field} in {t}");
    }
    assert_eq!(t["status"], "planned");
}

#[test]
fn failing_statement_leaves_the_target_unchanged() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let target = dir.sqlite_db(
        "t.db",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT); INSERT INTO t (x) VALUES ('dup'), ('dup');",
    );
    let before = master(&target);
    // A new table first, then a unique index the existing rows violate.
    let source = dir.file(
        "s.sql",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT); CREATE TABLE a_new (id INTEGER); CREATE UNIQUE INDEX t_x ON t (x);",
    );
    let out = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", &sqlite_url(&target)]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("failed"), "{}", out.stdout);
    assert!(out.stdout.contains("UNIQUE") || out.stdout.to_lowercase().contains("unique"), "{}", out.stdout);
    assert_eq!(master(&target), before, "target changed");
    assert_eq!(count(&target, "t"), 2);
}

#[test]
fn hostile_identifiers_round_trip() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let ddl = r#"CREATE TABLE "a""b; DROP TABLE x" ("ä ""x""" TEXT NOT NULL DEFAULT 'it''s', "semi;colon" INTEGER, "日本" REAL);
CREATE INDEX "idx ""q""" ON "a""b; DROP TABLE x" ("semi;colon");
CREATE VIEW "v w" AS SELECT "日本" FROM "a""b; DROP TABLE x";"#;
    let source = dir.sqlite_db("src.db", ddl);
    let target = dir.path("dst.db");
    let out = run(&history, &["sync", "--from", &sqlite_url(&source), "--to", &sqlite_url(&target)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let cols = columns(&target, "a\"b; DROP TABLE x");
    assert_eq!(cols.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["ä \"x\"", "semi;colon", "日本"]);
    assert_eq!(cols[0].3.as_deref(), Some("'it''s'"));
    assert!(object_names(&target).contains(&"index idx \"q\"".to_owned()));
    let same = run(&history, &["diff", &sqlite_url(&source), &sqlite_url(&target)]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
}
