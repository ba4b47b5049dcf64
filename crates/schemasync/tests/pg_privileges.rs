//! PostgreSQL owners and grants (opt-in) and schema selection, through the
//! library, checked against the server's own catalogs (`relacl`, owners)
//! rather than against schemasync's introspection.

use std::process::Command;

use schemasync::{EngineOptions, Location, Source, SqliteHistory, SyncOptions, Syncer, TargetStatus};
use schemasync_testkit::{Server, ServerDb, admin, unique_db_name};

/// Cluster-wide roles for one test, dropped afterwards (after the databases
/// that hold their objects, which the guards drop first).
struct Roles(Vec<String>);

impl Roles {
    fn create(prefix: &str, count: usize) -> Roles {
        let names: Vec<String> = (0..count).map(|i| format!("{}_{i}", unique_db_name(prefix))).collect();
        for name in &names {
            admin(Server::Postgres, &format!("CREATE ROLE \"{name}\"")).expect("create role");
        }
        Roles(names)
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = admin(Server::Postgres, &format!("DROP ROLE IF EXISTS \"{name}\""));
        }
    }
}

/// One query's rows, `|`-separated, through psql.
fn catalog(db: &ServerDb, sql: &str) -> String {
    let out = Command::new("psql").args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", db.url(), "-c", sql]).output();
    let out = out.expect("psql runs");
    assert!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Owners and ACLs of everything in schema `app`, in a stable order (ACL
/// items sorted: their order records the order of the grants, not rights).
fn privileges_of(db: &ServerDb) -> String {
    catalog(
        db,
        "SELECT 'rel', c.relname, c.relkind, pg_get_userbyid(c.relowner), coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(c.relacl) x), '-'),
                (SELECT string_agg(a.attname || '=' || (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) x), ',' ORDER BY a.attnum)
                 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL AND NOT a.attisdropped)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'app' AND c.relkind IN ('r', 'v', 'm', 'S')
         UNION ALL
         SELECT 'type', t.typname, t.typtype, pg_get_userbyid(t.typowner), coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(t.typacl) x), '-'), NULL
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'app' AND t.typtype IN ('d', 'e')
         UNION ALL
         SELECT 'proc', p.proname, p.prokind, pg_get_userbyid(p.proowner), coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(p.proacl) x), '-'), NULL
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'app'
         UNION ALL
         SELECT 'schema', n.nspname, '', pg_get_userbyid(n.nspowner), coalesce((SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(n.nspacl) x), '-'), NULL
         FROM pg_namespace n WHERE n.nspname = 'app'
         ORDER BY 1, 2",
    )
}

fn syncer(options: EngineOptions) -> Syncer<SqliteHistory> {
    Syncer::new(SqliteHistory::in_memory().expect("history")).with_engine_options(options)
}

