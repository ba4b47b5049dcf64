//! Lossy column type changes on real data (issue 10): each change is
//! either refused before anything runs (a silent value change is data loss,
//! which needs allowing destructive changes), or fails on the rows that do
//! not fit and leaves the target as it was, or applies with nothing lost.
//! The target is read back with the engine's own tools (`pg_dump`, `psql`,
//! `mysqldump`, `mysql`; for SQLite the file's bytes and SQLite itself),
//! and every applied case ends with an empty re-diff.

use std::path::PathBuf;
use std::process::Command;

use schemasync::{HazardKind, Location, Refusal, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{Server, ServerDb, TestDir, mysql_url, skip};

/// What a type change must do to a table holding (1.75, '007', 'fifteen chars!!').
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Values change silently: refused without allowing destructive
    /// changes; with it applied, the value reading `after` (a trailing `*`
    /// matches any rest).
    Loss { after: &'static str },
    /// Values do not fit: the apply fails and the target is unchanged,
    /// whether destructive changes are allowed or not.
    Fails,
    /// Both: refused without allowing destructive changes; with it the
    /// apply fails on the rows that do not fit, the target unchanged.
    LossThenFails,
    /// Applied without allowing destructive changes, every value kept;
    /// `fails_hazard`: the plan warns that other rows could make it fail.
    Keeps { fails_hazard: bool },
}

struct Case {
    column: &'static str,
    to: &'static str,
    expect: Expect,
}

const fn case(column: &'static str, to: &'static str, expect: Expect) -> Case {
    Case { column, to, expect }
}

const fn loss(after: &'static str) -> Expect {
    Expect::Loss { after }
}

const KEEPS: Expect = Expect::Keeps { fails_hazard: false };
const FITS: Expect = Expect::Keeps { fails_hazard: true };

/// One engine's table: columns with their types, and the rows.
struct Fixture {
    /// DDL both sides run first (types the columns use).
    prelude: &'static str,
    columns: &'static [(&'static str, &'static str)],
    suffix: &'static str,
    rows: &'static str,
}

impl Fixture {
    fn ddl(&self, retyped: Option<(&str, &str)>) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(name, ty)| match retyped {
                Some((column, to)) if column == *name => format!("{name} {to}"),
                _ => format!("{name} {ty}"),
            })
            .collect();
        format!("{}CREATE TABLE t ({}, PRIMARY KEY (id)){};", self.prelude, columns.join(", "), self.suffix)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Postgres,
    MySql,
    Sqlite,
}

/// A target holding the fixture's rows and a source whose table differs by
/// one column's type.
enum Pair {
    Server { server: Server, source: ServerDb, target: ServerDb },
    Sqlite { _dir: TestDir, path: PathBuf, wanted: Box<Schema> },
}

impl Pair {
    fn new(engine: Engine, fixture: &Fixture, case: &Case) -> Option<Pair> {
        let target_sql = format!("{}\n{}", fixture.ddl(None), fixture.rows);
        Pair::from_sql(engine, &target_sql, &fixture.ddl(Some((case.column, case.to))))
    }

    fn from_sql(engine: Engine, target_sql: &str, source_sql: &str) -> Option<Pair> {
        let server = match engine {
            Engine::Postgres => Server::Postgres,
            Engine::MySql => Server::MySql,
            Engine::Sqlite => {
                let dir = TestDir::new();
                let path = dir.sqlite_db("target.db", target_sql);
                let wanted =
                    schemasync_sqlite::load_sql(source_sql).unwrap_or_else(|e| panic!("{e}\n{source_sql}")).schema;
                return Some(Pair::Sqlite { _dir: dir, path, wanted: Box::new(wanted) });
            }
        };
        let source = ServerDb::create(server, "lossy_src")?;
        let target = ServerDb::create(server, "lossy_dst")?;
        source.exec(source_sql);
        target.exec(target_sql);
        Some(Pair::Server { server, source, target })
    }

