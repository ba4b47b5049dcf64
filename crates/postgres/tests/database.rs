//! Creating databases, reading `.sql` files, connection errors, hostile names.

mod common;

use common::{TestDb, public};
use schemasync_model::QualifiedName;
use schemasync_postgres::{
    ApplyOptions, IntrospectOptions, PgConfig, PostgresError, connect, create_database, database_exists, load_sql,
};

#[tokio::test]
async fn create_and_check_databases() {
    let Some(db) = TestDb::new("pg_create").await else { return };
    assert!(database_exists(&db.config).await.unwrap());
    // Already there: not an error, just not created.
    assert!(!create_database(&db.config).await.unwrap());
    let missing = db.config.with_database(&schemasync_testkit::unique_db_name("pg_missing"));
    assert!(!database_exists(&missing).await.unwrap());
    let err = connect(&missing).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains(missing.database()) && text.contains("does not exist"), "{text}");
}

#[tokio::test]
async fn creates_a_database_with_an_odd_name() {
    let Some(db) = TestDb::new("pg_odd_name").await else { return };
    let odd = db.config.with_database(&format!("{} \"x\"; -- y", db.config.database()));
    let guard = TestDb { config: odd.clone() };
    assert!(create_database(&odd).await.unwrap());
    assert!(database_exists(&odd).await.unwrap());
    drop(guard);
    assert!(!database_exists(&odd).await.unwrap());
}

#[tokio::test]
async fn load_sql_reads_a_script_exactly_and_cleans_up() {
    let Some(db) = TestDb::new("pg_load").await else { return };
    let found = load_sql(
        &db.config,
        "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL DEFAULT '');
         CREATE INDEX users_email ON users (lower(email));",
        &IntrospectOptions::default(),
    )
    .await
    .unwrap();
    let users = &found.schema.tables[&public("users")];
    assert_eq!(users.columns[1].default.as_deref(), Some("''::text"));
    assert!(users.indexes.contains_key("users_email"));
    let err = load_sql(&db.config, "CREATE TABLE a (id int); CREATE TABLE a (id int);", &IntrospectOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(&err, PostgresError::Script { message } if message.contains("already exists")), "{err}");
    let conn = db.conn().await;
    let rows = conn
        .client()
        .query(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'schemasync_scratch_' || $1 || '_%'",
            &[&std::process::id().to_string()],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 0, "scratch databases were left behind");
}

#[tokio::test]
async fn hostile_identifiers_round_trip() {
    let Some(db) = TestDb::new("pg_inject").await else { return };
    let name = "a\"b; DROP TABLE x";
    let q = |s: &str| schemasync_model::Dialect::Postgres.quote_ident(s);
    db.exec(&format!(
        "CREATE TABLE public.x (id int);
         CREATE SCHEMA {schema};
         CREATE TABLE {schema}.{table} ({col} int CHECK ({col} > 0), \"it's\" text DEFAULT 'it''s');
         CREATE INDEX {idx} ON {schema}.{table} ({col});
         COMMENT ON TABLE {schema}.{table} IS 'it''s; DROP TABLE x';",
        schema = q("s; DROP"),
        table = q(name),
        col = q("c\"ol"),
        idx = q("i\"dx"),
    ))
    .await;
    let conn = db.conn().await;
    let schema = conn.introspect(&IntrospectOptions::default()).await.unwrap().schema;
    let key = QualifiedName::new(Some("s; DROP"), name);
    let table = &schema.tables[&key];
    assert_eq!(table.columns[0].name, "c\"ol");
    assert_eq!(table.columns[1].default.as_deref(), Some("'it''s'::text"));
    assert_eq!(table.checks[0].expr, "(\"c\"\"ol\" > 0)");
    assert!(table.indexes.contains_key("i\"dx"));
    assert_eq!(table.comment.as_deref(), Some("it's; DROP TABLE x"));
    assert!(schema.tables.contains_key(&public("x")));
    // The same names written back by quoting produce the same objects.
    let copy = TestDb::new("pg_inject_copy").await.unwrap();
    let mut target = copy.conn().await;
    let mut script = schemasync_model::Script::new(schemasync_model::Dialect::Postgres);
    for sql in [
        format!("CREATE SCHEMA {}", q("s; DROP")),
        format!("CREATE TABLE {} ({} int)", schemasync_model::Dialect::Postgres.quote_qualified(&key), q("c\"ol")),
    ] {
        script.statements.push(schemasync_model::Statement::new(sql));
    }
    target.apply(&script, None, &ApplyOptions::default()).await.unwrap();
    let copied = copy.schema().await;
    assert_eq!(copied.tables[&key].columns[0].name, "c\"ol");
}

// With TLS built in, crates/postgres/tests/tls.rs covers sslmode=require.
#[cfg(not(feature = "tls"))]
#[tokio::test]
async fn tls_required_is_a_clear_error() {
    let config = PgConfig::parse("postgres://u:secret@127.0.0.1:5432/db?sslmode=require").unwrap();
    let err = connect(&config).await.unwrap_err();
    assert!(matches!(err, PostgresError::TlsUnavailable { .. }));
    assert!(!err.to_string().contains("secret"));
}

#[tokio::test]
async fn connection_errors_name_the_server_not_the_password() {
    // Port 1 on localhost: nothing listens there.
    let config = PgConfig::parse("postgres://u:hunter2@127.0.0.1:1/db").unwrap();
    let err = connect(&config).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("127.0.0.1:1") && text.contains("db"), "{text}");
    assert!(!text.contains("hunter2"));
}
