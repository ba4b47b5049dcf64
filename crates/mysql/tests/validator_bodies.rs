//! The snapshot validator accepts what MariaDB accepts: every stored
//! program below is created on the server, read back through introspection,
//! and the introspected schema must pass `schemasync_sql::validate_schema`.
//! So must the routines, triggers, events and views of every MySQL fixture
//! of the workspace and of the real-world corpus (`SCHEMASYNC_CORPUS_DIR`).
#![allow(clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};

use common::{TestDb, run};
use mysql_async::prelude::Queryable;
use schemasync_model::{Dialect, Schema};

/// Tables the programs below refer to.
const TABLES: &[&str] = &[
    "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, `end` DATETIME, `begin` DATETIME, status INT, `close` INT, `open` INT, handler INT, `condition` INT, qty INT, x INT)",
    "CREATE TABLE log (msg TEXT, `end` INT, status VARCHAR(10))",
];

/// Routines: each is one statement MariaDB accepts, with a distinct name.
const ROUTINES: &[&str] = &[
    "CREATE FUNCTION f_double() RETURNS DOUBLE PRECISION DETERMINISTIC RETURN 1",
    "CREATE FUNCTION f_double_block() RETURNS DOUBLE PRECISION BEGIN DECLARE x DOUBLE; SET x = 1; RETURN x; END",
    "CREATE FUNCTION f_varchar_block() RETURNS VARCHAR(20) CHARSET utf8mb4 COLLATE utf8mb4_bin BEGIN RETURN 'a;b'; END",
    "CREATE FUNCTION f_unsigned_if() RETURNS INT UNSIGNED IF 1 THEN RETURN 1; ELSE RETURN 2; END IF",
    "CREATE FUNCTION f_varchar() RETURNS VARCHAR(20) CHARSET utf8mb4 COLLATE utf8mb4_bin DETERMINISTIC RETURN 'x'",
    "CREATE FUNCTION f_charset() RETURNS VARCHAR(20) CHARACTER SET latin1 RETURN 'x'",
    "CREATE FUNCTION f_unsigned() RETURNS INT UNSIGNED NO SQL RETURN 1",
    "CREATE FUNCTION f_zerofill() RETURNS DECIMAL(10,2) ZEROFILL RETURN 1",
    "CREATE FUNCTION f_enum() RETURNS ENUM('a','b') RETURN 'a'",
    "CREATE FUNCTION f_set() RETURNS SET('a','b') RETURN 'a'",
    "CREATE FUNCTION f_varying() RETURNS CHARACTER VARYING(10) RETURN 'a'",
    "CREATE FUNCTION f_national() RETURNS NATIONAL CHAR(3) RETURN 'a'",
    "CREATE FUNCTION f_block() RETURNS BIGINT(20) UNSIGNED ZEROFILL\n    DETERMINISTIC\nBEGIN\n  RETURN 1;\nEND",
    "CREATE FUNCTION f_comment() RETURNS varchar(10) CHARSET utf8mb4 NO SQL COMMENT 'c; END' BEGIN RETURN 'x;'; END",
    "CREATE AGGREGATE FUNCTION f_agg(v INT) RETURNS INT BEGIN DECLARE total INT DEFAULT 0; DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN total; LOOP FETCH GROUP NEXT ROW; SET total = total + v; END LOOP; END",
    "CREATE PROCEDURE p_loop(IN n INT) l: LOOP SET n = n - 1; IF n < 0 THEN LEAVE l; END IF; END LOOP l",
    "CREATE PROCEDURE p_while(INOUT n INT) WHILE n > 0 DO SET n = n - 1; END WHILE",
    "CREATE PROCEDURE p_repeat(INOUT n INT) REPEAT SET n = n - 1; UNTIL n <= 0 END REPEAT",
    "CREATE PROCEDURE p_case(n INT) CASE n WHEN 1 THEN SELECT 'one'; WHEN 2 THEN SELECT 'two'; ELSE SELECT 'many'; END CASE",
    "CREATE PROCEDURE p_case_search(n INT) CASE WHEN n > 0 THEN SELECT CASE n WHEN 1 THEN 'one' ELSE 'more' END; END CASE",
    "CREATE PROCEDURE p_if(n INT) IF n > 0 THEN SELECT 1; ELSEIF n < 0 THEN SELECT -1; ELSE SELECT 0; END IF",
    "CREATE PROCEDURE p_simple() SQL SECURITY INVOKER READS SQL DATA SELECT 1",
    "CREATE PROCEDURE p_all(IN a INT)\nBEGIN\n  DECLARE x INT DEFAULT 0;\n  IF a > 0 THEN SET x = 1; ELSEIF a < 0 THEN SET x = -1; ELSE SET x = 0; END IF;\n  CASE x WHEN 1 THEN SELECT 'one'; ELSE BEGIN END; END CASE;\n  l: LOOP LEAVE l; END LOOP l;\n  WHILE x < 3 DO SET x = x + 1; END WHILE;\n  REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT;\n  SELECT CASE WHEN x THEN 1 ELSE 2 END, IF(x, 1, 2), REPEAT('a', 2);\nEND",
    "CREATE PROCEDURE p_condition() BEGIN DECLARE no_rows CONDITION FOR SQLSTATE '02000'; DECLARE done INT DEFAULT 0; DECLARE CONTINUE HANDLER FOR no_rows SET done = 1; SELECT done; END",
    "CREATE PROCEDURE p_exit() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END; START TRANSACTION; SELECT 1; COMMIT; END",
    "CREATE PROCEDURE p_handlers() BEGIN DECLARE CONTINUE HANDLER FOR SQLSTATE VALUE '23000', 1062, SQLWARNING BEGIN END; DECLARE EXIT HANDLER FOR SQLSTATE '42S02' IF 1 THEN SELECT 1; END IF; DROP TABLE IF EXISTS nothing_here; END",
    "CREATE PROCEDURE p_cursor() BEGIN\n  DECLARE done INT DEFAULT FALSE;\n  DECLARE v INT;\n  DECLARE c CURSOR FOR SELECT CASE WHEN id THEN a END AS x FROM t;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;\n  OPEN c;\n  read_loop: LOOP\n    FETCH c INTO v;\n    IF done THEN LEAVE read_loop; END IF;\n    ITERATE read_loop;\n  END LOOP;\n  CLOSE c;\nEND",
    "CREATE PROCEDURE p_signal(x INT) BEGIN IF x < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative; END IF', MYSQL_ERRNO = 1644; END IF; END",
    "CREATE PROCEDURE p_labels() outer_block: BEGIN inner_block: BEGIN LEAVE outer_block; END inner_block; BEGIN BEGIN END; END; END outer_block",
    "CREATE PROCEDURE p_not_atomic() BEGIN NOT ATOMIC SELECT 1; END",
    "CREATE PROCEDURE p_strings() BEGIN SELECT 'it\\'s; END', 'doubled '' ; END', \"dq \\\" ; END\"; END",
    "CREATE PROCEDURE p_comments() BEGIN -- a comment; END\n  # another; END IF\n  /* block; END; */ SELECT 1; END",
    "CREATE PROCEDURE p_quoted() BEGIN DECLARE `end` INT; DECLARE `begin` INT; SET `end` = 1; SELECT `begin`, `end`; END",
    "CREATE PROCEDURE p_names() BEGIN DECLARE status INT; SELECT begin, end, status, close, open, handler, `condition` FROM t WHERE end > begin; SET status = 1; UPDATE t SET end = NOW(), begin = end; END",
    "CREATE PROCEDURE p_qualified() BEGIN SELECT t.end, t.begin, @end, @@sql_mode FROM t; SELECT CASE WHEN t.end > 0 THEN t.begin END FROM t; END",
    "CREATE PROCEDURE p_case_exprs() BEGIN SELECT CASE WHEN a THEN b END AS x, CASE a WHEN 1 THEN CASE WHEN b THEN NULL ELSE 'e' END END FROM t; END",
    "CREATE PROCEDURE p_alias() BEGIN SELECT 1 end; SELECT a AS end FROM t; END",
    "CREATE PROCEDURE p_for() BEGIN FOR i IN 1..10 DO SELECT i; END FOR; l: FOR r IN (SELECT a FROM t) DO SELECT r.a; END FOR l; END",
    "CREATE PROCEDURE p_until_end() BEGIN DECLARE end INT DEFAULT 1; REPEAT SELECT 1; UNTIL end END REPEAT; END",
    "CREATE PROCEDURE p_dynamic() BEGIN PREPARE s FROM 'SELECT 1; SELECT 2'; EXECUTE s; DEALLOCATE PREPARE s; GET DIAGNOSTICS @n = NUMBER; END",
];

