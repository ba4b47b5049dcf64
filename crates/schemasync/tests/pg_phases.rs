//! PostgreSQL statements that run outside the one transaction: enum labels
//! the plan itself uses (committed first), and online plans (indexes built
//! concurrently, constraints validated after the commit). Each test checks
//! the server's catalogs and ends with an empty re-diff.

use std::process::Command;

use schemasync::{
    HistoryStore, Location, Schema, Source, SqliteHistory, SyncOptions, Syncer, TargetReport, TargetStatus, VersionKind,
};
use schemasync_testkit::{Server, ServerDb};

fn catalog(db: &ServerDb, sql: &str) -> String {
    let out = Command::new("psql").args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", db.url(), "-c", sql]).output();
    let out = out.expect("psql runs");
    assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

struct Pair {
    source: ServerDb,
    target: ServerDb,
    syncer: Syncer<SqliteHistory>,
}

impl Pair {
    fn new(prefix: &str, source_sql: &str, target_sql: &str) -> Option<Pair> {
        let source = ServerDb::create(Server::Postgres, &format!("{prefix}_src"))?;
        let target = ServerDb::create(Server::Postgres, &format!("{prefix}_dst"))?;
        source.exec(source_sql);
        target.exec(target_sql);
        Some(Pair { source, target, syncer: Syncer::new(SqliteHistory::in_memory().expect("history")) })
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
}

const MOOD_V1: &str = "CREATE TYPE mood AS ENUM ('sad', 'ok');
    CREATE TABLE person (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'ok');
    INSERT INTO person VALUES (1, 'sad');";

#[test]
fn an_enum_label_the_plan_uses_is_committed_before_the_transaction() {
    let source = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE person (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'happy',
                             CONSTRAINT not_sad CHECK (m <> 'sad' OR id < 100));
        CREATE VIEW happy_people AS SELECT id FROM person WHERE m = 'happy';";
    let Some(mut pair) = Pair::new("enum_use", source, MOOD_V1) else { return };
    let options = SyncOptions::default();
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert!(report.statements[0].starts_with("ALTER TYPE \"public\".\"mood\" ADD VALUE 'happy'"), "{report:?}");
    assert!(
        report.hazards.iter().any(|h| h.message.contains("added and committed before the transaction")),
        "{report:?}"
    );
    assert_eq!(catalog(&pair.target, "SELECT enum_range(NULL::mood)::text"), "{sad,ok,happy}");
    assert_eq!(catalog(&pair.target, "SELECT count(*) FROM happy_people"), "0");
    pair.assert_converged(&options);
}

#[test]
fn an_enum_label_added_without_being_used_stays_inside_the_transaction() {
    let source = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE person (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'ok', note text);";
    let Some(mut pair) = Pair::new("enum_plain", source, MOOD_V1) else { return };
    let options = SyncOptions::default();
    let plan = pair.syncer.plan(&pair.wanted(), "source", &pair.target(), &options).unwrap();
    assert!(plan.script.statements.iter().all(|s| s.transactional), "{}", plan.script.to_sql());
    let report = pair.syncer.apply(&plan, &options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    pair.assert_converged(&options);
}

#[test]
fn a_failure_after_committed_labels_is_recorded_and_a_second_sync_finishes() {
    // The new check fails on the existing row, after 'happy' was committed.
    let source = "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE person (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'happy',
                             CONSTRAINT never_sad CHECK (m <> 'sad'));";
    let Some(mut pair) = Pair::new("enum_fail", source, MOOD_V1) else { return };
    // The row checks find it before anything runs...
    let refused = pair.sync(&SyncOptions::default());
    assert_eq!(refused.status, TargetStatus::Refused, "{refused:?}");
    assert!(refused.error.as_deref().unwrap_or("").contains("check never_sad"), "{refused:?}");
    assert_eq!(catalog(&pair.target, "SELECT enum_range(NULL::mood)::text"), "{sad,ok}", "nothing ran");
    // ... without them, the committed label stays and the rest rolls back.
    let options = SyncOptions::default().skip_row_checks(true);
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Failed, "{report:?}");
    let error = report.error.clone().unwrap_or_default();
    assert!(error.contains("never_sad") && error.contains("1 statement(s) had already run"), "{error}");
    assert!(report.warnings.iter().any(|w| w.contains("failed attempt is recorded")), "{report:?}");
    // The label stays (it was committed); the rest was rolled back.
    assert_eq!(catalog(&pair.target, "SELECT enum_range(NULL::mood)::text"), "{sad,ok,happy}");
    assert_eq!(
        catalog(&pair.target, "SELECT column_default FROM information_schema.columns WHERE column_name = 'm'"),
        "'ok'::mood"
    );
    let key = pair.syncer.database_key(&pair.target()).unwrap();
    let kinds: Vec<VersionKind> = pair.syncer.history().list(&key).unwrap().iter().map(|v| v.kind).collect();
    assert_eq!(kinds, [VersionKind::Baseline, VersionKind::Failed]);

    pair.target.exec("DELETE FROM person WHERE m = 'sad'");
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert!(report.statements.iter().all(|s| !s.contains("ADD VALUE")), "{report:?}");
    pair.assert_converged(&options);
}

const SHOP: &str = "CREATE TABLE customer (id int PRIMARY KEY);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int, total numeric);
    INSERT INTO customer VALUES (1); INSERT INTO orders VALUES (10, 1, 5);";

const SHOP_WANTED: &str = "CREATE TABLE customer (id int PRIMARY KEY);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int
                         CONSTRAINT orders_customer_fk REFERENCES customer (id),
                         total numeric CONSTRAINT total_positive CHECK (total > 0));
    CREATE INDEX orders_customer ON orders (customer_id);";

