//! Foreign keys and the keys they need, on a real server (issue 12).
//!
//! Each case is an older release's schema with rows in every table (parent
//! and child rows satisfying the foreign keys) brought to a newer release's
//! schema, read from a database of its own, with `schemasync_diff` +
//! `schemasync_emit` + this crate's apply. InnoDB refuses to drop a key a
//! foreign key needs (1553) and to retype a column under one (1832), and DDL
//! commits statement by statement, so a wrongly ordered plan stops
//! half-applied. Every case checks that the rows are still there, that the
//! database reads as the newer schema, and that a new diff is empty.

use schemasync_diff::{DiffOptions, diff};
use schemasync_model::{Schema, Script};
use schemasync_mysql::mysql_async::prelude::Queryable;
use schemasync_mysql::{ApplyOptions, IntrospectOptions, MySqlConfig, mysql_async};
use schemasync_testkit::{Server, ServerDb};

fn run<F: std::future::Future<Output = ()>>(body: F) {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(body);
}

async fn introspect(db: &ServerDb) -> Schema {
    let config = MySqlConfig::parse(db.url()).expect("test URL");
    let mut conn = schemasync_mysql::connect(&config).await.expect("connect");
    let found = conn.introspect(&IntrospectOptions::default()).await.expect("introspect");
    conn.close().await.expect("close");
    found.schema
}

/// The rows `queries` return, as text.
async fn rows(db: &ServerDb, queries: &[&str]) -> Vec<Vec<Vec<Option<String>>>> {
    let url = db.url().replacen("mariadb://", "mysql://", 1);
    let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&url).expect("driver URL")).await.expect("conn");
    let mut out = Vec::new();
    for query in queries {
        let found: Vec<mysql_async::Row> = conn.query(*query).await.unwrap_or_else(|e| panic!("{query}: {e}"));
        out.push(
            found
                .into_iter()
                .map(|row| (0..row.len()).map(|i| row.get::<Option<String>, usize>(i).flatten()).collect())
                .collect(),
        );
    }
    conn.disconnect().await.expect("disconnect");
    out
}

/// Bring a database holding `old_sql` (schema and rows) to the schema of
/// `new_sql`; the rows `kept` reads must be the same before and after.
/// Returns the applied script, or `None` when no server answers.
async fn upgrade(prefix: &str, old_sql: &str, new_sql: &str, kept: &[&str]) -> Option<Script> {
    let wanted_db = ServerDb::create(Server::MySql, &format!("{prefix}_new"))?;
    wanted_db.exec(new_sql);
    let wanted = introspect(&wanted_db).await;
    let db = ServerDb::create(Server::MySql, &format!("{prefix}_old"))?;
    db.exec(old_sql);
    let current = introspect(&db).await;
    let before = rows(&db, kept).await;
    assert!(before.iter().all(|r| !r.is_empty()), "every table holds rows: {before:?}");

    let plan = diff(&current, &wanted, &DiffOptions::default()).expect("diff");
    let script = schemasync_emit::emit_plan(&plan).expect("emit");
    let config = MySqlConfig::parse(db.url()).expect("test URL");
    let mut conn = schemasync_mysql::connect(&config).await.expect("connect");
    conn.apply(&script, Some(&current.content_hash()), &ApplyOptions::default(), &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("apply failed: {e}\n\nscript:\n{}", script.to_sql()));
    conn.close().await.expect("close");

    assert_eq!(rows(&db, kept).await, before, "rows kept\n\nscript:\n{}", script.to_sql());
    let after = introspect(&db).await;
    assert_eq!(after.to_pretty_json(), wanted.to_pretty_json(), "script:\n{}", script.to_sql());
    let residue = diff(&after, &wanted, &DiffOptions::default()).expect("re-diff");
    let left: Vec<String> = residue.changes.iter().map(|c| c.change.describe()).collect();
    assert!(left.is_empty(), "a second plan: {left:?}\n\nscript:\n{}", script.to_sql());
    Some(script)
}

