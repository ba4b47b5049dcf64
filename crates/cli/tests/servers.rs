//! The three jobs, failures and concurrency through the CLI on real
//! PostgreSQL and MySQL/MariaDB servers (per-test databases).

mod common;

use common::*;
use schemasync_testkit::{Server, ServerDb, TestDir};

const PG_V1: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE departments (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE employees (
  id bigserial PRIMARY KEY,
  department_id integer REFERENCES departments (id) ON DELETE CASCADE,
  name text NOT NULL,
  feeling mood DEFAULT 'ok',
  salary numeric(10,2) CHECK (salary >= 0)
);
CREATE INDEX employees_dept ON employees (department_id) WHERE department_id IS NOT NULL;
CREATE VIEW headcount AS SELECT department_id, count(*) AS n FROM employees GROUP BY department_id;
COMMENT ON TABLE employees IS 'people';
"#;

const MY_V1: &str = r#"
CREATE TABLE departments (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(100) NOT NULL, UNIQUE KEY dept_name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE employees (
  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  department_id int NULL,
  name varchar(200) NOT NULL,
  feeling enum('sad','ok','happy') DEFAULT 'ok',
  salary decimal(10,2),
  KEY employees_dept (department_id),
  CONSTRAINT employees_dept_fk FOREIGN KEY (department_id) REFERENCES departments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE VIEW headcount AS SELECT department_id, count(*) AS n FROM employees GROUP BY department_id;
"#;

fn three_jobs(server: Server, v1: &str, add_email: &str) {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(source) = ServerDb::create(server, "cli_src") else { return };
    let Some(copy) = ServerDb::reserve(server, "cli_copy") else { return };
    let Some(other) = ServerDb::reserve(server, "cli_other") else { return };
    source.exec(v1);

    // Job 1: sync to new databases (created).
    let out = run(&history, &["sync", "--from", source.url(), "--to", copy.url(), other.url(), "--create"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(run(&history, &["diff", source.url(), copy.url()]).code, 0);

    // Job 2: the source gains a NOT NULL column with a default; roll it out.
    source.exec(add_email);
    let diff = run(&history, &["diff", source.url(), copy.url()]);
    assert_eq!(diff.code, 1, "{}{}", diff.stdout, diff.stderr);
    assert!(diff.stdout.contains("email"), "{}", diff.stdout);
    let out = run(&history, &["sync", "--from", source.url(), "--to", copy.url(), other.url(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    for target in doc["targets"].as_array().expect("targets") {
        assert_eq!(target["status"], "applied", "{target}");
        assert_eq!(target["version"], 2, "{target}");
    }
    for db in [&copy, &other] {
        let same = run(&history, &["diff", source.url(), db.url()]);
        assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
    }

    // Job 3: roll the source back to its first version.
    let refused = run(&history, &["rollback", source.url(), "--to", "1"]);
    assert_eq!(refused.code, 3, "{}{}", refused.stdout, refused.stderr);
    let done = run(&history, &["rollback", source.url(), "--to", "1", "--allow-destructive"]);
    assert_eq!(done.code, 0, "{}{}", done.stdout, done.stderr);
    let back = run(&history, &["diff", &format!("history:{}@1", source.url()), source.url()]);
    assert_eq!((back.code, back.stdout.as_str()), (0, ""), "{}", back.stderr);
    assert_eq!(run(&history, &["diff", other.url(), source.url()]).code, 1, "targets keep the column");
}

#[test]
fn postgres_three_jobs() {
    three_jobs(Server::Postgres, PG_V1, "ALTER TABLE employees ADD COLUMN email text NOT NULL DEFAULT ''");
}

#[test]
fn mysql_three_jobs() {
    three_jobs(
        Server::MySql,
        MY_V1,
        "ALTER TABLE employees ADD COLUMN email varchar(255) NOT NULL DEFAULT '' AFTER name",
    );
}

#[test]
fn postgres_failure_mid_apply_leaves_the_target_unchanged() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(target) = ServerDb::create(Server::Postgres, "cli_fail") else { return };
    target.exec("CREATE TABLE t (id int PRIMARY KEY, x text); INSERT INTO t VALUES (1, 'dup'), (2, 'dup');");
    let source = dir.file(
        "s.sql",
        "CREATE TABLE t (id int PRIMARY KEY, x text); CREATE TABLE a_new (id int); CREATE UNIQUE INDEX t_x ON t (x);",
    );
    let before = run(&history, &["inspect", target.url(), "--format", "json"]);
    let out = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", target.url()]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("failed") && out.stdout.contains("t_x"), "{}", out.stdout);
    let after = run(&history, &["inspect", target.url(), "--format", "json"]);
    assert_eq!(before.stdout, after.stdout, "target changed");
}

#[test]
fn mysql_failure_mid_apply_is_recorded_and_a_second_sync_finishes() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(target) = ServerDb::create(Server::MySql, "cli_resume") else { return };
    target.exec("CREATE TABLE t (id int PRIMARY KEY, x varchar(10)); INSERT INTO t VALUES (1, 'dup'), (2, 'dup');");
    let source = dir.file(
        "s.sql",
        "CREATE TABLE t (id int PRIMARY KEY, x varchar(10), UNIQUE KEY t_x (x)); CREATE TABLE a_new (id int);",
    );
    // The duplicates are found before anything runs: nothing is half-applied.
    let before = run(&history, &["inspect", target.url(), "--format", "json"]);
    let out = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", target.url()]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("refused") && out.stdout.contains("would fail on existing rows"), "{}", out.stdout);
    let after = run(&history, &["inspect", target.url(), "--format", "json"]);
    assert_eq!(before.stdout, after.stdout, "target changed");
    // Without the checks, MySQL stops half-way, and that is recorded.
    let out = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", target.url(), "--skip-row-checks"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("failed"), "{}", out.stdout);
    let list = run(&history, &["history", "list", target.url(), "--format", "json"]);
    let versions: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    let kinds: Vec<&str> = versions.as_array().unwrap().iter().filter_map(|v| v["kind"].as_str()).collect();
    assert!(out.stdout.contains("1 statement(s) had already run"), "{}", out.stdout);
    assert_eq!(kinds.last(), Some(&"failed"), "{kinds:?}");
    // Fix the data, sync again: the plan is recomputed from the real state.
    target.exec("UPDATE t SET x = 'one' WHERE id = 1");
    let again = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", target.url()]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    let same = run(&history, &["diff", source.to_str().unwrap(), target.url()]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
}

#[test]
fn hostile_identifiers_round_trip_on_servers() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let cases = [
        (
            Server::Postgres,
            r#"CREATE SCHEMA "my schema"; CREATE TABLE "my schema"."a""b; DROP TABLE x" ("ä ""x""" text NOT NULL DEFAULT 'it''s', "semi;colon" int);
               CREATE INDEX "idx ""q""" ON "my schema"."a""b; DROP TABLE x" ("semi;colon");
               COMMENT ON COLUMN "my schema"."a""b; DROP TABLE x"."semi;colon" IS 'it''s; DROP';"#,
        ),
        (
            Server::MySql,
            "CREATE TABLE `a``b\"c; DROP TABLE x` (`ä \"x\"` varchar(20) NOT NULL DEFAULT 'it''s', `semi;colon` int, KEY `idx ``q``` (`semi;colon`)) COMMENT 'it''s; DROP';",
        ),
    ];
    for (server, ddl) in cases {
        let Some(source) = ServerDb::create(server, "cli_evil_src") else { continue };
        let Some(target) = ServerDb::reserve(server, "cli_evil_dst") else { continue };
        source.exec(ddl);
        let out = run(&history, &["sync", "--from", source.url(), "--to", target.url(), "--create"]);
        assert_eq!(out.code, 0, "{server:?}: {}{}", out.stdout, out.stderr);
        let same = run(&history, &["diff", source.url(), target.url()]);
        assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{server:?}: {}", same.stderr);
    }
}

#[test]
fn two_concurrent_syncs_on_one_postgres_target_do_not_interleave() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(target) = ServerDb::create(Server::Postgres, "cli_race") else { return };
    let a = dir.file("a.sql", "CREATE TABLE t (id int PRIMARY KEY, a text); CREATE TABLE only_a (id int);");
    let b = dir.file("b.sql", "CREATE TABLE t (id int PRIMARY KEY, b text); CREATE TABLE only_b (id int);");
    let spawn = |source: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_schemasync"))
            .args(["sync", "--from", source.to_str().unwrap(), "--to", target.url(), "--allow-destructive"])
            .env("SCHEMASYNC_HISTORY", &history)
            .output()
            .expect("run")
    };
    let (out_a, out_b) = std::thread::scope(|s| {
        let ta = s.spawn(|| spawn(&a));
        let tb = s.spawn(|| spawn(&b));
        (ta.join().unwrap(), tb.join().unwrap())
    });
    let codes = (out_a.status.code(), out_b.status.code());
    assert!(codes.0 == Some(0) || codes.1 == Some(0), "neither applied: {codes:?}");
    // The target is exactly one of the two sources, never a mix.
    let matches_a = run(&history, &["diff", a.to_str().unwrap(), target.url()]).code == 0;
    let matches_b = run(&history, &["diff", b.to_str().unwrap(), target.url()]).code == 0;
    assert!(
        matches_a ^ matches_b,
        "target is a mix of both sources: {codes:?}\n{}\n{}",
        String::from_utf8_lossy(&out_a.stdout),
        String::from_utf8_lossy(&out_b.stdout)
    );
}

#[test]
fn mysql_create_uses_the_sources_character_set() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(source) = ServerDb::create(Server::MySql, "cli_cs_src") else { return };
    let Some(target) = ServerDb::reserve(Server::MySql, "cli_cs_dst") else { return };
    source
        .exec("CREATE TABLE t (id int PRIMARY KEY, name varchar(10)) DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci");
    let out = run(&history, &["sync", "--from", source.url(), "--to", target.url(), "--create"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // A table created without options in the new database inherits its defaults.
    target.exec("CREATE TABLE probe (x varchar(1))");
    let dump = std::process::Command::new("mariadb")
        .args(["-uroot", "-h127.0.0.1", "-N", "-e"])
        .arg(format!(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{}'",
            target.name()
        ))
        .output();
    if let Ok(out) = dump
        && out.status.success()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("latin1") && text.contains("latin1_swedish_ci"), "{text}");
    }
}

#[test]
fn postgres_online_mode_builds_indexes_concurrently() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(target) = ServerDb::create(Server::Postgres, "cli_online") else { return };
    target.exec("CREATE TABLE t (id int PRIMARY KEY, x text)");
    let source = dir.file("s.sql", "CREATE TABLE t (id int PRIMARY KEY, x text); CREATE INDEX t_x ON t (x);");
    let out = run(&history, &["sync", "--from", source.to_str().unwrap(), "--to", target.url(), "--online"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("CONCURRENTLY"), "{}", out.stdout);
    assert!(out.stdout.contains("runs outside the transaction"), "{}", out.stdout);
    let same = run(&history, &["diff", source.to_str().unwrap(), target.url()]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
}

#[test]
fn postgres_schema_selection_privileges_and_timeouts_from_the_command_line() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let Some(source) = ServerDb::create(Server::Postgres, "cli_scope_src") else { return };
    let Some(target) = ServerDb::reserve(Server::Postgres, "cli_scope_dst") else { return };
    source.exec(
        "CREATE SCHEMA app; CREATE SCHEMA scratch;
         CREATE TABLE app.users (id int PRIMARY KEY); CREATE TABLE scratch.tmp (x int);
         GRANT SELECT ON app.users TO PUBLIC;",
    );
    let args = [
        "sync",
        "--from",
        source.url(),
        "--to",
        target.url(),
        "--create",
        "--schema",
        "app",
        "--privileges",
        "--lock-timeout",
        "2.5",
        "--statement-timeout",
        "60",
    ];
    let out = run(&history, &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("GRANT SELECT ON TABLE \"app\".\"users\" TO PUBLIC"), "{}", out.stdout);
    assert!(!out.stdout.contains("scratch"), "{}", out.stdout);
    let same = run(&history, &["diff", source.url(), target.url(), "--schema", "app", "--privileges"]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
    // Without the selection the scratch schema is missing on the target.
    let differs = run(&history, &["diff", source.url(), target.url(), "--exclude-schema", "app"]);
    assert_eq!(differs.code, 1, "{}{}", differs.stdout, differs.stderr);
    assert!(differs.stdout.contains("scratch"), "{}", differs.stdout);

    for bad in ["0", "-1", "soon"] {
        let out = run(&history, &["sync", "--from", source.url(), "--to", target.url(), "--lock-timeout", bad]);
        assert_eq!(out.code, 2, "--lock-timeout {bad}: {}{}", out.stdout, out.stderr);
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(first.contains(bad) || first.contains("lock-timeout"), "says what is wrong: {}", out.stderr);
    }
}
