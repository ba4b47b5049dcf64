//! The SQL the MySQL emitter writes runs on a real server (MariaDB or MySQL)
//! and does what it says. Each test works in its own database, dropped after.
//!
//! Statements are sent through the `mariadb` (or `mysql`) command-line client,
//! so the emitter crate needs no driver. The client splits input on `;`, which
//! compound bodies contain, so the script switches the delimiter to `$$` and
//! ends every statement with it.

mod mysql_fixtures;

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use mysql_fixtures::*;
use schemasync_diff::{Change, ColumnPosition, DiffOptions, PlannedChange, TableOp, diff};
use schemasync_emit::{emit_plan, emit_schema};
use schemasync_model::{
    Column, Dialect, FkAction, ObjectKey, PrimaryKey, QualifiedName, RoutineKind, Schema, Script, Table, TableOptions,
    TriggerEvent, TriggerTiming, UniqueConstraint,
};

const DEFAULT_URL: &str = "mysql://root@127.0.0.1:3306";

/// How to reach the server, from `SCHEMASYNC_TEST_MYSQL_URL`.
#[derive(Debug, Clone)]
struct Server {
    client: &'static str,
    user: String,
    password: Option<String>,
    host: String,
    port: String,
}

impl Server {
    /// The server, or `None` after one `SKIP:` line when it cannot be reached
    /// (a failure instead under `CI=true`).
    fn find() -> Option<Server> {
        let url = std::env::var("SCHEMASYNC_TEST_MYSQL_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
        let reason = match Server::parse(&url) {
            Ok(server) => match server.ping() {
                Ok(()) => return Some(server),
                Err(e) => e,
            },
            Err(e) => e,
        };
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("MySQL/MariaDB server at {url} unusable under CI=true: {reason}");
        }
        println!("SKIP: MySQL/MariaDB server at {url} unusable: {reason}");
        None
    }

    fn parse(url: &str) -> Result<Server, String> {
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| format!("not a mysql:// URL: {url}"))?;
        let rest = rest.split(['/', '?']).next().unwrap_or_default();
        let (userinfo, hostport) = rest.rsplit_once('@').unwrap_or(("root", rest));
        let (user, password) = match userinfo.split_once(':') {
            Some((user, password)) => (user.to_owned(), Some(password.to_owned())),
            None => (userinfo.to_owned(), None),
        };
        let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "3306"));
        let client = ["mariadb", "mysql"]
            .into_iter()
            .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
            .ok_or("neither the `mariadb` nor the `mysql` client is installed")?;
        Ok(Server { client, user, password, host: host.to_owned(), port: port.to_owned() })
    }

    fn command(&self, database: Option<&str>) -> Command {
        let mut command = Command::new(self.client);
        command.args([
            "--user",
            &self.user,
            "--host",
            &self.host,
            "--port",
            &self.port,
            "--protocol=tcp",
            "--default-character-set=utf8mb4",
            "--batch",
            "--skip-column-names",
            "--raw",
            "--comments",
        ]);
        if let Some(password) = &self.password {
            // Kept off the command line, where other users could read it.
            command.env("MYSQL_PWD", password);
        }
        command.args(database);
        command
    }

    fn ping(&self) -> Result<(), String> {
        self.run(None, "SELECT 1;\n").map(|_| ())
    }

    /// Feed `input` to the client; its output, or its error message.
    fn run(&self, database: Option<&str>, input: &str) -> Result<String, String> {
        let mut child = self
            .command(database)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(input.as_bytes()).map_err(|e| e.to_string())?;
        }
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
    }
}

/// A uniquely named database, dropped when the test ends (even by a panic).
struct TestDb {
    server: Server,
    name: String,
}

