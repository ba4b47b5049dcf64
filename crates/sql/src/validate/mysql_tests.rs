//! MySQL/MariaDB stored programs: every form a server accepts as one
//! statement passes, and every text that would run a statement of its own
//! (or that the check cannot read the way the server does) is refused.
//!
//! The accepted lists are shared with the real-server test
//! (`crates/mysql/tests/validator_bodies.rs` holds its own copies, created on
//! MariaDB and read back through introspection).

use super::program::{MySqlLexing, mysql_program_body, mysql_routine};

fn lexing() -> MySqlLexing {
    MySqlLexing::default()
}

/// Whole routine definitions that must pass.
pub(super) const ROUTINES: &[&str] = &[
    // RETURNS with multi-word types.
    "CREATE FUNCTION f() RETURNS DOUBLE PRECISION DETERMINISTIC RETURN 1",
    "CREATE FUNCTION f() RETURNS DOUBLE PRECISION BEGIN DECLARE x DOUBLE; SET x = 1; RETURN x; END",
    "CREATE FUNCTION f() RETURNS VARCHAR(20) CHARSET utf8mb4 COLLATE utf8mb4_bin BEGIN RETURN 'a;b'; END",
    "CREATE FUNCTION f() RETURNS INT UNSIGNED IF 1 THEN RETURN 1; ELSE RETURN 2; END IF",
    "CREATE FUNCTION f() RETURNS VARCHAR(20) CHARSET utf8mb4 COLLATE utf8mb4_bin DETERMINISTIC RETURN 'x'",
    "CREATE FUNCTION f() RETURNS VARCHAR(20) CHARACTER SET latin1 RETURN 'x'",
    "CREATE FUNCTION f() RETURNS INT UNSIGNED NO SQL RETURN 1",
    "CREATE FUNCTION f() RETURNS DECIMAL(10,2) ZEROFILL RETURN 1",
    "CREATE FUNCTION f() RETURNS ENUM('a','b') RETURN 'a'",
    "CREATE FUNCTION f() RETURNS SET('a','b') RETURN 'a'",
    "CREATE FUNCTION f() RETURNS CHARACTER VARYING(10) RETURN 'a'",
    "CREATE FUNCTION f() RETURNS NATIONAL CHAR(3) RETURN 'a'",
    "CREATE FUNCTION f() RETURNS LONG VARCHAR RETURN 'a'",
    "CREATE FUNCTION f() RETURNS BIGINT(20) UNSIGNED ZEROFILL\n    DETERMINISTIC\nBEGIN\n  RETURN 1;\nEND",
    "CREATE DEFINER=`root`@`localhost` FUNCTION `f`(a INT) RETURNS int(11)\n    DETERMINISTIC\nRETURN a + 1",
    "CREATE FUNCTION f() RETURNS varchar(10) CHARSET utf8mb4 COLLATE utf8mb4_bin NO SQL COMMENT 'c;' BEGIN RETURN 'x;'; END",
    "CREATE OR REPLACE DEFINER='app'@'%' AGGREGATE FUNCTION IF NOT EXISTS s.f(x INT) RETURNS INT BEGIN DECLARE t INT DEFAULT 0; DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN t; LOOP FETCH GROUP NEXT ROW; SET t = t + x; END LOOP; END",
    // Bodies that are one compound statement without BEGIN.
    "CREATE PROCEDURE p(IN n INT) l: LOOP SET n = n - 1; IF n < 0 THEN LEAVE l; END IF; END LOOP l",
    "CREATE PROCEDURE p(INOUT n INT) WHILE n > 0 DO SET n = n - 1; END WHILE",
    "CREATE PROCEDURE p(INOUT n INT) REPEAT SET n = n - 1; UNTIL n <= 0 END REPEAT",
    "CREATE PROCEDURE p(n INT) CASE n WHEN 1 THEN SELECT 'one'; WHEN 2 THEN SELECT 'two'; ELSE SELECT 'many'; END CASE",
    "CREATE PROCEDURE p(n INT) CASE WHEN n > 0 THEN SELECT CASE n WHEN 1 THEN 'one' ELSE 'more' END; END CASE",
    "CREATE PROCEDURE p(n INT) IF n > 0 THEN SELECT 1; ELSEIF n < 0 THEN SELECT -1; ELSE SELECT 0; END IF",
    "CREATE PROCEDURE p() SQL SECURITY INVOKER READS SQL DATA SELECT 1",
    // Everything a procedure body holds.
    "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN a INT)\nBEGIN\n  DECLARE x INT DEFAULT 0;\n  IF a > 0 THEN SET x = 1; ELSEIF a < 0 THEN SET x = -1; ELSE SET x = 0; END IF;\n  CASE x WHEN 1 THEN SELECT 'one'; ELSE BEGIN END; END CASE;\n  l: LOOP LEAVE l; END LOOP l;\n  WHILE x < 3 DO SET x = x + 1; END WHILE;\n  REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT;\n  SELECT CASE WHEN x THEN 1 ELSE 2 END, IF(x, 1, 2), REPEAT('a', 2);\nEND",
    "CREATE PROCEDURE p() BEGIN DECLARE no_rows CONDITION FOR SQLSTATE '02000'; DECLARE done INT DEFAULT 0; DECLARE CONTINUE HANDLER FOR no_rows SET done = 1; SELECT done; END",
    "CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END; START TRANSACTION; SELECT 1; COMMIT; END",
    "CREATE PROCEDURE p() BEGIN DECLARE CONTINUE HANDLER FOR SQLSTATE VALUE '23000', 1062, SQLWARNING BEGIN END; DECLARE EXIT HANDLER FOR SQLSTATE '42S02' IF 1 THEN SELECT 1; END IF; DROP TABLE IF EXISTS t; END",
    "CREATE PROCEDURE p() BEGIN\n  DECLARE done INT DEFAULT FALSE;\n  DECLARE v INT;\n  DECLARE c CURSOR FOR SELECT CASE WHEN 1 THEN 2 END AS x FROM DUAL;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;\n  OPEN c;\n  read_loop: LOOP\n    FETCH c INTO v;\n    IF done THEN LEAVE read_loop; END IF;\n    ITERATE read_loop;\n  END LOOP;\n  CLOSE c;\nEND",
    "CREATE PROCEDURE p(x INT) BEGIN IF x < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative; END IF', MYSQL_ERRNO = 1644; END IF; END",
    "CREATE PROCEDURE p() outer_block: BEGIN inner_block: BEGIN LEAVE outer_block; END inner_block; BEGIN BEGIN END; END; END outer_block",
    "CREATE PROCEDURE p() BEGIN NOT ATOMIC SELECT 1; END",
    "CREATE PROCEDURE p() BEGIN SELECT 'it\\'s; END', 'doubled '' ; END', \"dq \\\" ; END\"; END",
    "CREATE PROCEDURE p() BEGIN -- a comment; END\n  # another; END IF\n  /* block; END; */ SELECT 1; END",
    "CREATE PROCEDURE p() BEGIN DECLARE `end` INT; DECLARE `begin` INT; SET `end` = 1; SELECT `begin`, `end`; END",
    // Names that are keywords elsewhere.
    "CREATE PROCEDURE p() BEGIN DECLARE status INT; DECLARE handler_count INT; SELECT begin, end, status, close, open, handler, `condition` FROM t WHERE end > begin; SET status = 1; UPDATE t SET end = NOW(), begin = end; END",
    "CREATE PROCEDURE p() BEGIN SELECT t.end, t.begin, @end, @@sql_mode FROM t; SELECT CASE WHEN t.end > 0 THEN t.begin END FROM t; END",
    "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN a THEN b END AS x, CASE c WHEN 1 THEN CASE WHEN d THEN NULL ELSE 'e' END END FROM t; END",
    "CREATE PROCEDURE p() BEGIN SELECT 1 end; SELECT a AS end FROM t; END",
    // MariaDB FOR loops.
    "CREATE PROCEDURE p() BEGIN FOR i IN 1..10 DO SELECT i; END FOR; l: FOR r IN (SELECT a FROM t) DO SELECT r.a; END FOR l; END",
    "CREATE PROCEDURE p() BEGIN REPEAT SELECT 1; UNTIL end END REPEAT; END",
    "CREATE PROCEDURE p() BEGIN CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1; END",
    "CREATE PROCEDURE p() BEGIN PREPARE s FROM 'SELECT 1; SELECT 2'; EXECUTE s; DEALLOCATE PREPARE s; GET DIAGNOSTICS @n = NUMBER; END",
];

