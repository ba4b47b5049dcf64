//! Convergence bugs of issue 12 on real servers: a source database is synced
//! into a target holding rows, the apply and the rows are checked, and a
//! second plan must be empty.

use std::process::Command;

use schemasync::{Location, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetReport, TargetStatus};
use schemasync_testkit::{Server, ServerDb};

/// One value (or rows joined by newlines) from the server's own client.
fn query(db: &ServerDb, server: Server, sql: &str) -> String {
    let out = match server {
        Server::Postgres => {
            Command::new("psql").args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", db.url(), "-c", sql]).output()
        }
        Server::MySql => {
            let url = schemasync_testkit::mysql_url();
            let rest = url.trim_start_matches("mysql://");
            let (user, host) = rest.split_once('@').unwrap_or(("root", rest));
            let host = host.trim_end_matches('/');
            let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
            let (user, password) = user.split_once(':').map_or((user, None), |(u, p)| (u, Some(p)));
            let mut cmd = Command::new("mysql");
            cmd.args(["-N", "-B", "-h", host, "-P", port, "-u", user]);
            if let Some(p) = password {
                cmd.arg(format!("-p{p}"));
            }
            cmd.args([db.name(), "-e", sql]).output()
        }
    };
    let out = out.expect("client runs");
    assert!(out.status.success(), "client: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

struct Pair {
    server: Server,
    source: ServerDb,
    target: ServerDb,
    syncer: Syncer<SqliteHistory>,
}

impl Pair {
    fn new(server: Server, prefix: &str, source_sql: &str, target_sql: &str) -> Option<Pair> {
        let source = ServerDb::create(server, &format!("{prefix}_src"))?;
        let target = ServerDb::create(server, &format!("{prefix}_dst"))?;
        source.exec(source_sql);
        target.exec(target_sql);
        Some(Pair { server, source, target, syncer: Syncer::new(SqliteHistory::in_memory().expect("history")) })
    }

    fn target(&self) -> Location {
        Location::parse(self.target.url()).unwrap()
    }

    fn wanted(&self) -> Schema {
        let source = Source::Database(Location::parse(self.source.url()).unwrap());
        self.syncer.resolve(&source, None).unwrap().schema
    }

    fn sync(&mut self, options: &SyncOptions) -> TargetReport {
        let wanted = self.wanted();
        let plan = self.syncer.plan(&wanted, "source", &self.target(), options).expect("plan");
        self.syncer.apply(&plan, options)
    }

    fn assert_converged(&self, options: &SyncOptions) {
        let plan = self.syncer.plan(&self.wanted(), "re-diff", &self.target(), options).unwrap();
        assert!(plan.script.is_empty(), "re-diff not empty:\n{}", plan.script.to_sql());
    }

    fn query(&self, sql: &str) -> String {
        query(&self.target, self.server, sql)
    }
}

// 1. A primary key and a UNIQUE constraint on the same columns are both kept.

fn pk_and_unique(server: Server) {
    // ALTER TABLE: PostgreSQL's CREATE TABLE would fold the uniques into the key.
    let source = "CREATE TABLE item (id int NOT NULL, code int NOT NULL, PRIMARY KEY (id));
                  ALTER TABLE item ADD CONSTRAINT item_id_key UNIQUE (id);
                  ALTER TABLE item ADD CONSTRAINT item_pair_key UNIQUE (id, code);
                  CREATE TABLE other (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b));
                  ALTER TABLE other ADD CONSTRAINT other_ab_key UNIQUE (a, b);
                  ALTER TABLE other ADD CONSTRAINT other_ab_again UNIQUE (a, b);";
    // `item` exists with rows (the uniques are added to it); `other` is created.
    let target = "CREATE TABLE item (id int NOT NULL, code int NOT NULL, PRIMARY KEY (id));
                  INSERT INTO item VALUES (1, 10), (2, 20);";
    let Some(mut pair) = Pair::new(server, "pk_unique", source, target) else { return };
    let options = SyncOptions::default();
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    let uniques = match server {
        Server::Postgres => pair.query(
            "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint \
             WHERE contype = 'u' AND connamespace = 'public'::regnamespace",
        ),
        Server::MySql => pair.query(
            "SELECT group_concat(constraint_name ORDER BY constraint_name) FROM information_schema.table_constraints \
             WHERE table_schema = database() AND constraint_type = 'UNIQUE'",
        ),
    };
    assert_eq!(uniques, "item_id_key,item_pair_key,other_ab_again,other_ab_key");
    assert_eq!(pair.query("SELECT count(*) FROM item"), "2");
    pair.target.exec("INSERT INTO other VALUES (1, 2), (3, 4)");
    pair.assert_converged(&options);
}

#[test]
fn postgres_primary_key_and_unique_on_the_same_columns_converge() {
    pk_and_unique(Server::Postgres);
}

#[test]
fn mysql_primary_key_and_unique_on_the_same_columns_converge() {
    pk_and_unique(Server::MySql);
}

// 2. MySQL/MariaDB: JSON columns with expression defaults, and generated
// columns becoming regular ones.

#[test]
fn mysql_json_columns_with_expression_defaults_converge() {
    let source = "CREATE TABLE j (id int PRIMARY KEY, tags JSON DEFAULT (JSON_ARRAY()),
                                  o JSON NOT NULL DEFAULT (JSON_OBJECT('a', 1)), plain JSON);
                  CREATE TABLE k (id int PRIMARY KEY, tags JSON DEFAULT (JSON_ARRAY()));";
    // `j` exists with rows and JSON columns without defaults; `k` is created.
    let target = "CREATE TABLE j (id int PRIMARY KEY, tags JSON, o JSON NOT NULL, plain JSON);
                  INSERT INTO j VALUES (1, '[1]', '{}', NULL), (2, NULL, '[]', '\"x\"');";
    let Some(mut pair) = Pair::new(Server::MySql, "json_default", source, target) else { return };
    let options = SyncOptions::default();
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert!(report.warnings.is_empty(), "{report:?}");
    assert_eq!(pair.query("SELECT count(*) FROM j WHERE json_valid(tags) OR tags IS NULL"), "2");
    pair.target.exec("INSERT INTO j (id) VALUES (3); INSERT INTO k (id) VALUES (1)");
    assert_eq!(pair.query("SELECT tags FROM j WHERE id = 3"), "[]");
    assert_eq!(pair.query("SELECT o FROM j WHERE id = 3"), "{\"a\": 1}");
    assert_eq!(pair.query("SELECT tags FROM k"), "[]");
    // Still JSON columns: text that is not JSON is refused in every one.
    for (table, column) in [("j", "tags"), ("j", "o"), ("j", "plain"), ("k", "tags")] {
        let insert = format!("UPDATE {table} SET {column} = 'not json'");
        assert!(pair.target.try_exec(&insert).is_err(), "{table}.{column} took text that is not JSON");
    }
    pair.assert_converged(&options);
}

