//! Introspection of every object kind SQLite has.

mod common;

use common::{load, table};
use schemasync_model::{
    ConflictResolution, Deferrable, FkAction, Generated, IndexTarget, ObjectKey, QualifiedName, TableOptions,
    TriggerEvent, TriggerTiming,
};

const FIXTURE: &str = r#"
CREATE TABLE parent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL COLLATE NOCASE UNIQUE,
    price NUMERIC(10, 2) DEFAULT 0.0 CHECK (price >= 0),
    created TEXT DEFAULT (datetime('now')),
    doubled NUMERIC GENERATED ALWAYS AS (price * 2) STORED,
    tripled AS (price*3)
);
CREATE TABLE child (
    a INTEGER NOT NULL,
    b TEXT,
    parent_id INTEGER CONSTRAINT child_parent REFERENCES Parent (ID) ON DELETE CASCADE,
    code TEXT,
    CONSTRAINT child_pk PRIMARY KEY (a, B),
    CONSTRAINT child_uq UNIQUE (b, code),
    CONSTRAINT b_len CHECK (length(b) <  10),
    FOREIGN KEY (code) REFERENCES parent (code) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;
CREATE TABLE strict_t (x INT, y ANY) STRICT;
CREATE INDEX child_code ON child (code DESC);
CREATE UNIQUE INDEX parent_lower ON parent (lower(code) COLLATE BINARY, price) WHERE price > 0;
CREATE VIEW expensive (id, code) AS
    SELECT id, code   FROM parent -- only the dear ones
    WHERE price > 100;
CREATE VIEW nested AS SELECT * FROM expensive JOIN child ON child.parent_id = expensive.id;
CREATE TRIGGER parent_audit AFTER UPDATE OF price, Code ON parent FOR EACH ROW WHEN new.price <> old.price
BEGIN
    INSERT INTO child (a, b) VALUES (new.id, 'changed; really');
END;
CREATE TRIGGER nested_insert INSTEAD OF INSERT ON nested BEGIN SELECT 1; END;
INSERT INTO parent (code) VALUES ('x');
"#;

#[test]
fn tables_columns_and_options() {
    let found = load(FIXTURE);
    let schema = &found.schema;
    assert_eq!(schema.dialect, schemasync_model::Dialect::Sqlite);
    assert!(schema.tables.keys().all(|k| k.schema.is_none()));
    assert_eq!(found.skipped.len(), 1, "{:?}", found.skipped);
    assert_eq!(found.skipped[0].name, "sqlite_sequence");
    assert_eq!(found.skipped[0].reason, "SQLite internal");

    let parent = table(schema, "parent");
    let names: Vec<_> = parent.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["id", "code", "price", "created", "doubled", "tripled"]);
    let id = &parent.columns[0];
    assert!(id.auto_increment && id.nullable);
    assert_eq!(id.data_type, "INTEGER");
    let code = &parent.columns[1];
    assert!(!code.nullable);
    assert_eq!(code.collation.as_deref(), Some("NOCASE"));
    let price = &parent.columns[2];
    assert_eq!(price.data_type, "NUMERIC(10, 2)");
    assert_eq!(price.default.as_deref(), Some("0.0"));
    assert_eq!(parent.columns[3].default.as_deref(), Some("(datetime('now'))"));
    assert_eq!(parent.columns[4].generated, Some(Generated { expr: "price * 2".into(), stored: true }));
    assert_eq!(parent.columns[5].generated, Some(Generated { expr: "price*3".into(), stored: false }));
    assert_eq!(parent.columns[5].data_type, "");
    assert_eq!(parent.primary_key.as_ref().map(|p| p.columns.clone()), Some(vec!["id".to_owned()]));
    assert_eq!(parent.uniques.len(), 1);
    assert_eq!(parent.uniques[0].columns, vec!["code"]);
    assert_eq!(parent.checks.len(), 1);
    assert_eq!(parent.checks[0].expr, "price >= 0");
    assert_eq!(parent.options, TableOptions::Default);

    let child = table(schema, "child");
    let pk = child.primary_key.as_ref().expect("child has a primary key");
    assert_eq!(pk.name.as_deref(), Some("child_pk"));
    assert_eq!(pk.columns, vec!["a", "b"], "key columns use the declared spelling");
    assert_eq!(child.uniques[0].name.as_deref(), Some("child_uq"));
    assert_eq!(child.checks[0].name.as_deref(), Some("b_len"));
    assert_eq!(child.checks[0].expr, "length(b) < 10");
    assert!(child.options.sqlite_without_rowid());
    assert!(!child.columns[0].nullable);
    assert_eq!(child.foreign_keys.len(), 2);
    let to_id = child.foreign_keys.iter().find(|f| f.columns == ["parent_id"]).expect("fk on parent_id");
    assert_eq!(to_id.name.as_deref(), Some("child_parent"));
    assert_eq!(to_id.ref_table, QualifiedName::bare("parent"), "parent name resolved to its stored spelling");
    assert_eq!(to_id.ref_columns, vec!["id"]);
    assert_eq!(to_id.on_delete, FkAction::Cascade);
    let to_code = child.foreign_keys.iter().find(|f| f.columns == ["code"]).expect("fk on code");
    assert_eq!((to_code.on_update, to_code.deferrable), (FkAction::SetNull, Deferrable::InitiallyDeferred));

    let strict = table(schema, "strict_t");
    assert!(strict.options.sqlite_strict() && !strict.options.sqlite_without_rowid());
}

