//! A JSON snapshot is user input. Text that would break out of the clause
//! emit writes it in (a type, a default, a CHECK, an index predicate, a view,
//! routine or trigger body, a collation, a storage option), and names the
//! target cannot hold, make `sync` exit 2 naming the field, with the target
//! byte-identical as its engine's own client dumps it and `victim` still
//! holding its rows.

mod common;

use std::process::Command;

use common::*;
use schemasync_testkit::{Server, ServerDb, TestDir};
use serde_json::{Value, json};

const INJECTION: &str = "integer); DROP TABLE victim; CREATE TABLE zz (id integer";

/// One hostile snapshot: what to add to the target's own snapshot, and the
/// path the refusal must name.
struct Case {
    what: &'static str,
    add: Value,
    path: String,
}

/// The target, seen through its engine's own client.
trait Target {
    fn url(&self) -> String;
    fn dump(&self) -> String;
    fn victim_rows(&self) -> i64;
}

fn client(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("run {program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct SqliteTarget(std::path::PathBuf);

impl Target for SqliteTarget {
    fn url(&self) -> String {
        sqlite_url(&self.0)
    }
    fn dump(&self) -> String {
        client("sqlite3", &[self.0.to_str().unwrap(), ".dump"])
    }
    fn victim_rows(&self) -> i64 {
        count(&self.0, "victim")
    }
}

struct PgTarget(ServerDb);

impl Target for PgTarget {
    fn url(&self) -> String {
        self.0.url().to_owned()
    }
    fn dump(&self) -> String {
        let dump = client("pg_dump", &["--schema-only", "--no-owner", "-d", self.0.url()]);
        // pg_dump 17.6+ writes a fresh random key on `\restrict` lines.
        dump.lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .collect::<Vec<_>>()
            .join("\n")
    }
    fn victim_rows(&self) -> i64 {
        client("psql", &["-tA", "-d", self.0.url(), "-c", "SELECT count(*) FROM victim"]).trim().parse().unwrap()
    }
}

struct MyTarget(ServerDb);

impl MyTarget {
    /// `-h`, `-P`, `-u` (and `-p`) of the test server's URL.
    fn args(&self) -> Vec<String> {
        let url = schemasync_testkit::mysql_url();
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let rest = rest.split(['/', '?']).next().unwrap_or(rest);
        let (user, host) = rest.rsplit_once('@').unwrap_or(("root", rest));
        let (user, password) = user.split_once(':').map_or((user, None), |(u, p)| (u, Some(p)));
        let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
        let mut args = vec!["--protocol=tcp".to_owned(), format!("-h{host}"), format!("-P{port}"), format!("-u{user}")];
        if let Some(p) = password {
            args.push(format!("-p{p}"));
        }
        args
    }
}

impl Target for MyTarget {
    fn url(&self) -> String {
        self.0.url().to_owned()
    }
    fn dump(&self) -> String {
        let mut args = self.args();
        args.extend(["--no-data", "--skip-dump-date", "--routines", "--triggers", "--events"].map(String::from));
        args.push(self.0.name().to_owned());
        client("mysqldump", &args.iter().map(String::as_str).collect::<Vec<_>>())
    }
    fn victim_rows(&self) -> i64 {
        let mut args = self.args();
        args.extend(["-N".to_owned(), "-e".to_owned(), format!("SELECT count(*) FROM `{}`.victim", self.0.name())]);
        client("mysql", &args.iter().map(String::as_str).collect::<Vec<_>>()).trim().parse().unwrap()
    }
}

/// Each case on `target`: the snapshot is the target's own plus the hostile
/// objects, so nothing else would change.
fn every_case_is_refused(target: &dyn Target, cases: &[Case]) {
    let dir = TestDir::new();
    let history = dir.path("history.db");
    let own = run(&history, &["inspect", &target.url(), "--format", "json"]);
    assert_eq!(own.code, 0, "inspect: {}", own.stderr);
    let base: Value = serde_json::from_str(&own.stdout).expect("snapshot JSON");
    let before = target.dump();
    let rows = target.victim_rows();
    assert!(rows > 0);
    for case in cases {
        let mut snapshot = base.clone();
        for (key, items) in case.add.as_object().unwrap() {
            let list = snapshot.as_object_mut().unwrap().entry(key.clone()).or_insert_with(|| json!([]));
            list.as_array_mut().unwrap().extend(items.as_array().unwrap().iter().cloned());
        }
        let file = dir.file(&format!("{}.json", case.what.replace(' ', "_")), &snapshot.to_string());
        let out =
            run(&history, &["sync", "--from", file.to_str().unwrap(), "--to", &target.url(), "--allow-destructive"]);
        let all = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, 2, "{}: not refused: {all}", case.what);
        assert!(out.stderr.contains(&case.path), "{}: {:?} not named: {all}", case.what, case.path);
        assert_eq!(target.dump(), before, "{}: the target changed", case.what);
        assert_eq!(target.victim_rows(), rows, "{}: victim lost rows", case.what);
    }
}

fn column(name: &str, data_type: &str) -> Value {
    json!({"name": name, "data_type": data_type, "nullable": true})
}

fn table(name: Value, columns: Vec<Value>, extra: Value) -> Value {
    let mut t = json!({"name": name, "columns": columns});
    for (k, v) in extra.as_object().unwrap() {
        t[k] = v.clone();
    }
    t
}

/// The cases every engine shares; `n` makes a table name of the dialect.
fn common_cases(n: &dyn Fn(&str) -> Value, key: &dyn Fn(&str) -> String, int: &str) -> Vec<Case> {
    let breakout = "0); DROP TABLE victim; --";
    vec![
        Case {
            what: "data_type",
            add: json!({"tables": [table(n("h"), vec![column("id", INJECTION)], json!({}))]}),
            path: format!("tables[{}].columns[\"id\"].data_type", key("h")),
        },
        Case {
            what: "default",
            add: json!({"tables": [table(n("h"), vec![json!({"name": "id", "data_type": int, "nullable": true, "default": breakout})], json!({}))]}),
            path: format!("tables[{}].columns[\"id\"].default", key("h")),
        },
        Case {
            what: "check",
            add: json!({"tables": [table(n("h"), vec![column("id", int)], json!({"checks": [{"name": "c", "expr": breakout}]}))]}),
            path: format!("tables[{}].checks[\"c\"].expr", key("h")),
        },
        Case {
            what: "index predicate",
            add: json!({"tables": [table(n("h"), vec![column("id", int)],
                json!({"indexes": [{"name": "i", "parts": [{"target": {"column": "id"}}], "predicate": "id > 0; DROP TABLE victim"}]}))]}),
            path: format!("tables[{}].indexes[\"i\"].predicate", key("h")),
        },
        Case {
            what: "view definition",
            add: json!({"views": [{"name": n("v"), "definition": "SELECT 1 AS a; DROP TABLE victim"}]}),
            path: format!("views[{}].definition", key("v")),
        },
        Case {
            what: "collation",
            add: json!({"tables": [table(n("h"), vec![json!({"name": "id", "data_type": "text", "nullable": true,
                "collation": "\"C\"); DROP TABLE victim; --"})], json!({}))]}),
            path: format!("tables[{}].columns[\"id\"].collation", key("h")),
        },
    ]
}

fn victim_sql() -> &'static str {
    "CREATE TABLE victim (id integer PRIMARY KEY, note varchar(20)); INSERT INTO victim VALUES (1, 'keep'), (2, 'me');"
}