impl TestDb {
    fn new(tag: &str) -> Option<TestDb> {
        let server = Server::find()?;
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or_default();
        let name = format!("ss_emit_{tag}_{}_{nanos}", std::process::id());
        server.run(None, &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4;\n")).expect("create database");
        Some(TestDb { server, name })
    }

    /// Run a script statement by statement; the first error is returned.
    fn try_apply(&self, script: &Script) -> Result<(), String> {
        let mut input = String::from("DELIMITER $$\n");
        for statement in &script.statements {
            input.push_str(&statement.sql);
            input.push_str("\n$$\n");
        }
        self.server.run(Some(&self.name), &input).map(|_| ())
    }

    fn apply(&self, changes: Vec<PlannedChange>) {
        let script = emit_plan(&plan(changes)).expect("renders");
        self.apply_script(&script);
    }

    fn apply_script(&self, script: &Script) {
        if let Err(e) = self.try_apply(script) {
            panic!("{e}\nwhile running:\n{}", script.to_sql());
        }
    }

    /// Run plain SQL (`;`-separated), expecting success.
    fn sql(&self, sql: &str) -> String {
        match self.server.run(Some(&self.name), &format!("{sql};\n")) {
            Ok(out) => out.trim_end().to_owned(),
            Err(e) => panic!("{e}\nwhile running: {sql}"),
        }
    }

    /// Run plain SQL expecting the server to refuse it.
    fn refuses(&self, sql: &str) -> bool {
        self.server.run(Some(&self.name), &format!("{sql};\n")).is_err()
    }

    /// Whether the server is MariaDB.
    fn is_mariadb(&self) -> bool {
        self.sql("SELECT VERSION()").contains("MariaDB")
    }

    /// A query against information_schema about this database; `?` stands for its name.
    fn catalog(&self, sql: &str) -> String {
        self.sql(&sql.replace('?', &format!("'{}'", self.name)))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = self.server.run(None, &format!("DROP DATABASE IF EXISTS `{}`;\n", self.name));
    }
}

fn ordered_triggers() -> Vec<PlannedChange> {
    let mut second = trigger(
        "books",
        "b_second",
        TriggerTiming::Before,
        TriggerEvent::Insert,
        "SET NEW.title = concat(NEW.title, '2')",
    );
    second.order = Some(2);
    let mut first = trigger(
        "books",
        "z_first",
        TriggerTiming::Before,
        TriggerEvent::Insert,
        "SET NEW.title = concat(NEW.title, '1')",
    );
    first.order = Some(1);
    let audit = trigger(
        "books",
        "audit",
        TriggerTiming::After,
        TriggerEvent::Delete,
        "BEGIN\n  SET @deleted = coalesce(@deleted, 0) + 1;\n  SET @last = OLD.id;\nEND",
    );
    // Planned in name order, as the differ would: the group is reordered.
    vec![
        change(Change::CreateTrigger(audit)),
        change(Change::CreateTrigger(second)),
        change(Change::CreateTrigger(first)),
    ]
}

fn library_objects() -> Vec<PlannedChange> {
    let mut changes = create_with_indexes(&authors());
    changes.extend(create_with_indexes(&books()));
    changes.extend(ordered_triggers());
    let mut titles = view("titles", "select `books`.`id` AS `id`,`books`.`title` AS `title` from `books`");
    titles.mysql = Some(view_options(Some("MERGE"), Some("INVOKER")));
    titles.check_option = Some(schemasync_model::CheckOption::Cascaded);
    changes.push(change(Change::CreateView(titles)));
    changes.push(change(Change::CreateRoutine(routine(
        RoutineKind::Function,
        "add_one",
        "CREATE FUNCTION `add_one`(`x` int) RETURNS int(11)\n    DETERMINISTIC\nRETURN x + 1",
    ))));
    changes.push(change(Change::CreateRoutine(routine(
        RoutineKind::Procedure,
        "count_books",
        "CREATE PROCEDURE `count_books`(OUT n int)\nBEGIN\n  SELECT count(*) INTO n FROM books;\nEND",
    ))));
    let mut purge = event("purge", "EVERY 1 DAY STARTS '2030-01-01 00:00:00'", "DELETE FROM books WHERE id < 0");
    purge.enabled = false;
    purge.comment = Some("nightly 'purge'".into());
    changes.push(change(Change::CreateEvent(purge)));
    changes
}

#[test]
fn library_is_created_and_enforced() {
    let Some(db) = TestDb::new("library") else { return };
    db.apply(library_objects());

    let indexes = db.catalog(
        "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books'",
    );
    assert_eq!(indexes, "fk_author,ft_notes,idx_title,PRIMARY");
    let comment = db.catalog(
        "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'authors'",
    );
    assert_eq!(comment, "who wrote it's \\ books");

    db.sql("INSERT INTO authors (name) VALUES ('Ann')");
    db.sql("INSERT INTO books (author_id, title, price) VALUES (1, 'Dune', 9.5)");
    // Triggers fired in their order; generated and invisible columns work.
    assert_eq!(db.sql("SELECT title, slug, title_len, secret FROM books"), "Dune12\tdune12\t6\tNULL");
    assert_eq!(db.sql("SELECT count(*) FROM titles"), "1");
    assert_eq!(db.sql("SELECT add_one(41)"), "42");
    assert_eq!(db.sql("CALL count_books(@n); SELECT @n"), "1");

    assert!(db.refuses("INSERT INTO books (author_id, title, price) VALUES (1, 'x', -1)"), "check");
    assert!(db.refuses("INSERT INTO books (author_id, title) VALUES (99, 'x')"), "foreign key");
    assert!(db.refuses("INSERT INTO authors (name) VALUES ('Ann')"), "unique key");
    assert_eq!(
        db.sql("SELECT count(*) FROM books WHERE MATCH(notes) AGAINST ('nothing')"),
        "0",
        "the FULLTEXT index exists"
    );
    let rules = db.catalog(
        "SELECT DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
    );
    assert_eq!(rules, "CASCADE\tRESTRICT");
    let orders = db.catalog(
        "SELECT GROUP_CONCAT(TRIGGER_NAME, ':', ACTION_ORDER ORDER BY TRIGGER_NAME) FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = ?",
    );
    assert_eq!(orders, "audit:1,b_second:2,z_first:1");
    let event =
        db.catalog("SELECT STATUS, ON_COMPLETION, EVENT_COMMENT FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?");
    assert_eq!(event, "DISABLED\tNOT PRESERVE\tnightly 'purge'");

    // ON DELETE CASCADE, and the compound AFTER DELETE trigger ran.
    db.sql("DELETE FROM authors");
    assert_eq!(db.sql("SELECT count(*) FROM books"), "0");
}

/// What SHOW CREATE TABLE prints for `table`, one line per clause.
fn show_create(db: &TestDb, table: &str) -> String {
    let out = db.sql(&format!("SHOW CREATE TABLE `{table}`"));
    out.split_once('\t').map(|(_, create)| create.to_owned()).unwrap_or(out)
}

#[test]
fn restrict_no_action_sql_mode_and_ignored_indexes_read_back_as_written() {
    let Some(db) = TestDb::new("modes") else { return };
    let mut parent = simple("parent", &["id", "a"]);
    parent.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], on_conflict: None });
    let mut child = simple("child", &["r", "n", "c"]);
    let mut restrict = fk("fk_r", &["r"], "parent", &["id"]);
    (restrict.on_delete, restrict.on_update) = (FkAction::Restrict, FkAction::Restrict);
    let no_action = fk("fk_n", &["n"], "parent", &["id"]);
    let mut cascade = fk("fk_c", &["c"], "parent", &["id"]);
    (cascade.on_delete, cascade.on_update) = (FkAction::Cascade, FkAction::Restrict);
    child.foreign_keys = vec![restrict, no_action, cascade];
    let mut ignored = index("by_a", &["a"]);
    ignored.options = vec![if db.is_mariadb() { "IGNORED" } else { "INVISIBLE" }.into()];
    let mut piped =
        routine(RoutineKind::Function, "piped", "CREATE FUNCTION `piped`() RETURNS varchar(10)\nRETURN 'a' || 'b'");
    piped.sql_mode = Some("PIPES_AS_CONCAT".into());
    let mut quoted =
        trigger("parent", "quoted", TriggerTiming::Before, TriggerEvent::Insert, "SET NEW.a = \"NEW\".\"id\" * 2");
    quoted.sql_mode = Some("ANSI_QUOTES".into());
    let mut changes = create_with_indexes(&parent);
    changes.push(change(Change::CreateIndex { table: QualifiedName::bare("parent"), index: ignored }));
    changes.extend(create_with_indexes(&child));
    changes.push(change(Change::CreateRoutine(piped)));
    changes.push(change(Change::CreateTrigger(quoted)));
    let script = emit_plan(&plan(changes)).expect("renders");
    // After the script, the session's own sql_mode is back.
    let mut input = String::from("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';\nDELIMITER $$\n");
    for statement in &script.statements {
        input.push_str(&statement.sql);
        input.push_str("\n$$\n");
    }
    input.push_str("DELIMITER ;\nSELECT @@SESSION.sql_mode;\n");
    let out = db.server.run(Some(&db.name), &input).unwrap_or_else(|e| panic!("{e}\n{}", script.to_sql()));
    assert_eq!(out.trim_end(), "NO_ENGINE_SUBSTITUTION", "session sql_mode restored");

    let child = show_create(&db, "child");
    let line = |name: &str| {
        child
            .lines()
            .find(|l| l.contains(&format!("CONSTRAINT `{name}`")))
            .unwrap()
            .trim()
            .trim_end_matches(',')
            .to_owned()
    };
    let default = if db.is_mariadb() { "RESTRICT" } else { "NO ACTION" };
    // The action each server takes by default is not printed; the other one is.
    let printed = |action: &str| {
        if action == default { String::new() } else { format!(" ON DELETE {action} ON UPDATE {action}") }
    };
    assert_eq!(
        line("fk_r"),
        format!("CONSTRAINT `fk_r` FOREIGN KEY (`r`) REFERENCES `parent` (`id`){}", printed("RESTRICT"))
    );
    assert_eq!(
        line("fk_n"),
        format!("CONSTRAINT `fk_n` FOREIGN KEY (`n`) REFERENCES `parent` (`id`){}", printed("NO ACTION"))
    );
    let rules = db.catalog(
        "SELECT GROUP_CONCAT(CONSTRAINT_NAME, ':', DELETE_RULE, '/', UPDATE_RULE ORDER BY CONSTRAINT_NAME) \
         FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
    );
    assert_eq!(rules, "fk_c:CASCADE/RESTRICT,fk_n:NO ACTION/NO ACTION,fk_r:RESTRICT/RESTRICT");
    let parent = show_create(&db, "parent");
    assert!(parent.contains(if db.is_mariadb() { "KEY `by_a` (`a`) IGNORED" } else { "INVISIBLE" }), "{parent}");

    let modes = db.catalog(
        "SELECT concat((SELECT SQL_MODE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?), '|', \
         (SELECT SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?))",
    );
    assert_eq!(modes, "PIPES_AS_CONCAT|ANSI_QUOTES");
    assert_eq!(db.sql("SELECT piped()"), "ab", "the function runs under its own sql_mode");
    db.sql("INSERT INTO parent (id) VALUES (21)");
    assert_eq!(db.sql("SELECT a FROM parent"), "42", "the trigger was parsed under ANSI_QUOTES");
}