/// Trigger and event bodies that must pass.
pub(super) const BODIES: &[&str] = &[
    "SET NEW.a = 1",
    "IF NEW.x < 0 THEN SET NEW.x = 0; END IF",
    "BEGIN SET NEW.begin = 1; IF NEW.a > 0 THEN SET NEW.b = 2; END IF; END",
    "DELETE FROM t WHERE d < now() - INTERVAL 1 DAY",
    "CASE WHEN NEW.a IS NULL THEN SET NEW.a = 0; END CASE",
    "BEGIN DECLARE n INT DEFAULT 3; WHILE n > 0 DO SET n = n - 1; END WHILE; END",
    "BEGIN IF NEW.qty < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'qty < 0; no'; END IF; END",
    "INSERT INTO log (end, status) VALUES (NEW.end, 'x;y')",
    "l: BEGIN IF NEW.a THEN LEAVE l; END IF; SET NEW.b = 1; END l",
];

/// Hostile or broken texts: each would run a statement of its own, or is
/// not one the server would read as one statement.
const BAD_ROUTINES: &[&str] = &[
    "CREATE PROCEDURE p() SELECT 1; DROP TABLE victim",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END; DROP TABLE victim",
    "CREATE PROCEDURE p() UPDATE (SELECT 1 a) begin SET a = 1; DROP TABLE victim; END",
    "CREATE PROCEDURE p() BEGIN SELECT 1 begin SELECT 2; END; DROP TABLE victim; END",
    "CREATE PROCEDURE p() BEGIN SET @case = 1; END; DROP TABLE victim; CASE WHEN 1 THEN 1 END",
    "CREATE PROCEDURE p() BEGIN SELECT 'a\\'; END; DROP TABLE victim",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END IF; DROP TABLE victim; END",
    "CREATE PROCEDURE p() BEGIN /*! SELECT 1; */ END",
    "CREATE PROCEDURE p() BEGIN SELECT 1; /* open",
    "CREATE PROCEDURE p() BEGIN SELECT 'open; END",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END;",
    "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;",
    "CREATE PROCEDURE p() BEGIN SELECT 1; \\g DROP TABLE victim; END",
    "CREATE PROCEDURE p() BEGIN IF 1 THEN SELECT 1; END; END",
    "CREATE PROCEDURE p() BEGIN LOOP SELECT 1; END WHILE; END",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END LOOP",
    "CREATE PROCEDURE p() BEGIN BEGIN SELECT 1; END",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END END",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END BEGIN SELECT 2; END",
    "CREATE PROCEDURE p() IF 1 THEN SELECT 1; END IF IF 1 THEN SELECT 2; END IF",
    "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN 1 THEN 2; DROP TABLE victim; END; END",
    "CREATE PROCEDURE p() BEGIN SELECT (1; DROP TABLE victim); END",
    "CREATE PROCEDURE p() BEGIN SELECT 1); DROP TABLE victim; SELECT (1; END",
    "CREATE PROCEDURE p() l: BEGIN SELECT 1; END m",
    "CREATE PROCEDURE p() BEGIN SELECT 1; END l",
    "CREATE PROCEDURE p() l: SELECT 1",
    "CREATE PROCEDURE p() REPEAT SELECT 1; UNTIL 1; DROP TABLE victim; END REPEAT",
    "CREATE PROCEDURE p() WHILE 1; DROP TABLE victim; DO SELECT 1; END WHILE",
    "CREATE PROCEDURE p() IF 1; DROP TABLE victim; THEN SELECT 1; END IF",
    "CREATE PROCEDURE p() CASE WHEN 1 THEN SELECT 1; ELSE SELECT 2; END IF",
    "CREATE PROCEDURE p() BEGIN ELSE SELECT 1; END",
    // An unquoted `end` as an operand inside a CASE expression: the server
    // reads it as a name, so it must be quoted.
    "CREATE PROCEDURE p() IF CASE WHEN end THEN begin + 0 END = 1 THEN SELECT 1; END IF",
    "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN a THEN 1 ELSE end END; END",
    "CREATE PROCEDURE p() BEGIN SELECT CASE WHEN a THEN 1.end; END",
    "CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION SELECT 1; END; DROP TABLE victim; BEGIN END",
    "CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR BEGIN END; END",
    "CREATE FUNCTION f() RETURNS INT; DROP TABLE victim; RETURN 1",
    "CREATE FUNCTION f() RETURNS INT RETURN 1; DROP TABLE victim",
    "CREATE FUNCTION f() RETURNS VARCHAR(10 RETURN 1",
    "CREATE PROCEDURE p() ",
    "DROP TABLE victim",
    "CREATE TABLE t (a int)",
    "CREATE PROCEDURE p() BEGIN SELECT 'a\0'; END",
];

