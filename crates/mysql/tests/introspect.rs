//! Introspection of one fixture per object kind on a real server, each
//! followed by the round trip through the reference renderer.

mod common;

use common::{TestDb, roundtrip::assert_fixed_point, run};
use schemasync_model::{
    CheckOption, FkAction, IndexKind, IndexTarget, PartitionStrategy, QualifiedName, RoutineKind, Schema, Table,
    TableOptions, TriggerTiming,
};

async fn load(prefix: &str, fixture: &str) -> Option<(TestDb, Schema)> {
    let db = TestDb::new(prefix).await?;
    db.exec(fixture).await;
    let found = db.introspect().await;
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    let schema = found.schema;
    Some((db, schema))
}

fn table<'a>(schema: &'a Schema, name: &str) -> &'a Table {
    schema.tables.get(&QualifiedName::bare(name)).unwrap_or_else(|| panic!("no table {name}"))
}

#[test]
fn columns() {
    run(async {
        let Some((_db, schema)) = load("columns", include_str!("fixtures/columns.sql")).await else { return };
        let t = table(&schema, "types");
        let col = |name: &str| t.column(name).unwrap_or_else(|| panic!("no column {name}"));
        assert!(col("id").auto_increment && !col("id").nullable);
        assert_eq!(col("u").data_type, "int(10) unsigned zerofill");
        assert_eq!(col("u").default, None);
        assert_eq!(col("bi").default.as_deref(), Some("5"));
        assert_eq!(col("d").default.as_deref(), Some("1.50"));
        assert_eq!(col("bits").default.as_deref(), Some("b'101'"));
        assert_eq!(col("s").default.as_deref(), Some("'it''s \\\\ x'"));
        assert_eq!((col("s").charset.as_deref(), col("s").collation.as_deref()), (Some("latin1"), Some("latin1_bin")));
        assert_eq!((col("s2").charset.as_deref(), col("s2").collation.as_deref()), (None, Some("utf8mb4_bin")));
        assert_eq!((col("ch").charset.as_deref(), col("ch").collation.as_deref()), (None, None));
        assert_eq!(col("sn").default.as_deref(), Some("'NULL'"));
        assert_eq!(col("e").data_type, "enum('a','B','c''d')");
        assert_eq!(col("e").default.as_deref(), Some("'B'"));
        assert_eq!(col("st").default.as_deref(), Some("'x,y'"));
        assert_eq!(col("dt").default.as_deref(), Some("current_timestamp(3)"));
        assert_eq!(col("dt").on_update.as_deref(), Some("current_timestamp(3)"));
        assert_eq!(col("ts").default.as_deref(), Some("current_timestamp()"));
        assert_eq!(col("ts").on_update.as_deref(), Some("current_timestamp()"));
        assert_eq!((col("ts2").default.as_deref(), col("ts2").nullable), (None, true));
        assert_eq!(col("dd").default.as_deref(), Some("'2020-01-01'"));
        let g = col("g").generated.as_ref().expect("g is generated");
        assert_eq!((g.expr.as_str(), g.stored), ("`id` * 2", false));
        let g2 = col("g2").generated.as_ref().expect("g2 is generated");
        assert_eq!((g2.expr.as_str(), g2.stored), ("concat(`s2`,'x')", true));
        assert!(col("inv").invisible);
        assert_eq!(col("ex").default.as_deref(), Some("(1 + 2)"));
        assert_eq!(col("uu").default.as_deref(), Some("uuid()"));
        assert_eq!(col("c").comment.as_deref(), Some("a 'comment' with \\ backslash"));
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"id"));
        assert_eq!(names.last(), Some(&"c"));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn indexes() {
    run(async {
        let Some((db, schema)) = load("indexes", include_str!("fixtures/indexes.sql")).await else { return };
        let flavor = db.connect().await.flavor();
        let db_has_desc_indexes = flavor.mariadb_at_least((10, 8, 0)) || flavor.mysql_at_least((8, 0, 0));
        let docs = table(&schema, "docs");
        assert_eq!(docs.primary_key.as_ref().map(|pk| pk.columns.clone()), Some(vec!["id".to_owned()]));
        assert!(docs.uniques.is_empty(), "UNIQUE keys are indexes");
        let uk = &docs.indexes["uk"];
        assert!(uk.unique && uk.method.is_none());
        assert_eq!(docs.indexes["pre"].parts[0].prefix_length, Some(10));
        let dsc = &docs.indexes["dsc"];
        assert!(dsc.parts[0].descending && !dsc.parts[1].descending);
        assert_eq!(docs.indexes["commented"].comment.as_deref(), Some("why"));
        assert_eq!(docs.indexes["ft"].kind, IndexKind::Fulltext { parser: None });
        let sp = &docs.indexes["sp"];
        assert_eq!(sp.kind, IndexKind::Spatial);
        assert_eq!(sp.parts[0].prefix_length, None);
        assert_eq!(sp.parts[0].target, IndexTarget::Column("p".to_owned()));
        let mem = table(&schema, "mem");
        assert_eq!(mem.indexes["h"].method.as_deref(), Some("HASH"));
        assert_eq!(mem.indexes["b"].method.as_deref(), Some("BTREE"));
        assert_eq!(mem.indexes["d"].method.as_deref(), Some("HASH"), "MEMORY indexes are HASH unless told");
        assert_eq!(table(&schema, "ignored").indexes["ig"].options, ["IGNORED"]);
        assert_eq!(table(&schema, "pk2").primary_key.as_ref().map(|pk| pk.columns.join(",")).as_deref(), Some("b,a"));
        // Primary keys a column list cannot describe are the index PRIMARY.
        let pk_parts = table(&schema, "pk_parts");
        assert_eq!(pk_parts.primary_key, None);
        let pk = &pk_parts.indexes["PRIMARY"];
        assert!(pk.unique && pk.method.is_none());
        assert_eq!(pk.parts[0].target, IndexTarget::Column("a".to_owned()));
        assert_eq!(pk.parts[0].descending, db_has_desc_indexes);
        assert_eq!((pk.parts[1].prefix_length, pk.parts[1].descending), (Some(10), false));
        let commented = table(&schema, "pk_commented");
        assert_eq!(commented.primary_key, None);
        assert_eq!(commented.indexes["PRIMARY"].comment.as_deref(), Some("the key"));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn constraints() {
    run(async {
        let Some((db, schema)) = load("constraints", include_str!("fixtures/constraints.sql")).await else { return };
        let child = table(&schema, "child");
        let fk = |name: &str| child.foreign_keys.iter().find(|f| f.name.as_deref() == Some(name)).expect("fk");
        let p = fk("fk_p");
        assert_eq!((p.on_delete, p.on_update), (FkAction::Cascade, FkAction::SetNull));
        assert_eq!(p.ref_table, QualifiedName::bare("parent"));
        let ab = fk("fk_ab");
        assert_eq!((ab.columns.join(","), ab.ref_columns.join(",")), ("a,b".to_owned(), "a,b".to_owned()));
        // An action left out is what the server takes by default: RESTRICT
        // on MariaDB, NO ACTION on MySQL. Explicit ones are kept apart.
        let mariadb = db.connect().await.flavor().mariadb;
        let omitted = if mariadb { FkAction::Restrict } else { FkAction::NoAction };
        assert_eq!((ab.on_delete, ab.on_update), (omitted, omitted));
        assert_eq!((fk("fk_r").on_delete, fk("fk_r").on_update), (FkAction::Restrict, FkAction::NoAction));
        // The supporting indexes MySQL created for the keys are kept.
        assert!(child.indexes.contains_key("fk_p") && child.indexes.contains_key("fk_ab"));
        let check = |name: &str| child.checks.iter().find(|c| c.name.as_deref() == Some(name)).map(|c| c.expr.clone());
        assert_eq!(check("chk_ab").as_deref(), Some("`a` < `b`"));
        assert_eq!(check("v").as_deref(), Some("`v` > 0"), "column-level check");
        assert_eq!(check("w_nonempty").as_deref(), Some("`w` <> ''"));
        assert_eq!(child.checks.len(), 4, "{:?}", child.checks);
        let self_ref = table(&schema, "self_ref");
        assert_eq!(self_ref.foreign_keys[0].on_delete, FkAction::SetNull);
        assert!(self_ref.indexes.contains_key("by_parent"));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn table_options() {
    run(async {
        let Some((_db, schema)) = load("options", include_str!("fixtures/options.sql")).await else { return };
        let dyn_table = table(&schema, "dyn");
        assert_eq!(
            dyn_table.options,
            TableOptions::MySql {
                engine: Some("InnoDB".to_owned()),
                charset: Some("latin1".to_owned()),
                collation: Some("latin1_general_ci".to_owned()),
                row_format: Some("COMPACT".to_owned()),
            }
        );
        assert_eq!(dyn_table.comment.as_deref(), Some("it's a table"));
        assert!(matches!(&table(&schema, "plain").options, TableOptions::MySql { row_format: None, .. }));
        assert!(matches!(&table(&schema, "mya").options, TableOptions::MySql { engine: Some(e), .. } if e == "Aria"));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn partitions() {
    run(async {
        let Some((_db, schema)) = load("partitions", include_str!("fixtures/partitions.sql")).await else { return };
        let part = |name: &str| table(&schema, name).partitioning.clone().expect("partitioned");
        let pr = part("pr");
        assert_eq!((pr.strategy, pr.key.clone()), (PartitionStrategy::Range, vec!["`id`".to_owned()]));
        assert_eq!(pr.partitions[0].bound, "VALUES LESS THAN (10)");
        assert_eq!(pr.partitions[0].comment.as_deref(), Some("first"));
        assert_eq!(pr.partitions[1].bound, "VALUES LESS THAN MAXVALUE");
        assert_eq!(part("pl").partitions[0].bound, "VALUES IN (1,2)");
        let ph = part("ph");
        assert_eq!((ph.strategy, ph.count, ph.partitions.len()), (PartitionStrategy::Hash, Some(3), 0));
        let phn = part("phn");
        assert_eq!((phn.count, phn.partitions.len()), (None, 2), "named HASH partitions are listed");
        assert_eq!(part("plh").strategy, PartitionStrategy::LinearHash);
        assert_eq!(part("pk").strategy, PartitionStrategy::Key);
        assert!(part("pke").key.is_empty());
        assert_eq!(part("plk").strategy, PartitionStrategy::LinearKey);
        let prc = part("prc");
        assert!(prc.columns_form);
        assert_eq!(prc.key, ["`a`", "`b`"]);
        assert_eq!(prc.partitions[1].bound, "VALUES LESS THAN (MAXVALUE,MAXVALUE)");
        assert_eq!(part("plc").partitions[0].bound, "VALUES IN ('a','b')");
        let psub = part("psub");
        assert_eq!(psub.key, ["year(`d`)"]);
        let sub = psub.subpartitioning.expect("subpartitioned");
        assert_eq!((sub.strategy, sub.count), (PartitionStrategy::Hash, Some(2)));
        assert!(psub.partitions.iter().all(|p| p.subpartitions.is_empty()));
        let psub2 = part("psub2");
        assert_eq!(psub2.subpartitioning.as_ref().and_then(|s| s.count), None);
        assert_eq!(psub2.partitions[1].subpartitions, ["s2", "s3"]);
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn views() {
    run(async {
        let Some((db, schema)) = load("views", include_str!("fixtures/views.sql")).await else { return };
        let view = |name: &str| schema.views.get(&QualifiedName::bare(name)).expect("view").clone();
        let v1 = view("v1");
        assert_eq!(
            v1.definition,
            "select `parent`.`id` AS `id`,`parent`.`a` AS `a` from `parent` where `parent`.`a` > 1"
        );
        assert!(!v1.definition.contains(&db.name), "the database qualifier is stripped");
        assert_eq!(v1.check_option, Some(CheckOption::Cascaded));
        let options = v1.mysql.expect("options");
        assert_eq!((options.algorithm.as_deref(), options.security.as_deref()), (Some("MERGE"), Some("INVOKER")));
        assert_eq!(options.definer, None);
        let v2 = view("v2");
        assert!(v2.definition.contains("'it\\'s' AS `y`"), "{}", v2.definition);
        assert_eq!((v2.mysql, v2.check_option), (None, None));
        assert_eq!(view("v3").mysql.and_then(|o| o.algorithm).as_deref(), Some("TEMPTABLE"));
        assert_eq!(view("v4").check_option, Some(CheckOption::Local));
        // Definers are kept only when asked for.
        let mut conn = db.connect().await;
        let kept = conn
            .introspect(&schemasync_mysql::IntrospectOptions { keep_definers: true })
            .await
            .expect("introspect")
            .schema;
        let definer = kept.views[&QualifiedName::bare("v1")].mysql.as_ref().and_then(|o| o.definer.clone());
        assert!(definer.is_some_and(|d| d.starts_with('\'') && d.contains("'@'")));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn triggers() {
    run(async {
        let Some((_db, schema)) = load("triggers", include_str!("fixtures/triggers.sql")).await else { return };
        let parent = QualifiedName::bare("parent");
        let trigger = |name: &str| schema.triggers[&(parent.clone(), name.to_owned())].clone();
        assert_eq!([trigger("t0").order, trigger("t1").order, trigger("t2").order], [Some(1), Some(2), Some(3)]);
        assert_eq!(trigger("t3").order, None, "alone for its timing and event");
        assert_eq!(trigger("t3").timing, TriggerTiming::After);
        assert!(trigger("t3").body.starts_with("BEGIN") && trigger("t3").body.contains("'a; b'"));
        assert_eq!(trigger("t1").body, "SET NEW.a = 1");
        assert!(trigger("t4").for_each_row);
        // Each trigger keeps the sql_mode it was created under.
        let t5 = schema.triggers[&(QualifiedName::bare("audit"), "t5".to_owned())].clone();
        assert_eq!(t5.sql_mode.as_deref(), Some("ANSI_QUOTES"));
        assert!(trigger("t1").sql_mode.is_some_and(|m| m != "ANSI_QUOTES"));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn routines() {
    run(async {
        let Some((_db, schema)) = load("routines", include_str!("fixtures/routines.sql")).await else { return };
        let find = |kind: RoutineKind, name: &str| {
            schema.routines.values().find(|r| r.kind == kind && r.name.name == name).expect("routine").clone()
        };
        let f1 = find(RoutineKind::Function, "f1");
        assert_eq!(f1.signature, "");
        assert_eq!(f1.arguments, "`a` int(11), `b` varchar(10) CHARSET latin1 COLLATE latin1_swedish_ci");
        assert_eq!(f1.returns.as_deref(), Some("decimal(10,2) unsigned"));
        assert_eq!(f1.comment.as_deref(), Some("it's fn"));
        assert!(f1.definition.starts_with("CREATE FUNCTION `f1`("), "{}", f1.definition);
        assert!(f1.definition.contains(" DETERMINISTIC NO SQL COMMENT 'it''s fn'\nRETURN a + 1"));
        assert!(!f1.definition.contains("DEFINER"));
        let f2 = find(RoutineKind::Function, "f2");
        assert_eq!(f2.returns.as_deref(), Some("varchar(10) CHARSET latin1 COLLATE latin1_bin"));
        let p1 = find(RoutineKind::Procedure, "p1");
        assert_eq!(p1.arguments, "IN `a` int(11), OUT `b` text, INOUT `c` datetime(3)");
        assert!(p1.definition.contains("READS SQL DATA SQL SECURITY INVOKER\nBEGIN"));
        assert!(find(RoutineKind::Procedure, "p2").definition.contains(" MODIFIES SQL DATA\n"));
        // A function and a procedure may share a name.
        find(RoutineKind::Procedure, "same");
        find(RoutineKind::Function, "same");
        assert_eq!(find(RoutineKind::Function, "piped").sql_mode.as_deref(), Some("PIPES_AS_CONCAT,STRICT_ALL_TABLES"));
        assert!(f1.sql_mode.is_some_and(|m| !m.contains("PIPES_AS_CONCAT")));
        assert_fixed_point(&schema).await;
    });
}

#[test]
fn events() {
    run(async {
        let Some((_db, schema)) = load("events", include_str!("fixtures/events.sql")).await else { return };
        let event = |name: &str| schema.events[&QualifiedName::bare(name)].clone();
        let ev1 = event("ev1");
        assert_eq!(ev1.schedule, "EVERY 1 DAY STARTS '2030-01-01 00:00:00' ENDS '2031-01-01 00:00:00'");
        assert!(ev1.preserve && !ev1.enabled);
        assert_eq!(ev1.body, "DELETE FROM t WHERE id < 0");
        assert_eq!(ev1.comment.as_deref(), Some("it's evt"));
        let ev2 = event("ev2");
        assert_eq!(ev2.schedule, "AT '2035-01-01 00:00:00'");
        assert!(!ev2.preserve && ev2.enabled);
        assert_eq!(event("ev3").schedule, "EVERY '1:30' HOUR_MINUTE STARTS '2030-06-01 12:00:00'");
        assert!(event("ev4").body.starts_with("BEGIN"));
        assert_eq!(event("ev5").sql_mode.as_deref(), Some(""), "created under an empty sql_mode");
        assert!(event("ev4").sql_mode.is_some_and(|m| !m.is_empty()));
        assert_fixed_point(&schema).await;
    });
}

/// A FULLTEXT index's parser, on servers that have a full-text parser plugin
/// (MySQL 8: `ngram`; a stock MariaDB has none, where this test can only
/// check that such a server's FULLTEXT indexes read without a parser).
#[test]
fn fulltext_parser() {
    run(async {
        let Some(db) = TestDb::new("ftparser").await else { return };
        use mysql_async::prelude::Queryable;
        let mut conn = db.raw().await;
        let parser: Option<String> = conn
            .query_first(include_str!("../sql/ft_parsers.sql").to_owned() + " ORDER BY PLUGIN_NAME")
            .await
            .expect("list parsers");
        conn.disconnect().await.expect("disconnect");
        let Some(parser) = parser else {
            db.exec("CREATE TABLE d (id int PRIMARY KEY, body text, FULLTEXT KEY ft (body)) ENGINE=InnoDB;").await;
            let schema = db.introspect().await.schema;
            assert_eq!(table(&schema, "d").indexes["ft"].kind, IndexKind::Fulltext { parser: None });
            println!("SKIP (partly): this server has no full-text parser plugin");
            return;
        };
        db.exec(&format!(
            "CREATE TABLE d (id int PRIMARY KEY, body text, t text, FULLTEXT KEY ft (body) WITH PARSER `{parser}`, \
             FULLTEXT KEY plain (t)) ENGINE=InnoDB;"
        ))
        .await;
        let schema = db.introspect().await.schema;
        let d = table(&schema, "d");
        assert_eq!(d.indexes["ft"].kind, IndexKind::Fulltext { parser: Some(parser) });
        assert_eq!(d.indexes["plain"].kind, IndexKind::Fulltext { parser: None });
        assert_fixed_point(&schema).await;
    });
}
