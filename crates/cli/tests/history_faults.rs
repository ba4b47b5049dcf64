//! Through the binary: a history that cannot be written, is damaged, or is
//! the target itself makes `sync` exit 2 naming the history and the cause,
//! with the target byte-identical; read-only commands never create or write
//! the history; a pending intent is listed and the next sync settles it.

mod common;
mod faults;

use common::*;
use faults::Tmpfs;
use schemasync_testkit::TestDir;

const V1: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);";
const V2: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);";

fn sync_v2(dir: &TestDir, history: &std::path::Path, target: &std::path::Path) -> Output {
    let source = dir.file("v2.sql", V2);
    run(history, &["sync", "--from", source.to_str().unwrap(), "--to", &sqlite_url(target), "--allow-destructive"])
}

fn assert_exit_2_naming(out: &Output, history: &std::path::Path, cause: &str) {
    let all = format!("{}{}", out.stdout, out.stderr);
    assert_eq!(out.code, 2, "{all}");
    assert!(all.contains(&history.display().to_string()), "history path not named: {all}");
    assert!(all.contains(cause), "cause {cause:?} not named: {all}");
}

#[test]
fn read_only_history_exits_2_and_leaves_the_target() {
    let Some(fs) = Tmpfs::mount("1m") else { return };
    let dir = TestDir::new();
    let history = fs.path("history.db");
    let target = dir.sqlite_db("t.db", V1);
    assert_eq!(run(&history, &["snapshot", &sqlite_url(&target)]).code, 0);
    fs.remount_read_only();
    let before = std::fs::read(&target).unwrap();
    assert_exit_2_naming(&sync_v2(&dir, &history, &target), &history, "readonly");
    assert_eq!(std::fs::read(&target).unwrap(), before);
}

#[test]
fn full_disk_under_the_history_exits_2_and_leaves_the_target() {
    let Some(fs) = Tmpfs::mount("64k") else { return };
    let dir = TestDir::new();
    let history = fs.path("history.db");
    let target = dir.sqlite_db("t.db", V1);
    assert_eq!(run(&history, &["snapshot", &sqlite_url(&target)]).code, 0);
    fs.fill();
    let before = std::fs::read(&target).unwrap();
    assert_exit_2_naming(&sync_v2(&dir, &history, &target), &history, "full");
    assert_eq!(std::fs::read(&target).unwrap(), before);
}

#[test]
fn corrupt_history_exits_2_and_leaves_the_target() {
    let dir = TestDir::new();
    let history = dir.file("history.db", &"garbage ".repeat(512));
    let target = dir.sqlite_db("t.db", V1);
    let before = std::fs::read(&target).unwrap();
    assert_exit_2_naming(&sync_v2(&dir, &history, &target), &history, "not a usable schemasync history");
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert_eq!(std::fs::read(&history).unwrap(), "garbage ".repeat(512).into_bytes());
}

#[test]
fn the_history_file_as_target_exits_2() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let other = dir.sqlite_db("t.db", V1);
    assert_eq!(run(&history, &["snapshot", &sqlite_url(&other)]).code, 0);
    let before = std::fs::read(&history).unwrap();
    let out = sync_v2(&dir, &history, &history);
    assert_exit_2_naming(&out, &history, "history store itself");
    assert_eq!(std::fs::read(&history).unwrap(), before);
}

#[test]
fn read_only_commands_never_create_the_history() {
    let dir = TestDir::new();
    let history = dir.path("h/history.db");
    let a = dir.sqlite_db("a.db", V1);
    let src = dir.file("v2.sql", V2);
    let a_url = sqlite_url(&a);
    assert_eq!(run(&history, &["diff", src.to_str().unwrap(), &a_url]).code, 1);
    assert_eq!(run(&history, &["inspect", &a_url]).code, 0);
    assert_eq!(run(&history, &["history", "list", &a_url]).code, 0);
    assert_eq!(run(&history, &["history", "show", &a_url, "1"]).code, 2);
    let dry = run(&history, &["sync", "--from", src.to_str().unwrap(), "--to", &a_url, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}{}", dry.stdout, dry.stderr);
    assert!(!history.exists() && !dir.path("h").exists(), "a read-only command created the history");
}

#[test]
fn a_pending_intent_is_listed_without_writing_and_the_next_sync_settles_it() {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let target = dir.sqlite_db("t.db", V1);
    let url = sqlite_url(&target);
    assert_eq!(run(&history, &["snapshot", &url]).code, 0);
    // What a run killed after its script committed leaves: the change, and an intent.
    let key = schemasync::Location::parse(&url).unwrap().history_key().unwrap();
    let mut store = schemasync::SqliteHistory::open(&history).unwrap();
    schemasync::HistoryStore::begin(
        &mut store,
        schemasync::NewIntent {
            database: key,
            kind: schemasync::VersionKind::Sync,
            from_hash: "before".into(),
            to_hash: "after".into(),
            script: "DROP TABLE audit;".into(),
            message: "sync from a killed run".into(),
        },
    )
    .unwrap();
    drop(store);
    exec(&target, "DROP TABLE audit");

    let before = std::fs::read(&history).unwrap();
    let listed = run(&history, &["history", "list", &url]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.stdout.contains("pending") && listed.stdout.contains("sync from a killed run"), "{}", listed.stdout);
    let json = run(&history, &["history", "list", &url, "--format", "json"]);
    assert!(json.stderr.contains("pending"), "{}", json.stderr);
    assert_eq!(std::fs::read(&history).unwrap(), before, "history list wrote the history");

    let out = sync_v2(&dir, &history, &target);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("never completed"), "{}", out.stdout);
    let listed = run(&history, &["history", "list", &url]);
    assert!(!listed.stdout.contains("pending"), "{}", listed.stdout);
    let src = dir.path("v2.sql");
    let same = run(&history, &["diff", src.to_str().unwrap(), &url]);
    assert_eq!((same.code, same.stdout.as_str()), (0, ""), "{}", same.stderr);
}
