//! Location and Source parsing: no panic, and no password in what is shown.

#![no_main]

use libfuzzer_sys::fuzz_target;
use schemasync::{Location, Source};
use schemasync_fuzz::passwords::check_hidden;

/// Prefixes the parsers branch on, so that most inputs get past the scheme.
const PREFIXES: [&str; 10] = [
    "",
    "postgres://",
    "postgresql://",
    "mysql://",
    "mariadb://",
    "sqlite:",
    "sqlite://",
    "history:postgres://",
    "history:mysql://",
    "history:",
];

fn show_location(text: &str) -> String {
    Location::parse(text).map_or_else(|e| e.to_string(), |l| l.to_string())
}

fn show_source(text: &str) -> String {
    Source::parse(text).map_or_else(|e| e.to_string(), |s| s.to_string())
}

fuzz_target!(|input: (u8, &str)| {
    let (prefix, rest) = input;
    let text = format!("{}{rest}", PREFIXES[usize::from(prefix) % PREFIXES.len()]);
    check_hidden(&text, show_location);
    check_hidden(&text, show_source);
});