const BAD_BODIES: &[&str] = &[
    "SET NEW.a = 1; DROP TABLE victim",
    "BEGIN END; DROP TABLE victim",
    "BEGIN SELECT 1; END; DROP TABLE victim; BEGIN SELECT 1; END",
    "IF 1 THEN SET NEW.a = 1; END IF; DROP TABLE victim",
    "IF 1 THEN SET NEW.a = 1; END IF; IF 1 THEN SET NEW.a = 1; END IF",
    "BEGIN SELECT 1; END BEGIN END",
    "SET NEW.a = 1;",
    "",
    "BEGIN IF 1 THEN SELECT 1; END CASE; END",
];

#[test]
fn accepted_routines() {
    for text in ROUTINES {
        mysql_routine(text, lexing()).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}

#[test]
fn accepted_bodies() {
    for text in BODIES {
        mysql_program_body(text, lexing()).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}

#[test]
fn refused_routines() {
    for text in BAD_ROUTINES {
        assert!(mysql_routine(text, lexing()).is_err(), "accepted: {text}");
    }
}

#[test]
fn refused_bodies() {
    for text in BAD_BODIES {
        assert!(mysql_program_body(text, lexing()).is_err(), "accepted: {text}");
    }
}

/// The object's sql_mode decides how quotes read: what is one string by
/// default is a breakout under NO_BACKSLASH_ESCAPES, and `"..."` is a name
/// under ANSI_QUOTES.
#[test]
fn bodies_are_read_under_their_sql_mode() {
    let breakout = "BEGIN SELECT 'a\\'; END; DROP TABLE victim; SELECT '; END";
    mysql_program_body(breakout, lexing()).unwrap();
    let no_backslash = MySqlLexing::of(Some("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES")).unwrap();
    assert!(mysql_program_body(breakout, no_backslash).is_err());
    mysql_program_body("BEGIN SELECT 'a\\'; END", no_backslash).unwrap();

    let dq = "BEGIN SELECT \"a\\\"; END; DROP TABLE victim; SELECT \"; END";
    mysql_program_body(dq, lexing()).unwrap();
    let ansi = MySqlLexing::of(Some("ANSI_QUOTES")).unwrap();
    assert!(mysql_program_body(dq, ansi).is_err());
    mysql_program_body("BEGIN SELECT \"a\\\" FROM t; END", ansi).unwrap();
    assert!(MySqlLexing::of(Some("ORACLE")).is_err());
}
/// The MySQL snapshots among the fuzzer's seeds (what MariaDB introspected)
/// pass as they are.
#[test]
fn mysql_fuzz_seeds_pass() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/snapshot");
    let mut programs = 0;
    for entry in std::fs::read_dir(dir).expect("fuzz/seeds/snapshot") {
        let path = entry.expect("seed").path();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(schema) = schemasync_model::Schema::from_json(&text) else { continue };
        if schema.dialect != schemasync_model::Dialect::MySql {
            continue;
        }
        programs += schema.routines.len() + schema.triggers.len() + schema.events.len() + schema.views.len();
        assert_eq!(super::schema_problems(&schema), [], "{}", path.display());
    }
    assert!(programs >= 10, "only {programs} MySQL programs among the seeds");
}

/// Hostile nesting is refused without exhausting the stack.
#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}SELECT 1;{}", "BEGIN ".repeat(5000), " END;".repeat(5000));
    assert!(mysql_program_body(&deep, lexing()).unwrap_err().contains("deeply"));
    let cases = format!("SET NEW.a = {}1{}", "CASE WHEN 1 THEN ".repeat(5000), " END".repeat(5000));
    assert!(mysql_program_body(&cases, lexing()).is_err());
    let parens = format!("SET NEW.a = {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    mysql_program_body(&parens, lexing()).unwrap();
    let nested = format!("{}SELECT 1;{}", "BEGIN ".repeat(50), " END;".repeat(49) + " END");
    mysql_program_body(&nested, lexing()).unwrap();
}

#[test]
fn labels_and_quoted_names() {
    mysql_program_body("`my label`: BEGIN LEAVE `my label`; END `MY LABEL`", lexing()).unwrap();
    mysql_program_body("L1: WHILE 1 DO LEAVE l1; END WHILE L1", lexing()).unwrap();
    assert!(mysql_program_body("l1: WHILE 1 DO LEAVE l1; END WHILE l2", lexing()).is_err());
    assert!(mysql_program_body("begin: LOOP SELECT 1; END LOOP", lexing()).is_err());
    let ansi = MySqlLexing::of(Some("ANSI_QUOTES")).unwrap();
    mysql_program_body("BEGIN SELECT \"a;b\" FROM \"t;u\"; END", ansi).unwrap();
    assert!(mysql_program_body("SELECT \"a;b\" FROM t; SELECT 1", ansi).is_err());
}

/// The walker reads each object's text under that object's sql_mode and
/// names the field: a breakout under NO_BACKSLASH_ESCAPES is refused at the
/// definition, body or schedule, a mode with another grammar at `sql_mode`.
#[test]
fn the_walker_uses_each_objects_sql_mode() {
    let json = r#"{"dialect":"mysql",
     "tables":[{"name":{"name":"t"},"columns":[{"name":"a","data_type":"int","nullable":true}]}],
     "routines":[
      {"kind":"procedure","name":{"name":"p"},"signature":"","arguments":"","sql_mode":"NO_BACKSLASH_ESCAPES",
       "definition":"CREATE PROCEDURE p() BEGIN SELECT 'a\\'; END; DROP TABLE victim; SELECT '; END"},
      {"kind":"procedure","name":{"name":"q"},"signature":"","arguments":"",
       "definition":"CREATE PROCEDURE q() BEGIN SELECT 'a\\'; END; DROP TABLE victim; SELECT '; END"},
      {"kind":"procedure","name":{"name":"o"},"signature":"","arguments":"","sql_mode":"PIPES_AS_CONCAT,ORACLE",
       "definition":"CREATE PROCEDURE o() AS BEGIN NULL; END"}],
     "triggers":[{"table":{"name":"t"},"name":"tr","timing":"before","events":["insert"],"for_each_row":true,
       "sql_mode":"ANSI_QUOTES","body":"SET NEW.a = \"x\\\"; DROP TABLE victim; SELECT \""}],
     "events":[{"name":{"name":"ev"},"schedule":"AT '2030-01-01\\'; DROP TABLE victim; -- '","enabled":true,
       "sql_mode":"NO_BACKSLASH_ESCAPES","body":"DELETE FROM t"}]
    }"#;
    let schema = schemasync_model::Schema::from_json(json).expect("schema");
    let paths: Vec<String> = super::schema_problems(&schema).into_iter().map(|p| p.path).collect();
    assert_eq!(
        paths,
        [
            r#"routines["o"()].sql_mode"#,
            r#"routines["p"()].definition"#,
            r#"triggers["t"]["tr"].body"#,
            r#"events["ev"].schedule"#,
        ],
    );
}