const PARENT: &str = "CREATE TABLE p (id int NOT NULL PRIMARY KEY, name varchar(20) NOT NULL);
    INSERT INTO p VALUES (1, 'one'), (2, 'two'), (3, 'three');";

const PARENT_ROWS: &str = "SELECT id, name FROM p ORDER BY id";

/// An index a foreign key uses gets another column: dropped and created in
/// one statement, since no other key could stand in meanwhile.
#[test]
fn an_index_a_foreign_key_uses_changes_its_columns() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, x int, KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1, 10), (2, 2, 20), (3, 2, 30);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, x int, KEY ix_p (p_id, x),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id, x FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_idxcols", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP INDEX `ix_p`,\n  ADD KEY `ix_p` (`p_id`, `x`)"), "{sql}");
        assert!(!sql.contains("DROP FOREIGN KEY"), "no detour needed:\n{sql}");
    });
}

/// The referenced UNIQUE key gives way to a primary key on the same column.
#[test]
fn a_referenced_unique_key_becomes_the_primary_key() {
    run(async {
        let old = "CREATE TABLE p (code int NOT NULL, name varchar(20), UNIQUE KEY uk_code (code));
            INSERT INTO p VALUES (1, 'one'), (2, 'two');
            CREATE TABLE c (id int PRIMARY KEY, code int, KEY ix_code (code),
                CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES p (code));
            INSERT INTO c VALUES (1, 1), (2, 2), (3, 1);";
        let new = "CREATE TABLE p (code int NOT NULL PRIMARY KEY, name varchar(20));
            CREATE TABLE c (id int PRIMARY KEY, code int, KEY ix_code (code),
                CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES p (code));";
        let kept = ["SELECT code, name FROM p ORDER BY code", "SELECT id, code FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_uk2pk", old, new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("ADD PRIMARY KEY (`code`),\n  DROP INDEX `uk_code`"), "{sql}");
    });
}

/// The old release's foreign key got the index the server creates for it;
/// the new one has a composite index starting with the key's column, so the
/// server's index is gone there. Dropping it and creating the composite one
/// happen in one statement: created first, the server would drop the old
/// index by itself and the drop would fail; dropped first, the foreign key
/// would have no index.
#[test]
fn the_index_the_server_created_for_a_foreign_key_gives_way_to_a_composite_one() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, created int,
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1, 100), (2, 3, 200);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, created int, KEY ix_p_created (p_id, created),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id, created FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_autoidx", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP INDEX `fk_p`,\n  ADD KEY `ix_p_created` (`p_id`, `created`)"), "{sql}");
    });
}

/// A foreign key moves to another column, and its index with it.
#[test]
fn a_foreign_key_changes_its_columns_together_with_its_index() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, a int, b int, KEY ix_ref (a),
                CONSTRAINT fk_ref FOREIGN KEY (a) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1, 2), (2, 2, 3);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, a int, b int, KEY ix_ref (b),
                CONSTRAINT fk_ref FOREIGN KEY (b) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, a, b FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_fkcols", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        let drop_fk = sql.find("DROP FOREIGN KEY `fk_ref`").unwrap_or_else(|| panic!("drops the old key:\n{sql}"));
        let add_fk = sql.find("ADD CONSTRAINT `fk_ref`").unwrap_or_else(|| panic!("adds the new key:\n{sql}"));
        let create = sql.find("(`b`)").unwrap_or_else(|| panic!("creates the new index:\n{sql}"));
        assert!(drop_fk < create && create < add_fk, "the index comes before the key that needs it:\n{sql}");
    });
}

/// An index a foreign key uses is renamed (dropped under one name, created
/// under another).
#[test]
fn an_index_a_foreign_key_uses_is_renamed() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, KEY idx_old (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1), (2, 2);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, KEY idx_new (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_rename", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP INDEX `idx_old`,\n  ADD KEY `idx_new` (`p_id`)"), "{sql}");
    });
}

