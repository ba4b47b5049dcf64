//! `gen_sqlite PATH TABLES [variant]`: write a generated SQLite database for
//! whole-command comparisons (see compare_sqldiff.sh).
#![allow(clippy::print_stderr)]

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(tables)) = (args.get(1), args.get(2).and_then(|t| t.parse::<usize>().ok())) else {
        eprintln!("usage: gen_sqlite PATH TABLES [variant]");
        return std::process::ExitCode::from(2);
    };
    let variant = args.get(3).is_some_and(|v| v == "variant");
    let _ = std::fs::remove_file(path);
    let result = rusqlite::Connection::open(path)
        .and_then(|conn| conn.execute_batch(&schemasync_benches::sqlite_ddl(tables, variant)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_sqlite: {path}: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