#[test]
fn conflict_clauses_of_not_null_unique_and_primary_key() {
    let found = load(
        "CREATE TABLE t (
            id INTEGER PRIMARY KEY ON CONFLICT REPLACE,
            a TEXT NOT NULL ON CONFLICT IGNORE DEFAULT '' UNIQUE ON CONFLICT FAIL,
            b TEXT NOT NULL ON CONFLICT ABORT,
            c TEXT NULL ON CONFLICT REPLACE,
            UNIQUE (b, c) ON CONFLICT ROLLBACK,
            CHECK (c <> '') ON CONFLICT IGNORE
        );
        CREATE TABLE k (x, y, PRIMARY KEY (x, y) ON CONFLICT IGNORE) WITHOUT ROWID;",
    );
    let t = table(&found.schema, "t");
    assert_eq!(t.primary_key.as_ref().and_then(|pk| pk.on_conflict), Some(ConflictResolution::Replace));
    let not_null: Vec<_> = t.columns.iter().map(|c| (c.name.as_str(), c.nullable, c.not_null_on_conflict)).collect();
    assert_eq!(
        not_null,
        [
            ("id", true, None),
            ("a", false, Some(ConflictResolution::Ignore)),
            // ABORT is the default: read as no clause.
            ("b", false, None),
            // SQLite ignores a clause on NULL.
            ("c", true, None),
        ]
    );
    let uniques: Vec<_> = t.uniques.iter().map(|u| (u.columns.join(","), u.on_conflict)).collect();
    assert_eq!(
        uniques,
        [("a".to_owned(), Some(ConflictResolution::Fail)), ("b,c".to_owned(), Some(ConflictResolution::Rollback))]
    );
    // SQLite accepts a clause on a table CHECK and ignores it; so does the model.
    assert_eq!(t.checks.len(), 1);

    let k = table(&found.schema, "k");
    assert_eq!(k.primary_key.as_ref().and_then(|pk| pk.on_conflict), Some(ConflictResolution::Ignore));

    let plain = load("CREATE TABLE plain (x INTEGER PRIMARY KEY ON CONFLICT ABORT, y UNIQUE, z NOT NULL);").schema;
    let json = plain.to_canonical_json();
    assert!(json.contains(r#""primary_key":{"columns":["x"]}"#), "{json}");
    assert!(!json.contains("on_conflict"), "absent clauses leave the JSON as it was: {json}");
}

#[test]
fn indexes() {
    let found = load(FIXTURE);
    let child = table(&found.schema, "child");
    assert_eq!(child.indexes.len(), 1, "autoindexes of constraints are not listed");
    let ix = &child.indexes["child_code"];
    assert!(!ix.unique && ix.parts[0].descending);
    assert_eq!(ix.parts[0].target, IndexTarget::Column("code".into()));

    let ix = &table(&found.schema, "parent").indexes["parent_lower"];
    assert!(ix.unique);
    assert_eq!(ix.parts[0].target, IndexTarget::Expression("lower(code)".into()));
    assert_eq!(ix.parts[0].collation.as_deref(), Some("BINARY"));
    assert_eq!(ix.parts[1].target, IndexTarget::Column("price".into()));
    assert_eq!(ix.parts[1].collation, None);
    assert_eq!(ix.predicate.as_deref(), Some("price > 0"));
}

#[test]
fn views_and_dependencies() {
    let found = load(FIXTURE);
    let views = &found.schema.views;
    let expensive = &views[&QualifiedName::bare("expensive")];
    assert_eq!(expensive.definition, "SELECT id, code FROM parent WHERE price > 100");
    assert_eq!(expensive.columns, vec!["id", "code"]);
    assert_eq!(expensive.depends_on, vec![ObjectKey::Table { name: QualifiedName::bare("parent") }]);
    let nested = &views[&QualifiedName::bare("nested")];
    assert_eq!(
        nested.depends_on,
        vec![
            ObjectKey::Table { name: QualifiedName::bare("child") },
            ObjectKey::View { name: QualifiedName::bare("expensive") }
        ]
    );
}

#[test]
fn triggers() {
    let found = load(FIXTURE);
    let key = (QualifiedName::bare("parent"), "parent_audit".to_owned());
    let trg = &found.schema.triggers[&key];
    assert_eq!(trg.timing, TriggerTiming::After);
    assert_eq!(trg.events, vec![TriggerEvent::Update]);
    assert_eq!(trg.update_columns, vec!["price", "code"]);
    assert!(trg.for_each_row);
    assert_eq!(trg.when.as_deref(), Some("new.price <> old.price"));
    assert_eq!(trg.body, "BEGIN INSERT INTO child (a, b) VALUES (new.id, 'changed; really'); END");
    assert_eq!(trg.depends_on, vec![ObjectKey::Table { name: QualifiedName::bare("child") }]);

    let key = (QualifiedName::bare("nested"), "nested_insert".to_owned());
    let trg = &found.schema.triggers[&key];
    assert_eq!(trg.timing, TriggerTiming::InsteadOf);
    assert_eq!(trg.events, vec![TriggerEvent::Insert]);
    assert!(trg.depends_on.is_empty());
}

#[test]
fn virtual_tables_and_their_shadow_tables() {
    // The bundled SQLite is built with FTS5, FTS3/4 and R*Tree.
    let found = load(
        "CREATE VIRTUAL TABLE docs USING fts5(title,  body, tokenize = 'porter ascii');
         CREATE VIRTUAL TABLE old_docs USING fts4(content);
         CREATE VIRTUAL TABLE boxes USING rtree(id, minx, maxx);
         INSERT INTO docs VALUES ('a', 'b');",
    );
    let docs = table(&found.schema, "docs");
    assert_eq!(docs.options.sqlite_virtual_using(), Some("fts5(title, body, tokenize = 'porter ascii')"));
    let cols: Vec<_> = docs.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, vec!["title", "body"], "hidden columns are not modelled");
    assert!(docs.primary_key.is_none() && docs.indexes.is_empty());
    assert_eq!(found.schema.tables.len(), 3);
    let mut skipped: Vec<_> = found.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())).collect();
    skipped.sort();
    for shadow in ["docs_config", "docs_content", "docs_data", "docs_docsize", "docs_idx"] {
        assert!(skipped.contains(&(shadow, "shadow table of virtual table docs")), "{shadow} in {skipped:?}");
    }
    assert!(skipped.contains(&("old_docs_segdir", "shadow table of virtual table old_docs")));
    assert!(skipped.contains(&("boxes_node", "shadow table of virtual table boxes")));
}