/// An index a foreign key uses is created again as a UNIQUE one under the
/// same name.
#[test]
fn an_index_a_foreign_key_uses_is_recreated_unique() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1), (2, 2);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, UNIQUE KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_unique", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP INDEX `ix_p`,\n  ADD UNIQUE KEY `ix_p` (`p_id`)"), "{sql}");
    });
}

/// The columns on both ends of a foreign key change type: MySQL refuses
/// that under the key, which is dropped before and added again after.
#[test]
fn the_columns_of_a_foreign_key_change_type_on_both_sides() {
    run(async {
        let old = "CREATE TABLE p (id int NOT NULL PRIMARY KEY, name varchar(20));
            INSERT INTO p VALUES (1, 'one'), (2, 'two');
            CREATE TABLE c (id int PRIMARY KEY, p_id int, KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1), (2, 2), (3, 2);";
        let new = "CREATE TABLE p (id bigint NOT NULL PRIMARY KEY, name varchar(20));
            CREATE TABLE c (id int PRIMARY KEY, p_id bigint, KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));";
        let kept = ["SELECT id, name FROM p ORDER BY id", "SELECT id, p_id FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_retype", old, new, &kept).await else { return };
        let sql = script.to_sql();
        let drop_fk = sql.find("DROP FOREIGN KEY `fk_p`").expect("dropped first");
        let add_fk = sql.find("ADD CONSTRAINT `fk_p`").expect("added again");
        let parent = sql.find("MODIFY COLUMN `id` bigint(20)").expect("parent retyped");
        let child = sql.find("MODIFY COLUMN `p_id` bigint(20)").expect("child retyped");
        assert!(drop_fk < parent.min(child) && parent.max(child) < add_fk, "{sql}");
        assert!(
            script.statements.iter().flat_map(|s| &s.hazards).any(|h| h.message.contains("dropped and added again")),
            "the detour is announced:\n{sql}"
        );
    });
}

/// The character set of the columns of a foreign key changes: refused under
/// the key just like a type change.
#[test]
fn the_columns_of_a_foreign_key_change_character_set() {
    run(async {
        let old = "CREATE TABLE p (code varchar(10) CHARACTER SET latin1 NOT NULL PRIMARY KEY, name varchar(20));
            INSERT INTO p VALUES ('a', 'one'), ('b', 'two');
            CREATE TABLE c (id int PRIMARY KEY, code varchar(10) CHARACTER SET latin1, KEY ix_code (code),
                CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES p (code));
            INSERT INTO c VALUES (1, 'a'), (2, 'b');";
        let new = "CREATE TABLE p (code varchar(10) CHARACTER SET utf8mb4 NOT NULL PRIMARY KEY, name varchar(20));
            CREATE TABLE c (id int PRIMARY KEY, code varchar(10) CHARACTER SET utf8mb4, KEY ix_code (code),
                CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES p (code));";
        let kept = ["SELECT code, name FROM p ORDER BY code", "SELECT id, code FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_charset", old, new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.find("DROP FOREIGN KEY `fk_code`") < sql.find("ADD CONSTRAINT `fk_code`"), "{sql}");
    });
}

/// A column of the index a foreign key uses is dropped: the server takes it
/// out of the index, and the index the new release has takes over in the
/// same statement.
#[test]
fn a_column_of_the_index_a_foreign_key_uses_is_dropped() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, x int, KEY ix_p_x (p_id, x),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1, 5), (2, 2, 6);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_dropcol", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP COLUMN `x`"), "{sql}");
        assert_eq!(script.statements.len(), 1, "one ALTER TABLE:\n{sql}");
    });
}

