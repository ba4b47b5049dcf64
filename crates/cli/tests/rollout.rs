//! Fleet rollout through the CLI on SQLite: schemasync.toml environments,
//! reviewed plan files with drift refusal (exit 4), parallel fan-out,
//! stopping after a failure, canaries, JSON and JSON-lines reports, and two
//! runners applying one plan at once. Every result is checked with SQLite's
//! own PRAGMAs, not with schemasync's output.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use schemasync_testkit::TestDir;

/// Run `schemasync` in `dir` (where its schemasync.toml is): the config
/// decides the history.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    common::run_in(dir, None, args, env)
}

const V2: &str = "CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n\
CREATE TABLE employees (id INTEGER PRIMARY KEY, department_id INTEGER REFERENCES departments (id), \
name TEXT NOT NULL, email TEXT NOT NULL DEFAULT '');\n\
CREATE INDEX employees_dept ON employees (department_id);\n";

const V1: &str = "CREATE TABLE departments (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n\
CREATE TABLE employees (id INTEGER PRIMARY KEY, department_id INTEGER REFERENCES departments (id), \
name TEXT NOT NULL);\n\
CREATE INDEX employees_dept ON employees (department_id);\n";

/// A project: `test` with hr_test, `prod` with `count` databases, all at V1
/// with rows, and the config in `dir` (history in a subfolder).
fn project(dir: &TestDir, count: usize, prod_extra: &str) -> Vec<std::path::PathBuf> {
    let mut config = String::from(
        "history = \"state/history.db\"\n[environments.test.databases]\nhr_test = \"sqlite:hr_test.db\"\n",
    );
    config.push_str(&format!("[environments.prod]\n{prod_extra}[environments.prod.databases]\n"));
    let mut prods = Vec::new();
    for i in 1..=count {
        let name = format!("hr_prod_{i:02}");
        config.push_str(&format!("{name} = \"sqlite:{name}.db\"\n"));
        let path = dir.path(&format!("{name}.db"));
        exec(&path, V1);
        exec(&path, "INSERT INTO departments VALUES (1, 'R&D'); INSERT INTO employees VALUES (1, 1, 'ada');");
        prods.push(path);
    }
    dir.file("schemasync.toml", &config);
    dir.file("v2.sql", V2);
    prods
}

fn has_email(db: &Path) -> bool {
    columns(db, "employees").iter().any(|c| c.0 == "email")
}