#[test]
fn sqlite_refuses_hostile_snapshots() {
    let dir = TestDir::new();
    let db = dir.sqlite_db("t.db", victim_sql());
    let n = |name: &str| json!({"name": name});
    let key = |name: &str| format!("{name:?}");
    let mut cases = common_cases(&n, &key, "INTEGER");
    cases.push(Case {
        what: "trigger body",
        add: json!({"triggers": [{"table": n("victim"), "name": "tr", "timing": "after", "events": ["insert"], "for_each_row": true,
            "body": "BEGIN SELECT 1; END; DROP TABLE victim; CREATE TRIGGER tr2 AFTER INSERT ON victim BEGIN SELECT 1; END"}]}),
        path: r#"triggers["victim"]["tr"].body"#.to_owned(),
    });
    cases.push(Case {
        what: "storage option",
        add: json!({"tables": [table(n("ft"), vec![], json!({"options": {"dialect": "sqlite", "virtual_using": "fts5(a); DROP TABLE victim; --"}}))]}),
        path: r#"tables["ft"].options.virtual_using"#.to_owned(),
    });
    every_case_is_refused(&SqliteTarget(db), &cases);
}

#[test]
fn postgres_refuses_hostile_snapshots() {
    let Some(db) = ServerDb::create(Server::Postgres, "hostile_pg") else { return };
    db.exec(victim_sql());
    let n = |name: &str| json!({"schema": "public", "name": name});
    let key = |name: &str| format!("\"public\".{name:?}");
    let mut cases = common_cases(&n, &key, "integer");
    cases.push(Case {
        what: "routine body",
        add: json!({"routines": [{"kind": "function", "name": n("f"), "signature": "", "arguments": "",
            "definition": "CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$; DROP TABLE victim"}]}),
        path: r#"routines["public"."f"()].definition"#.to_owned(),
    });
    cases.push(Case {
        what: "trigger body",
        add: json!({"triggers": [{"table": n("victim"), "name": "tr", "timing": "before", "events": ["insert"], "for_each_row": true,
            "body": "EXECUTE FUNCTION public.f(); DROP TABLE victim"}]}),
        path: r#"triggers["public"."victim"]["tr"].body"#.to_owned(),
    });
    cases.push(Case {
        what: "storage option",
        add: json!({"tables": [table(n("h"), vec![column("id", "integer")],
            json!({"options": {"dialect": "postgres", "storage": ["fillfactor=70); DROP TABLE victim; --"]}}))]}),
        path: r#"tables["public"."h"].options.storage[0]"#.to_owned(),
    });
    let long = "x".repeat(80);
    cases.push(Case {
        what: "80-byte name",
        add: json!({"tables": [table(n(&long), vec![column("id", "integer")], json!({}))]}),
        path: format!("tables[\"public\".\"{long}\"].name.name"),
    });
    every_case_is_refused(&PgTarget(db), &cases);
}