/// The child's primary key starts with the foreign key's column and is the
/// only key the foreign key has; the new primary key does not, and a new
/// index takes over in the same statement.
#[test]
fn the_primary_key_a_foreign_key_uses_changes() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (p_id int NOT NULL, n int NOT NULL, PRIMARY KEY (p_id, n),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1), (1, 2), (2, 1);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (p_id int NOT NULL, n int NOT NULL, PRIMARY KEY (n, p_id), KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT p_id, n FROM c ORDER BY p_id, n"];
        let Some(script) = upgrade("fko_pk", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("ADD KEY `ix_p` (`p_id`)"), "{sql}");
        assert_eq!(script.statements.len(), 1, "one ALTER TABLE:\n{sql}");
    });
}

/// The referenced table's key is dropped without any key taking over, and
/// the foreign key goes too: the foreign key is dropped first.
#[test]
fn a_foreign_key_and_the_parent_key_it_used_are_both_dropped() {
    run(async {
        let old = "CREATE TABLE p (id int NOT NULL PRIMARY KEY, code int NOT NULL, UNIQUE KEY uk_code (code));
            INSERT INTO p VALUES (1, 10), (2, 20);
            CREATE TABLE c (id int PRIMARY KEY, code int, KEY ix_code (code),
                CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES p (code));
            INSERT INTO c VALUES (1, 10), (2, 20);";
        let new = "CREATE TABLE p (id int NOT NULL PRIMARY KEY, code int NOT NULL);
            CREATE TABLE c (id int PRIMARY KEY, code int, KEY ix_code (code));";
        let kept = ["SELECT id, code FROM p ORDER BY id", "SELECT id, code FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_dropboth", old, new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.find("DROP FOREIGN KEY `fk_code`") < sql.find("DROP INDEX `uk_code`"), "{sql}");
    });
}

/// The new release lists the index the old one got from the server for its
/// foreign key as an index of its own, next to a composite one starting
/// with the same column. Created as it is, the composite index would make
/// the server drop its own index by itself; that index is created again as
/// an ordinary one in the same statement, so the plan converges at once.
#[test]
fn the_servers_index_for_a_foreign_key_stays_beside_a_composite_one() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, created int,
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1, 100), (2, 3, 200);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, created int, KEY fk_p (p_id),
                KEY ix_p_created (p_id, created), CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id, created FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_keepauto", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP INDEX `fk_p`,\n  ADD KEY `fk_p` (`p_id`),\n  ADD KEY `ix_p_created`"), "{sql}");
    });
}

/// Apply the plan from the database's schema to `wanted`, which is not
/// read from a server, and check the rows and an empty re-diff.
async fn upgrade_to(db: &ServerDb, wanted: &Schema, kept: &[&str]) -> Script {
    let current = introspect(db).await;
    let before = rows(db, kept).await;
    let plan = diff(&current, wanted, &DiffOptions::default()).expect("diff");
    let script = schemasync_emit::emit_plan(&plan).expect("emit");
    let config = MySqlConfig::parse(db.url()).expect("test URL");
    let mut conn = schemasync_mysql::connect(&config).await.expect("connect");
    conn.apply(&script, Some(&current.content_hash()), &ApplyOptions::default(), &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("apply failed: {e}\n\nscript:\n{}", script.to_sql()));
    conn.close().await.expect("close");
    assert_eq!(rows(db, kept).await, before, "rows kept\n\nscript:\n{}", script.to_sql());
    let residue = diff(&introspect(db).await, wanted, &DiffOptions::default()).expect("re-diff");
    let left: Vec<String> = residue.changes.iter().map(|c| c.change.describe()).collect();
    assert!(left.is_empty(), "a second plan: {left:?}\n\nscript:\n{}", script.to_sql());
    script
}