fn online() -> SyncOptions {
    let mut options = SyncOptions::default();
    options.diff.online = true;
    options
}

#[test]
fn online_constraints_are_added_not_valid_and_validated_after_the_commit() {
    let Some(mut pair) = Pair::new("online_ok", SHOP_WANTED, SHOP) else { return };
    let options = online();
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    let script = report.statements.join(";\n");
    assert!(script.contains("CHECK ((total > (0)::numeric)) NOT VALID"), "{script}");
    assert!(script.contains("REFERENCES \"public\".\"customer\" (\"id\") NOT VALID"), "{script}");
    // Statements are listed in the order they run: the transaction's first.
    let tail: Vec<&str> = report.statements.iter().rev().take(3).map(String::as_str).collect();
    assert!(tail.iter().any(|s| s.starts_with("CREATE INDEX CONCURRENTLY")), "{script}");
    assert!(tail.iter().filter(|s| s.contains("VALIDATE CONSTRAINT")).count() == 2, "{script}");
    assert_eq!(
        catalog(
            &pair.target,
            "SELECT string_agg(conname || '=' || convalidated::text, ',' ORDER BY conname) FROM pg_constraint WHERE contype IN ('c', 'f') AND conrelid <> 0"
        ),
        "orders_customer_fk=true,total_positive=true"
    );
    pair.assert_converged(&options);
}

#[test]
fn a_failed_online_validation_leaves_the_constraint_not_valid_and_a_second_sync_finishes() {
    let Some(mut pair) = Pair::new("online_fail", SHOP_WANTED, SHOP) else { return };
    pair.target.exec("INSERT INTO orders VALUES (11, 999, 1)");
    let options = online();
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Failed, "{report:?}");
    let error = report.error.clone().unwrap_or_default();
    assert!(error.contains("orders_customer_fk") && error.contains("statement(s) had already run"), "{error}");
    assert_eq!(
        catalog(&pair.target, "SELECT convalidated::text FROM pg_constraint WHERE conname = 'orders_customer_fk'"),
        "false"
    );

    pair.target.exec("DELETE FROM orders WHERE customer_id = 999");
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    pair.assert_converged(&options);
    assert_eq!(
        catalog(
            &pair.target,
            "SELECT string_agg(conname || '=' || convalidated::text, ',' ORDER BY conname) FROM pg_constraint WHERE contype IN ('c', 'f') AND conrelid <> 0"
        ),
        "orders_customer_fk=true,total_positive=true"
    );
}

#[test]
fn a_comment_on_a_kept_materialized_view_names_it_as_one() {
    let base = "CREATE TABLE t (x int); CREATE MATERIALIZED VIEW mv AS SELECT x FROM t;";
    let Some(mut pair) =
        Pair::new("mv_comment", &format!("{base} COMMENT ON MATERIALIZED VIEW mv IS 'counted';"), base)
    else {
        return;
    };
    let options = SyncOptions::default();
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert_eq!(catalog(&pair.target, "SELECT obj_description('mv'::regclass, 'pg_class')"), "counted");
    pair.assert_converged(&options);
}

