//! Introspection of a live server against the engine's own dump tool.
//!
//! `server_bench postgres|mysql --tables N [--runs R] [--keep]` creates a
//! uniquely named database on the local server (PostgreSQL:
//! `postgres@127.0.0.1:5432`, MariaDB/MySQL: `root@127.0.0.1:3306`), loads a
//! generated schema of N tables through `psql` / `mariadb`, then times, on
//! that database and alternating, R runs each (after one warm-up run each) of
//!
//! - schemasync: connect + introspect, in this process (wall time);
//! - `pg_dump --schema-only` / `mysqldump --no-data` to `/dev/null`, as a
//!   child process (wall time).
//!
//! Peak memory is measured once per side afterwards, both as child processes
//! run under `/usr/bin/time -f %M` (maximum RSS in KiB): this binary's own
//! `introspect-once ENGINE URL` mode for schemasync (which also prints its
//! own `VmHWM`, as a cross-check), the dump tool for the other side. The
//! database is dropped at the end unless `--keep` is given.
//!
//! The last line printed is machine-readable (`RESULT key=value ...`), for
//! `compare_servers.sh`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const USAGE: &str = "usage: server_bench postgres|mysql --tables N [--runs R] [--keep]
       server_bench introspect-once postgres|mysql URL";

const PG_HOST: &str = "127.0.0.1";
const PG_PORT: u16 = 5432;
const PG_USER: &str = "postgres";
const MY_HOST: &str = "127.0.0.1";
const MY_PORT: u16 = 3306;
const MY_USER: &str = "root";
const GNU_TIME: &str = "/usr/bin/time";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Postgres,
    MySql,
}

impl Engine {
    fn parse(word: &str) -> Option<Engine> {
        match word {
            "postgres" | "postgresql" | "pg" => Some(Engine::Postgres),
            "mysql" | "mariadb" => Some(Engine::MySql),
            _ => None,
        }
    }

    fn url(self, database: &str) -> String {
        match self {
            Engine::Postgres => format!("postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"),
            Engine::MySql => format!("mysql://{MY_USER}@{MY_HOST}:{MY_PORT}/{database}"),
        }
    }

    /// The dump tool's command line, schema only, for `database`.
    fn dump_command(self, database: &str) -> (&'static str, Vec<String>) {
        match self {
            Engine::Postgres => (
                "pg_dump",
                vec![
                    "--schema-only".into(),
                    "-h".into(),
                    PG_HOST.into(),
                    "-p".into(),
                    PG_PORT.to_string(),
                    "-U".into(),
                    PG_USER.into(),
                    database.into(),
                ],
            ),
            Engine::MySql => (
                "mysqldump",
                vec![
                    format!("-u{MY_USER}"),
                    format!("-h{MY_HOST}"),
                    format!("-P{MY_PORT}"),
                    "--no-data".into(),
                    database.into(),
                ],
            ),
        }
    }

    /// The SQL client, connected to `database` (or the server's default).
    fn client(self, database: Option<&str>) -> Command {
        match self {
            Engine::Postgres => {
                let mut cmd = Command::new("psql");
                let port = PG_PORT.to_string();
                cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]);
                cmd.args(["-h", PG_HOST, "-p", &port, "-U", PG_USER, "-d", database.unwrap_or("postgres")]);
                cmd
            }
            Engine::MySql => {
                let mut cmd = Command::new("mariadb");
                cmd.args(["--batch", &format!("-u{MY_USER}"), &format!("-h{MY_HOST}"), &format!("-P{MY_PORT}")]);
                if let Some(database) = database {
                    cmd.arg(database);
                }
                cmd
            }
        }
    }

    fn dump_name(self) -> &'static str {
        self.dump_command("").0
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Postgres => "postgres",
            Engine::MySql => "mysql",
        })
    }
}

#[derive(Debug)]
struct BenchArgs {
    engine: Engine,
    tables: usize,
    runs: usize,
    keep: bool,
}

#[derive(Debug)]
enum Mode {
    Bench(BenchArgs),
    IntrospectOnce { engine: Engine, url: String },
}

