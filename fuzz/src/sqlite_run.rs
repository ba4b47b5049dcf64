//! Running fuzzed SQL on SQLite without letting it touch files or run long.

use rusqlite::Connection;
use rusqlite::limits::Limit;

/// SQLite virtual machine steps between two progress checks, and how many
/// checks a script gets: enough for any schema script, and a recursive CTE
/// is cut off in milliseconds instead of timing the fuzzer out.
const STEPS_PER_CHECK: i32 = 1_000;
const MAX_CHECKS: u32 = 1_000;

/// An in-memory database after running `sql` in it, or `None` when SQLite
/// refused the script or ran out of its budget.
pub fn run_bounded(sql: &str) -> Option<Connection> {
    let conn = Connection::open_in_memory().ok()?;
    // No ATTACH, hence no VACUUM INTO either (it attaches its output file).
    conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0).ok()?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, 1 << 20).ok()?;
    let mut checks = 0u32;
    conn.progress_handler(
        STEPS_PER_CHECK,
        Some(move || {
            checks += 1;
            checks > MAX_CHECKS
        }),
    );
    let ran = conn.execute_batch(sql);
    conn.progress_handler(STEPS_PER_CHECK, None::<fn() -> bool>);
    ran.ok().map(|()| conn)
}
