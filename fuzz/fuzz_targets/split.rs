//! The statement splitter on arbitrary text, for every dialect.

#![no_main]

use libfuzzer_sys::fuzz_target;
use schemasync_fuzz::split_invariants::check_split;
use schemasync_model::Dialect;

fuzz_target!(|input: &str| {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
        check_split(input, dialect);
    }
});