fn parse_args(args: &[String]) -> Result<Mode, String> {
    let Some(first) = args.first() else { return Err("missing engine".into()) };
    if first == "introspect-once" {
        return match args {
            [_, engine, url] => {
                let engine = Engine::parse(engine).ok_or_else(|| format!("unknown engine {engine:?}"))?;
                Ok(Mode::IntrospectOnce { engine, url: url.clone() })
            }
            _ => Err("introspect-once takes an engine and a URL".into()),
        };
    }
    let engine = Engine::parse(first).ok_or_else(|| format!("unknown engine {first:?}"))?;
    let (mut tables, mut runs, mut keep) = (None, 5, false);
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let value = rest.next().ok_or_else(|| format!("{name} needs a value"))?;
            value
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name}: not a positive number: {value:?}"))
        };
        match arg.as_str() {
            "--tables" => tables = Some(number("--tables")?),
            "--runs" => runs = number("--runs")?,
            "--keep" => keep = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let tables = tables.ok_or("--tables is required")?;
    Ok(Mode::Bench(BenchArgs { engine, tables, runs, keep }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match parse_args(&args) {
        Ok(mode) => mode,
        Err(message) => {
            eprintln!("server_bench: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match mode {
        Mode::Bench(args) => bench(&args),
        Mode::IntrospectOnce { engine, url } => introspect_once(engine, &url),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("server_bench: {message}");
            ExitCode::from(1)
        }
    }
}

/// What one introspection found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    tables: usize,
    views: usize,
    triggers: usize,
    routines: usize,
    types: usize,
    queries: u64,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} tables, {} views, {} triggers, {} routines, {} types ({} queries sent)",
            self.tables, self.views, self.triggers, self.routines, self.types, self.queries
        )
    }
}

fn found(schema: &schemasync_model::Schema, queries: u64) -> Found {
    Found {
        tables: schema.tables.len(),
        views: schema.views.len(),
        triggers: schema.triggers.len(),
        routines: schema.routines.len(),
        types: schema.types.len(),
        queries,
    }
}

/// Connect to `url` and introspect it (the timed unit on our side).
async fn introspect(engine: Engine, url: &str) -> Result<Found, String> {
    match engine {
        Engine::Postgres => {
            let config = schemasync_postgres::PgConfig::parse(url).map_err(|e| e.to_string())?;
            let conn = schemasync_postgres::connect(&config).await.map_err(|e| e.to_string())?;
            let found_schema =
                conn.introspect(&schemasync_postgres::IntrospectOptions::default()).await.map_err(|e| e.to_string())?;
            Ok(found(&found_schema.schema, conn.queries_issued() as u64))
        }
        Engine::MySql => {
            let config = schemasync_mysql::MySqlConfig::parse(url).map_err(|e| e.to_string())?;
            let mut conn = schemasync_mysql::connect(&config).await.map_err(|e| e.to_string())?;
            let found_schema =
                conn.introspect(&schemasync_mysql::IntrospectOptions::default()).await.map_err(|e| e.to_string())?;
            let result = found(&found_schema.schema, conn.queries_sent());
            conn.close().await.map_err(|e| e.to_string())?;
            Ok(result)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("tokio runtime: {e}"))
}

/// One kibibyte figure from `/proc/self/status` (`VmHWM`, `VmRSS`).
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// The child side of the memory measurement: one connect + introspect, then
/// a line with the counts, the wall time and this process's peak RSS.
fn introspect_once(engine: Engine, url: &str) -> Result<(), String> {
    let start_rss = proc_status_kib("VmRSS");
    let rt = runtime()?;
    let started = Instant::now();
    let found = rt.block_on(introspect(engine, url))?;
    let elapsed = started.elapsed();
    drop(rt);
    let show = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
    println!(
        "ONCE tables={} ms={:.1} start_rss_kib={} vmhwm_kib={}",
        found.tables,
        ms(elapsed),
        show(start_rss),
        show(proc_status_kib("VmHWM"))
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Run `cmd`, stdout to `/dev/null`; fail with its stderr if it fails.
/// Returns the wall time and the captured stderr.
fn run_quiet(mut cmd: Command, what: &str) -> Result<(Duration, String), String> {
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    let started = Instant::now();
    let output = cmd.output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!("{what}: {}: {}", output.status, stderr.trim()));
    }
    Ok((elapsed, stderr))
}

/// Run one SQL statement through the client.
fn run_sql(engine: Engine, database: Option<&str>, sql: &str) -> Result<(), String> {
    let mut cmd = engine.client(database);
    cmd.arg(match engine {
        Engine::Postgres => "-c",
        Engine::MySql => "-e",
    })
    .arg(sql);
    run_quiet(cmd, sql).map(|_| ())
}

fn run_with_stdin(mut cmd: Command, stdin: File, what: &str) -> Result<(), String> {
    cmd.stdin(Stdio::from(stdin)).stdout(Stdio::null()).stderr(Stdio::piped());
    let output = cmd.output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{what}: {}: {}", output.status, String::from_utf8_lossy(&output.stderr).trim()))
    }
}

