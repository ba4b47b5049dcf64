//! A server whose global sql_mode is permissive cannot weaken an apply: the
//! apply session sets a strict mode of its own, so an ALTER that would
//! convert data silently fails instead and the rows stay as they were.
//! Runs on a private MariaDB started with `--sql-mode=` (the shared server's
//! settings are never changed).

mod common;

use common::run;
use mysql_async::prelude::Queryable;
use schemasync_diff::{DiffOptions, diff};
use schemasync_model::{Dialect, QualifiedName};
use schemasync_mysql::{APPLY_SQL_MODE, ApplyOptions, IntrospectOptions, MySqlConfig, connect, create_database};
use schemasync_testkit::PrivateMariaDb;

#[test]
fn a_permissive_server_mode_does_not_convert_data_during_apply() {
    let Some(server) = PrivateMariaDb::start(&["--sql-mode="]) else { return };
    run(async {
        let config = MySqlConfig::parse(&format!("{}/strict_t", server.url())).expect("url");
        assert!(create_database(&config, None, None).await.expect("create database"));
        let opts = mysql_async::Opts::from_url(&format!("{}/strict_t", server.url())).expect("driver url");
        let mut raw = mysql_async::Conn::new(opts).await.expect("connect");
        let global: String = raw.query_first("SELECT @@GLOBAL.sql_mode").await.expect("mode").expect("row");
        assert_eq!(global, "", "the private server is permissive");
        raw.query_drop("CREATE TABLE t (id int PRIMARY KEY, a varchar(20), b int NULL)").await.expect("table");
        raw.query_drop("INSERT INTO t VALUES (1, 'not a number', NULL), (2, '7', 3)").await.expect("rows");

        let mut conn = connect(&config).await.expect("connect");
        let current = conn.introspect(&IntrospectOptions::default()).await.expect("introspect").schema;
        let mut wanted = current.clone();
        let table = wanted.tables.get_mut(&QualifiedName::bare("t")).expect("t");
        for column in &mut table.columns {
            match column.name.as_str() {
                "a" => column.data_type = "int(11)".into(),
                "b" => column.nullable = false,
                _ => {}
            }
        }
        let plan = diff(&current, &wanted, &DiffOptions::default()).expect("diff");
        let script = schemasync_emit::emit_plan(&plan).expect("emit");
        assert!(!script.statements.is_empty());
        let err = conn
            .apply(&script, Some(&current.content_hash()), &ApplyOptions::default(), &mut |_| {})
            .await
            .expect_err("a strict session refuses to convert 'not a number' and NULL");
        assert!(err.to_string().contains("statement 1 of"), "{err}");
        let rows: Vec<(i32, Option<String>, Option<i32>)> =
            raw.query("SELECT id, a, b FROM t ORDER BY id").await.expect("rows");
        assert_eq!(rows, [(1, Some("not a number".into()), None), (2, Some("7".into()), Some(3))]);
        let after = conn.introspect(&IntrospectOptions::default()).await.expect("introspect").schema;
        assert_eq!(after, current, "the table is unchanged");

        // With the offending row fixed, the same plan applies in full.
        raw.query_drop("UPDATE t SET a = '1', b = 0 WHERE id = 1").await.expect("fix row");
        let current = conn.introspect(&IntrospectOptions::default()).await.expect("introspect").schema;
        let plan = diff(&current, &wanted, &DiffOptions::default()).expect("diff");
        let script = schemasync_emit::emit_plan(&plan).expect("emit");
        conn.apply(&script, Some(&current.content_hash()), &ApplyOptions::default(), &mut |_| {})
            .await
            .unwrap_or_else(|e| panic!("apply: {e}\n{}", script.to_sql()));
        let after = conn.introspect(&IntrospectOptions::default()).await.expect("introspect").schema;
        assert!(diff(&after, &wanted, &DiffOptions::default()).expect("re-diff").changes.is_empty());
        conn.close().await.expect("close");
        raw.disconnect().await.expect("disconnect");
    });
}

#[test]
fn the_apply_mode_is_strict_and_reads_the_emitted_text_as_written() {
    for mode in ["STRICT_ALL_TABLES", "ERROR_FOR_DIVISION_BY_ZERO"] {
        assert!(APPLY_SQL_MODE.split(',').any(|m| m == mode), "{mode}");
    }
    for mode in ["ANSI_QUOTES", "NO_BACKSLASH_ESCAPES", "PIPES_AS_CONCAT", "ALLOW_INVALID_DATES"] {
        assert!(!APPLY_SQL_MODE.contains(mode), "{mode}");
    }
    assert_eq!(Dialect::MySql.quote_string(APPLY_SQL_MODE), format!("'{APPLY_SQL_MODE}'"));
}