    fn target(&self) -> Location {
        match self {
            Pair::Server { target, .. } => Location::parse(target.url()).expect("target url"),
            Pair::Sqlite { path, .. } => Location::Sqlite { path: path.clone() },
        }
    }

    fn wanted(&self, syncer: &Syncer<SqliteHistory>) -> Schema {
        match self {
            Pair::Server { source, .. } => {
                let source = Source::Database(Location::parse(source.url()).expect("source url"));
                syncer.resolve(&source, None).expect("read the source").schema
            }
            Pair::Sqlite { wanted, .. } => (**wanted).clone(),
        }
    }

    /// The target as its engine dumps it (schema and rows); SQLite: the
    /// file's bytes.
    fn dump(&self) -> Vec<u8> {
        match self {
            Pair::Server { server: Server::Postgres, target, .. } => {
                let dump = tool(Command::new("pg_dump").args(["--no-owner", "--table=public.t", target.url()]));
                // pg_dump 15.14+ fences its output with a random key.
                let text = String::from_utf8_lossy(&dump);
                let lines: Vec<&str> =
                    text.lines().filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict")).collect();
                lines.join("\n").into_bytes()
            }
            Pair::Server { target, .. } => {
                let (user, host, port) = mysql_parts(&mysql_url());
                tool(Command::new("mysqldump").args([
                    format!("-u{user}"),
                    format!("-h{host}"),
                    format!("-P{port}"),
                    "--skip-comments".into(),
                    "--skip-dump-date".into(),
                    target.name().into(),
                    "t".into(),
                ]))
            }
            Pair::Sqlite { path, .. } => std::fs::read(path).expect("read the target file"),
        }
    }

