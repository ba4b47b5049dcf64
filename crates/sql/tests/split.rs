use schemasync_model::Dialect;
use schemasync_sql::{SqlError, split_statements, split_statements_located};

fn split(sql: &str, dialect: Dialect) -> Vec<String> {
    match split_statements(sql, dialect) {
        Ok(statements) => statements,
        Err(e) => panic!("split failed: {e}"),
    }
}

#[test]
fn splits_trims_and_drops_empty_statements() {
    let sql = "  SELECT 1 ;;\n\n select 2\n;   ;\nSELECT 3";
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        assert_eq!(split(sql, dialect), ["SELECT 1", "select 2", "SELECT 3"]);
    }
    assert!(split("", Dialect::Sqlite).is_empty());
    assert!(split(" ;\n; ", Dialect::Postgres).is_empty());
}

#[test]
fn comments_only_statements_are_dropped_and_inner_comments_kept() {
    let sql = "-- header; still a comment\n/* block; */\nSELECT /* inner; */ 1 -- trailing;\n;\n-- only a comment;\n;/* x */;";
    assert_eq!(split(sql, Dialect::Postgres), ["SELECT /* inner; */ 1"]);
    assert_eq!(split(sql, Dialect::Sqlite), ["SELECT /* inner; */ 1"]);
}

#[test]
fn single_quoted_strings() {
    let sql = "INSERT INTO t VALUES ('a;b', 'it''s; fine');SELECT ';'";
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        assert_eq!(split(sql, dialect), ["INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT ';'"]);
    }
}

#[test]
fn backslash_escapes_only_in_mysql_and_postgres_escape_strings() {
    let mysql = r"INSERT INTO t VALUES ('O\'Brien; x', 'a\\');SELECT 2";
    assert_eq!(split(mysql, Dialect::MySql), [r"INSERT INTO t VALUES ('O\'Brien; x', 'a\\')", "SELECT 2"]);

    // In standard strings a backslash is an ordinary character.
    let standard = r"SELECT 'C:\';SELECT 2";
    assert_eq!(split(standard, Dialect::Postgres), [r"SELECT 'C:\'", "SELECT 2"]);
    assert_eq!(split(standard, Dialect::Sqlite), [r"SELECT 'C:\'", "SELECT 2"]);

    let escape = r"SELECT E'it\'s;';SELECT 2";
    assert_eq!(split(escape, Dialect::Postgres), [r"SELECT E'it\'s;'", "SELECT 2"]);
}

