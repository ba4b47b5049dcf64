//! TLS against the real server (`ssl=on`, a certificate for `localhost`):
//! what each `sslmode` does, seen from the server (`pg_stat_ssl`), and which
//! error a wrong CA or a wrong host name gives.

mod common;

use std::path::PathBuf;

use common::TestDb;
use schemasync_postgres::{PgConfig, PgConnection, PostgresError, TlsFailure, connect};
use schemasync_testkit::{TestCa, TestDir};

/// The test database's URL with `host` instead of the server's and `params` added.
fn url(db: &TestDb, host: &str, params: &str) -> String {
    let base = schemasync_testkit::with_database(&schemasync_testkit::postgres_url(), db.config.database());
    let (server_host, _) = db.config.host_key();
    let base = base.replacen(&format!("@{server_host}:"), &format!("@{host}:"), 1);
    let sep = if base.contains('?') { '&' } else { '?' };
    if params.is_empty() { base } else { format!("{base}{sep}{params}") }
}

/// `url` with a password in its user-info (a user of its own when it has none).
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    match rest.split_once('@') {
        Some((user, host)) => format!("{scheme}://{}:{password}@{host}", user.split(':').next().unwrap_or(user)),
        None => format!("{scheme}://postgres:{password}@{rest}"),
    }
}

async fn encrypted(conn: &PgConnection) -> bool {
    let row = conn
        .client()
        .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
        .await
        .expect("read pg_stat_ssl");
    row.get(0)
}

async fn connect_url(url: &str) -> Result<PgConnection, PostgresError> {
    connect(&PgConfig::parse(url).expect("test URL")).await
}

/// The server's own certificate (self-signed here), to trust as the root.
async fn server_certificate(db: &TestDb) -> Option<PathBuf> {
    let conn = db.conn().await;
    let row = conn.client().query_one("SHOW ssl_cert_file", &[]).await.expect("SHOW ssl_cert_file");
    let path = PathBuf::from(row.get::<_, String>(0));
    match std::fs::read(&path) {
        Ok(_) => Some(path),
        Err(e) => schemasync_testkit::skip(&format!(
            "cannot read the server's certificate {} ({e}): verify-* tests not run",
            path.display()
        )),
    }
}

#[tokio::test]
async fn default_and_require_encrypt_and_disable_does_not() {
    let Some(db) = TestDb::new("pg_tls_modes").await else { return };
    for (params, want) in [
        ("", true),
        ("sslmode=prefer", true),
        ("sslmode=require", true),
        ("sslmode=allow", false),
        ("sslmode=disable", false),
    ] {
        let conn = connect_url(&url(&db, "127.0.0.1", params)).await.unwrap_or_else(|e| panic!("{params}: {e}"));
        assert_eq!(encrypted(&conn).await, want, "{params:?}");
    }
}

#[tokio::test]
async fn verify_full_and_verify_ca_with_the_right_root() {
    let Some(db) = TestDb::new("pg_tls_verify").await else { return };
    let Some(root) = server_certificate(&db).await else { return };
    let root = root.display().to_string();
    for (host, mode) in [
        ("localhost", "verify-full"),
        ("localhost", "verify-ca"),
        // verify-ca does not check the name; require with a root behaves as verify-ca.
        ("127.0.0.1", "verify-ca"),
        ("127.0.0.1", "require"),
    ] {
        let conn = connect_url(&url(&db, host, &format!("sslmode={mode}&sslrootcert={root}")))
            .await
            .unwrap_or_else(|e| panic!("{mode} to {host}: {e}"));
        assert!(encrypted(&conn).await, "{mode} to {host}");
    }
}

#[tokio::test]
async fn a_wrong_ca_is_reported_as_unknown_ca() {
    let Some(db) = TestDb::new("pg_tls_wrong_ca").await else { return };
    let dir = TestDir::new();
    let wrong = TestCa::new("not the server's CA").write(dir.root(), "wrong");
    for mode in ["verify-full", "verify-ca", "require"] {
        let target = url(&db, "localhost", &format!("sslmode={mode}&sslrootcert={}", wrong.display()));
        let target = with_password(&target, "hunter2");
        let err = connect_url(&target).await.err().unwrap_or_else(|| panic!("{mode} with a wrong CA connected"));
        assert!(matches!(err, PostgresError::Tls { failure: TlsFailure::UnknownCa, .. }), "{mode}: {err:?}");
        let text = err.to_string();
        assert!(text.contains("unknown CA") && !text.contains("hunter2"), "{text}");
    }
}

#[tokio::test]
async fn system_roots_load_and_imply_verify_full() {
    let Some(db) = TestDb::new("pg_tls_system").await else { return };
    // The platform store is read (an empty one would be a TlsConfig error),
    // and the name is checked (sslrootcert=system implies verify-full):
    // whether this machine's store trusts the server's certificate (Debian
    // links its snakeoil certificate into /etc/ssl/certs) or not, 127.0.0.1
    // is refused.
    let err = connect_url(&url(&db, "127.0.0.1", "sslrootcert=system")).await.expect_err("connected to 127.0.0.1");
    assert!(
        matches!(err, PostgresError::Tls { failure: TlsFailure::UnknownCa | TlsFailure::HostnameMismatch, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wrong_host_name_is_reported_as_such() {
    let Some(db) = TestDb::new("pg_tls_wrong_host").await else { return };
    let Some(root) = server_certificate(&db).await else { return };
    // The certificate names `localhost`, not 127.0.0.1.
    let err = connect_url(&url(&db, "127.0.0.1", &format!("sslmode=verify-full&sslrootcert={}", root.display())))
        .await
        .expect_err("verify-full to 127.0.0.1 connected with a certificate for localhost");
    assert!(matches!(err, PostgresError::Tls { failure: TlsFailure::HostnameMismatch, .. }), "{err:?}");
    assert!(err.to_string().contains("host name mismatch"), "{err}");
}

#[tokio::test]
async fn client_certificates_are_read_and_bad_files_are_named() {
    let Some(db) = TestDb::new("pg_tls_client_cert").await else { return };
    let dir = TestDir::new();
    let ca = TestCa::new("client CA");
    let (cert, key) = ca.issue(&["postgres"]).write(dir.root(), "client");
    // The server asks for no client certificate: offering one still connects.
    let conn = connect_url(&url(
        &db,
        "127.0.0.1",
        &format!("sslmode=require&sslcert={}&sslkey={}", cert.display(), key.display()),
    ))
    .await
    .expect("connect with a client certificate");
    assert!(encrypted(&conn).await);
    // A key file that holds no key, and a missing root file, are named in the error.
    let bad_key = dir.file("bad.key", "not a key");
    let err = connect_url(&url(
        &db,
        "127.0.0.1",
        &format!("sslmode=require&sslcert={}&sslkey={}", cert.display(), bad_key.display()),
    ))
    .await
    .expect_err("a bad key connected");
    assert!(matches!(err, PostgresError::TlsConfig { .. }) && err.to_string().contains("bad.key"), "{err}");
    let missing = dir.path("missing.pem");
    let err = connect_url(&url(&db, "localhost", &format!("sslmode=verify-full&sslrootcert={}", missing.display())))
        .await
        .expect_err("a missing root file connected");
    assert!(matches!(err, PostgresError::TlsConfig { .. }) && err.to_string().contains("missing.pem"), "{err}");
}
