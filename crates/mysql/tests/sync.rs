//! Plans between two real databases: the target is brought to the source
//! with `schemasync_diff` + `schemasync_emit` + this crate's `apply`, then
//! read again, which must give the source's schema and an empty new plan.

mod common;

use common::{TestDb, run};
use mysql_async::prelude::Queryable;
use schemasync_diff::{DiffOptions, diff};
use schemasync_model::{QualifiedName, Schema, Script};
use schemasync_mysql::ApplyOptions;

/// Create `source_sql` and `target_sql` in two fresh databases, sync the
/// target to the source, and check convergence. Returns the applied script
/// and the target's database, or `None` when no server answers.
async fn sync(prefix: &str, source_sql: &str, target_sql: &str, options: &DiffOptions) -> Option<(Script, TestDb)> {
    let source = TestDb::new(&format!("{prefix}_src")).await?;
    source.exec(source_sql).await;
    let wanted = source.introspect().await.schema;
    let target = TestDb::new(&format!("{prefix}_dst")).await?;
    target.exec(target_sql).await;
    let current = target.introspect().await.schema;
    let plan = diff(&current, &wanted, options).expect("diff");
    let script = schemasync_emit::emit_plan(&plan).expect("emit");
    let mut conn = target.connect().await;
    conn.apply(&script, Some(&current.content_hash()), &ApplyOptions::default(), &mut |_| {})
        .await
        .unwrap_or_else(|e| panic!("apply failed: {e}\n\nscript:\n{}", script.to_sql()));
    let after = target.introspect().await.schema;
    assert_eq!(after.to_pretty_json(), wanted.to_pretty_json(), "script:\n{}", script.to_sql());
    let residue = diff(&after, &wanted, &DiffOptions::default()).expect("re-diff");
    assert!(residue.changes.is_empty(), "a second plan: {:?}\n\nscript:\n{}", residue.changes, script.to_sql());
    Some((script, target))
}

fn column_names(schema: &Schema, table: &str) -> Vec<String> {
    schema.tables[&QualifiedName::bare(table)].columns.iter().map(|c| c.name.clone()).collect()
}

#[test]
fn column_order_follows_the_source_and_rows_survive() {
    run(async {
        let target_sql = "CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(10), c int, d int, gone int);
            INSERT INTO t VALUES (1, 10, 'x', 30, 40, 0), (2, 11, 'y', 31, 41, 0);";
        // `d` goes first, `c` changes type and moves behind `id`, `n` is new.
        let source_sql = "CREATE TABLE t (d int, id int PRIMARY KEY, c bigint, a int, n int DEFAULT 7, b varchar(10));";
        let Some((script, target)) = sync("colorder", source_sql, target_sql, &DiffOptions::default()).await else {
            return;
        };
        let sql = script.to_sql();
        assert!(sql.contains("MODIFY COLUMN `d` int(11) NULL FIRST"), "{sql}");
        assert!(sql.contains("MODIFY COLUMN `c` bigint(20) NULL AFTER `id`"), "{sql}");
        assert_eq!(script.statements.len(), 1, "one ALTER TABLE:\n{sql}");
        let after = target.introspect().await.schema;
        assert_eq!(column_names(&after, "t"), ["d", "id", "c", "a", "n", "b"]);
        let mut conn = target.raw().await;
        let rows: Vec<(i32, i32, i64, i32, i32, String)> =
            conn.query("SELECT d, id, c, a, n, b FROM t ORDER BY id").await.expect("rows");
        assert_eq!(rows, [(40, 1, 30, 10, 7, "x".to_owned()), (41, 2, 31, 11, 7, "y".to_owned())]);
        conn.disconnect().await.expect("disconnect");
    });
}

#[test]
fn moves_name_renamed_columns_by_their_new_names() {
    run(async {
        let target_sql = "CREATE TABLE t (a int, old int, b int, c int, x int, y int);";
        let source_sql = "CREATE TABLE t (a int, renamed int, c int, b int, y2 int, x int);";
        let mut options = DiffOptions::default();
        options.column_renames = vec![
            (QualifiedName::bare("t"), "old".into(), "renamed".into()),
            (QualifiedName::bare("t"), "y".into(), "y2".into()),
        ];
        let Some((script, _target)) = sync("colrename", source_sql, target_sql, &options).await else { return };
        let sql = script.to_sql();
        assert!(sql.contains("RENAME COLUMN `old` TO `renamed`"), "{sql}");
        assert!(sql.contains("AFTER `renamed`"), "{sql}");
        assert!(sql.contains("CHANGE COLUMN `y` `y2` int(11) NULL AFTER"), "{sql}");
    });
}