/// A wanted schema written without the index the server creates for a
/// foreign key (by hand, or in code) does not drop it: the server would
/// refuse, and would create it again anyway.
#[test]
fn a_wanted_schema_without_the_servers_index_for_a_foreign_key_keeps_it() {
    run(async {
        let Some(db) = ServerDb::create(Server::MySql, "fko_handwritten") else { return };
        db.exec(&format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1), (2, 2);"
        ));
        let mut wanted = introspect(&db).await;
        let c = wanted.tables.get_mut(&schemasync_model::QualifiedName::bare("c")).expect("table c");
        assert!(c.indexes.remove("fk_p").is_some(), "the server created fk_p");
        c.columns.push(schemasync_model::Column::new("note", "varchar(10)"));
        let kept = [PARENT_ROWS, "SELECT id, p_id FROM c ORDER BY id"];
        let script = upgrade_to(&db, &wanted, &kept).await;
        let sql = script.to_sql();
        assert!(!sql.contains("DROP INDEX"), "{sql}");
    });
}

/// A wanted schema that keeps a foreign key but none of the keys it can
/// use: no key takes over, so the foreign key is dropped before its index
/// and added again after (the server then creates an index for it, which
/// the re-diff accepts as the server's own).
#[test]
fn a_foreign_key_without_any_key_taking_over_is_dropped_and_added_again() {
    run(async {
        let Some(db) = ServerDb::create(Server::MySql, "fko_detour") else { return };
        db.exec(&format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, KEY ix_p (p_id),
                CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1), (2, 2);"
        ));
        let mut wanted = introspect(&db).await;
        let c = wanted.tables.get_mut(&schemasync_model::QualifiedName::bare("c")).expect("table c");
        assert!(c.indexes.remove("ix_p").is_some());
        let kept = [PARENT_ROWS, "SELECT id, p_id FROM c ORDER BY id"];
        let script = upgrade_to(&db, &wanted, &kept).await;
        let sql = script.to_sql();
        let drop_fk = sql.find("DROP FOREIGN KEY `fk_p`").unwrap_or_else(|| panic!("detour:\n{sql}"));
        let drop_index = sql.find("DROP INDEX `ix_p`").unwrap_or_else(|| panic!("drop:\n{sql}"));
        let add_fk = sql.find("ADD CONSTRAINT `fk_p`").unwrap_or_else(|| panic!("re-added:\n{sql}"));
        assert!(drop_fk < drop_index && drop_index < add_fk, "{sql}");
    });
}

/// A foreign key created without a name gets `<table>_ibfk_<n>` and an
/// index named after its first column; that index gives way to a composite
/// one like the index of a named key does.
#[test]
fn the_index_of_an_unnamed_foreign_key_gives_way_to_a_composite_one() {
    run(async {
        let old = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, x int, FOREIGN KEY (p_id) REFERENCES p (id));
            INSERT INTO c VALUES (1, 1, 1), (2, 2, 2);"
        );
        let new = format!(
            "{PARENT}
            CREATE TABLE c (id int PRIMARY KEY, p_id int, x int, KEY ix_p_x (p_id, x),
                FOREIGN KEY (p_id) REFERENCES p (id));"
        );
        let kept = [PARENT_ROWS, "SELECT id, p_id, x FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_unnamed", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP INDEX `p_id`,\n  ADD KEY `ix_p_x` (`p_id`, `x`)"), "{sql}");
    });
}

