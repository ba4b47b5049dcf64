//! Applying scripts: all or nothing, drift refusal, foreign key checks.

mod common;

use common::inspect;
use rusqlite::Connection;
use schemasync_model::{Dialect, Script, Statement};
use schemasync_sqlite::{SqliteError, apply};

fn script(statements: &[&str]) -> Script {
    let mut s = Script::new(Dialect::Sqlite);
    s.statements = statements.iter().map(|sql| Statement::new(*sql)).collect();
    s
}

fn db(setup: &str) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = schemasync_sqlite::open(&dir.path().join("t.db"), true).expect("create");
    conn.execute_batch(setup).expect("setup");
    (dir, conn)
}

fn rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |r| r.get::<_, String>(0)).expect("query").map(|r| r.expect("row")).collect()
}

fn pragma(conn: &Connection, name: &str) -> i64 {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).expect("pragma")
}

#[test]
fn applies_every_statement_including_trigger_bodies() {
    let (_dir, mut conn) = db("CREATE TABLE t (a TEXT)");
    let before = inspect(&conn).schema.content_hash();
    let s = script(&[
        "ALTER TABLE t ADD COLUMN b INT DEFAULT 0",
        "CREATE TABLE log (m TEXT)",
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('a;b'); INSERT INTO log VALUES ('c'); END",
    ]);
    let report = apply(&mut conn, &s, Some(&before)).expect("apply");
    assert_eq!(report.statements_run, 3);
    conn.execute_batch("INSERT INTO t (a) VALUES ('x')").expect("insert");
    assert_eq!(rows(&conn, "SELECT m FROM log ORDER BY rowid"), vec!["a;b", "c"]);
    assert!(conn.is_autocommit(), "no transaction is left open");
}

#[test]
fn a_failing_statement_changes_nothing() {
    let (_dir, mut conn) = db("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('keep');");
    let before = inspect(&conn).schema.content_hash();
    let s = script(&[
        "CREATE TABLE u (b)",
        "INSERT INTO t VALUES ('gone')",
        "CREATE TABLE t (duplicate)",
        "CREATE TABLE never (c)",
    ]);
    match apply(&mut conn, &s, None) {
        Err(SqliteError::Statement { index, sql, message }) => {
            assert_eq!(index, 2);
            assert_eq!(sql, "CREATE TABLE t (duplicate)");
            assert!(message.contains("already exists"), "{message}");
        }
        other => panic!("expected a statement error, got {other:?}"),
    }
    assert_eq!(inspect(&conn).schema.content_hash(), before);
    assert_eq!(rows(&conn, "SELECT a FROM t"), vec!["keep"]);
    assert!(conn.is_autocommit());
}

#[test]
fn drift_is_refused_before_anything_runs() {
    let (_dir, mut conn) = db("CREATE TABLE t (a)");
    let planned = inspect(&conn).schema.content_hash();
    conn.execute_batch("CREATE INDEX sneaky ON t (a)").expect("drift");
    let actual = inspect(&conn).schema.content_hash();
    match apply(&mut conn, &script(&["CREATE TABLE u (b)"]), Some(&planned)) {
        Err(SqliteError::Drift { expected, actual: found }) => {
            assert_eq!(expected, planned);
            assert_eq!(found, actual);
        }
        other => panic!("expected drift, got {other:?}"),
    }
    assert_eq!(inspect(&conn).schema.content_hash(), actual);
}

/// The table rebuild the diff produces when SQLite cannot ALTER, with a view
/// and a child table pointing at the rebuilt table.
const REBUILD: &[&str] = &[
    "CREATE TABLE \"new_parent\" (\"id\" INTEGER PRIMARY KEY, \"name\" TEXT NOT NULL DEFAULT '')",
    "INSERT INTO \"new_parent\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"parent\"",
    "DROP TABLE \"parent\"",
    "ALTER TABLE \"new_parent\" RENAME TO \"parent\"",
];

const REBUILD_SETUP: &str = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE child (pid INTEGER REFERENCES parent (id));
    CREATE VIEW names AS SELECT name FROM parent;
    INSERT INTO parent VALUES (1, 'one');
    INSERT INTO child VALUES (1);";

#[test]
fn table_rebuild_with_foreign_keys_off() {
    let (_dir, mut conn) = db(REBUILD_SETUP);
    assert_eq!(pragma(&conn, "foreign_keys"), 1, "bundled SQLite enables foreign keys by default");
    let mut s = script(REBUILD);
    s.disable_foreign_keys = true;
    apply(&mut conn, &s, None).expect("rebuild");
    let found = inspect(&conn);
    let parent = common::table(&found.schema, "parent");
    assert!(!parent.columns[1].nullable);
    let child = common::table(&found.schema, "child");
    assert_eq!(child.foreign_keys[0].ref_table.name, "parent", "children still point at the table");
    assert_eq!(rows(&conn, "SELECT name FROM names"), vec!["one"]);
    assert_eq!(pragma(&conn, "foreign_keys"), 1, "restored");
    assert_eq!(pragma(&conn, "legacy_alter_table"), 0, "restored");
}