#[test]
fn hostile_identifiers() {
    let found = load(
        r#"CREATE TABLE "a""b; DROP TABLE x" ("ä ""x""" TEXT DEFAULT 'it''s', [c d] INT, `e``f` INT,
               CONSTRAINT "pk; --" PRIMARY KEY ("ä ""x"""));
           CREATE INDEX "ix ""q""" ON "a""b; DROP TABLE x" ([c d], "e`f");
           CREATE VIEW "v;v" AS SELECT "ä ""x""" FROM "a""b; DROP TABLE x";
           CREATE TRIGGER "t""t" AFTER DELETE ON "a""b; DROP TABLE x" BEGIN DELETE FROM "a""b; DROP TABLE x"; END;"#,
    );
    let t = table(&found.schema, "a\"b; DROP TABLE x");
    let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["ä \"x\"", "c d", "e`f"]);
    assert_eq!(t.columns[0].default.as_deref(), Some("'it''s'"));
    let pk = t.primary_key.as_ref().expect("primary key");
    assert_eq!((pk.name.as_deref(), pk.columns.clone()), (Some("pk; --"), vec!["ä \"x\"".to_owned()]));
    let ix = &t.indexes["ix \"q\""];
    assert_eq!(ix.parts[1].target, IndexTarget::Column("e`f".into()));
    let view = &found.schema.views[&QualifiedName::bare("v;v")];
    assert_eq!(view.depends_on, vec![ObjectKey::Table { name: QualifiedName::bare("a\"b; DROP TABLE x") }]);
    assert!(found.schema.triggers.contains_key(&(QualifiedName::bare("a\"b; DROP TABLE x"), "t\"t".to_owned())));
}

#[test]
fn temp_objects_are_ignored() {
    let found = load("CREATE TABLE kept (a); CREATE TEMP TABLE scratch (b); CREATE TEMP VIEW tv AS SELECT 1;");
    assert_eq!(found.schema.tables.len(), 1);
    assert!(found.schema.views.is_empty());
}