/// Two children reference the parent's unique key, which is replaced by a
/// primary key on the same column while one child's own index changes too.
#[test]
fn a_parent_key_and_a_child_index_change_in_one_plan() {
    run(async {
        let old = "CREATE TABLE p (code int NOT NULL, name varchar(20), UNIQUE KEY uk_code (code));
            INSERT INTO p VALUES (1, 'one'), (2, 'two');
            CREATE TABLE a (id int PRIMARY KEY, code int, KEY ix_a (code),
                CONSTRAINT fk_a FOREIGN KEY (code) REFERENCES p (code));
            INSERT INTO a VALUES (1, 1), (2, 2);
            CREATE TABLE b (id int PRIMARY KEY, code int, n int, CONSTRAINT fk_b FOREIGN KEY (code) REFERENCES p (code));
            INSERT INTO b VALUES (1, 2, 7);";
        let new = "CREATE TABLE p (code int NOT NULL PRIMARY KEY, name varchar(20));
            CREATE TABLE a (id int PRIMARY KEY, code int, KEY ix_a (code),
                CONSTRAINT fk_a FOREIGN KEY (code) REFERENCES p (code));
            CREATE TABLE b (id int PRIMARY KEY, code int, n int, KEY ix_b (code, n),
                CONSTRAINT fk_b FOREIGN KEY (code) REFERENCES p (code));";
        let kept = [
            "SELECT code, name FROM p ORDER BY code",
            "SELECT id, code FROM a ORDER BY id",
            "SELECT id, code, n FROM b ORDER BY id",
        ];
        let Some(script) = upgrade("fko_both", old, new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(!sql.contains("DROP FOREIGN KEY"), "no detour needed:\n{sql}");
    });
}

/// Index shapes of the generated child tables: name and key text.
const SHAPES: &[&str] = &[
    "KEY fk_p (p_id)",
    "KEY ix_p (p_id)",
    "KEY ix_p (p_id, x)",
    "UNIQUE KEY ix_p (p_id)",
    "KEY ix_px (p_id, x)",
    "KEY ix_xp (x, p_id)",
    "KEY ix_x (x)",
    "UNIQUE KEY ix_pid (p_id, id)",
];

/// One generated version of `p` and `c` with rows.
struct Version {
    /// Indexes of the child, by position in [`SHAPES`] (the first of a name wins).
    shapes: Vec<usize>,
    /// The child's primary key is `(p_id, id)` rather than `id`.
    child_pk_leads: bool,
    /// `c.p_id` references `p.code` rather than `p.id`.
    by_code: bool,
    /// `p.code` is the primary key rather than a unique key.
    pk_on_code: bool,
    /// The key's columns are `bigint` on both sides.
    wide: bool,
    /// The child has column `x`.
    with_x: bool,
    /// The foreign key exists.
    with_fk: bool,
}

impl Version {
    fn sql(&self) -> String {
        let parent_keys = match (self.by_code, self.pk_on_code) {
            (true, true) => "PRIMARY KEY (code)",
            (true, false) => "PRIMARY KEY (id), UNIQUE KEY uk_code (code)",
            _ => "PRIMARY KEY (id)",
        };
        let mut keys = vec![if self.child_pk_leads { "PRIMARY KEY (p_id, id)" } else { "PRIMARY KEY (id)" }.to_owned()];
        let mut names = Vec::new();
        for &i in &self.shapes {
            let shape = SHAPES[i % SHAPES.len()];
            let name = shape.split_whitespace().find(|w| w.starts_with("fk_") || w.starts_with("ix_")).unwrap_or("");
            if !names.contains(&name) && (self.with_x || !shape.contains('x')) {
                names.push(name);
                keys.push(shape.to_owned());
            }
        }
        let referenced = if self.by_code { "code" } else { "id" };
        let (a, b) = if self.by_code { (10, 20) } else { (1, 2) };
        let ty = if self.wide { "bigint" } else { "int" };
        let (id_type, code_type) = if self.by_code { ("int", ty) } else { (ty, "int") };
        let x = if self.with_x { "x int," } else { "" };
        let x_value = |v: i32| if self.with_x { format!(", {v}") } else { String::new() };
        let fk = if self.with_fk {
            format!(", CONSTRAINT fk_p FOREIGN KEY (p_id) REFERENCES p ({referenced})")
        } else {
            String::new()
        };
        format!(
            "CREATE TABLE p (id {id_type} NOT NULL, code {code_type} NOT NULL, {parent_keys});
            INSERT INTO p VALUES (1, 10), (2, 20);
            CREATE TABLE c (id int NOT NULL, p_id {ty} NOT NULL, {x} {}{fk});
            INSERT INTO c VALUES (1, {a}{}), (2, {b}{});",
            keys.join(", "),
            x_value(1),
            x_value(2),
        )
    }
}

/// Generated pairs of versions (a fixed pseudo-random choice among the
/// shapes, primary keys and referenced keys; 600 pairs from two seeds passed
/// locally, 40 run here): every plan applies on the server, keeps the rows,
/// and converges.
#[test]
fn generated_key_changes_under_a_foreign_key_apply_and_converge() {
    run(async {
        let mut seed: u64 = 0x5eed_0012;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % n) as usize
        };
        for case in 0..40 {
            let by_code = next(2) == 1;
            let with_x = next(4) != 0;
            let mut version = |with_x: bool| Version {
                shapes: (0..next(4)).map(|_| next(SHAPES.len() as u64)).collect(),
                child_pk_leads: next(2) == 1,
                by_code,
                pk_on_code: next(2) == 1,
                wide: next(3) == 0,
                with_x,
                with_fk: next(5) != 0,
            };
            // `x` may be dropped, never added (an added column has no rows to compare).
            let (old, new) = (version(true).sql(), version(with_x).sql());
            let kept = ["SELECT id, code FROM p ORDER BY id", "SELECT id, p_id FROM c ORDER BY id"];
            if upgrade(&format!("fko_gen{case}"), &old, &new, &kept).await.is_none() {
                return;
            }
        }
    });
}