/// Trigger bodies on `t` (BEFORE INSERT), one trigger each.
const TRIGGER_BODIES: &[&str] = &[
    "SET NEW.a = 1",
    "IF NEW.x < 0 THEN SET NEW.x = 0; END IF",
    "BEGIN SET NEW.begin = NOW(); IF NEW.a > 0 THEN SET NEW.b = 2; END IF; END",
    "CASE WHEN NEW.a IS NULL THEN SET NEW.a = 0; END CASE",
    "BEGIN DECLARE n INT DEFAULT 3; WHILE n > 0 DO SET n = n - 1; END WHILE; END",
    "BEGIN IF NEW.qty < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'qty < 0; no'; END IF; END",
    "INSERT INTO log (`end`, status) VALUES (NEW.id, 'x;y')",
    "l: BEGIN IF NEW.a THEN LEAVE l; END IF; SET NEW.b = 1; END l",
];

/// Event bodies, one event each.
const EVENT_BODIES: &[&str] = &[
    "DELETE FROM log WHERE `end` < 0",
    "BEGIN DELETE FROM log; INSERT INTO log (msg) VALUES ('a; END'); END",
    "IF (SELECT COUNT(*) FROM log) > 10 THEN DELETE FROM log; END IF",
    "l: LOOP DELETE FROM log LIMIT 1; IF ROW_COUNT() = 0 THEN LEAVE l; END IF; END LOOP l",
];