#[test]
fn pragma_defaults_agree_with_the_ddl() {
    let conn = rusqlite::Connection::open_in_memory().expect("memory db");
    conn.execute_batch("CREATE TABLE t (a DEFAULT (1 +  2), b DEFAULT -5, c DEFAULT 'x', d DEFAULT CURRENT_TIMESTAMP)")
        .expect("create");
    let found = common::inspect(&conn);
    let mut stmt = conn.prepare("SELECT dflt_value FROM pragma_table_info('t') ORDER BY cid").expect("pragma");
    let pragma: Vec<String> = stmt.query_map([], |r| r.get(0)).expect("rows").map(|r| r.expect("row")).collect();
    let ours: Vec<String> =
        table(&found.schema, "t").columns.iter().map(|c| c.default.clone().unwrap_or_default()).collect();
    // The pragma drops the parentheses of `DEFAULT (expr)`; the model keeps them as written.
    let expected: Vec<String> = pragma
        .iter()
        .zip(&ours)
        .map(|(p, o)| {
            let p = schemasync_sqlite::normalize_sql_text(p);
            if o.starts_with('(') { format!("({p})") } else { p }
        })
        .collect();
    assert_eq!(ours, expected);
    assert_eq!(ours[0], "(1 + 2)");
}

#[test]
fn empty_database() {
    let found = load("");
    assert!(found.schema.is_empty() && found.skipped.is_empty());
}

#[test]
fn statistics_tables_are_internal() {
    let found = load("CREATE TABLE t (a); CREATE INDEX ta ON t (a); INSERT INTO t VALUES (1); ANALYZE;");
    assert_eq!(found.schema.tables.len(), 1);
    assert!(found.skipped.iter().any(|s| s.name == "sqlite_stat1" && s.reason == "SQLite internal"));
}

#[test]
fn view_over_a_missing_table_is_still_read() {
    let found = load("CREATE TABLE t (a); CREATE VIEW v AS SELECT * FROM gone; CREATE VIRTUAL TABLE d USING fts5(x);");
    let v = &found.schema.views[&QualifiedName::bare("v")];
    assert_eq!(v.definition, "SELECT * FROM gone");
    assert!(v.depends_on.is_empty());
    assert_eq!(found.skipped.len(), 5, "shadow tables still found: {:?}", found.skipped);
}

#[test]
fn altered_tables_are_read_from_the_rewritten_ddl() {
    let found = load(
        r#"CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT);
           CREATE TABLE c (x REFERENCES t (b));
           CREATE INDEX tb ON t (b);
           ALTER TABLE t ADD COLUMN "new col" TEXT NOT NULL DEFAULT 'n' REFERENCES t (a);
           ALTER TABLE t RENAME COLUMN b TO "renamed b";
           ALTER TABLE t RENAME TO "t2";"#,
    );
    let t = table(&found.schema, "t2");
    let names: Vec<_> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["a", "renamed b", "new col"]);
    assert_eq!(t.columns[2].default.as_deref(), Some("'n'"));
    assert_eq!(t.foreign_keys[0].ref_table, QualifiedName::bare("t2"));
    assert_eq!(t.indexes["tb"].parts[0].target, IndexTarget::Column("renamed b".into()));
    let c = table(&found.schema, "c");
    assert_eq!(c.foreign_keys[0].ref_table, QualifiedName::bare("t2"));
    assert_eq!(c.foreign_keys[0].ref_columns, vec!["renamed b"]);
}

#[test]
fn case_differences_resolve_to_declared_names() {
    let found = load(
        "CREATE TABLE Users (Id INTEGER PRIMARY KEY, Email TEXT);
         CREATE TABLE posts (uid INT, FOREIGN KEY (UID) REFERENCES USERS (ID));
         CREATE TRIGGER tr AFTER UPDATE OF EMAIL ON USERS BEGIN SELECT 1; END;",
    );
    let fk = &table(&found.schema, "posts").foreign_keys[0];
    assert_eq!(
        (fk.columns.clone(), fk.ref_table.name.as_str(), fk.ref_columns.clone()),
        (vec!["uid".to_owned()], "Users", vec!["Id".to_owned()])
    );
    let trg = found.schema.triggers.values().next().expect("trigger");
    assert_eq!(trg.table, QualifiedName::bare("Users"));
    assert_eq!(trg.update_columns, vec!["Email"]);
}

#[test]
fn failing_script_is_a_script_error() {
    match schemasync_sqlite::load_sql("CREATE TABLE t (a); CREATE TABLE t (b);") {
        Err(schemasync_sqlite::SqliteError::Script { message }) => assert!(message.contains("already exists")),
        other => panic!("expected a script error, got {other:?}"),
    }
    assert!(matches!(
        schemasync_sqlite::load_sql("ATTACH 'x.db' AS x"),
        Err(schemasync_sqlite::SqliteError::Script { .. })
    ));
}