#[test]
fn mysql_generated_columns_become_regular_ones() {
    let source = "CREATE TABLE g (id int PRIMARY KEY, doubled int, next int, kept int AS (id + 5) STORED);";
    let target = "CREATE TABLE g (id int PRIMARY KEY, doubled int AS (id * 2) STORED, next int AS (id + 1) VIRTUAL,
                                  kept int AS (id + 5) STORED);
                  INSERT INTO g (id) VALUES (1), (2);";
    let Some(mut pair) = Pair::new(Server::MySql, "generated_regular", source, target) else { return };
    let refused = pair.sync(&SyncOptions::default());
    // The server keeps a STORED column's values; a VIRTUAL one is dropped and added again.
    let data_loss: Vec<&str> = refused
        .hazards
        .iter()
        .filter(|h| h.kind == schemasync::HazardKind::DataLoss)
        .map(|h| h.message.as_str())
        .collect();
    assert!(data_loss.len() == 1 && data_loss[0].contains("g.next"), "{refused:?}");
    assert!(data_loss[0].contains("VIRTUAL"), "{refused:?}");
    assert_ne!(refused.status, TargetStatus::Applied, "{refused:?}");

    let options = SyncOptions::default().allow_destructive(true);
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert_eq!(
        pair.query(
            "SELECT group_concat(coalesce(doubled, 'null'), '/', coalesce(next, 'null'), '/', kept ORDER BY id) FROM g"
        ),
        "2/null/6,4/null/7"
    );
    pair.target.exec("UPDATE g SET doubled = 10, next = 11 WHERE id = 1");
    assert_eq!(pair.query("SELECT concat(doubled, '/', next) FROM g WHERE id = 1"), "10/11");
    pair.assert_converged(&options);
}

// 3. PostgreSQL type changes without a cast: never a cast the server rejects.

#[test]
fn postgres_type_changes_without_a_cast_lose_the_values_instead_of_failing() {
    let source = "CREATE TABLE t (id int PRIMARY KEY, ref uuid, flag boolean, tags int[],
                                  n uuid NOT NULL DEFAULT gen_random_uuid(), ids uuid[], u bigint, one int);";
    let target = "CREATE TABLE t (id int PRIMARY KEY, ref bigint, flag integer, tags text,
                                  n bigint NOT NULL DEFAULT 0, ids integer[], u uuid, one int[]);
                  INSERT INTO t VALUES
                    (1, 10, 0, '{1,2}', 5, '{1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1}'),
                    (2, 20, 3, NULL, 6, NULL, NULL, NULL);";
    let Some(mut pair) = Pair::new(Server::Postgres, "no_cast", source, target) else { return };
    let refused = pair.sync(&SyncOptions::default());
    assert_ne!(refused.status, TargetStatus::Applied, "{refused:?}");
    let lost: Vec<&str> = refused
        .hazards
        .iter()
        .filter(|h| h.kind == schemasync::HazardKind::DataLoss)
        .map(|h| h.message.as_str())
        .collect();
    for column in ["t.ref", "t.n", "t.ids", "t.u", "t.one"] {
        assert!(lost.iter().any(|m| m.contains(column) && m.contains("no cast")), "{column}: {lost:#?}");
    }
    assert!(lost.iter().any(|m| m.contains("t.flag") && !m.contains("no cast")), "{lost:#?}");
    assert!(!lost.iter().any(|m| m.contains("t.tags")), "text to int[] casts: {lost:#?}");
    assert!(
        !refused
            .hazards
            .iter()
            .any(|h| h.kind == schemasync::HazardKind::FailsOnExistingRows && h.message.contains("t.n ")),
        "t.n takes its new default: {refused:?}"
    );
    assert_eq!(pair.query("SELECT pg_typeof(ref)::text FROM t LIMIT 1"), "bigint", "a refused plan changes nothing");

    let options = SyncOptions::default().allow_destructive(true);
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert_eq!(
        pair.query(
            "SELECT string_agg(concat_ws('/', id, coalesce(ref::text, 'null'), flag, coalesce(tags::text, 'null'), \
             coalesce(ids::text, 'null'), coalesce(u::text, 'null'), coalesce(one::text, 'null')), ',' ORDER BY id) FROM t"
        ),
        "1/null/f/{1,2}/null/null/null,2/null/t/null/null/null/null"
    );
    assert_eq!(pair.query("SELECT count(DISTINCT n) FROM t WHERE n IS NOT NULL"), "2");
    pair.assert_converged(&options);
}