/// Sync `source` to `target` and insist on a clean result and an empty re-diff.
fn sync(syncer: &mut Syncer<SqliteHistory>, source: &ServerDb, target: &ServerDb) -> String {
    let options = SyncOptions::default().create_missing(true).allow_destructive(true);
    let from = Source::Database(Location::parse(source.url()).unwrap());
    let to = Location::parse(target.url()).unwrap();
    let reports = syncer.sync(&from, std::slice::from_ref(&to), &options).expect("sync");
    let report = &reports[0];
    assert!(matches!(report.status, TargetStatus::Applied | TargetStatus::Unchanged), "{report:?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let wanted = syncer.resolve(&from, None).unwrap().schema;
    let again = syncer.plan(&wanted, "re-diff", &to, &options).unwrap();
    assert!(again.script.is_empty(), "re-diff not empty:\n{}", again.script.to_sql());
    report.statements.join(";\n")
}

#[test]
fn owners_and_grants_follow_the_source_when_asked_for() {
    let Some(source) = ServerDb::create(Server::Postgres, "priv_src") else { return };
    let Some(target) = ServerDb::reserve(Server::Postgres, "priv_dst") else { return };
    let roles = Roles::create("ss_role", 3);
    let [a, b, c] = [&roles.0[0], &roles.0[1], &roles.0[2]];
    source.exec(&format!(
        r#"CREATE SCHEMA app AUTHORIZATION "{a}";
        CREATE TABLE app.accounts (id int PRIMARY KEY, secret text, note text);
        ALTER TABLE app.accounts OWNER TO "{a}";
        GRANT SELECT ON app.accounts TO "{b}";
        GRANT UPDATE (secret, note) ON app.accounts TO "{c}" WITH GRANT OPTION;
        GRANT INSERT ON app.accounts TO PUBLIC;
        CREATE VIEW app.visible AS SELECT id FROM app.accounts;
        GRANT SELECT ON app.visible TO PUBLIC;
        CREATE MATERIALIZED VIEW app.counted AS SELECT count(*) AS n FROM app.accounts;
        ALTER MATERIALIZED VIEW app.counted OWNER TO "{b}";
        CREATE SEQUENCE app.ticket;
        GRANT USAGE ON SEQUENCE app.ticket TO "{b}";
        CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
        ALTER DOMAIN app.positive OWNER TO "{c}";
        CREATE TYPE app.mood AS ENUM ('ok', 'meh');
        GRANT USAGE ON TYPE app.mood TO "{b}";
        CREATE FUNCTION app.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
        GRANT EXECUTE ON FUNCTION app.answer() TO "{b}";
        CREATE PROCEDURE app.noop() LANGUAGE sql AS 'SELECT 1';
        ALTER PROCEDURE app.noop() OWNER TO "{c}";
        GRANT USAGE ON SCHEMA app TO "{b}";"#
    ));

    // Without the option nothing about roles travels, and nothing is planned for it.
    let mut plain = syncer(EngineOptions::default());
    let script = sync(&mut plain, &source, &target);
    assert!(!script.contains("GRANT") && !script.contains("OWNER"), "{script}");
    assert!(catalog(&target, "SELECT c.relacl FROM pg_class c WHERE c.relname = 'accounts'").trim().is_empty());

    // With it, the target's catalogs say the same as the source's.
    let mut with = syncer(EngineOptions::default().privileges(true));
    let script = sync(&mut with, &source, &target);
    assert!(script.contains("GRANT UPDATE (\"secret\", \"note\") ON TABLE \"app\".\"accounts\""), "{script}");
    assert_eq!(privileges_of(&target), privileges_of(&source));

    // Revoke, re-grant with a different option, change owners: all converge.
    source.exec(&format!(
        r#"REVOKE SELECT ON app.accounts FROM "{b}";
        REVOKE UPDATE (note) ON app.accounts FROM "{c}";
        GRANT SELECT ON app.visible TO "{c}" WITH GRANT OPTION;
        ALTER TABLE app.accounts OWNER TO "{b}";
        ALTER TYPE app.mood OWNER TO "{a}";
        REVOKE USAGE ON SCHEMA app FROM "{b}";
        ALTER TABLE app.accounts DROP COLUMN secret;"#
    ));
    let script = sync(&mut with, &source, &target);
    assert!(script.contains("REVOKE SELECT ON TABLE \"app\".\"accounts\""), "{script}");
    assert_eq!(privileges_of(&target), privileges_of(&source));
}

#[test]
fn schema_selection_reads_only_the_chosen_schemas() {
    let Some(source) = ServerDb::create(Server::Postgres, "scope_src") else { return };
    let Some(target) = ServerDb::reserve(Server::Postgres, "scope_dst") else { return };
    source.exec(
        "CREATE SCHEMA app; CREATE SCHEMA audit; CREATE SCHEMA scratch;
         CREATE TABLE app.users (id int PRIMARY KEY);
         CREATE TABLE audit.log (id int PRIMARY KEY, user_id int REFERENCES app.users (id));
         CREATE TABLE scratch.tmp (x int);",
    );
    let mut only_app = syncer(EngineOptions::default().include_schemas(["app"]));
    sync(&mut only_app, &source, &target);
    let tables = catalog(
        &target,
        "SELECT table_schema || '.' || table_name FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    assert_eq!(tables.trim(), "app.users");

    // Excluding a schema leaves it alone on the target too: nothing there is dropped.
    target.exec("CREATE SCHEMA scratch; CREATE TABLE scratch.keep_me (y int);");
    let mut no_scratch = syncer(EngineOptions::default().exclude_schemas(["scratch"]));
    sync(&mut no_scratch, &source, &target);
    let tables = catalog(
        &target,
        "SELECT table_schema || '.' || table_name FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    assert_eq!(tables.trim().lines().collect::<Vec<_>>(), ["app.users", "audit.log", "scratch.keep_me"]);
}
