//! Bodies of routines, triggers, events and views reach the target byte for
//! byte, escapes included, and a body crafted to break out of its string
//! literal once decoded runs nothing of its own on the target.

mod common;

use common::{TestDb, run};
use mysql_async::prelude::Queryable;
use schemasync_diff::{DiffOptions, diff};
use schemasync_mysql::ApplyOptions;

/// Each statement is sent on its own, so no client-side splitting is involved.
const SOURCE: &[&str] = &[
    "CREATE TABLE victim (id int PRIMARY KEY, note text)",
    "CREATE TABLE log (msg text)",
    // Stored, this is one literal, `x\'; DROP TABLE victim; -- ` (`\\` and `''` escapes).
    // Decoded by information_schema it reads `'x\''` and then
    // `; DROP TABLE victim; -- '`, a statement of its own.
    "CREATE FUNCTION breakout() RETURNS text DETERMINISTIC RETURN 'x\\\\''; DROP TABLE victim; -- '",
    "CREATE FUNCTION escapes() RETURNS text DETERMINISTIC RETURN CONCAT('a\\\\', 'b\\n', 'it''s', \"dq\\\"x\", 'tab\\t', '\\%')",
    // MariaDB's catalog re-spells this literal (newline and tab as escapes,
    // introducers dropped), so only a token-wise reading finds its body.
    "CREATE FUNCTION layout() RETURNS text DETERMINISTIC BEGIN\n  RETURN CONCAT('\n  == USAGE ==\n\tx\n', _latin1'l\\\\', _binary 'b\\0'); -- it's\nEND",
    "CREATE PROCEDURE proc() BEGIN INSERT INTO log VALUES ('p\\\\'); INSERT INTO log VALUES ('it\\'s'); END",
    "CREATE TRIGGER trg BEFORE INSERT ON log FOR EACH ROW SET NEW.msg = CONCAT(NEW.msg, '\\\\', \"\\\"\")",
    "CREATE EVENT ev ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO INSERT INTO log VALUES ('e\\\\'), ('\\'; DROP TABLE victim; -- ')",
    "CREATE VIEW v AS SELECT 'v\\\\' AS a, 'v\\n' AS b, \"q\\\"\" AS c, 'it''s' AS d",
];

async fn show(conn: &mut mysql_async::Conn, kind: &str, name: &str, column: usize) -> String {
    let row: mysql_async::Row =
        conn.query_first(format!("SHOW CREATE {kind} `{name}`")).await.expect("show create").expect("a row");
    let text: String = row.get(column).expect("statement column");
    text
}

/// `text` without its `DEFINER=user@host ` clause, which names whoever ran it.
fn without_definer(text: &str) -> String {
    match text.find("DEFINER=") {
        Some(start) => {
            let end = text[start..].find(' ').map_or(text.len(), |e| start + e + 1);
            format!("{}{}", &text[..start], &text[end..])
        }
        None => text.to_owned(),
    }
}

/// What SHOW CREATE prints for each object, without the database name and
/// definer; for the trigger only its body (its header is written by schemasync,
/// with quoted names).
async fn dumps(db: &TestDb) -> Vec<String> {
    let mut conn = db.raw().await;
    let mut out = Vec::new();
    for (kind, name, column) in [
        ("FUNCTION", "breakout", 2),
        ("FUNCTION", "escapes", 2),
        ("FUNCTION", "layout", 2),
        ("PROCEDURE", "proc", 2),
        ("TRIGGER", "trg", 2),
        ("EVENT", "ev", 3),
        ("VIEW", "v", 1),
    ] {
        let text = without_definer(&show(&mut conn, kind, name, column).await.replace(&db.name, "DB"));
        out.push(match (kind, text.split_once("FOR EACH ROW")) {
            ("TRIGGER", Some((_, body))) => body.to_owned(),
            _ => text,
        });
    }
    conn.disconnect().await.expect("disconnect");
    out
}

#[test]
fn bodies_are_copied_byte_for_byte_and_nothing_breaks_out() {
    run(async {
        let Some(source) = TestDb::new("exact_src").await else { return };
        let mut conn = source.raw().await;
        for statement in SOURCE {
            conn.query_drop(*statement).await.unwrap_or_else(|e| panic!("{e}\n{statement}"));
        }
        conn.disconnect().await.expect("disconnect");
        let wanted = source.introspect().await.schema;

        let Some(target) = TestDb::new("exact_dst").await else { return };
        target
            .exec("CREATE TABLE victim (id int PRIMARY KEY, note text);\nINSERT INTO victim VALUES (1, 'a'), (2, 'b');")
            .await;
        let current = target.introspect().await.schema;
        let plan = diff(&current, &wanted, &DiffOptions::default()).expect("diff");
        assert_eq!(plan.hazards().count(), 0);
        let script = schemasync_emit::emit_plan(&plan).expect("emit");
        let mut apply = target.connect().await;
        apply
            .apply(&script, Some(&current.content_hash()), &ApplyOptions::default(), &mut |_| {})
            .await
            .unwrap_or_else(|e| panic!("apply: {e}\n{}", script.to_sql()));
        apply.close().await.expect("close");

        let mut check = target.raw().await;
        let rows: Vec<(i32, String)> = check.query("SELECT id, note FROM victim ORDER BY id").await.expect("victim");
        assert_eq!(rows, [(1, "a".to_owned()), (2, "b".to_owned())], "the victim table and its rows survive");
        let value: Option<String> = check.query_first("SELECT breakout()").await.expect("call");
        assert_eq!(value.as_deref(), Some("x\\'; DROP TABLE victim; -- "));
        let value: Option<String> = check.query_first("SELECT escapes()").await.expect("call");
        assert_eq!(value.as_deref(), Some("a\\b\nit'sdq\"xtab\t\\%"));
        let value: Option<Vec<u8>> = check.query_first("SELECT layout()").await.expect("call");
        assert_eq!(value.as_deref(), Some(&b"\n  == USAGE ==\n\tx\nl\\b\0"[..]));
        check.disconnect().await.expect("disconnect");

        assert_eq!(dumps(&target).await, dumps(&source).await, "SHOW CREATE of target and source");
        let after = target.introspect().await.schema;
        let residue = diff(&after, &wanted, &DiffOptions::default()).expect("re-diff");
        assert!(residue.changes.is_empty(), "{:?}", residue.changes);
    });
}

#[test]
fn a_script_statement_that_holds_two_statements_is_refused_by_the_server() {
    run(async {
        let Some(db) = TestDb::new("exact_multi").await else { return };
        db.exec("CREATE TABLE victim (id int PRIMARY KEY);").await;
        let before = db.introspect().await.schema;
        let mut script = schemasync_model::Script::new(schemasync_model::Dialect::MySql);
        script.statements.push(schemasync_model::Statement::new("CREATE TABLE t (a int); DROP TABLE victim"));
        let mut conn = db.connect().await;
        let err = conn.apply(&script, None, &ApplyOptions::default(), &mut |_| {}).await.expect_err("refused");
        assert!(err.to_string().contains("statement 1 of 1 failed"), "{err}");
        conn.close().await.expect("close");
        assert_eq!(db.introspect().await.schema, before, "nothing ran");
    });
}
