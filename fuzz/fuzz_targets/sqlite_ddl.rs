//! The SQLite DDL parsers, on arbitrary text and on what SQLite stores for a
//! script it accepted (the introspector reads that back through them).

#![no_main]

use libfuzzer_sys::fuzz_target;
use schemasync_fuzz::sqlite_run::run_bounded;

fuzz_target!(|input: &str| {
    schemasync_sqlite::fuzzing::parse_ddl(input);
    let _ = schemasync_sqlite::normalize_sql_text(input);
    if let Some(conn) = run_bounded(input) {
        // A parse error is a typed refusal; only a panic is a finding.
        let _ = schemasync_sqlite::introspect(&conn);
    }
});
