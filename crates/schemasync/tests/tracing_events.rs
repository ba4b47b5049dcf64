//! The library reports what it does as `tracing` events, and prints nothing:
//! a subscriber of the test's own sees connect, introspect, drift check,
//! statements and history writes; without one, a sync writes nothing to
//! stdout or stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use schemasync::{Location, SqliteHistory, SyncOptions, Syncer, TargetReport, TargetStatus};
use schemasync_testkit::TestDir;

const SCHEMA: &str = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n\
                      CREATE INDEX users_email ON users (email);\n\
                      CREATE VIEW emails AS SELECT email FROM users;\n";

/// Everything the subscriber writes, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("buffer")).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Sync `SCHEMA` into a new SQLite file, then once more (nothing to do).
fn sync_twice(dir: &TestDir) -> (TargetReport, TargetReport) {
    let wanted = schemasync_sqlite::load_sql(SCHEMA).expect("schema").schema;
    let mut syncer = Syncer::new(SqliteHistory::open(&dir.path("history.db")).expect("history"));
    let target = Location::Sqlite { path: dir.path("app.db") };
    let options = SyncOptions::default();
    let plan = syncer.plan(&wanted, "a.sql", &target, &options).expect("plan");
    let first = syncer.apply(&plan, &options);
    let again = syncer.plan(&wanted, "a.sql", &target, &options).expect("plan again");
    (first, syncer.apply(&again, &options))
}

#[test]
fn a_sync_emits_connect_introspect_drift_statement_and_history_events() {
    let dir = TestDir::new();
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let (first, second) = tracing::subscriber::with_default(subscriber, || sync_twice(&dir));
    assert_eq!(first.status, TargetStatus::Applied, "{:?}", first.error);
    assert_eq!(second.status, TargetStatus::Unchanged, "{:?}", second.error);
    let log = captured.text();
    for event in [
        "connected engine=\"sqlite\"",
        "introspected engine=\"sqlite\"",
        "tables=1 views=1 indexes=1 triggers=0",
        "drift check passed",
        "running statement engine=\"sqlite\" index=2 sql=CREATE VIEW",
        "statement applied engine=\"sqlite\" index=0 statement=CREATE TABLE \"users\"",
        "history: apply intent begun",
        "history: apply intent completed",
        "version=1",
        "re-diff after apply: nothing left",
        "target done status=Applied version=1",
        "target done status=Unchanged",
    ] {
        assert!(log.contains(event), "no `{event}` in:\n{log}");
    }
    // Each statement once: three statements, applied by the first sync only.
    assert_eq!(log.matches("statement applied").count(), 3, "{log}");
}

/// Run as a child of itself (`SCHEMASYNC_PRINT_PROBE`), where nothing is
/// captured: whatever the library printed lands between the markers.
#[test]
fn a_sync_prints_nothing() {
    const MARK: &str = "<<schemasync print probe>>";
    if std::env::var_os("SCHEMASYNC_PRINT_PROBE").is_some() {
        let dir = TestDir::new();
        print!("{MARK}");
        eprint!("{MARK}");
        let _ = std::io::stdout().flush();
        let (first, _) = sync_twice(&dir);
        let _ = std::io::stdout().flush();
        print!("{MARK}");
        eprint!("{MARK}");
        assert_eq!(first.status, TargetStatus::Applied, "{:?}", first.error);
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "a_sync_prints_nothing", "--nocapture", "--test-threads=1"])
        .env("SCHEMASYNC_PRINT_PROBE", "1")
        .env("RUST_LOG", "trace")
        .output()
        .expect("run the test binary");
    assert!(out.status.success(), "child failed: {}", String::from_utf8_lossy(&out.stderr));
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let between: Vec<&str> = text.split(MARK).collect();
        assert_eq!(between.len(), 3, "markers missing in {name}: {text}");
        assert_eq!(between[1], "", "the library wrote to {name}");
    }
}