#[test]
fn quoted_identifiers() {
    let sql = "CREATE TABLE \"a;\"\"b\" (x int);CREATE TABLE `c;``d` (y int);SELECT 1";
    assert_eq!(
        split(sql, Dialect::MySql),
        ["CREATE TABLE \"a;\"\"b\" (x int)", "CREATE TABLE `c;``d` (y int)", "SELECT 1"]
    );
    assert_eq!(split(sql, Dialect::Sqlite).len(), 3);
    assert_eq!(split("SELECT [a;b] FROM t;SELECT 2", Dialect::Sqlite), ["SELECT [a;b] FROM t", "SELECT 2"]);
    assert_eq!(split(r#"SELECT "a\"; b";SELECT 2"#, Dialect::MySql), [r#"SELECT "a\"; b""#, "SELECT 2"]);
}

#[test]
fn hash_comments_are_mysql_only() {
    let sql = "SELECT 1 # one; two\n;SELECT 2";
    assert_eq!(split(sql, Dialect::MySql), ["SELECT 1", "SELECT 2"]);
    assert_eq!(split("SELECT 5 # 3;SELECT 2", Dialect::Postgres), ["SELECT 5 # 3", "SELECT 2"]);
}

#[test]
fn mysql_double_dash_needs_whitespace() {
    assert_eq!(split("SELECT 1--1;SELECT 2", Dialect::MySql), ["SELECT 1--1", "SELECT 2"]);
    assert_eq!(split("SELECT 1 -- c;\n;SELECT 2", Dialect::MySql), ["SELECT 1", "SELECT 2"]);
    assert_eq!(split("SELECT 1--1;\nSELECT 2", Dialect::Postgres), ["SELECT 1--1;\nSELECT 2"]);
}

#[test]
fn postgres_function_with_dollar_quotes() {
    let sql = r#"
-- audit trigger function
CREATE OR REPLACE FUNCTION audit.log_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  payload text := 'x;y';
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO audit.log(op, row) VALUES (TG_OP, row_to_json(OLD)::text);
    RETURN OLD;
  END IF;
  EXECUTE format($q$INSERT INTO audit.log VALUES (%L, 'a;b')$q$, TG_OP);
  RETURN NEW;
END;
$$;

CREATE FUNCTION add(a int, b int) RETURNS int AS $body$
  SELECT $1 + $2; -- $$ inside is fine
$body$ LANGUAGE sql IMMUTABLE;
SELECT add(1, 2);
"#;
    let statements = split(sql, Dialect::Postgres);
    assert_eq!(statements.len(), 3, "{statements:#?}");
    assert!(statements[0].starts_with("CREATE OR REPLACE FUNCTION audit.log_change()"));
    assert!(statements[0].ends_with("RETURN NEW;\nEND;\n$$"));
    assert!(
        statements[1].starts_with("CREATE FUNCTION add(") && statements[1].ends_with("$body$ LANGUAGE sql IMMUTABLE")
    );
    assert_eq!(statements[2], "SELECT add(1, 2)");
}

#[test]
fn postgres_sql_standard_function_bodies() {
    let sql = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN x > 0 THEN x ELSE 0 END; END;\nCREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nBEGIN;\nCOMMIT;";
    assert_eq!(
        split(sql, Dialect::Postgres),
        [
            "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN x > 0 THEN x ELSE 0 END; END",
            "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END",
            "BEGIN",
            "COMMIT",
        ]
    );
}

#[test]
fn sqlite_trigger_bodies() {
    let sql = "CREATE TABLE t (a, b);\nCREATE TRIGGER IF NOT EXISTS t_ai AFTER INSERT ON t\nWHEN CASE WHEN new.a IS NULL THEN 1 ELSE 0 END\nBEGIN\n  UPDATE t SET b = CASE new.a WHEN 1 THEN 'one;' ELSE 'other' END WHERE rowid = new.rowid;\n  SELECT RAISE(IGNORE);\nEND;\nCREATE TEMP TRIGGER x BEFORE DELETE ON t BEGIN DELETE FROM t; END;\nINSERT INTO t VALUES (1, 2);";
    let statements = split(sql, Dialect::Sqlite);
    assert_eq!(statements.len(), 4, "{statements:#?}");
    assert!(
        statements[1].starts_with("CREATE TRIGGER IF NOT EXISTS t_ai")
            && statements[1].ends_with("SELECT RAISE(IGNORE);\nEND")
    );
    assert_eq!(statements[2], "CREATE TEMP TRIGGER x BEFORE DELETE ON t BEGIN DELETE FROM t; END");
    assert_eq!(statements[3], "INSERT INTO t VALUES (1, 2)");
    // Transaction control is not a trigger body.
    assert_eq!(
        split("BEGIN; INSERT INTO t VALUES (1); END;", Dialect::Sqlite),
        ["BEGIN", "INSERT INTO t VALUES (1)", "END"]
    );
}

#[test]
fn sqlite_trigger_without_end_is_an_error() {
    let sql = "SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON x\nBEGIN\n  SELECT 1;\n";
    assert_eq!(
        split_statements(sql, Dialect::Sqlite),
        Err(SqlError::Unterminated { what: "BEGIN ... END block", line: 3 })
    );
}

#[test]
fn mediawiki_like_mysql_script_with_delimiter() {
    let sql = r#"-- MediaWiki-like schema (tables.sql)
/*!40101 SET NAMES binary */;
CREATE TABLE /*_*/user (
  user_id int unsigned NOT NULL PRIMARY KEY AUTO_INCREMENT,
  user_name varchar(255) binary NOT NULL default '',
  user_touched binary(14) NOT NULL default '' -- set on edit; see below
) /*$wgDBTableOptions*/;
CREATE UNIQUE INDEX /*i*/user_name ON /*_*/user (user_name);
INSERT INTO /*_*/user (user_name) VALUES ('O\'Brien; admin'), ("quote\"; here");

DELIMITER //
CREATE TRIGGER /*_*/page_touch BEFORE UPDATE ON /*_*/page
FOR EACH ROW
BEGIN
  IF NEW.page_latest <> OLD.page_latest THEN
    SET NEW.page_touched = DATE_FORMAT(NOW(), '%Y%m%d%H%i%s; //');
  END IF;
END//
# purge helper; runs nightly
CREATE PROCEDURE /*_*/purge_old(IN days INT)
BEGIN
  DELETE FROM /*_*/recentchanges WHERE rc_timestamp < NOW() - INTERVAL days DAY; # old rows
  SELECT ROW_COUNT();
END //
delimiter $$
CREATE FUNCTION /*_*/one() RETURNS INT DETERMINISTIC BEGIN RETURN 1; END$$
DELIMITER ;
SELECT 1;
"#;
    let located = match split_statements_located(sql, Dialect::MySql) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let statements: Vec<&str> = located.iter().map(|s| s.sql.as_str()).collect();
    assert_eq!(statements.len(), 8, "{statements:#?}");
    assert_eq!(statements[0], "/*!40101 SET NAMES binary */");
    assert!(statements[1].starts_with("CREATE TABLE /*_*/user (") && statements[1].ends_with("see below\n)"));
    assert_eq!(statements[2], "CREATE UNIQUE INDEX /*i*/user_name ON /*_*/user (user_name)");
    assert_eq!(statements[3], r#"INSERT INTO /*_*/user (user_name) VALUES ('O\'Brien; admin'), ("quote\"; here")"#);
    assert!(statements[4].starts_with("CREATE TRIGGER /*_*/page_touch") && statements[4].ends_with("END IF;\nEND"));
    assert!(statements[5].starts_with("CREATE PROCEDURE") && statements[5].ends_with("SELECT ROW_COUNT();\nEND"));
    assert_eq!(statements[6], "CREATE FUNCTION /*_*/one() RETURNS INT DETERMINISTIC BEGIN RETURN 1; END");
    assert_eq!(statements[7], "SELECT 1");
    let lines: Vec<usize> = located.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 3, 8, 9, 12, 20, 26, 28]);
}

#[test]
fn mysqldump_trigger_with_executable_comments() {
    let sql = "DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.a = 1;\nEND */;;\nDELIMITER ;\n/*!40101 SET character_set_client = @saved_cs_client */;";
    let statements = split(sql, Dialect::MySql);
    assert_eq!(statements.len(), 2, "{statements:#?}");
    assert!(statements[0].starts_with("/*!50003 CREATE*/") && statements[0].ends_with("END */"));
    assert_eq!(statements[1], "/*!40101 SET character_set_client = @saved_cs_client */");
}

#[test]
fn delimiter_is_plain_text_outside_mysql() {
    assert_eq!(split("DELIMITER //\nSELECT 1;", Dialect::Postgres), ["DELIMITER //\nSELECT 1"]);
}

#[test]
fn delimiter_without_argument_is_an_error() {
    assert_eq!(
        split_statements("SELECT 1;\nDELIMITER\nSELECT 2;", Dialect::MySql),
        Err(SqlError::MissingDelimiter { line: 2 })
    );
}

#[test]
fn unterminated_constructs_report_their_first_line() {
    let cases = [
        ("SELECT 1;\nSELECT 'abc;\n", Dialect::Sqlite, "single-quoted string", 2),
        ("SELECT 1;\n\nSELECT \"abc;", Dialect::Postgres, "double-quoted identifier", 3),
        ("SELECT `a", Dialect::MySql, "backtick-quoted identifier", 1),
        ("SELECT 1; /* open\n*", Dialect::MySql, "block comment", 1),
        ("SELECT 1;\n/* a /* b */\n", Dialect::Postgres, "block comment", 2),
        ("SELECT 1;\nCREATE FUNCTION f() AS $x$ body; $$;\n", Dialect::Postgres, "dollar-quoted string", 2),
        ("SELECT \"a\\\";", Dialect::MySql, "double-quoted string", 1),
        ("SELECT [a", Dialect::Sqlite, "bracket-quoted identifier", 1),
    ];
    for (sql, dialect, what, line) in cases {
        assert_eq!(split_statements(sql, dialect), Err(SqlError::Unterminated { what, line }), "{sql}");
    }
}

#[test]
fn error_messages_are_readable() {
    let err = SqlError::Unterminated { what: "single-quoted string", line: 4 };
    assert_eq!(err.to_string(), "unterminated single-quoted string starting on line 4");
}

#[test]
fn crlf_and_unicode() {
    let sql = "INSERT INTO t VALUES ('é;ü');\r\n-- ✓ done\r\nSELECT '名前';\r\n";
    assert_eq!(split(sql, Dialect::Sqlite), ["INSERT INTO t VALUES ('é;ü')", "SELECT '名前'"]);
}

#[test]
fn client_meta_commands_are_not_statements() {
    let pg_dump = "--\n-- PostgreSQL database dump\n--\n\\restrict AbC123\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.t (a text DEFAULT '\\x');\n\\unrestrict AbC123\n";
    assert_eq!(
        split(pg_dump, Dialect::Postgres),
        [
            "SET statement_timeout = 0",
            "SELECT pg_catalog.set_config('search_path', '', false)",
            "CREATE TABLE public.t (a text DEFAULT '\\x')",
        ]
    );
    let sqlite = ".headers on\nSELECT t.a FROM t;\n  .mode csv\nSELECT 1;";
    assert_eq!(split(sqlite, Dialect::Sqlite), ["SELECT t.a FROM t", "SELECT 1"]);
}
