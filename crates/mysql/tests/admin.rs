//! Databases, `.sql` scripts, hostile names, hash stability and query counts.

mod common;

use common::{TestDb, run};
use schemasync_model::{Dialect, QualifiedName, TableOptions};
use schemasync_mysql::{MySqlError, create_database, database_exists, load_sql};

#[test]
fn creates_databases_with_charset_and_collation() {
    run(async {
        let Some(db) = TestDb::new("admin_create").await else { return };
        // A database of our own, dropped by its guard.
        let guard_name = schemasync_testkit::unique_db_name("admin_created");
        let guard = common::Guard::new(&guard_name);
        let config = db.server().with_database(&guard_name);
        assert!(!database_exists(&config).await.expect("exists"));
        assert!(create_database(&config, Some("latin1"), Some("latin1_bin")).await.expect("create"));
        assert!(database_exists(&config).await.expect("exists"));
        assert!(!create_database(&config, None, None).await.expect("create again"), "already there");
        let mut conn = schemasync_mysql::connect(&config).await.expect("connect");
        let collation: Option<String> = {
            use mysql_async::prelude::Queryable;
            let mut raw = db.raw().await;
            raw.exec_first(
                "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                (guard_name.as_str(),),
            )
            .await
            .expect("query")
        };
        assert_eq!(collation.as_deref(), Some("latin1_bin"));
        assert!(conn.introspect(&Default::default()).await.expect("introspect").schema.is_empty());
        let bad = create_database(&config.with_database("x_bad"), Some("latin1; DROP DATABASE y"), None).await;
        assert!(matches!(bad, Err(MySqlError::InvalidName { .. })));
        assert!(matches!(database_exists(db.server()).await, Err(MySqlError::NoDatabase)));
        drop(guard);
    });
}

#[test]
fn load_sql_runs_delimiter_scripts_and_leaves_nothing_behind() {
    run(async {
        let Some(db) = TestDb::new("admin_load").await else { return };
        let script = "-- a schema file\nCREATE TABLE t (id int PRIMARY KEY, note varchar(10) DEFAULT ';');\n\
            DELIMITER $$\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.note = 'x;y';\nEND$$\n\
            CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END $$\nDELIMITER ;\n\
            CREATE VIEW v AS SELECT id FROM t;\nINSERT INTO t (id) VALUES (1);\n";
        let found = load_sql(&db.config, script).await.expect("load");
        let schema = found.schema;
        assert!(schema.tables.contains_key(&QualifiedName::bare("t")));
        assert_eq!(schema.triggers.len(), 1);
        assert_eq!(schema.routines.len(), 1);
        assert_eq!(schema.views[&QualifiedName::bare("v")].definition, "select `t`.`id` AS `id` from `t`");
        // The scratch database takes the defaults of the database the URL names.
        let t = &schema.tables[&QualifiedName::bare("t")];
        assert!(matches!(&t.options, TableOptions::MySql { charset: Some(_), .. }));
        let failed = load_sql(&db.config, "CREATE TABLE a (id int);\nCREATE TABLE a (id int);").await.unwrap_err();
        assert!(matches!(failed, MySqlError::Script { index: 1, line: 2, .. }), "{failed:?}");
        use mysql_async::prelude::Queryable;
        let mut raw = db.raw().await;
        let left: Vec<String> = raw
            .query(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'schemasync\\_scratch\\_%'",
            )
            .await
            .expect("list");
        let mine = format!("schemasync_scratch_{}_", std::process::id());
        assert!(left.iter().all(|n| !n.starts_with(&mine)), "scratch databases left: {left:?}");
    });
}

#[test]
fn hostile_identifiers_round_trip() {
    run(async {
        let Some(db) = TestDb::new("admin_names").await else { return };
        let table = "a`b\"c; DROP TABLE x";
        let column = "col`'\"";
        let q = |n: &str| Dialect::MySql.quote_ident(n);
        db.exec(&format!(
            "CREATE TABLE {} ({} int PRIMARY KEY, `x``y` varchar(5) DEFAULT 'it''s' COMMENT 'c`''\"', KEY {} ({}));\n\
             CREATE VIEW {} AS SELECT {} FROM {}",
            q(table),
            q(column),
            q("i`x"),
            q(column),
            q("v`'"),
            q(column),
            q(table)
        ))
        .await;
        let schema = db.introspect().await.schema;
        let t = &schema.tables[&QualifiedName::bare(table)];
        assert_eq!(t.columns[0].name, column);
        assert_eq!(t.columns[1].name, "x`y");
        assert_eq!(t.columns[1].comment.as_deref(), Some("c`'\""));
        assert!(t.indexes.contains_key("i`x"));
        assert!(schema.views.contains_key(&QualifiedName::bare("v`'")));
        common::roundtrip::assert_fixed_point(&schema).await;
    });
}

#[test]
fn hash_is_stable() {
    run(async {
        let Some(db) = TestDb::new("admin_hash").await else { return };
        db.exec(include_str!("fixtures/columns.sql")).await;
        db.exec(include_str!("fixtures/triggers.sql")).await;
        let first = db.introspect().await.schema;
        let second = db.introspect().await.schema;
        assert_eq!(first, second);
        assert_eq!(first.content_hash(), second.content_hash());
    });
}

async fn queries_for(tables: usize) -> Option<u64> {
    let db = TestDb::new("admin_count").await?;
    let mut ddl = String::new();
    for i in 0..tables {
        ddl.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, p int, v int CHECK (v > 0), KEY k (v){});\n\
             CREATE TRIGGER tr{i} BEFORE INSERT ON t{i} FOR EACH ROW SET NEW.v = 1;\n",
            if i > 0 { format!(", FOREIGN KEY (p) REFERENCES t{} (id)", i - 1) } else { String::new() }
        ));
    }
    db.exec(&ddl).await;
    let mut conn = db.connect().await;
    let before = conn.queries_sent();
    let found = conn.introspect(&Default::default()).await.expect("introspect");
    assert_eq!(found.schema.tables.len(), tables);
    Some(conn.queries_sent() - before)
}

#[test]
fn query_count_does_not_grow_with_tables() {
    run(async {
        let Some(five) = queries_for(5).await else { return };
        let Some(fifty) = queries_for(50).await else { return };
        assert_eq!(five, fifty);
        assert!(five <= 12, "{five} queries");
    });
}

#[test]
fn unreachable_server_is_a_connect_error() {
    run(async {
        let config = schemasync_mysql::MySqlConfig::parse("mysql://root@127.0.0.1:1/x").expect("url");
        let err = schemasync_mysql::connect(&config).await.unwrap_err();
        assert!(matches!(err, MySqlError::Connect { .. }), "{err:?}");
    });
}