/// The benchmark database; dropped when this goes out of scope unless kept.
#[derive(Debug)]
struct Database {
    engine: Engine,
    name: String,
    keep: bool,
}

impl Database {
    fn create(engine: Engine, tables: usize, keep: bool) -> Result<Database, String> {
        let stamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let name = format!("ssbench_{engine}_{tables}_{}_{stamp}", std::process::id());
        run_sql(engine, None, &format!("CREATE DATABASE {name}"))?;
        Ok(Database { engine, name, keep })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept database {} ({})", self.name, self.engine.url(&self.name));
            return;
        }
        let sql = match self.engine {
            Engine::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            Engine::MySql => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        if let Err(e) = run_sql(self.engine, None, &sql) {
            eprintln!("server_bench: could not drop {}: {e}", self.name);
        }
    }
}

/// The generated DDL written to a temporary file, removed on drop.
#[derive(Debug)]
struct ScriptFile(PathBuf);

impl Drop for ScriptFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn load_schema(engine: Engine, database: &str, tables: usize) -> Result<Duration, String> {
    let ddl = match engine {
        Engine::Postgres => schemasync_benches::postgres_ddl(tables),
        Engine::MySql => schemasync_benches::mysql_ddl(tables),
    };
    let script = ScriptFile(std::env::temp_dir().join(format!("{database}.sql")));
    std::fs::write(&script.0, ddl).map_err(|e| format!("{}: {e}", script.0.display()))?;
    let started = Instant::now();
    let file = File::open(&script.0).map_err(|e| format!("{}: {e}", script.0.display()))?;
    run_with_stdin(engine.client(Some(database)), file, "loading the schema")?;
    Ok(started.elapsed())
}

/// The maximum RSS (KiB) `/usr/bin/time -f %M` printed as the last line of `stderr`.
fn time_max_rss(stderr: &str) -> Option<u64> {
    stderr.lines().rev().find(|l| !l.trim().is_empty())?.trim().parse().ok()
}

/// A `key=value` field of a line.
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace().find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
}

struct Memory {
    /// Our child's maximum RSS per `/usr/bin/time`, if available.
    ours_time_kib: Option<u64>,
    /// Our child's own `VmHWM` and its RSS before connecting.
    ours_vmhwm_kib: Option<u64>,
    ours_start_kib: Option<u64>,
    dump_kib: Option<u64>,
}

fn measure_memory(engine: Engine, database: &str) -> Result<Memory, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this executable: {e}"))?;
    let url = engine.url(database);
    let have_time = Path::new(GNU_TIME).exists();
    if !have_time {
        println!("note: {GNU_TIME} is missing (Debian package `time`): no peak memory for {}", engine.dump_name());
    }
    let mut ours = if have_time {
        let mut cmd = Command::new(GNU_TIME);
        cmd.args(["-f", "%M"]).arg(&exe);
        cmd
    } else {
        Command::new(&exe)
    };
    ours.args(["introspect-once", &engine.to_string(), &url]);
    let output = ours.stdin(Stdio::null()).output().map_err(|e| format!("introspect-once: cannot start: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("introspect-once: {}: {}", output.status, stderr.trim()));
    }
    let line = stdout.lines().find(|l| l.starts_with("ONCE ")).ok_or("introspect-once printed no result")?;
    let number = |key| field(line, key).and_then(|v| v.parse::<u64>().ok());
    let mut memory = Memory {
        ours_time_kib: if have_time { time_max_rss(&stderr) } else { None },
        ours_vmhwm_kib: number("vmhwm_kib"),
        ours_start_kib: number("start_rss_kib"),
        dump_kib: None,
    };
    if have_time {
        let (tool, args) = engine.dump_command(database);
        let mut cmd = Command::new(GNU_TIME);
        cmd.args(["-f", "%M", tool]).args(args);
        let (_, stderr) = run_quiet(cmd, tool)?;
        memory.dump_kib = time_max_rss(&stderr);
    }
    Ok(memory)
}