/// Programs created under the session modes that change how quotes read.
const UNDER_SQL_MODE: &[(&str, &str)] = &[
    ("NO_BACKSLASH_ESCAPES", "CREATE PROCEDURE p_no_backslash() BEGIN SELECT 'a\\'; SELECT 'b;'; END"),
    ("ANSI_QUOTES", "CREATE PROCEDURE p_ansi() BEGIN SELECT \"id\" FROM t; SELECT 'x;' AS \"y;\"; END"),
];

async fn create_all(db: &TestDb) {
    let mut conn = db.raw().await;
    for sql in TABLES.iter().chain(ROUTINES) {
        conn.query_drop(*sql).await.unwrap_or_else(|e| panic!("MariaDB refused: {e}\n{sql}"));
    }
    for (i, body) in TRIGGER_BODIES.iter().enumerate() {
        let sql = format!("CREATE TRIGGER trg_{i} BEFORE INSERT ON t FOR EACH ROW {body}");
        conn.query_drop(&sql).await.unwrap_or_else(|e| panic!("MariaDB refused: {e}\n{sql}"));
    }
    for (i, body) in EVENT_BODIES.iter().enumerate() {
        let sql = format!("CREATE EVENT ev_{i} ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO {body}");
        conn.query_drop(&sql).await.unwrap_or_else(|e| panic!("MariaDB refused: {e}\n{sql}"));
    }
    for (mode, sql) in UNDER_SQL_MODE {
        conn.query_drop(format!("SET SESSION sql_mode = '{mode}'")).await.expect("set sql_mode");
        conn.query_drop(*sql).await.unwrap_or_else(|e| panic!("MariaDB refused under {mode}: {e}\n{sql}"));
    }
    conn.disconnect().await.expect("disconnect");
}