#[test]
fn foreign_key_check_failure_rolls_back() {
    let (_dir, mut conn) = db(REBUILD_SETUP);
    let before = inspect(&conn).schema.content_hash();
    let mut statements = REBUILD.to_vec();
    statements[1] = "INSERT INTO \"new_parent\" (\"id\", \"name\") SELECT \"id\" + 1, \"name\" FROM \"parent\"";
    let mut s = script(&statements);
    s.disable_foreign_keys = true;
    match apply(&mut conn, &s, Some(&before)) {
        Err(SqliteError::ForeignKeyViolation { table, rowid, parent }) => {
            assert_eq!((table.as_str(), rowid, parent.as_str()), ("child", Some(1), "parent"));
        }
        other => panic!("expected a foreign key violation, got {other:?}"),
    }
    assert_eq!(inspect(&conn).schema.content_hash(), before);
    assert_eq!(rows(&conn, "SELECT id || name FROM parent"), vec!["1one"]);
    assert_eq!(pragma(&conn, "foreign_keys"), 1, "restored after the failure");
    assert_eq!(pragma(&conn, "legacy_alter_table"), 0, "restored after the failure");
}

#[test]
fn pragmas_are_restored_when_they_were_off() {
    let (_dir, mut conn) = db("PRAGMA foreign_keys = OFF; CREATE TABLE t (a)");
    let mut s = script(&["CREATE TABLE broken (", "CREATE TABLE never (a)"]);
    s.disable_foreign_keys = true;
    assert!(matches!(apply(&mut conn, &s, None), Err(SqliteError::Statement { index: 0, .. })));
    assert_eq!(pragma(&conn, "foreign_keys"), 0);
}

#[test]
fn non_transactional_statements_run_after_commit() {
    let (_dir, mut conn) = db("CREATE TABLE t (a)");
    let mut s = script(&["VACUUM", "CREATE TABLE u (b)"]);
    s.statements[0].transactional = false;
    let report = apply(&mut conn, &s, None).expect("apply");
    assert_eq!(report.statements_run, 2);
    assert_eq!(inspect(&conn).schema.tables.len(), 2);
}

#[test]
fn a_statement_that_commits_is_refused() {
    let (_dir, mut conn) = db("CREATE TABLE t (a)");
    let s = script(&["CREATE TABLE u (b); COMMIT", "CREATE TABLE v (c)"]);
    assert!(matches!(apply(&mut conn, &s, None), Err(SqliteError::Statement { index: 0, .. })));
}

#[test]
fn other_dialects_are_refused() {
    let (_dir, mut conn) = db("");
    let s = Script::new(Dialect::Postgres);
    assert!(matches!(apply(&mut conn, &s, None), Err(SqliteError::WrongDialect { .. })));
}

#[test]
fn violations_already_there_do_not_block_a_rebuild_but_new_ones_do() {
    // A child row pointing nowhere, inserted while enforcement was off.
    let setup = "PRAGMA foreign_keys = OFF;
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));
        INSERT INTO child VALUES (1, 99);
        PRAGMA foreign_keys = ON;";
    let (_dir, mut conn) = db(setup);
    let mut s = script(&["ALTER TABLE parent ADD COLUMN note TEXT"]);
    s.disable_foreign_keys = true;
    apply(&mut conn, &s, None).expect("the old orphan does not block an unrelated change");

    let mut s = script(&["INSERT INTO child VALUES (2, 98)"]);
    s.disable_foreign_keys = true;
    match apply(&mut conn, &s, None) {
        Err(SqliteError::ForeignKeyViolation { table, rowid, .. }) => {
            assert_eq!((table.as_str(), rowid), ("child", Some(2)))
        }
        other => panic!("expected a new violation to fail, got {other:?}"),
    }
    assert_eq!(rows(&conn, "SELECT id || '' FROM child ORDER BY id"), vec!["1"]);
}

#[test]
fn a_statement_that_holds_two_statements_or_a_nul_runs_nothing() {
    let (_dir, mut conn) = db("CREATE TABLE victim (id INT); INSERT INTO victim VALUES (1)");
    let before = inspect(&conn).schema;
    for sql in ["CREATE TABLE t (id INT); DROP TABLE victim", "CREATE TABLE t (id INT)\0; DROP TABLE victim"] {
        for transactional in [true, false] {
            let mut s = script(&[]);
            s.statements.push(Statement { transactional, ..Statement::new(sql) });
            let err = apply(&mut conn, &s, None).expect_err("refused");
            assert!(matches!(err, SqliteError::Statement { index: 0, .. }), "{err}");
            assert_eq!(inspect(&conn).schema, before, "nothing ran");
        }
    }
    assert_eq!(rows(&conn, "SELECT CAST(id AS TEXT) FROM victim"), ["1"]);
}