#[test]
fn every_object_is_dropped_again() {
    let Some(db) = TestDb::new("drops") else { return };
    let created = library_objects();
    db.apply(created.clone());
    let (authors, books) = (authors(), books());
    let mut drops = Vec::new();
    for planned in created.iter().rev() {
        let undo = match &planned.change {
            Change::CreateTrigger(t) => Change::DropTrigger(t.clone()),
            Change::CreateView(v) => Change::DropView(v.clone()),
            Change::CreateRoutine(r) => Change::DropRoutine(r.clone()),
            Change::CreateEvent(e) => Change::DropEvent(e.clone()),
            _ => continue,
        };
        drops.push(change(undo));
    }
    drops
        .push(change(Change::DropForeignKey { table: books.name.clone(), foreign_key: books.foreign_keys[0].clone() }));
    for index in books.indexes.values() {
        drops.push(change(Change::DropIndex { table: books.name.clone(), index: index.clone() }));
    }
    drops.push(change(Change::DropTable(books)));
    drops.push(change(Change::DropTable(authors)));
    db.apply(drops);
    let left = db.catalog(
        "SELECT (SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?) \
         + (SELECT count(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?) \
         + (SELECT count(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) \
         + (SELECT count(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?)",
    );
    assert_eq!(left, "0");
}

