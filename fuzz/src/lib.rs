//! Oracles and generators shared by the fuzz targets in `fuzz_targets/`.
//! Every check panics on a violation, which is how libFuzzer learns of it.

pub mod passwords;
pub mod schema_gen;
pub mod split_invariants;
pub mod sqlite_run;