#[test]
fn sync_env_from_config_groups_the_plan_and_names_targets_by_config() {
    let dir = TestDir::new();
    let prods = project(&dir, 3, "parallel = 2\n");
    // A subfolder finds the config in its parent; paths stay relative to the config.
    std::fs::create_dir_all(dir.path("sub")).expect("mkdir");
    let out = run_in(&dir.path("sub"), &["sync", "--from", "../v2.sql", "--env", "prod"], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("-- same plan for 3 targets: prod/hr_prod_01, prod/hr_prod_02, prod/hr_prod_03"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("ALTER TABLE").count(), 1, "one copy of the plan: {}", out.stdout);
    assert!(out.stdout.contains("prod/hr_prod_02: applied"), "{}", out.stdout);
    assert!(
        out.stdout.contains("summary: 3 target(s): 3 applied, 0 unchanged, 0 refused, 0 failed, 0 skipped"),
        "{}",
        out.stdout
    );
    for db in &prods {
        assert!(has_email(db));
        assert_eq!(count(db, "employees"), 1, "rows kept");
    }
    // The history is where the config says, and ENV/NAME reads it.
    assert!(dir.path("state/history.db").exists());
    let listed = run_in(&dir.path("sub"), &["history", "list", "prod/hr_prod_01"], &[]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.stdout.contains("sync from"), "{}", listed.stdout);
    // diff between two config names.
    let same = run_in(dir.root(), &["diff", "prod/hr_prod_01", "prod/hr_prod_02"], &[]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    // A second sync: everything unchanged.
    let again = run_in(dir.root(), &["sync", "--from", "v2.sql", "--env", "prod"], &[]);
    assert_eq!(again.code, 0);
    assert!(again.stdout.contains("-- up to date (3 targets)"), "{}", again.stdout);
    assert!(again.stdout.contains("0 applied, 3 unchanged"), "{}", again.stdout);
}

#[test]
fn plan_file_applies_exactly_and_refuses_drifted_targets_with_exit_4() {
    let dir = TestDir::new();
    let prods = project(&dir, 3, "");
    let out = run_in(dir.root(), &["plan", "--from", "v2.sql", "--env", "prod", "-o", "plan.json"], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("plan: 3 target(s), 1 distinct plan(s)"), "{}", out.stdout);
    // Planning changes nothing, records nothing.
    assert!(prods.iter().all(|db| !has_email(db)));
    assert!(!dir.path("state/history.db").exists(), "plan must not create a history");
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path("plan.json")).expect("plan written")).expect("json");
    assert_eq!(file["format"], "schemasync-plan/1");
    assert_eq!(file["targets"].as_array().map(Vec::len), Some(3));
    assert_eq!(file["targets"][0]["target"], "prod/hr_prod_01");

    // Someone changes hr_prod_02 behind the plan's back.
    exec(&prods[1], "CREATE TABLE audit (id INTEGER PRIMARY KEY);");
    let before = master(&prods[1]);
    let out = run_in(dir.root(), &["apply", "plan.json", "--format", "json"], &[]);
    assert_eq!(out.code, 4, "{}{}", out.stdout, out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    let statuses: Vec<&str> =
        doc["targets"].as_array().expect("targets").iter().map(|t| t["status"].as_str().unwrap_or("")).collect();
    assert_eq!(statuses, ["applied", "refused", "applied"]);
    assert_eq!(doc["targets"][1]["refusal"], "drift");
    assert_eq!(doc["targets"][1]["target"], "prod/hr_prod_02");
    assert!(doc["targets"][0]["timings"]["apply_ms"].is_u64(), "{}", doc["targets"][0]);
    assert_eq!(doc["summary"]["applied"], 2);
    assert_eq!(master(&prods[1]), before, "the drifted target is left as it is");
    assert!(has_email(&prods[0]) && has_email(&prods[2]));

    // Applying the same file again: the applied ones are unchanged, the drifted one refused again.
    let again = run_in(dir.root(), &["apply", "plan.json"], &[]);
    assert_eq!(again.code, 4, "{}{}", again.stdout, again.stderr);
    assert!(again.stdout.contains("prod/hr_prod_01: unchanged"), "{}", again.stdout);
    assert!(again.stdout.contains("already at the planned schema"), "{}", again.stdout);
    assert!(again.stdout.contains("prod/hr_prod_02: refused"), "{}", again.stdout);

    // An edited plan file is refused whole before anything runs.
    let text = std::fs::read_to_string(dir.path("plan.json")).expect("read");
    let edited = text.replacen("DEFAULT ''", "DEFAULT 'x'", 1);
    assert_ne!(edited, text);
    dir.file("edited.json", &edited);
    let out = run_in(dir.root(), &["apply", "edited.json"], &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("changed after the plan was written"), "{}", out.stderr);
    // Not a plan file at all.
    dir.file("junk.json", "{\"format\": \"x\"}");
    assert_eq!(run_in(dir.root(), &["apply", "junk.json"], &[]).code, 2);
}

#[test]
fn parallel_rollout_applies_every_target_once_and_reports_json_lines() {
    let dir = TestDir::new();
    let prods = project(&dir, 8, "");
    let out =
        run_in(dir.root(), &["sync", "--from", "v2.sql", "--env", "prod", "--parallel", "4", "--format", "jsonl"], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let lines: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 9, "8 targets and a summary: {}", out.stdout);
    assert_eq!(lines[8]["summary"]["applied"], 8);
    let mut targets: Vec<&str> = lines[..8].iter().map(|l| l["target"].as_str().unwrap_or("")).collect();
    targets.sort_unstable();
    targets.dedup();
    assert_eq!(targets.len(), 8);
    for db in &prods {
        assert!(has_email(db));
        assert_eq!(count(db, "employees"), 1);
    }
    // Each target has its own recorded version.
    for i in 1..=8 {
        let listed = run_in(dir.root(), &["history", "list", &format!("prod/hr_prod_{i:02}"), "--format", "json"], &[]);
        let versions: serde_json::Value = serde_json::from_str(&listed.stdout).expect("json");
        assert_eq!(versions.as_array().map(Vec::len), Some(2), "baseline + sync for {i}: {}", listed.stdout);
    }
}

/// A target whose rows would make the plan fail (a new UNIQUE index over
/// duplicates, found before anything runs): the rollout stops there unless
/// told to keep going.
fn failing_project(dir: &TestDir) -> Vec<std::path::PathBuf> {
    let prods = project(dir, 4, "");
    dir.file("v2.sql", &format!("{V2}CREATE UNIQUE INDEX employees_name ON employees (name);\n"));
    exec(&prods[0], "INSERT INTO employees VALUES (2, 1, 'ada');");
    prods
}

#[test]
fn a_failure_stops_the_rollout_unless_keep_going() {
    let dir = TestDir::new();
    let prods = failing_project(&dir);
    let out = run_in(dir.root(), &["sync", "--from", "v2.sql", "--env", "prod"], &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("prod/hr_prod_01: refused"), "{}", out.stdout);
    assert!(out.stdout.contains("would fail on existing rows: unique index employees_name"), "{}", out.stdout);
    assert!(out.stdout.contains("prod/hr_prod_02: skipped"), "{}", out.stdout);
    assert!(
        out.stdout.contains("the rollout stopped after prod/hr_prod_01 failed") || out.stdout.contains("stopped after"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("0 applied, 0 unchanged, 1 refused, 0 failed, 3 skipped"), "{}", out.stdout);
    assert!(prods.iter().all(|db| !has_email(db)), "nothing applied after the failure, the failed one rolled back");

    let out =
        run_in(dir.root(), &["sync", "--from", "v2.sql", "--env", "prod", "--keep-going", "--parallel", "2"], &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("3 applied, 0 unchanged, 1 refused, 0 failed, 0 skipped"), "{}", out.stdout);
    assert!(!has_email(&prods[0]));
    assert!(prods[1..].iter().all(|db| has_email(db)));
}

#[test]
fn a_failing_canary_stops_the_rest() {
    let dir = TestDir::new();
    let prods = failing_project(&dir);
    let out = run_in(
        dir.root(),
        &["sync", "--from", "v2.sql", "--env", "prod", "--canary", "1", "--keep-going", "--parallel", "3"],
        &[],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("not attempted: canary prod/hr_prod_01 failed"), "{}", out.stdout);
    assert!(prods.iter().all(|db| !has_email(db)));
    // A healthy canary lets the rest go.
    exec(&prods[0], "DELETE FROM employees WHERE id = 2;");
    let out =
        run_in(dir.root(), &["sync", "--from", "v2.sql", "--env", "prod", "--canary", "1", "--parallel", "3"], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(prods.iter().all(|db| has_email(db)));
}

#[test]
fn config_values_expand_variables_and_unset_ones_are_errors() {
    let dir = TestDir::new();
    let db = dir.path("from_var.db");
    exec(&db, V1);
    dir.file("schemasync.toml", "[environments.dev.databases]\nhr = \"sqlite:${SCHEMASYNC_TEST_DB_PATH}\"\nbad = \"${SCHEMASYNC_TEST_UNSET_VARIABLE}\"\n");
    dir.file("v2.sql", V2);
    let path = db.display().to_string();
    let out =
        run_in(dir.root(), &["sync", "--from", "v2.sql", "--to", "dev/hr"], &[("SCHEMASYNC_TEST_DB_PATH", &path)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(has_email(&db));
    let out = run_in(dir.root(), &["sync", "--from", "v2.sql", "--to", "dev/bad"], &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("SCHEMASYNC_TEST_UNSET_VARIABLE") && out.stderr.contains("not set"), "{}", out.stderr);
    let out = run_in(dir.root(), &["sync", "--from", "v2.sql", "--env", "nope"], &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no environment \"nope\""), "{}", out.stderr);
}

#[test]
fn two_runners_applying_one_plan_apply_each_target_once() {
    let dir = TestDir::new();
    let prods = project(&dir, 6, "");
    let out = run_in(dir.root(), &["plan", "--from", "v2.sql", "--env", "prod", "-o", "plan.json"], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_schemasync"))
            .args(["apply", "plan.json", "--format", "json", "--parallel", "3"])
            .current_dir(dir.root())
            .env_remove("SCHEMASYNC_HISTORY")
            .env_remove("RUST_LOG")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let mut applied = std::collections::HashMap::new();
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
        let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        for t in doc["targets"].as_array().expect("targets") {
            let status = t["status"].as_str().unwrap_or("");
            assert!(status == "applied" || status == "unchanged", "{t}");
            if status == "applied" {
                *applied.entry(t["target"].as_str().unwrap_or("").to_owned()).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(applied.len(), 6, "every target applied: {applied:?}");
    assert!(applied.values().all(|&n| n == 1), "each exactly once: {applied:?}");
    assert!(prods.iter().all(|db| has_email(db)));
}