#[test]
fn alter_table_runs_every_operation_in_one_statement() {
    let Some(db) = TestDb::new("alter") else { return };
    let mut setup = create_with_indexes(&authors());
    setup.extend(create_with_indexes(&books()));
    db.apply(setup);
    db.sql("INSERT INTO authors (name) VALUES ('Ann')");
    db.sql("INSERT INTO books (author_id, title, notes, kind) VALUES (1, 'Dune', 'sand', 'essay')");

    let mut price = Column::new("price", "decimal(12,2)").not_null().default_expr("0.00");
    price.comment = Some("major units".into());
    let unique_isbn = UniqueConstraint {
        name: Some("uq_isbn".into()),
        columns: vec!["isbn".into()],
        nulls_not_distinct: false,
        deferrable: Default::default(),
        comment: None,
        on_conflict: None,
    };
    let ops = vec![
        TableOp::DropPrimaryKey(PrimaryKey { name: None, columns: vec!["id".into()], on_conflict: None }),
        TableOp::DropCheck(check("price_positive", "`price` >= 0")),
        TableOp::RenameColumn { from: "notes".into(), to: "remarks".into() },
        TableOp::RenameColumn { from: "kind".into(), to: "genre".into() },
        TableOp::DropColumn(Column::new("secret", "int(11)")),
        TableOp::AlterColumn { from: Column::new("price", "decimal(10,2)"), to: price },
        TableOp::AlterColumn {
            from: Column::new("genre", "enum('novel','essay')"),
            to: Column::new("genre", "enum('novel','essay','poem')").not_null().default_expr("'poem'"),
        },
        TableOp::AddColumn { column: Column::new("isbn", "char(13)"), position: ColumnPosition::First },
        TableOp::AddColumn {
            column: Column::new("pages", "smallint(5) unsigned").not_null().default_expr("0"),
            position: ColumnPosition::After("title".into()),
        },
        TableOp::AddPrimaryKey(PrimaryKey {
            name: None,
            columns: vec!["id".into(), "title".into()],
            on_conflict: None,
        }),
        TableOp::AddUnique(unique_isbn),
        TableOp::AddCheck(check("pages_positive", "`pages` >= 0")),
        TableOp::SetOptions {
            from: options("InnoDB", "utf8mb4", "utf8mb4_general_ci"),
            to: TableOptions::MySql {
                engine: Some("InnoDB".into()),
                charset: Some("utf8mb4".into()),
                collation: Some("utf8mb4_unicode_ci".into()),
                row_format: Some("DYNAMIC".into()),
            },
        },
    ];
    let table = QualifiedName::bare("books");
    db.apply(vec![
        change(Change::AlterTable { table: table.clone(), ops }),
        change(Change::SetComment { target: ObjectKey::Table { name: table }, comment: Some("reworked".into()) }),
    ]);

    let columns = db.catalog(
        "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books'",
    );
    assert_eq!(columns, "isbn,id,author_id,title,pages,price,genre,created,updated,slug,title_len,remarks");
    let genre = db.catalog(
        "SELECT COLUMN_TYPE, COLUMN_DEFAULT FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books' AND COLUMN_NAME = 'genre'",
    );
    assert_eq!(genre, "enum('novel','essay','poem')\t'poem'");
    let price = db.catalog(
        "SELECT COLUMN_TYPE, COLUMN_COMMENT FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books' AND COLUMN_NAME = 'price'",
    );
    assert_eq!(price, "decimal(12,2)\tmajor units");
    let options = db.catalog(
        "SELECT ROW_FORMAT, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books'",
    );
    assert_eq!(options, "Dynamic\tutf8mb4_unicode_ci\treworked");
    // Data survived the rename and the retype.
    assert_eq!(db.sql("SELECT genre, remarks, pages FROM books"), "essay\tsand\t0");
    assert!(db.refuses("UPDATE books SET pages = -1"), "unsigned / check");
    let keys = db.catalog(
        "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books'",
    );
    assert_eq!(keys, "fk_author,ft_notes,idx_title,PRIMARY,uq_isbn");
}