#[test]
fn introspected_stored_programs_pass_the_validator() {
    run(async {
        let Some(db) = TestDb::new("valbodies").await else { return };
        create_all(&db).await;
        let found = db.introspect().await;
        let schema = &found.schema;
        assert_eq!(schema.routines.len(), ROUTINES.len() + UNDER_SQL_MODE.len(), "skipped: {:?}", found.skipped);
        assert_eq!(schema.triggers.len(), TRIGGER_BODIES.len());
        assert_eq!(schema.events.len(), EVENT_BODIES.len());
        let modes: Vec<_> = schema.routines.values().filter_map(|r| r.sql_mode.as_deref()).collect();
        assert!(modes.iter().any(|m| m.contains("NO_BACKSLASH_ESCAPES")), "{modes:?}");
        assert!(modes.iter().any(|m| m.contains("ANSI_QUOTES")), "{modes:?}");
        let problems = schemasync_sql::schema_problems(schema);
        assert!(problems.is_empty(), "the validator refused what MariaDB accepted: {problems:#?}");
        schemasync_sql::validate_schema(schema).expect("introspected schema validates");
    });
}

/// A body the validator accepts is created as one object: the server ran
/// nothing else (the `victim` table survives, no other object appeared).
#[test]
fn accepted_bodies_create_exactly_one_object() {
    run(async {
        let Some(db) = TestDb::new("valone").await else { return };
        let mut conn = db.raw().await;
        for sql in TABLES {
            conn.query_drop(*sql).await.expect("table");
        }
        conn.query_drop("CREATE TABLE victim (id INT)").await.expect("victim");
        for sql in ROUTINES {
            conn.query_drop(*sql).await.unwrap_or_else(|e| panic!("{e}\n{sql}"));
        }
        let tables: Vec<String> = conn
            .query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1")
            .await
            .expect("tables");
        assert_eq!(tables, ["log", "t", "victim"]);
        conn.disconnect().await.expect("disconnect");
    });
}