/// `CREATE TRIGGER` for `p` that appends `digit` to `NEW.a`, so a row's `a`
/// spells the firing order.
fn digit_trigger(name: &str, digit: u32, placement: &str) -> String {
    format!(
        "CREATE TRIGGER {name} BEFORE INSERT ON p FOR EACH ROW {placement} SET NEW.a = COALESCE(NEW.a, 0) * 10 + {digit};\n"
    )
}

async fn fired(db: &TestDb) -> i64 {
    let mut conn = db.raw().await;
    conn.query_drop("INSERT INTO p (id) VALUES (1)").await.expect("insert");
    let a: Option<i64> = conn.query_first("SELECT a FROM p WHERE id = 1").await.expect("select");
    conn.disconnect().await.expect("disconnect");
    a.expect("a row")
}

#[test]
fn trigger_firing_order_follows_the_source() {
    run(async {
        let table = "CREATE TABLE p (id int PRIMARY KEY, a bigint);\n";
        let target_sql = [
            table.to_owned(),
            digit_trigger("t1", 1, ""),
            digit_trigger("t2", 2, ""),
            digit_trigger("t3", 3, ""),
            digit_trigger("t9", 9, ""),
        ]
        .concat();
        // t2 moves first, t4 is new between t1 and t3, t9 goes.
        let source_sql = [
            table.to_owned(),
            digit_trigger("t1", 1, ""),
            digit_trigger("t3", 3, ""),
            digit_trigger("t2", 2, "PRECEDES t1"),
            digit_trigger("t4", 4, "FOLLOWS t1"),
        ]
        .concat();
        let Some((script, target)) = sync("trgorder", &source_sql, &target_sql, &DiffOptions::default()).await else {
            return;
        };
        let sql = script.to_sql();
        assert!(sql.contains("DROP TRIGGER `t9`"), "{sql}");
        assert!(sql.contains("DROP TRIGGER `t2`"), "{sql}");
        assert!(sql.contains("FOR EACH ROW PRECEDES `t1` SET"), "{sql}");
        assert!(sql.contains("FOR EACH ROW FOLLOWS `t1` SET"), "{sql}");
        assert!(!sql.contains("`t1` BEFORE") && !sql.contains("`t3` BEFORE"), "t1 and t3 stay:\n{sql}");
        assert_eq!(fired(&target).await, 2143);
    });
}

#[test]
fn primary_keys_with_prefixes_and_desc_parts_converge_both_ways() {
    run(async {
        let target_sql = "CREATE TABLE k (a int NOT NULL, b varchar(50) NOT NULL, PRIMARY KEY (a, b));
            CREATE TABLE j (a int NOT NULL, b varchar(20) NOT NULL, PRIMARY KEY (a DESC, b(5)));
            CREATE TABLE m (a int NOT NULL, b varchar(20) NOT NULL, PRIMARY KEY (a DESC, b(5)));";
        let source_sql = "CREATE TABLE k (a int NOT NULL, b varchar(50) NOT NULL, PRIMARY KEY (a DESC, b(10)));
            CREATE TABLE j (a int NOT NULL, b varchar(20) NOT NULL, PRIMARY KEY (a, b));
            CREATE TABLE m (a int NOT NULL, b varchar(20) NOT NULL, PRIMARY KEY (a, b(7)) COMMENT 'x');";
        let Some((script, _target)) = sync("pkparts", source_sql, target_sql, &DiffOptions::default()).await else {
            return;
        };
        let sql = script.to_sql();
        assert!(sql.contains("ADD PRIMARY KEY (`a` DESC, `b`(10))"), "{sql}");
        assert!(sql.contains("ADD PRIMARY KEY (`a`, `b`(7)) COMMENT 'x'"), "{sql}");
        assert!(sql.contains("ALTER TABLE `j` DROP PRIMARY KEY"), "{sql}");
    });
}
