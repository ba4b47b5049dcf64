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
        let source_sql = fixture.ddl(Some((case.column, case.to)));
        let server = match engine {
            Engine::Postgres => Server::Postgres,
            Engine::MySql => Server::MySql,
            Engine::Sqlite => {
                let dir = TestDir::new();
                let path = dir.sqlite_db("target.db", &target_sql);
                let wanted =
                    schemasync_sqlite::load_sql(&source_sql).unwrap_or_else(|e| panic!("{e}\n{source_sql}")).schema;
                return Some(Pair::Sqlite { _dir: dir, path, wanted: Box::new(wanted) });
            }
        };
        let source = ServerDb::create(server, "lossy_src")?;
        let target = ServerDb::create(server, "lossy_dst")?;
        source.exec(&source_sql);
        target.exec(&target_sql);
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
        let out = match self {
            Pair::Server { server: Server::Postgres, target, .. } => tool(Command::new("psql").args([
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                target.url(),
                "-c",
                &format!("SELECT {column} FROM t WHERE id = 1"),
            ])),
            Pair::Server { target, .. } => {
                let (user, host, port) = mysql_parts(&mysql_url());
                tool(Command::new("mysql").args([
                    format!("-u{user}"),
                    format!("-h{host}"),
                    format!("-P{port}"),
                    "-N".into(),
                    "-B".into(),
                    target.name().into(),
                    "-e".into(),
                    format!("SELECT {column} FROM t WHERE id = 1"),
                ]))
            }
            Pair::Sqlite { path, .. } => {
                let conn = rusqlite::Connection::open(path).expect("open the target");
                let sql = format!("SELECT quote({column}) FROM t WHERE id = 1");
                let value: String = conn.query_row(&sql, [], |r| r.get(0)).expect("read the value");
                value.into_bytes()
            }
        };
        String::from_utf8_lossy(&out).trim().to_owned()
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