    /// The value of `column` in row 1, as the engine's client prints it
    /// (SQLite: `quote()`, which tells 7 from '007').
    fn value(&self, column: &str) -> String {
        let sql = match self {
            Pair::Sqlite { .. } => format!("SELECT quote({column}) FROM t WHERE id = 1"),
            Pair::Server { .. } => format!("SELECT {column} FROM t WHERE id = 1"),
        };
        self.query(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first value `sql` reads from the target, printed by the engine's
    /// client (SQLite: by SQLite, as text).
    fn query(&self, sql: &str) -> Result<String, String> {
        let mut cmd = match self {
            Pair::Server { server: Server::Postgres, target, .. } => {
                let mut cmd = Command::new("psql");
                cmd.args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", target.url(), "-c", sql]);
                cmd
            }
            Pair::Server { target, .. } => {
                let (user, host, port) = mysql_parts(&mysql_url());
                let mut cmd = Command::new("mysql");
                cmd.args([format!("-u{user}"), format!("-h{host}"), format!("-P{port}")]);
                cmd.args(["--default-character-set=utf8mb4", "-N", "-B", target.name(), "-e", sql]);
                cmd
            }
            Pair::Sqlite { path, .. } => {
                let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
                return conn.query_row(sql, [], |r| r.get::<_, String>(0)).map_err(|e| e.to_string());
            }
        };
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }
}

fn tool(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// (user, host, port) of a mysql:// URL, for the command-line tools.
fn mysql_parts(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    let (user, hostport) = authority.rsplit_once('@').unwrap_or(("root", authority));
    let user = user.split(':').next().unwrap_or("root");
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
    (user.to_owned(), host.to_owned(), port.to_owned())
}

fn clients_present(engine: Engine) -> bool {
    let needed: &[&str] = match engine {
        Engine::Postgres => &["pg_dump", "psql"],
        Engine::MySql => &["mysqldump", "mysql"],
        Engine::Sqlite => &[],
    };
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|t| !Command::new(t).arg("--version").output().is_ok_and(|o| o.status.success()))
        .collect();
    if missing.is_empty() {
        return true;
    }
    let _: Option<()> = skip(&format!("{} not installed", missing.join(", ")));
    false
}

/// Runs one case; `Err` says what went wrong.
fn run(engine: Engine, fixture: &Fixture, case: &Case) -> Result<(), String> {
    let Some(pair) = Pair::new(engine, fixture, case) else { return Ok(()) };
    let what = format!("{engine:?} {} -> {}", case.column, case.to);
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let wanted = pair.wanted(&syncer);
    let target = pair.target();
    let before = pair.dump();
    let original = pair.value(case.column);
    let plain = SyncOptions::default();
    let destructive = SyncOptions::default().allow_destructive(true);

    let plan = syncer.plan(&wanted, "source", &target, &plain).map_err(|e| format!("{what}: plan: {e}"))?;
    if plan.script.is_empty() {
        return Err(format!("{what}: nothing planned"));
    }
    let has = |kind: HazardKind| plan.plan.hazards().any(|h| h.kind == kind);
    let (loss, fails) = (has(HazardKind::DataLoss), has(HazardKind::FailsOnExistingRows));
    let script = plan.script.to_sql();
    match case.expect {
        Expect::Loss { .. } if !loss => return Err(format!("{what}: no data-loss hazard\n{script}")),
        Expect::LossThenFails if !loss || !fails => {
            return Err(format!("{what}: want both hazards (loss {loss}, fails {fails})\n{script}"));
        }
        Expect::Fails if loss || !fails => {
            return Err(format!("{what}: want only fails-on-rows (loss {loss}, fails {fails})\n{script}"));
        }
        Expect::Keeps { fails_hazard } if loss || fails != fails_hazard => {
            return Err(format!(
                "{what}: want loss false, fails {fails_hazard} (loss {loss}, fails {fails})\n{script}"
            ));
        }
        _ => {}
    }

    let report = syncer.apply(&plan, &plain);
    let unchanged = |stage: &str| -> Result<(), String> {
        if pair.dump() == before { Ok(()) } else { Err(format!("{what}: {stage}: the target changed\n{script}")) }
    };
    let refused = report.status == TargetStatus::Refused && report.refusal == Some(Refusal::DataLoss);
    match case.expect {
        Expect::Loss { .. } | Expect::LossThenFails if !refused => {
            return Err(format!("{what}: not refused: {:?} {:?}\n{script}", report.status, report.error));
        }
        Expect::LossThenFails => {
            unchanged("refused")?;
            let plan = syncer.plan(&wanted, "source", &target, &destructive).map_err(|e| e.to_string())?;
            let report = syncer.apply(&plan, &destructive);
            if report.status != TargetStatus::Failed {
                return Err(format!("{what}: allowed, did not fail: {:?}\n{script}", report.status));
            }
            unchanged("failed with destructive changes allowed")?;
            return Ok(());
        }
        Expect::Loss { after } => {
            unchanged("refused")?;
            let plan = syncer.plan(&wanted, "source", &target, &destructive).map_err(|e| e.to_string())?;
            let report = syncer.apply(&plan, &destructive);
            if report.status != TargetStatus::Applied {
                return Err(format!("{what}: allowed, not applied: {:?} {:?}\n{script}", report.status, report.error));
            }
            let now = pair.value(case.column);
            let matches = after.strip_suffix('*').map_or(now == after, |prefix| now.starts_with(prefix));
            if !matches {
                return Err(format!("{what}: {original} became {now}, want {after}"));
            }
        }
        Expect::Fails => {
            if report.status != TargetStatus::Failed {
                return Err(format!("{what}: did not fail: {:?} {:?}\n{script}", report.status, report.error));
            }
            unchanged("failed")?;
            // Allowing destructive changes does not make it cut values.
            let plan = syncer.plan(&wanted, "source", &target, &destructive).map_err(|e| e.to_string())?;
            let report = syncer.apply(&plan, &destructive);
            if report.status != TargetStatus::Failed {
                return Err(format!("{what}: allowed, did not fail: {:?}\n{script}", report.status));
            }
            unchanged("failed with destructive changes allowed")?;
            return Ok(());
        }
        Expect::Keeps { .. } => {
            if report.status != TargetStatus::Applied {
                return Err(format!("{what}: not applied: {:?} {:?}\n{script}", report.status, report.error));
            }
            let now = pair.value(case.column);
            // More decimals print more digits (1.75 as 1.750): same number.
            let same_number = matches!((now.parse::<f64>(), original.parse::<f64>()), (Ok(a), Ok(b)) if a == b);
            if now != original && !same_number {
                return Err(format!("{what}: {original} became {now}\n{script}"));
            }
        }
    }
    let again = syncer.plan(&wanted, "re-diff", &target, &plain).map_err(|e| format!("{what}: re-diff: {e}"))?;
    if !again.script.is_empty() {
        return Err(format!("{what}: re-diff not empty:\n{}", again.script.to_sql()));
    }
    Ok(())
}

fn run_all(engine: Engine, fixture: &Fixture, cases: &[Case]) {
    if !clients_present(engine) {
        return;
    }
    let failures: Vec<String> = cases.iter().filter_map(|case| run(engine, fixture, case).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases wrong:\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// Row 1 is the one read back; row 2's 30 does not fit `numeric(3,2)`.
const ROWS: &str =
    "INSERT INTO t (id, price, code, name) VALUES (1, 1.75, '007', 'fifteen chars!!'), (2, 30, '12', 'short');";

#[test]
fn postgres_lossy_changes_are_refused_and_narrowing_fails() {
    let fixture = Fixture {
        prelude: "",
        columns: &[
            ("id", "integer"),
            ("price", "numeric(10,2)"),
            ("code", "text"),
            ("name", "character varying(20)"),
            ("seen", "timestamp"),
        ],
        suffix: "",
        rows: "INSERT INTO t VALUES (1, 1.75, '007', 'fifteen chars!!', '2020-01-01 12:00:00'),
                                    (2, 30, '12', 'short', '2021-06-01 00:00:00');",
    };
    run_all(
        Engine::Postgres,
        &fixture,
        &[
            case("price", "integer", loss("2")),
            case("price", "numeric(10,1)", loss("1.8")),
            // 1.75 happens to be exact in a real; 12345678.91 would not be.
            case("price", "real", loss("1.75")),
            case("code", "integer", loss("7")),
            case("code", "numeric(10,2)", loss("7.00")),
            // Read through the session's time zone.
            case("seen", "timestamptz", loss("2020-01-01 12:00:00*")),
            case("name", "character varying(10)", Expect::Fails),
            // Too long, and blank-padded: refused, and when allowed it
            // still fails rather than cutting the value.
            case("name", "character(10)", Expect::LossThenFails),
            case("code", "uuid", Expect::LossThenFails),
            case("price", "numeric(3,2)", Expect::Fails),
            case("name", "character varying(16)", FITS),
            case("name", "character varying(30)", KEEPS),
            case("name", "text", KEEPS),
            case("price", "numeric(12,2)", KEEPS),
            case("id", "bigint", KEEPS),
        ],
    );
}

#[test]
fn postgres_domains_are_judged_by_their_base_types() {
    let fixture = Fixture {
        prelude: "CREATE DOMAIN d5 AS varchar(5); CREATE DOMAIN checked AS varchar(20) CHECK (VALUE <> '');",
        columns: &[("id", "integer"), ("price", "numeric(10,2)"), ("code", "text"), ("name", "character varying(20)")],
        suffix: "",
        rows: ROWS,
    };
    run_all(
        Engine::Postgres,
        &fixture,
        &[
            // The cast into the domain cuts (USING CAST cannot tell a
            // domain from an enum): data loss, refused unless allowed.
            case("name", "d5", loss("fifte")),
            case("name", "checked", FITS),
        ],
    );
}

#[test]
fn mysql_lossy_changes_are_refused_and_narrowing_fails() {
    let fixture = Fixture {
        prelude: "",
        columns: &[
            ("id", "int"),
            ("price", "decimal(10,2)"),
            ("code", "varchar(20)"),
            ("name", "varchar(20)"),
            ("ratio", "double(10,2)"),
        ],
        suffix: " ENGINE=InnoDB",
        rows: "INSERT INTO t VALUES (1, 1.75, '007', 'fifteen chars!!', 1.75), (2, 30, '12', 'short', 30);",
    };
    run_all(
        Engine::MySql,
        &fixture,
        &[
            case("price", "int", loss("2")),
            case("price", "decimal(10,1)", loss("1.8")),
            case("price", "float", loss("1.75")),
            case("name", "char(10)", Expect::LossThenFails),
            // double(M,D) rounds every value to D decimals.
            case("ratio", "double(10,1)", loss("1.8")),
            case("ratio", "double(10,3)", FITS),
            case("ratio", "double(11,3)", KEEPS),
            case("ratio", "double", KEEPS),
            case("code", "int", loss("7")),
            case("code", "decimal(10,2)", loss("7.00")),
            case("name", "varchar(10)", Expect::Fails),
            case("price", "decimal(3,2)", Expect::Fails),
            case("name", "varchar(16)", FITS),
            case("name", "varchar(30)", KEEPS),
            case("name", "text", KEEPS),
            case("price", "decimal(12,2)", KEEPS),
            case("id", "bigint", KEEPS),
        ],
    );
}

#[test]
fn sqlite_affinity_changes_are_refused() {
    let fixture = Fixture {
        prelude: "",
        columns: &[("id", "INTEGER"), ("price", "REAL"), ("code", "TEXT"), ("name", "VARCHAR(20)")],
        suffix: "",
        rows: ROWS,
    };
    run_all(
        Engine::Sqlite,
        &fixture,
        &[
            case("code", "INTEGER", loss("7")),
            case("code", "NUMERIC", loss("7")),
            case("code", "REAL", loss("7.0")),
            case("price", "TEXT", loss("'1.75'")),
            // Declared lengths mean nothing to SQLite: every value is kept.
            case("name", "VARCHAR(10)", KEEPS),
            case("price", "DOUBLE", KEEPS),
            case("code", "CLOB", KEEPS),
        ],
    );
}

#[test]
fn sqlite_strict_tables_fail_instead() {
    let fixture = Fixture {
        prelude: "",
        columns: &[("id", "INTEGER"), ("price", "REAL"), ("code", "TEXT"), ("name", "TEXT")],
        suffix: " STRICT",
        rows: ROWS,
    };
    run_all(
        Engine::Sqlite,
        &fixture,
        &[
            // '007' is stored as 7 (lossless by SQLite's rules, not by ours).
            case("code", "INTEGER", loss("7")),
            // Whole reals become integers; 1.75 cannot: the copy fails.
            case("price", "INTEGER", Expect::LossThenFails),
            case("name", "BLOB", Expect::Fails),
            case("name", "ANY", KEEPS),
        ],
    );
}

/// One probe of a sweep: a column of type `from` holding `value`, changed
/// to `to`.
type Probe = (&'static str, &'static str, &'static str);

/// How the probes of a sweep came out, for the failure message.
#[derive(Debug, Default)]
struct Tally {
    refused: usize,
    failed: usize,
    kept: usize,
    changed: usize,
}

/// Whether a value read back is the one written (`engine`'s reading; see
/// `sweep`): more decimals or a time of day of zeros print more, and a
/// number column may print the same number differently.
fn same_value(engine: Engine, from: &str, before: &str, after: &str) -> bool {
    if before == after {
        return true;
    }
    if engine != Engine::MySql {
        return false;
    }
    let padded =
        after.strip_prefix(before).is_some_and(|rest| rest.chars().all(|c| matches!(c, ' ' | ':' | '.' | '0')));
    let numeric = ["int", "decimal", "double", "float"].iter().any(|n| from.starts_with(n));
    let same_number = matches!((before.parse::<f64>(), after.parse::<f64>()), (Ok(a), Ok(b)) if a == b);
    padded || (numeric && same_number)
}

/// Every probe against the real engine: the plan's hazards must cover what
/// the server does. A value that changes needs a data-loss hazard (and
/// is refused without allowing destructive changes); an apply that fails
/// needs a fails-on-rows hazard and leaves the value as it was; an applied
/// change ends with an empty re-diff. PostgreSQL values are read back cast
/// to the old type, so only what that cast cannot restore counts.
fn sweep(engine: Engine, suffix: &str, can_fail: bool, probes: &[Probe]) {
    if !clients_present(engine) {
        return;
    }
    let id = if engine == Engine::Sqlite { "INTEGER" } else { "int" };
    let table = |i: usize, ty: &str| format!("CREATE TABLE t{i} (id {id} PRIMARY KEY, c {ty}){suffix};");
    let mut target_sql = String::new();
    let mut source_sql = String::new();
    for (i, (from, value, to)) in probes.iter().enumerate() {
        target_sql.push_str(&format!("{}\nINSERT INTO t{i} (id, c) VALUES (1, {value});\n", table(i, from)));
        source_sql.push_str(&format!("{}\n", table(i, to)));
    }
    let Some(pair) = Pair::from_sql(engine, &target_sql, &source_sql) else { return };
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let source = pair.wanted(&syncer);
    let target = pair.target();
    let plain = SyncOptions::default();
    let destructive = SyncOptions::default().allow_destructive(true);
    let mut tally = Tally::default();
    let mut wrong = Vec::new();
    for (i, (from, _, to)) in probes.iter().enumerate() {
        let what = format!("{engine:?} {from} -> {to}");
        let name = format!("t{i}");
        let read = match engine {
            Engine::Postgres => format!("SELECT CAST(c AS {from})::text FROM {name}"),
            Engine::MySql => format!("SELECT c FROM {name}"),
            Engine::Sqlite => format!("SELECT quote(c) FROM {name}"),
        };
        let before = pair.query(&read).unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut wanted = syncer.inspect(&target).expect("inspect the target").schema;
        let (Some(key), Some(new)) = (
            wanted.tables.keys().find(|k| k.name == name).cloned(),
            source.tables.values().find(|t| t.name.name == name).cloned(),
        ) else {
            panic!("{what}: table {name} missing");
        };
        wanted.tables.insert(key, new);
        let plan = syncer.plan(&wanted, "sweep", &target, &plain).expect("plan");
        let has = |kind: HazardKind| plan.plan.hazards().any(|h| h.kind == kind);
        let (loss, fails) = (has(HazardKind::DataLoss), has(HazardKind::FailsOnExistingRows));
        let script = plan.script.to_sql();
        if plan.script.is_empty() {
            wrong.push(format!("{what}: nothing planned"));
            continue;
        }
        if loss {
            let report = syncer.apply(&plan, &plain);
            if report.status != TargetStatus::Refused {
                wrong.push(format!("{what}: data loss not refused: {:?}", report.status));
                continue;
            }
            tally.refused += 1;
        }
        let plan = syncer.plan(&wanted, "sweep", &target, &destructive).expect("plan");
        let report = syncer.apply(&plan, &destructive);
        // Cast back to the old type; a value no cast brings back has changed.
        let after = pair.query(&read).unwrap_or_else(|e| format!("(unreadable: {e})"));
        let same = same_value(engine, from, &before, &after);
        match report.status {
            TargetStatus::Failed => {
                tally.failed += 1;
                if !fails {
                    wrong.push(format!("{what}: failed without a fails-on-rows hazard\n{script}"));
                }
                if after != before {
                    wrong.push(format!("{what}: failed, yet {before} became {after}"));
                }
                continue;
            }
            TargetStatus::Applied if same => tally.kept += 1,
            TargetStatus::Applied => {
                tally.changed += 1;
                if !loss {
                    wrong.push(format!("{what}: {before} became {after} without a data-loss hazard\n{script}"));
                }
            }
            other => {
                wrong.push(format!("{what}: {other:?} {:?}\n{script}", report.error));
                continue;
            }
        }
        let again = syncer.plan(&wanted, "re-diff", &target, &plain).expect("re-diff");
        if !again.script.is_empty() {
            wrong.push(format!("{what}: re-diff not empty:\n{}", again.script.to_sql()));
        }
    }
    assert!(wrong.is_empty(), "{} of {} probes wrong ({tally:?}):\n{}", wrong.len(), probes.len(), wrong.join("\n\n"));
    // Not vacuous: values kept and values changed, and failures exactly
    // where the engine can fail (plain SQLite tables never do).
    assert!(tally.changed > 0 && tally.kept > 0 && (tally.failed > 0) == can_fail, "{tally:?}: outcomes not covered");
}

#[test]
fn postgres_sweep_hazards_cover_what_the_server_does() {
    sweep(
        Engine::Postgres,
        "",
        true,
        &[
            ("numeric(10,2)", "1.75", "integer"),
            ("numeric(10,2)", "1.75", "numeric(10,1)"),
            ("numeric(10,2)", "1.75", "numeric(12,2)"),
            ("numeric(10,2)", "1.75", "numeric(12,4)"),
            ("numeric(10,2)", "12345678.91", "real"),
            ("numeric(10,2)", "1.75", "double precision"),
            ("numeric(10,2)", "12345678.91", "numeric(9,2)"),
            ("numeric(10,2)", "1.75", "text"),
            ("numeric(10,2)", "12345678.91", "character varying(5)"),
            ("numeric", "1.23456", "numeric(10,2)"),
            ("integer", "2147483647", "smallint"),
            ("integer", "2147483647", "bigint"),
            ("integer", "2147483647", "real"),
            ("integer", "2147483647", "numeric(5,0)"),
            ("integer", "7", "boolean"),
            ("integer", "7", "timestamp with time zone"),
            ("bigint", "9007199254740993", "double precision"),
            ("double precision", "1.1", "real"),
            ("double precision", "1e300", "real"),
            ("double precision", "1.75", "integer"),
            ("double precision", "0.1", "numeric"),
            ("real", "1.1", "double precision"),
            ("text", "'007'", "integer"),
            ("text", "' 12 '", "integer"),
            ("text", "'abc'", "integer"),
            ("text", "'1.750'", "numeric(10,2)"),
            ("text", "'fifteen chars!!'", "character varying(10)"),
            ("text", "'fifteen chars!!'", "character varying(15)"),
            ("text", "'fifteen chars!!'", "character(20)"),
            ("text", "'ab  '", "character(4)"),
            ("character varying(20)", "'fifteen chars!!'", "text"),
            ("character(5)", "'ab'", "text"),
            ("text", "'yes'", "boolean"),
            ("text", "'2020-1-2'", "date"),
            ("text", "'{\"b\": 1, \"a\": 2}'", "jsonb"),
            ("json", "'{\"b\":1}'", "jsonb"),
            ("jsonb", "'{\"b\": 1}'", "json"),
            ("timestamp", "'2020-01-01 12:00:00.123456'", "timestamp(0)"),
            ("timestamp", "'2020-01-01 12:00:00.123456'", "timestamp with time zone"),
            ("timestamp", "'2020-01-01 12:00:00'", "date"),
            ("date", "'2020-01-01'", "timestamp"),
            ("timestamp with time zone", "'2020-01-01 12:00:00+00'", "timestamp"),
            ("bit(4)", "B'1010'", "bit(8)"),
            ("bit varying(8)", "B'10101010'", "bit varying(4)"),
            ("character varying(10)[]", "ARRAY['fifteen ch']", "character varying(5)[]"),
            ("integer[]", "ARRAY[1, 2]", "bigint[]"),
            ("uuid", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "text"),
            ("text", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "uuid"),
        ],
    );
}

#[test]
fn mysql_sweep_hazards_cover_what_the_server_does() {
    sweep(
        Engine::MySql,
        " ENGINE=InnoDB",
        true,
        &[
            ("decimal(10,2)", "1.75", "int"),
            ("decimal(10,2)", "1.75", "decimal(10,1)"),
            ("decimal(10,2)", "1.75", "decimal(12,2)"),
            ("decimal(10,2)", "12345678.91", "decimal(9,2)"),
            ("decimal(10,2)", "12345678.91", "float"),
            ("decimal(10,2)", "1.75", "double"),
            ("decimal(10,2)", "1.75", "varchar(10)"),
            ("decimal(10,2)", "12345678.91", "varchar(5)"),
            ("int", "2147483647", "smallint"),
            ("int", "2147483647", "bigint"),
            ("int", "-1", "int unsigned"),
            ("int unsigned", "4294967295", "int"),
            ("int", "16777217", "float"),
            ("bigint", "9007199254740993", "double"),
            ("double", "1.75", "int"),
            ("double", "1.755", "double(10,2)"),
            ("double(10,2)", "1.75", "double(10,1)"),
            ("double", "1e300", "float"),
            ("varchar(20)", "'007'", "int"),
            ("varchar(20)", "' 12 '", "int"),
            ("varchar(20)", "'1.5'", "int"),
            ("varchar(20)", "'abc'", "int"),
            ("varchar(20)", "'1.750'", "decimal(10,2)"),
            ("varchar(20)", "'fifteen chars!!'", "varchar(10)"),
            ("varchar(20)", "'fifteen chars!!'", "varchar(15)"),
            ("varchar(20)", "'fifteen chars!!'", "text"),
            ("varchar(20)", "'ab  '", "char(4)"),
            ("varchar(20)", "'A'", "enum('a','b')"),
            ("varchar(20)", "'b,a'", "set('a','b')"),
            ("enum('a','b')", "'b'", "int"),
            ("enum('a','b','c')", "'c'", "enum('a','b')"),
            ("enum('a','b')", "'b'", "enum('b','a','c')"),
            ("datetime(6)", "'2020-01-01 12:00:00.123456'", "datetime"),
            ("datetime", "'2020-01-01 12:00:00'", "timestamp"),
            ("datetime", "'1960-01-01 12:00:00'", "timestamp"),
            ("datetime", "'2020-01-01 12:00:00'", "date"),
            ("date", "'2020-01-01'", "datetime"),
            ("text", "'x'", "varchar(255)"),
            ("varchar(10) CHARACTER SET utf8mb4", "'日本'", "varchar(10) CHARACTER SET latin1"),
            ("varchar(10) CHARACTER SET latin1", "'café'", "varchar(10) CHARACTER SET utf8mb4"),
        ],
    );
}

#[test]
fn sqlite_sweep_hazards_cover_what_sqlite_does() {
    sweep(
        Engine::Sqlite,
        "",
        false,
        &[
            ("TEXT", "'007'", "INTEGER"),
            ("TEXT", "'007'", "NUMERIC"),
            ("TEXT", "'007'", "REAL"),
            ("TEXT", "'abc'", "INTEGER"),
            ("TEXT", "'007'", "BLOB"),
            ("TEXT", "'007'", "VARCHAR(2)"),
            ("INTEGER", "7", "TEXT"),
            ("INTEGER", "7", "REAL"),
            ("INTEGER", "7", "BIGINT"),
            ("INTEGER", "7", "NUMERIC"),
            ("REAL", "1.75", "INTEGER"),
            ("REAL", "1.0", "INTEGER"),
            ("REAL", "1.75", "TEXT"),
            ("REAL", "1.75", "DOUBLE"),
            ("NUMERIC", "'1.50'", "TEXT"),
            ("BLOB", "x'41'", "TEXT"),
            ("VARCHAR(20)", "'fifteen chars!!'", "VARCHAR(10)"),
            ("DATETIME", "'2020-01-01'", "TEXT"),
        ],
    );
}

#[test]
fn sqlite_strict_sweep_hazards_cover_what_sqlite_does() {
    sweep(
        Engine::Sqlite,
        " STRICT",
        true,
        &[
            ("TEXT", "'007'", "INTEGER"),
            ("TEXT", "'abc'", "INTEGER"),
            ("REAL", "1.75", "INTEGER"),
            ("REAL", "1.0", "INTEGER"),
            ("INTEGER", "7", "REAL"),
            ("INTEGER", "7", "TEXT"),
            ("TEXT", "'x'", "BLOB"),
            ("TEXT", "'x'", "ANY"),
            ("ANY", "'007'", "INTEGER"),
        ],
    );
}