/// Whole statements as emit writes them (and as the apply check sees them):
/// every accepted routine and body passes, wrapped in its CREATE.
fn trigger(body: &str) -> String {
    format!("CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW {body}")
}

fn event(body: &str) -> String {
    format!(
        "CREATE DEFINER=`a`@`%` EVENT `e` ON SCHEDULE EVERY 1 DAY STARTS (NOW() + INTERVAL 1 DAY) \
         ON COMPLETION NOT PRESERVE ENABLE COMMENT 'DO; x' DO {body}"
    )
}

#[test]
fn whole_statements_of_accepted_programs_pass() {
    use crate::check_mysql_statement as check;
    for text in ROUTINES {
        check(text, None).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
    for body in BODIES {
        for text in [trigger(body), event(body)] {
            check(&text, None).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }
    let follows = "CREATE TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW FOLLOWS `other` LOOP LEAVE x; END LOOP";
    check(follows, None).unwrap();
    check(&trigger("follows: BEGIN LEAVE follows; END follows"), None).unwrap();
    check(&trigger("PRECEDES `x` precedes: LOOP LEAVE precedes; END LOOP"), None).unwrap();
    let definer = "CREATE OR REPLACE DEFINER = CURRENT_USER() TRIGGER tr AFTER UPDATE ON t FOR EACH ROW \
                   REPEAT SET @n = @n + 1; UNTIL @n > 3 END REPEAT";
    check(definer, None).unwrap();
    check("CREATE DEFINER=root@localhost PROCEDURE p() l: LOOP LEAVE l; END LOOP l", None).unwrap();
    check("CREATE AGGREGATE FUNCTION f(x INT) RETURNS INT BEGIN RETURN 1; END", None).unwrap();
    // Any statement without a `;` is one statement, whatever else it holds.
    check("ALTER TABLE `t` ADD COLUMN `a;` int COMMENT 'b;c' -- d;\n", None).unwrap();
    check("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = CASE WHEN 1 THEN end END", None).unwrap();
}

#[test]
fn whole_statements_of_refused_programs_are_refused() {
    use crate::check_mysql_statement as check;
    // Refused by the validator for reasons other than a second statement:
    // no `;` at all, or a mysql client command the server reads as an error.
    let client_command = "CREATE PROCEDURE p() BEGIN SELECT 1; \\g DROP TABLE victim; END";
    for text in BAD_ROUTINES.iter().filter(|t| t.contains(';') && **t != client_command) {
        assert!(check(text, None).is_err(), "accepted: {text}");
    }
    for body in BAD_BODIES.iter().filter(|b| b.contains(';')) {
        for text in [trigger(body), event(body)] {
            assert!(check(&text, None).is_err(), "accepted: {text}");
        }
    }
    for text in [
        "",
        "-- nothing\n",
        "SELECT 1;",
        "ALTER TABLE t COMMENT 'a'; DROP TABLE victim",
        // A top-level BEGIN starts a transaction: the DROP would run.
        "BEGIN; DROP TABLE victim; END",
        "BEGIN NOT ATOMIC DROP TABLE victim; END",
        "IF 1 THEN DROP TABLE victim; END IF",
        // A `;` in the head ends the statement before any body.
        "CREATE TRIGGER tr BEFORE INSERT ON t; DROP TABLE victim; CREATE TRIGGER u BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; END",
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY; DROP TABLE victim; DO BEGIN SELECT 1; END",
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW FOLLOWS; DROP TABLE victim",
        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW FOLLOWS x SET @a = 1; DROP TABLE victim",
        "CREATE EVENT e ON SCHEDULE AT (NOW(); DROP TABLE victim; SELECT 1) DO BEGIN SELECT 1; END",
        "CREATE VIEW v AS SELECT 1; DROP TABLE victim",
        "CREATE DEFINER = event@localhost VIEW v AS SELECT 1; DROP TABLE victim",
        "CREATE PROCEDURE p() BEGIN /*! SELECT 1; */ END",
        "CREATE PROCEDURE p() BEGIN SELECT 'a\0'; END",
    ] {
        assert!(check(text, None).is_err(), "accepted: {text}");
    }
}

#[test]
fn whole_statements_are_read_under_the_given_sql_mode() {
    use crate::check_mysql_statement as check;
    let breakout = trigger("SET NEW.a = 'x\\'; DROP TABLE victim; -- '");
    check(&breakout, None).unwrap();
    check(&breakout, Some("STRICT_ALL_TABLES")).unwrap();
    let err = check(&breakout, Some("STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES")).unwrap_err();
    assert!(err.to_string().starts_with("not exactly one statement: "), "{err}");
    check(&trigger("BEGIN SET NEW.a = 'a\\'; END"), Some("NO_BACKSLASH_ESCAPES")).unwrap();
    let alter = "ALTER TABLE t COMMENT 'a\\'; DROP TABLE victim; -- '";
    check(alter, None).unwrap();
    assert!(check(alter, Some("NO_BACKSLASH_ESCAPES")).is_err());
    let dq = event("SET @a = \"x\\\"; DROP TABLE victim; -- \"");
    check(&dq, None).unwrap();
    assert!(check(&dq, Some("ANSI_QUOTES")).is_err());
    assert!(check(&dq, Some("ANSI")).is_err());
    check(&event("BEGIN SELECT \"a;\\\" FROM t; END"), Some("ANSI_QUOTES")).unwrap();
    let oracle = check("CREATE PROCEDURE p() AS BEGIN NULL; END", Some("ORACLE")).unwrap_err();
    assert!(oracle.reason.contains("ORACLE"), "{oracle}");
}