#[test]
fn mariadb_refuses_hostile_snapshots() {
    let Some(db) = ServerDb::create(Server::MySql, "hostile_my") else { return };
    db.exec(victim_sql());
    let n = |name: &str| json!({"name": name});
    let key = |name: &str| format!("{name:?}");
    let mut cases = common_cases(&n, &key, "int(11)");
    cases.push(Case {
        what: "routine body",
        add: json!({"routines": [{"kind": "procedure", "name": n("p"), "signature": "", "arguments": "",
            "definition": "CREATE PROCEDURE `p`() BEGIN SELECT 1; END; DROP TABLE victim"}]}),
        path: r#"routines["p"()].definition"#.to_owned(),
    });
    cases.push(Case {
        what: "trigger body",
        add: json!({"triggers": [{"table": n("victim"), "name": "tr", "timing": "before", "events": ["insert"], "for_each_row": true,
            "body": "SET NEW.note = 'x'; DROP TABLE victim"}]}),
        path: r#"triggers["victim"]["tr"].body"#.to_owned(),
    });
    cases.push(Case {
        what: "storage option",
        add: json!({"tables": [table(n("h"), vec![column("id", "int(11)")],
            json!({"options": {"dialect": "mysql", "engine": "InnoDB; DROP TABLE victim"}}))]}),
        path: r#"tables["h"].options.engine"#.to_owned(),
    });
    let long = "x".repeat(65);
    cases.push(Case {
        what: "65-character name",
        add: json!({"tables": [table(n(&long), vec![column("id", "int(11)")], json!({}))]}),
        path: format!("tables[\"{long}\"].name.name"),
    });
    every_case_is_refused(&MyTarget(db), &cases);
}