#[test]
fn hostile_names_are_read_back_verbatim() {
    let Some(db) = TestDb::new("hostile") else { return };
    let mut self_ref = fk(HOSTILE, &["ref col"], HOSTILE, &["id"]);
    self_ref.on_delete = FkAction::SetNull;
    let mut table = Table::new(HOSTILE)
        .with_column(Column::new("id", "int(11)").not_null().comment("it's a \\ backslash; DROP"))
        .with_column(Column::new("ref col", "int(11)"))
        .with_column(Column::new(NON_ASCII, "varchar(10)").default_expr("'it''s'"))
        .with_primary_key(["id"])
        .with_foreign_key(self_ref)
        .with_check(check("chk`; DROP TABLE y", "`id` > 0"))
        .with_index(index(HOSTILE, &["ref col"]))
        .with_index(index(NON_ASCII, &[NON_ASCII]));
    table.comment = Some("'; DROP TABLE z; --".into());
    let mut changes = create_with_indexes(&table);
    let hostile_trigger =
        trigger(HOSTILE, HOSTILE, TriggerTiming::Before, TriggerEvent::Insert, "SET NEW.`naïve 名前` = 'trig''d'");
    changes.push(change(Change::CreateTrigger(hostile_trigger.clone())));
    let hostile_view = view(NON_ASCII, "select `id` AS `a``b` from `a``b\"c; DROP TABLE x`");
    changes.push(change(Change::CreateView(hostile_view.clone())));
    db.apply(changes);

    assert_eq!(
        db.catalog(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'"
        ),
        HOSTILE
    );
    assert_eq!(db.catalog("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?"), NON_ASCII);
    let constraints = db.catalog(
        "SELECT GROUP_CONCAT(CONSTRAINT_NAME ORDER BY CONSTRAINT_NAME SEPARATOR '|') \
         FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
    );
    assert_eq!(constraints, format!("{HOSTILE}|chk`; DROP TABLE y|PRIMARY"));
    let indexes = db.catalog(
        "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME SEPARATOR '|') FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = ?",
    );
    assert_eq!(indexes, format!("{HOSTILE}|{NON_ASCII}|PRIMARY"));
    assert_eq!(db.catalog("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?"), HOSTILE);
    let comment = db.catalog(
        "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    );
    assert_eq!(comment, "'; DROP TABLE z; --");
    db.sql("INSERT INTO `a``b\"c; DROP TABLE x` (id) VALUES (1)");
    assert_eq!(db.sql("SELECT `naïve 名前` FROM `a``b\"c; DROP TABLE x`"), "trig'd");

    db.apply(vec![
        change(Change::DropView(hostile_view)),
        change(Change::DropTrigger(hostile_trigger)),
        change(Change::DropForeignKey { table: table.name.clone(), foreign_key: table.foreign_keys[0].clone() }),
        change(Change::DropIndex { table: table.name.clone(), index: table.indexes[NON_ASCII].clone() }),
        change(Change::AlterTable {
            table: table.name.clone(),
            ops: vec![
                TableOp::DropCheck(table.checks[0].clone()),
                TableOp::RenameColumn { from: NON_ASCII.into(), to: "plain".into() },
            ],
        }),
        change(Change::DropTable(table)),
    ]);
    assert_eq!(db.catalog("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"), "0");
}

/// Two tables referencing each other, each foreign key backed by an index of
/// its own name: the differ defers one foreign key, and MySQL must not create
/// an index of that name before the plan's own.
fn cycle_schema() -> Schema {
    let mut schema = Schema::new(Dialect::MySql);
    for (name, other) in [("left_t", "right_t"), ("right_t", "left_t")] {
        let fk_name = format!("fk_{name}");
        let column = format!("{other}_id");
        let mut table = Table::new(name)
            .with_column(Column::new("id", "int(11)").not_null().auto_increment())
            .with_column(Column::new(column.as_str(), "int(11)"))
            .with_primary_key(["id"])
            .with_foreign_key(fk(&fk_name, &[&column], other, &["id"]))
            .with_index(index(&fk_name, &[&column]));
        table.options = options("InnoDB", "utf8mb4", "utf8mb4_general_ci");
        schema.add_table(table).expect("distinct tables");
    }
    let mut keyed_only = Table::new("keyed_only")
        .with_column(Column::new("n", "bigint(20)").not_null().auto_increment())
        .with_index(index("n_key", &["n"]));
    keyed_only.options = options("InnoDB", "utf8mb4", "utf8mb4_general_ci");
    schema.add_table(keyed_only).expect("distinct tables");
    schema.add_table(authors()).expect("distinct tables");
    schema.add_table(books()).expect("distinct tables");
    schema
}

#[test]
fn schema_planned_by_the_differ_is_created_and_renamed() {
    let Some(db) = TestDb::new("differ") else { return };
    let schema = cycle_schema();
    let script = emit_schema(&schema).expect("renders");
    db.apply_script(&script);
    let tables = db.catalog(
        "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
    );
    assert_eq!(tables, "authors,books,keyed_only,left_t,right_t");
    let fk_indexes = db.catalog(
        "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ('left_t', 'right_t')",
    );
    assert_eq!(fk_indexes, "fk_left_t,fk_right_t,PRIMARY");

    // A renamed and retyped column: the differ plans RENAME + ALTER, written as CHANGE.
    let mut renamed = schema.clone();
    let books = renamed.table_mut(&QualifiedName::bare("books")).expect("books");
    let title = books.column_mut("title").expect("title");
    title.name = "heading".into();
    title.data_type = "varchar(300)".into();
    books.checks[0].expr = "`price` > 0".into();
    if let Some(prefix) = books.indexes.get_mut("idx_title") {
        prefix.parts[0] = part("heading");
        prefix.parts[0].prefix_length = Some(20);
        prefix.parts[0].descending = true;
    }
    let mut options = DiffOptions::default();
    options.column_renames = vec![(QualifiedName::bare("books"), "title".into(), "heading".into())];
    let plan = diff(&schema, &renamed, &options).expect("plans");
    let script = emit_plan(&plan).expect("renders");
    db.apply_script(&script);
    let column = db.catalog(
        "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'books' AND ORDINAL_POSITION = 3",
    );
    assert_eq!(column, "heading\tvarchar(300)");
}
