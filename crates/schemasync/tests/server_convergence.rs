//! Convergence on real PostgreSQL and MySQL/MariaDB servers with random
//! schema pairs (a bounded number of cases): a database synced from a, then
//! to b, then back to a, matches each in turn, and a second plan is empty.

use std::fmt::Write as _;

use proptest::prelude::*;
use schemasync::{Location, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{Server, ServerDb, TestDir};

#[derive(Debug, Clone)]
struct ColumnSpec {
    ty: usize,
    nullable: bool,
    with_default: bool,
    indexed: bool,
    unique: bool,
}

#[derive(Debug, Clone)]
struct TableSpec {
    name: usize,
    columns: Vec<ColumnSpec>,
    fk_to_previous: bool,
    check: bool,
}

const NAMES: [&str; 5] = ["users", "orders", "Line Items", "a\"b", "notes"];
const PG_TYPES: [(&str, &str); 7] = [
    ("integer", "0"),
    ("bigint", "42"),
    ("text", "'x'"),
    ("character varying(20)", "'y'"),
    ("numeric(10,2)", "1.50"),
    ("boolean", "true"),
    ("timestamp with time zone", "now()"),
];
const MY_TYPES: [(&str, &str); 7] = [
    ("int", "0"),
    ("bigint unsigned", "42"),
    ("varchar(40)", "'x'"),
    ("varchar(20)", "'y'"),
    ("decimal(10,2)", "1.50"),
    ("tinyint(1)", "1"),
    ("datetime", "current_timestamp()"),
];

fn column() -> impl Strategy<Value = ColumnSpec> {
    (0..PG_TYPES.len(), any::<bool>(), any::<bool>(), prop::bool::weighted(0.3), prop::bool::weighted(0.15)).prop_map(
        |(ty, nullable, with_default, indexed, unique)| ColumnSpec { ty, nullable, with_default, indexed, unique },
    )
}

fn schema() -> impl Strategy<Value = Vec<TableSpec>> {
    prop::collection::vec(
        (0..NAMES.len(), prop::collection::vec(column(), 0..4), any::<bool>(), prop::bool::weighted(0.3))
            .prop_map(|(name, columns, fk_to_previous, check)| TableSpec { name, columns, fk_to_previous, check }),
        0..4,
    )
    .prop_map(|mut tables| {
        let mut seen = std::collections::BTreeSet::new();
        tables.retain(|t| seen.insert(t.name));
        tables
    })
}

fn render(server: Server, tables: &[TableSpec]) -> String {
    let d = match server {
        Server::Postgres => schemasync::Dialect::Postgres,
        Server::MySql => schemasync::Dialect::MySql,
    };
    let types = if server == Server::Postgres { &PG_TYPES } else { &MY_TYPES };
    let mut sql = String::new();
    let mut previous: Option<&str> = None;
    for table in tables {
        let name = NAMES[table.name];
        let q = |s: &str| d.quote_ident(s);
        let mut parts = vec![format!("{} bigint NOT NULL PRIMARY KEY", q("id"))];
        let mut indexes = Vec::new();
        for (i, c) in table.columns.iter().enumerate() {
            let (ty, default) = types[c.ty];
            let col = format!("c{i}");
            let mut def = format!("{} {ty}", q(&col));
            if !c.nullable {
                def.push_str(" NOT NULL");
            }
            if c.with_default {
                let _ = write!(def, " DEFAULT {default}");
            }
            parts.push(def);
            if c.unique {
                parts.push(format!("CONSTRAINT {} UNIQUE ({})", q(&format!("{name}_{col}_key")), q(&col)));
            } else if c.indexed {
                indexes.push(format!("CREATE INDEX {} ON {} ({})", q(&format!("{name}_{col}_idx")), q(name), q(&col)));
            }
        }
        if let (true, Some(parent)) = (table.fk_to_previous, previous) {
            parts.push(format!("{} bigint", q("parent_id")));
            parts.push(format!(
                "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE CASCADE",
                q(&format!("{name}_parent_fk")),
                q("parent_id"),
                q(parent),
                q("id")
            ));
        }
        if table.check {
            parts.push(format!("CONSTRAINT {} CHECK ({} > 0)", q(&format!("{name}_id_check")), q("id")));
        }
        let _ = writeln!(sql, "CREATE TABLE {} (\n  {}\n);", q(name), parts.join(",\n  "));
        for index in indexes {
            let _ = writeln!(sql, "{index};");
        }
        previous = Some(name);
    }
    sql
}

fn converge(server: Server, a: &[TableSpec], b: &[TableSpec]) -> Result<(), TestCaseError> {
    let dir = TestDir::new();
    let Some(db) = ServerDb::reserve(server, "prop") else { return Ok(()) };
    let target = Location::parse(db.url()).expect("url");
    let mut syncer = Syncer::new(SqliteHistory::in_memory().expect("history"));
    let options = SyncOptions::default().allow_destructive(true).create_missing(true);
    for (step, spec) in [("a", a), ("b", b), ("back to a", a)] {
        let file = dir.file(&format!("{}.sql", step.replace(' ', "_")), &render(server, spec));
        let wanted = syncer.resolve(&Source::SqlFile(file), Some(&target)).expect("load").schema;
        let plan = syncer.plan(&wanted, step, &target, &options).expect("plan");
        let report = syncer.apply(&plan, &options);
        prop_assert!(
            matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged),
            "{server:?} {step}: {:?}\n{}",
            report.error,
            plan.script.to_sql()
        );
        let again = syncer.plan(&wanted, step, &target, &options).expect("replan");
        prop_assert!(again.plan.is_empty(), "{server:?} {step}: second plan:\n{}", again.script.to_sql());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn postgres_random_pairs_converge(a in schema(), b in schema()) {
        converge(Server::Postgres, &a, &b)?;
    }

    #[test]
    fn mysql_random_pairs_converge(a in schema(), b in schema()) {
        converge(Server::MySql, &a, &b)?;
    }
}