/// Every `.sql` file with MySQL DDL among the workspace's fixtures, and the
/// corpus's MySQL schemas.
fn mysql_fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut add_dir = |dir: PathBuf| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        found.sort();
        files.extend(found);
    };
    add_dir(root.join("crates/mysql/tests/fixtures"));
    let cases = root.join("crates/schemasync/tests/fixtures/mysql");
    let mut case_dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap_or_else(|e| panic!("read {}: {e}", cases.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    case_dirs.sort();
    for dir in case_dirs {
        add_dir(dir);
    }
    files
}

/// Run a script split as the mysql client splits it (DELIMITER included).
async fn load(db: &TestDb, sql: &str) -> Result<(), String> {
    let mut conn = db.raw().await;
    for statement in schemasync_sql::split_statements(sql, Dialect::MySql).map_err(|e| e.to_string())? {
        conn.query_drop(&statement).await.map_err(|e| format!("{e}\n{statement}"))?;
    }
    conn.disconnect().await.map_err(|e| e.to_string())
}

/// Routines, triggers, events and views of a schema.
fn count_programs(schema: &Schema) -> [usize; 4] {
    [schema.routines.len(), schema.triggers.len(), schema.events.len(), schema.views.len()]
}

async fn check_files(files: &[PathBuf], prefix: &str) -> [usize; 4] {
    let mut checked = [0; 4];
    let mut refused = Vec::new();
    for file in files {
        let sql = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        let Some(db) = TestDb::new(prefix).await else { return checked };
        if let Err(e) = load(&db, &sql).await {
            panic!("{} does not load: {e}", file.display());
        }
        let found = db.introspect().await;
        for (total, n) in checked.iter_mut().zip(count_programs(&found.schema)) {
            *total += n;
        }
        for problem in schemasync_sql::schema_problems(&found.schema) {
            refused.push(format!("{}: {problem}", file.display()));
        }
    }
    assert!(refused.is_empty(), "the validator refused what MariaDB accepted:\n{}", refused.join("\n"));
    checked
}

#[test]
fn fixtures_pass_the_validator() {
    run(async {
        let files = mysql_fixture_files();
        assert!(files.len() > 10, "{files:?}");
        let [r, t, e, v] = check_files(&files, "valfix").await;
        eprintln!("validator: {r} routines, {t} triggers, {e} events, {v} views of {} fixture files", files.len());
    });
}

#[test]
fn corpus_passes_the_validator() {
    let Some(files) = schemasync_testkit::corpus("mysql") else { return };
    run(async {
        let [r, t, e, v] = check_files(&files, "valcorpus").await;
        eprintln!("validator: {r} routines, {t} triggers, {e} events, {v} views of {} corpus schemas", files.len());
    });
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A snapshot holding one routine (`p`), trigger (`trg` on `t`) or event
/// (`ev`) with the given text and sql_mode.
fn schema_with(kind: &str, text: &str, sql_mode: &str) -> Schema {
    let (mode, text) = (json_string(sql_mode), json_string(text));
    let object = match kind {
        "routine" => format!(
            r#""routines":[{{"kind":"procedure","name":{{"name":"p"}},"signature":"","arguments":"","sql_mode":{mode},"definition":{text}}}]"#
        ),
        "trigger" => format!(
            r#""triggers":[{{"table":{{"name":"t"}},"name":"trg","timing":"before","events":["insert"],"for_each_row":true,"sql_mode":{mode},"body":{text}}}]"#
        ),
        _ => format!(
            r#""events":[{{"name":{{"name":"ev"}},"schedule":"EVERY 1 DAY","enabled":false,"sql_mode":{mode},"body":{text}}}]"#
        ),
    };
    Schema::from_json(&format!(r#"{{{object},"dialect":"mysql"}}"#)).expect("schema JSON")
}

/// Pieces a forger would splice into a body to end it early or hide a
/// statement from the check.
const SPLICES: &[&str] = &[
    "; DROP TABLE victim;",
    "; DROP TABLE victim",
    "END; DROP TABLE victim; BEGIN",
    "END IF; DROP TABLE victim; IF 1 THEN",
    "END LOOP; DROP TABLE victim; LOOP",
    "END CASE; DROP TABLE victim; CASE WHEN 1 THEN",
    "END WHILE; DROP TABLE victim; WHILE 1 DO",
    "UNTIL 1 END REPEAT; DROP TABLE victim; REPEAT",
    "END; END; DROP TABLE victim;",
    ";",
    "END",
    "end",
    "begin",
    "BEGIN",
    "case",
    "CASE",
    "THEN",
    "ELSE",
    "WHEN",
    "IF",
    "LOOP",
    "l:",
    "'",
    "\\'",
    "\"",
    "`",
    "/*",
    "*/",
    "#",
    "-- ",
    "\n",
    "(",
    ")",
    "t.",
    "@",
    "1.",
    "NOT ATOMIC",
    "DECLARE CONTINUE HANDLER FOR SQLEXCEPTION",
    "'a\\'; DROP TABLE victim; SELECT '",
    "\"a\\\"; DROP TABLE victim; SELECT \"",
    "`a`; DROP TABLE victim; SELECT `",
];

/// The session modes mutants are created under (as emit sets the object's own).
const MODES: &[&str] =
    &["STRICT_ALL_TABLES", "NO_BACKSLASH_ESCAPES", "ANSI_QUOTES", "ANSI_QUOTES,NO_BACKSLASH_ESCAPES"];

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// `text` with one to three pieces spliced in or words removed, at
/// positions between whitespace-separated words.
fn mutate(text: &str, rng: &mut Lcg) -> String {
    let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(words.len() + 1);
        if rng.below(4) == 0 && at < words.len() {
            words.remove(at);
        } else {
            let splice = SPLICES[rng.below(SPLICES.len())];
            // Glued to the neighbouring word or not.
            if rng.below(3) == 0 && at < words.len() {
                words[at] = format!("{splice}{}", words[at]);
            } else {
                words.insert(at, splice.to_owned());
            }
        }
    }
    words.join(" ")
}

/// Differential check against the server: every mutant of the accepted
/// programs that the validator accepts is sent as one multi-statement text
/// (the driver runs every statement of it), and the `victim` table must
/// survive. A mutant the validator refuses is not sent.
#[test]
fn accepted_mutants_run_one_statement() {
    run(async {
        let Some(db) = TestDb::new("valmut").await else { return };
        let mut conn = db.raw().await;
        for sql in TABLES {
            conn.query_drop(*sql).await.expect("table");
        }
        // The driver runs every statement of a text, so a breakout would show.
        conn.query_drop("CREATE TABLE victim (id INT)").await.expect("victim");
        conn.query_drop("DO 1; DROP TABLE victim").await.expect("multi-statement text");
        let gone: Option<u64> = conn
            .query_first("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'victim'")
            .await
            .expect("count");
        assert_eq!(gone, Some(0), "the driver did not run the second statement");
        // `VALIDATOR_MUTANTS=seed,rounds` explores further than the default run.
        let (seed, rounds) = std::env::var("VALIDATOR_MUTANTS")
            .ok()
            .and_then(|v| {
                let (seed, rounds) = v.split_once(',')?;
                Some((seed.parse().ok()?, rounds.parse().ok()?))
            })
            .unwrap_or((0x5eed_cafe_u64, 20_000usize));
        let mut rng = Lcg(seed);
        let (mut accepted, mut refused, mut created) = (0usize, 0usize, 0usize);
        // Every routine is named `p` here, so one DROP cleans up.
        let routines: Vec<String> = ROUTINES
            .iter()
            .map(|r| {
                let kind_end = r.find(" FUNCTION ").map(|k| k + 10).or_else(|| r.find(" PROCEDURE ").map(|k| k + 11));
                let kind_end = kind_end.expect("routine kind");
                let name_end = r.find('(').expect("parameter list");
                format!("{} p{}", &r[..kind_end - 1], &r[name_end..])
            })
            .collect();
        for round in 0..rounds {
            let mode = MODES[rng.below(MODES.len())];
            let (mutant, schema) = match round % 4 {
                2 => {
                    let body = mutate(TRIGGER_BODIES[rng.below(TRIGGER_BODIES.len())], &mut rng);
                    let schema = schema_with("trigger", &body, mode);
                    (format!("CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW {body}"), schema)
                }
                3 => {
                    let body = mutate(EVENT_BODIES[rng.below(EVENT_BODIES.len())], &mut rng);
                    let schema = schema_with("event", &body, mode);
                    (format!("CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DISABLE DO {body}"), schema)
                }
                _ => {
                    let definition = mutate(&routines[rng.below(routines.len())], &mut rng);
                    let schema = schema_with("routine", &definition, mode);
                    (definition, schema)
                }
            };
            if !schemasync_sql::schema_problems(&schema).is_empty() {
                refused += 1;
                continue;
            }
            accepted += 1;
            conn.query_drop("CREATE TABLE IF NOT EXISTS victim (id INT)").await.expect("victim");
            conn.query_drop(format!("SET SESSION sql_mode = '{mode}'")).await.expect("set sql_mode");
            if conn.query_drop(&mutant).await.is_ok() {
                created += 1;
            }
            conn.query_drop("SET SESSION sql_mode = 'STRICT_ALL_TABLES'").await.expect("reset sql_mode");
            let left: Option<u64> = conn
                .query_first(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'victim'",
                )
                .await
                .expect("count");
            assert_eq!(
                left,
                Some(1),
                "the validator accepted a text that ran a statement of its own under {mode}:\n{mutant}"
            );
            for drop in [
                "DROP PROCEDURE IF EXISTS p",
                "DROP FUNCTION IF EXISTS p",
                "DROP TRIGGER IF EXISTS trg",
                "DROP EVENT IF EXISTS ev",
            ] {
                conn.query_drop(drop).await.expect("drop");
            }
        }
        eprintln!("mutants: {accepted} accepted ({created} created by the server), {refused} refused");
        assert!(accepted > 100 && refused > 100, "{accepted} accepted, {refused} refused");
        conn.disconnect().await.expect("disconnect");
    });
}