const MOODS: &str = "CREATE SCHEMA app;
    CREATE TYPE app.mood AS ENUM (LABELS);
    CREATE TABLE app.person (id int PRIMARY KEY, m app.mood NOT NULL DEFAULT 'ok',
                             history app.mood[] DEFAULT '{}',
                             CONSTRAINT cheerful CHECK (m <> 'meh' OR id > 10));
    CREATE INDEX person_m ON app.person (m);
    CREATE INDEX person_ok ON app.person (id) WHERE m = 'ok';
    CREATE VIEW app.content AS SELECT id, m FROM app.person WHERE m >= 'ok';
    CREATE VIEW app.content_ids AS SELECT id FROM app.content;
    CREATE FUNCTION app.describe(x app.mood) RETURNS text LANGUAGE sql AS 'SELECT x::text';
    CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS
        'BEGIN NEW.m := coalesce(NEW.m, ''ok''::app.mood); RETURN NEW; END';
    CREATE TRIGGER person_touch BEFORE INSERT ON app.person FOR EACH ROW EXECUTE FUNCTION app.touch();";

fn moods(labels: &str) -> String {
    MOODS.replace("LABELS", labels)
}

#[test]
fn removing_and_reordering_enum_labels_recreates_the_type_under_its_dependents() {
    let Some(mut pair) =
        Pair::new("enum_relabel", &moods("'meh', 'ok', 'happy'"), &moods("'sad', 'ok', 'meh', 'happy'"))
    else {
        return;
    };
    pair.target.exec("INSERT INTO app.person VALUES (1, 'ok', '{ok,happy}'), (20, 'meh', NULL)");
    let options = SyncOptions::default().allow_destructive(true);
    let report = pair.sync(&options);
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert_eq!(catalog(&pair.target, "SELECT enum_range(NULL::app.mood)::text"), "{meh,ok,happy}");
    assert_eq!(
        catalog(
            &pair.target,
            "SELECT string_agg(id || ':' || m || ':' || coalesce(history::text, '-'), ',' ORDER BY id) FROM app.person"
        ),
        "1:ok:{ok,happy},20:meh:-"
    );
    // In the new order meh < ok: the view sees only the ok row.
    assert_eq!(catalog(&pair.target, "SELECT count(*) FROM app.content_ids"), "1");
    pair.assert_converged(&options);

    // A removed label is no data loss: a row holding it fails the apply
    // (see the next test), so no --allow-destructive is needed.
    pair.source.exec("ALTER TYPE app.mood RENAME VALUE 'meh' TO 'fine'");
    pair.target.exec("DELETE FROM app.person WHERE m = 'meh'");
    let report = pair.sync(&SyncOptions::default());
    assert_eq!(report.status, TargetStatus::Applied, "{report:?}");
    assert!(report.hazards.iter().any(|h| h.message.contains("without labels meh")), "{report:?}");
    assert_eq!(catalog(&pair.target, "SELECT enum_range(NULL::app.mood)::text"), "{fine,ok,happy}");
    pair.assert_converged(&SyncOptions::default());
}

#[test]
fn a_row_holding_a_removed_label_fails_the_whole_apply() {
    let Some(mut pair) = Pair::new("enum_removed", &moods("'ok', 'meh'"), &moods("'sad', 'ok', 'meh'")) else {
        return;
    };
    pair.target.exec("INSERT INTO app.person VALUES (1, 'sad', NULL)");
    let before = catalog(&pair.target, "SELECT enum_range(NULL::app.mood)::text");
    let report = pair.sync(&SyncOptions::default().allow_destructive(true));
    assert_eq!(report.status, TargetStatus::Failed, "{report:?}");
    assert!(report.error.as_deref().unwrap_or_default().contains("sad"), "{report:?}");
    assert_eq!(catalog(&pair.target, "SELECT enum_range(NULL::app.mood)::text"), before);
    // The view is still there (sad sorts before ok, so it shows no row).
    assert_eq!(catalog(&pair.target, "SELECT count(*) FROM app.content"), "0");
}