/// A two-column foreign key whose index is turned around: the turned index
/// no longer serves it, so the new release's database has the server's own
/// index for the key beside it, which takes over in the same statement.
#[test]
fn the_index_of_a_two_column_foreign_key_is_turned_around() {
    run(async {
        let parent = "CREATE TABLE p (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b));";
        let old = format!(
            "{parent}
            INSERT INTO p VALUES (1, 1), (1, 2), (2, 1);
            CREATE TABLE c (id int PRIMARY KEY, a int, b int, KEY ix_ab (a, b),
                CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES p (a, b));
            INSERT INTO c VALUES (1, 1, 1), (2, 1, 2), (3, 2, 1);"
        );
        let new = format!(
            "{parent}
            CREATE TABLE c (id int PRIMARY KEY, a int, b int, KEY ix_ab (b, a),
                CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES p (a, b));"
        );
        let kept = ["SELECT a, b FROM p ORDER BY a, b", "SELECT id, a, b FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_turned", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("ADD KEY `fk_ab` (`a`, `b`)"), "{sql}");
        assert!(!sql.contains("DROP FOREIGN KEY"), "{sql}");
    });
}

/// The referenced primary key of a two-column foreign key gets a third
/// column: it still starts with the referenced columns and serves them.
#[test]
fn the_referenced_primary_key_of_a_two_column_foreign_key_grows() {
    run(async {
        let child = "CREATE TABLE c (id int PRIMARY KEY, a int, b int, KEY ix_ab (a, b),
                CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES p (a, b));";
        let old = format!(
            "CREATE TABLE p (a int NOT NULL, b int NOT NULL, v int NOT NULL DEFAULT 0, PRIMARY KEY (a, b));
            INSERT INTO p VALUES (1, 1, 0), (1, 2, 0);
            {child}
            INSERT INTO c VALUES (1, 1, 1), (2, 1, 2);"
        );
        let new = format!(
            "CREATE TABLE p (a int NOT NULL, b int NOT NULL, v int NOT NULL DEFAULT 0, PRIMARY KEY (a, b, v));
            {child}"
        );
        let kept = ["SELECT a, b, v FROM p ORDER BY a, b", "SELECT id, a, b FROM c ORDER BY id"];
        let Some(script) = upgrade("fko_pkgrows", &old, &new, &kept).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("DROP PRIMARY KEY,\n  ADD PRIMARY KEY (`a`, `b`, `v`)"), "{sql}");
    });
}