fn kib(v: Option<u64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{:.1} MiB", v as f64 / 1024.0))
}

fn bench(args: &BenchArgs) -> Result<(), String> {
    let BenchArgs { engine, tables, runs, keep } = *args;
    let (tool, _) = engine.dump_command("");
    let database = Database::create(engine, tables, keep)?;
    println!("{engine}: database {} with {tables} generated tables", database.name);
    let load = load_schema(engine, &database.name, tables)?;
    println!("loaded in {:.1} s", load.as_secs_f64());

    let url = engine.url(&database.name);
    let rt = runtime()?;
    let ours_once = || -> Result<(Duration, Found), String> {
        let started = Instant::now();
        let found = rt.block_on(introspect(engine, &url))?;
        Ok((started.elapsed(), found))
    };
    let dump_once = || -> Result<Duration, String> {
        let (tool, dump_args) = engine.dump_command(&database.name);
        let mut cmd = Command::new(tool);
        cmd.args(dump_args);
        run_quiet(cmd, tool).map(|(elapsed, _)| elapsed)
    };

    // Warm-up (not counted), and a check that we read what was loaded.
    let (_, seen) = ours_once()?;
    dump_once()?;
    println!("schemasync reads: {seen}");
    if seen.tables != tables {
        return Err(format!("expected {tables} tables, introspection found {}", seen.tables));
    }

    let (mut ours, mut dump) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for run in 0..runs {
        // Alternate which side goes first.
        if run % 2 == 0 {
            ours.push(ms(ours_once()?.0));
            dump.push(ms(dump_once()?));
        } else {
            dump.push(ms(dump_once()?));
            ours.push(ms(ours_once()?.0));
        }
        println!("run {}: schemasync {:.1} ms, {tool} {:.1} ms", run + 1, ours[run], dump[run]);
    }
    drop(rt);
    let (ours_median, dump_median) = (median(&ours), median(&dump));
    let ratio = ours_median / dump_median;

    let memory = measure_memory(engine, &database.name)?;
    let ours_peak = memory.ours_time_kib.or(memory.ours_vmhwm_kib);
    println!("median of {runs}: schemasync {ours_median:.1} ms, {tool} {dump_median:.1} ms, ratio {ratio:.2}");
    println!(
        "peak RSS: schemasync {} (child's VmHWM {}, {} before connecting), {tool} {}",
        kib(ours_peak),
        kib(memory.ours_vmhwm_kib),
        kib(memory.ours_start_kib),
        kib(memory.dump_kib)
    );
    let show = |v: Option<u64>| v.map_or_else(|| "na".to_owned(), |v| v.to_string());
    println!(
        "RESULT engine={engine} tables={tables} runs={runs} ours_ms={ours_median:.1} dump_tool={tool} dump_ms={dump_median:.1} ratio={ratio:.2} ours_peak_kib={} dump_peak_kib={}",
        show(ours_peak),
        show(memory.dump_kib)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn parses_good_arguments() {
        let Ok(Mode::Bench(b)) = parse_args(&args(&["mysql", "--tables", "30", "--keep", "--runs", "3"])) else {
            panic!("expected a bench")
        };
        assert_eq!((b.engine, b.tables, b.runs, b.keep), (Engine::MySql, 30, 3, true));
        assert!(matches!(
            parse_args(&args(&["introspect-once", "postgres", "postgres://x/y"])),
            Ok(Mode::IntrospectOnce { engine: Engine::Postgres, .. })
        ));
    }

    #[test]
    fn rejects_bad_arguments() {
        for bad in [
            &[][..],
            &["oracle", "--tables", "3"],
            &["postgres"],
            &["postgres", "--tables"],
            &["postgres", "--tables", "x"],
            &["postgres", "--tables", "0"],
            &["postgres", "--tables", "-3"],
            &["postgres", "--tables", "3", "--runs"],
            &["postgres", "--tables", "3", "--frobnicate"],
            &["introspect-once", "postgres"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn medians_and_fields() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(time_max_rss("warning\n12345\n"), Some(12345));
        assert_eq!(field("ONCE tables=3 ms=1.5", "ms"), Some("1.5"));
        assert_eq!(field("ONCE tables=3 ms=1.5", "m"), None);
    }
}
