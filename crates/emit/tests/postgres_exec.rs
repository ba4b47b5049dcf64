//! The SQL the PostgreSQL emitter writes runs on a real server and does what
//! it says. Each test creates its own database through `psql` (no driver: the
//! emitter must not depend on one) and drops it afterwards.
//!
//! The server is `SCHEMASYNC_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Without `psql` or a
//! reachable server a test prints one `SKIP:` line, except under `CI=true`,
//! where it fails.

mod postgres_support;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use postgres_support::*;
use schemasync_diff::{Change, DiffOptions, PlannedChange, TableOp, diff};
use schemasync_emit::{emit_plan, emit_schema};
use schemasync_model::{Column, Dialect, Index, Schema, Script, Table, TypeKind};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database of its own, dropped on drop.
struct TestDb {
    admin_url: String,
    url: String,
    name: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn psql(url: &str, args: &[&str]) -> std::io::Result<Output> {
    Command::new("psql").args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]).args(args).output()
}

/// `postgres://host/db?x` with another database name.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl TestDb {
    /// A fresh database, or `None` (after one SKIP line) when the server is
    /// out of reach and the run is not CI.
    fn create(test: &str) -> Option<TestDb> {
        let admin_url = std::env::var("SCHEMASYNC_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
        let reachable = psql(&admin_url, &["-c", "SELECT 1"]);
        let problem = match &reachable {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(String::from_utf8_lossy(&out.stderr).split_whitespace().collect::<Vec<_>>().join(" ")),
            Err(e) => Some(format!("psql: {e}")),
        };
        if let Some(problem) = problem {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL at {admin_url} is required under CI=true: {problem}");
            }
            println!("SKIP: {test}: PostgreSQL at {admin_url} unavailable ({problem})");
            return None;
        }
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let name = format!(
            "schemasync_emit_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            nanos % 1_000_000_000
        );
        let out = psql(&admin_url, &["-c", &format!("CREATE DATABASE \"{name}\"")]).expect("psql runs");
        assert!(out.status.success(), "create database: {}", String::from_utf8_lossy(&out.stderr));
        let url = with_database(&admin_url, &name);
        Some(TestDb { admin_url, url, name })
    }

    /// Run a script the way the engine does: the transactional statements
    /// in one transaction, then the others in order.
    fn apply(&self, script: &Script) {
        let mut text = String::from("BEGIN;\n");
        for statement in script.statements.iter().filter(|s| s.transactional) {
            text.push_str(&statement.sql);
            text.push_str(";\n");
        }
        text.push_str("COMMIT;\n");
        for statement in script.statements.iter().filter(|s| !s.transactional) {
            text.push_str(&statement.sql);
            text.push_str(";\n");
        }
        let path: PathBuf = std::env::temp_dir().join(format!("{}.sql", self.name));
        std::fs::write(&path, &text).expect("write script");
        let out = psql(&self.url, &["-f", &path.to_string_lossy()]).expect("psql runs");
        let _ = std::fs::remove_file(&path);
        assert!(out.status.success(), "{}\nwhile running:\n{text}", String::from_utf8_lossy(&out.stderr));
    }

    fn apply_changes(&self, changes: Vec<PlannedChange>) {
        self.apply(&emit_plan(&plan(changes)).expect("renders"));
    }

    /// Plan `from` → `to`, render and run it.
    fn sync(&self, from: &Schema, to: &Schema, options: &DiffOptions) -> Script {
        let plan = diff(from, to, options).expect("plans");
        let script = emit_plan(&plan).expect("renders");
        self.apply(&script);
        script
    }

    /// One value per row, columns separated by `|`.
    fn query(&self, sql: &str) -> String {
        let out = psql(&self.url, &["-A", "-t", "-c", sql]).expect("psql runs");
        assert!(out.status.success(), "{}\nwhile running:\n{sql}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }

    /// The SQL must fail (checks that the schema enforces what it says).
    fn fails(&self, sql: &str) -> String {
        let out = psql(&self.url, &["-c", sql]).expect("psql runs");
        assert!(!out.status.success(), "expected failure of:\n{sql}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = psql(&self.admin_url, &["-c", &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)]);
    }
}

/// A regclass literal of a relation of `S`.
fn rel(name: &str) -> String {
    format!("'{}'::regclass", qs(name).replace('\'', "''"))
}

#[test]
fn the_library_is_created_and_reads_back_verbatim() {
    let Some(db) = TestDb::create("the_library_is_created_and_reads_back_verbatim") else { return };
    let script = emit_schema(&library()).expect("renders");
    db.apply(&script);

    // Defaults, generated expressions and checks print back as the model spells them.
    let books = books();
    for column in books.columns.iter().filter(|c| c.default.is_some()) {
        let printed = db.query(&format!(
            "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a \
             ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = {} AND a.attname = '{}'",
            rel("books"),
            column.name
        ));
        assert_eq!(Some(printed.as_str()), column.default.as_deref(), "default of {}", column.name);
    }
    let types = db.query(&format!(
        "SELECT string_agg(format_type(atttypid, atttypmod), ', ' ORDER BY attnum) FROM pg_attribute \
         WHERE attrelid = {} AND attnum > 0",
        rel("books")
    ));
    let wanted: Vec<&str> = books.columns.iter().map(|c| c.data_type.as_str()).collect();
    assert_eq!(types, wanted.join(", "));
    let constraints = db.query(&format!(
        "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname) \
         FROM pg_constraint WHERE conrelid = {}",
        rel("books")
    ));
    insta::assert_snapshot!("library_books_constraints", constraints);
    let indexes = db.query(&format!(
        "SELECT string_agg(pg_get_indexdef(indexrelid), E'\\n' ORDER BY indexrelid::regclass::text) \
         FROM pg_index WHERE indrelid = {}",
        rel("books")
    ));
    insta::assert_snapshot!("library_books_indexes", indexes);
    let view = db.query(&format!("SELECT pg_get_viewdef({})", rel("book_titles")));
    assert_eq!(view, book_titles().definition);
    let matview = db.query(&format!("SELECT pg_get_viewdef({})", rel("author_counts")));
    assert_eq!(matview, author_counts().definition);

    // Flags that need statements of their own.
    assert_eq!(
        db.query(&format!("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = {}", rel("authors"))),
        "t|t"
    );
    assert_eq!(db.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'books_touch'"), "D");
    assert_eq!(
        db.query("SELECT conname FROM pg_constraint WHERE NOT convalidated ORDER BY conname"),
        "books_editor_fkey\nname_not_empty\nsmall"
    );
    assert_eq!(db.query(&format!("SELECT obj_description({}, 'pg_class')", rel("author_counts"))), "materialized");
    assert_eq!(db.query(&format!("SELECT col_description({}, 2)", rel("authors"))), "it's the name");

    // What the constraints promise holds.
    db.query(&format!("INSERT INTO {} (name) VALUES ('Ann')", qs("authors")));
    db.fails(&format!("INSERT INTO {} (name) VALUES ('Ann')", qs("authors")));
    db.fails(&format!("INSERT INTO {} (id, name) VALUES (99, 'Bob')", qs("authors")));
    db.query(&format!("INSERT INTO {} (author_id, title, price, stock) VALUES (10, 'Dune', 9.5, 3)", qs("books")));
    assert_eq!(db.query(&format!("SELECT id, slug FROM {}", qs("books"))), "100|dune");
    db.fails(&format!("INSERT INTO {} (title, price) VALUES ('x', -1)", qs("books")));
    db.fails(&format!("INSERT INTO {} (title, stock) VALUES ('x', 0)", qs("books")));
    db.query(&format!("INSERT INTO {} VALUES (1, '2024-05-01', '{{}}')", qs("events")));
    db.fails(&format!("INSERT INTO {} VALUES (2, '2024-05-01', '[]')", qs("events")));
}

#[test]
fn a_second_library_is_reached_by_altering_the_first() {
    let Some(db) = TestDb::create("a_second_library_is_reached_by_altering_the_first") else { return };
    let from = library();
    db.apply(&emit_schema(&from).expect("renders"));
    db.query(&format!("INSERT INTO {} (name) VALUES ('Ann')", qs("authors")));
    db.query(&format!("INSERT INTO {} (author_id, title, price) VALUES (10, 'Dune', 9.5)", qs("books")));

    let mut to = from.clone();
    if let Some(ext) = to.extensions.get_mut("citext") {
        ext.version = Some("1.6".into());
    }
    if let Some(ty) = to.types.get_mut(&q("mood")) {
        ty.kind = TypeKind::Enum { labels: labels(&["meh", "sad", "o'k", "great", "happy"]) };
    }
    if let Some(ty) = to.types.get_mut(&q("pair"))
        && let TypeKind::Composite { attributes } = &mut ty.kind
    {
        attributes[1].collation = None;
        attributes.push(attribute("c", "numeric(4,1)", None));
    }
    if let Some(ty) = to.types.get_mut(&q("positive"))
        && let TypeKind::Domain { not_null, default, checks, .. } = &mut ty.kind
    {
        *not_null = false;
        *default = None;
        checks.retain(|c| c.name.as_deref() != Some("small"));
        checks.push(check(Some("under_a_billion"), "VALUE < 1000000000"));
    }
    if let Some(seq) = to.sequences.get_mut(&q("ticket_seq")) {
        seq.options.increment = Some(1);
        seq.options.cycle = false;
        seq.options.cache = None;
        seq.owned_by = None;
    }
    let authors = to.table_mut(&q("authors")).expect("authors");
    authors.options = pg_options(false, false, false, &[]);
    authors.columns[0].identity = Some(identity(false, Some(1000)));
    authors.columns[1].collation = None;
    authors.columns.push(Column::new("born", "date"));
    authors.policies.clear();
    let books = to.table_mut(&q("books")).expect("books");
    books.options = pg_options(true, false, false, &["autovacuum_enabled=false"]);
    books.column_mut("price").expect("price").data_type = "numeric(12,3)".into();
    books.column_mut("price").expect("price").default = Some("0.5".into());
    books.column_mut("title").expect("title").nullable = true;
    books.columns.retain(|c| c.name != "tags");
    books.indexes.remove("books_tags_idx");
    books.foreign_keys.retain(|f| f.name.as_deref() != Some("books_editor_fkey"));
    books.exclusions.clear();
    books.checks[0].expr = "price > (0)::numeric".into();
    books.uniques.push(unique("books_title_key", &["title"]));
    books.comment = Some("new comment".into());
    let script = db.sync(&from, &to, &DiffOptions::default());
    insta::assert_snapshot!("altered_library", show(&script));

    assert_eq!(db.query("SELECT extversion FROM pg_extension WHERE extname = 'citext'"), "1.6");
    assert_eq!(
        db.query(&format!(
            "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = '{}'::regtype",
            qs("mood").replace('\'', "''")
        )),
        "meh,sad,o'k,great,happy"
    );
    assert_eq!(db.query(&format!("SELECT relpersistence FROM pg_class WHERE oid = {}", rel("books"))), "u");
    assert_eq!(
        db.query(&format!(
            "SELECT attidentity FROM pg_attribute WHERE attrelid = {} AND attname = 'id'",
            rel("authors")
        )),
        "d"
    );
    // START WITH is the recorded start: a sync moves no sequence position.
    db.query(&format!("INSERT INTO {} (id, name) VALUES (5, 'Bea')", qs("authors")));
    db.query(&format!("INSERT INTO {} (name) VALUES ('Cy')", qs("authors")));
    assert_eq!(db.query(&format!("SELECT max(id) FROM {}", qs("authors"))), "11");
    assert_eq!(db.query(&format!("SELECT price, slug FROM {}", qs("books"))), "9.500|dune");

    // And back again, with the data still there. Enum labels and extension
    // versions only move forward in place, so those stay.
    let mut back = from.clone();
    back.types.insert(q("mood"), to.types[&q("mood")].clone());
    back.extensions.insert("citext".into(), to.extensions["citext"].clone());
    db.sync(&to, &back, &DiffOptions::default());
    assert_eq!(db.query(&format!("SELECT count(*) FROM {}", qs("authors"))), "3");
}

#[test]
fn online_index_builds_run_after_the_transaction_with_their_comments() {
    let Some(db) = TestDb::create("online_index_builds_run_after_the_transaction_with_their_comments") else { return };
    let from = library();
    db.apply(&emit_schema(&from).expect("renders"));
    let mut to = from.clone();
    let mut index = Index::on_columns("books_author_idx", ["author_id", "title"]);
    index.comment = Some("by author".into());
    to.table_mut(&q("books")).expect("books").indexes.insert(index.name.clone(), index);
    let mut options = DiffOptions::default();
    options.online = true;
    let script = db.sync(&from, &to, &options);
    insta::assert_snapshot!("online_index", show(&script));
    assert!(script.statements.iter().all(|s| !s.transactional));
    assert_eq!(db.query(&format!("SELECT obj_description({}, 'pg_class')", rel("books_author_idx"))), "by author");
}

#[test]
fn dropping_everything_leaves_nothing() {
    let Some(db) = TestDb::create("dropping_everything_leaves_nothing") else { return };
    let from = library();
    db.apply(&emit_schema(&from).expect("renders"));
    db.sync(&from, &Schema::new(Dialect::Postgres), &DiffOptions::default());
    assert_eq!(
        db.query(&format!("SELECT count(*) FROM pg_namespace WHERE nspname = '{}'", S.replace('\'', "''"))),
        "0"
    );
    assert_eq!(db.query("SELECT count(*) FROM pg_extension WHERE extname = 'citext'"), "0");
}

#[test]
fn column_changes_the_differ_plans_one_by_one() {
    let Some(db) = TestDb::create("column_changes_the_differ_plans_one_by_one") else { return };
    let t = Table::new(q(HOSTILE))
        .with_column(Column::new("id", "integer").not_null().default_expr("42"))
        .with_column(Column::new("n", "text").default_expr("'7'::text"))
        .with_column(Column::new("g", "integer").generated_as("id * 2", true));
    db.apply_changes(vec![change(Change::CreateNamespace(namespace(S))), change(create(t.clone()))]);
    let mut id = t.columns[0].clone();
    id.default = None;
    id.identity = Some(identity(true, Some(5)));
    let mut n = t.columns[1].clone();
    n.data_type = "integer".into();
    n.default = Some("7".into());
    n.nullable = false;
    let mut g = t.columns[2].clone();
    g.generated = None;
    let ops = vec![
        TableOp::AlterColumn { from: t.columns[0].clone(), to: id.clone() },
        TableOp::AlterColumn { from: t.columns[1].clone(), to: n.clone() },
        TableOp::AlterColumn { from: t.columns[2].clone(), to: g },
        TableOp::RenameColumn { from: "n".into(), to: "n 2".into() },
        TableOp::AddColumn { column: Column::new("m", "text").collate("C"), position: Default::default() },
    ];
    let table = Dialect::Postgres.quote_qualified(&q(HOSTILE));
    db.query(&format!("INSERT INTO {table} (n) VALUES ('3')"));
    db.apply_changes(vec![change(Change::AlterTable { table: q(HOSTILE), ops })]);
    let mut id2 = id.clone();
    id2.identity = Some(identity(false, Some(7)));
    db.apply_changes(vec![change(Change::AlterTable {
        table: q(HOSTILE),
        ops: vec![TableOp::AlterColumn { from: id, to: id2.clone() }],
    })]);
    let mut id3 = id2.clone();
    id3.identity = None;
    id3.nullable = true;
    db.apply_changes(vec![change(Change::AlterTable {
        table: q(HOSTILE),
        ops: vec![TableOp::AlterColumn { from: id2, to: id3 }],
    })]);
    assert_eq!(db.query(&format!("SELECT id, \"n 2\", g, m FROM {table}")), "42|3|84|");
    db.query(&format!("INSERT INTO {table} (id) VALUES (NULL)"));
}

#[test]
fn the_less_common_clauses_run_too() {
    let Some(db) = TestDb::create("the_less_common_clauses_run_too") else { return };
    db.apply(&emit_schema(&library()).expect("renders"));

    let mut hashed = events();
    hashed.name = q("by_hash");
    // A primary key cannot cover an expression key.
    hashed.primary_key = None;
    if let Some(p) = &mut hashed.partitioning {
        p.strategy = schemasync_model::PartitionStrategy::Hash;
        p.key = vec!["id".into(), "(lower((payload ->> 'k'::text)))".into()];
    }
    let mut half = events_2024();
    half.name = q("by_hash_0");
    half.checks.clear();
    half.partition_of = Some(schemasync_model::PartitionOf {
        parent: q("by_hash"),
        bound: "FOR VALUES WITH (modulus 2, remainder 0)".into(),
    });
    let mut other = events_2024();
    other.name = q("events_other");
    other.checks.clear();
    if let Some(p) = &mut other.partition_of {
        p.bound = "DEFAULT".into();
    }
    let mut statement = trigger(
        "books",
        "books_stmt",
        schemasync_model::TriggerTiming::After,
        &[schemasync_model::TriggerEvent::Update, schemasync_model::TriggerEvent::Truncate],
        format!("EXECUTE FUNCTION {}()", qs("audit")),
    );
    statement.for_each_row = false;
    statement.update_columns = vec!["title".into(), "price".into()];
    let instead = trigger(
        "book_titles",
        "instead",
        schemasync_model::TriggerTiming::InsteadOf,
        &[schemasync_model::TriggerEvent::Insert],
        format!("EXECUTE FUNCTION {}()", qs("audit")),
    );
    let mut policy = readers();
    policy.name = "p \"x\"".into();
    policy.permissive = true;
    policy.command = schemasync_model::PolicyCommand::All;
    policy.roles = vec!["public".into()];
    policy.with_check = Some("true".into());
    let mut seq = ticket_seq();
    seq.owned_by = Some((q("books"), "id".into()));
    let mut reset = seq.clone();
    reset.options = Default::default();
    reset.owned_by = Some((q("authors"), "id".into()));
    let aggregate = routine(
        schemasync_model::RoutineKind::Aggregate,
        "total",
        "integer",
        format!("CREATE AGGREGATE {}(integer) (SFUNC = int4pl, STYPE = integer)", qs("total")),
    );
    let commented = schemasync_model::View::new(q("commented"), "SELECT '--' AS dashes -- the end;");
    let mut expression = Index::on_columns("by_expr", [""; 0]);
    expression.parts = vec![
        schemasync_model::IndexPart::expression("price + 1"),
        schemasync_model::IndexPart { nulls_first: Some(true), ..schemasync_model::IndexPart::column("title") },
    ];
    let comment = |target| Change::SetComment { target, comment: Some("it's \\ here".into()) };
    let changes = vec![
        create(hashed),
        create(half),
        create(other),
        Change::CreateTrigger(statement),
        Change::CreateTrigger(instead),
        Change::CreatePolicy { table: q("authors"), policy },
        Change::AlterSequence { from: seq, to: reset },
        Change::CreateRoutine(aggregate.clone()),
        comment(schemasync_model::ObjectKey::Routine { key: aggregate.routine_key() }),
        comment(schemasync_model::ObjectKey::Routine { key: restock().routine_key() }),
        comment(schemasync_model::ObjectKey::Extension { name: "citext".into() }),
        comment(schemasync_model::ObjectKey::Type { name: q("positive") }),
        Change::CreateView(commented.clone()),
        comment(schemasync_model::ObjectKey::Column { table: q("commented"), column: "dashes".into() }),
        Change::CreateIndex { table: q("books"), index: expression.clone() },
    ];
    let mut planned: Vec<PlannedChange> = changes.into_iter().map(change).collect();
    planned.push(with_hazards(
        Change::DropIndex { table: q("books"), index: expression },
        &[(schemasync_model::HazardKind::BlocksWrites, "drops an index")],
    ));
    planned.push(change(Change::DropView(commented)));
    planned.push(change(Change::DropRoutine(aggregate)));
    db.apply_changes(planned);
    assert_eq!(db.query(&format!("SELECT count(*) FROM {}", qs("by_hash_0"))), "0");
    assert_eq!(db.query("SELECT tgtype & 1 FROM pg_trigger WHERE tgname = 'books_stmt'"), "0");
}
