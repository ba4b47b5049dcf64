//! TLS on a private MariaDB started with a CA and a certificate for
//! `localhost` of the test's own (the shared server's settings are never
//! changed): what each `ssl-mode` does, seen from the server (`Ssl_cipher`),
//! and which error a wrong CA, a wrong host name or a server without TLS gives.

mod common;

use common::run;
use schemasync_mysql::{MySqlConfig, MySqlConnection, MySqlError, TlsFailure, connect, create_database};
use schemasync_testkit::{PrivateMariaDb, TestCa, TestDir};

/// `mysql://root@<host>:<port>/tls_t?<params>` on the private server.
fn url(server: &PrivateMariaDb, host: &str, params: &str) -> String {
    format!("mysql://root@{host}:{}/tls_t?{params}", server.port())
}

async fn open(url: &str) -> Result<MySqlConnection, MySqlError> {
    connect(&MySqlConfig::parse(url).expect("test URL")).await
}

async fn cipher(url: &str) -> Option<String> {
    let mut conn = open(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    conn.tls_cipher().await.expect("read Ssl_cipher")
}

async fn failure(url: &str) -> MySqlError {
    open(url).await.err().unwrap_or_else(|| panic!("{url} connected"))
}

#[test]
fn ssl_modes_on_a_server_with_tls() {
    let Some(server) = PrivateMariaDb::start_tls(&[]) else { return };
    let ca = server.ca_path().expect("TLS server has a CA").display().to_string();
    let dir = TestDir::new();
    let wrong_ca = TestCa::new("not the server's CA").write(dir.root(), "wrong").display().to_string();
    run(async {
        let admin = MySqlConfig::parse(&url(&server, "127.0.0.1", "ssl-mode=disabled")).expect("url");
        assert!(create_database(&admin, None, None).await.expect("create database"));

        assert_eq!(cipher(&url(&server, "127.0.0.1", "ssl-mode=disabled")).await, None);
        for params in [
            String::new(),
            "ssl-mode=preferred".to_owned(),
            "ssl-mode=required".to_owned(),
            // verify_ca checks the chain only: 127.0.0.1 is not in the certificate.
            format!("ssl-mode=verify_ca&ssl-ca={ca}"),
            format!("ssl-mode=verify_identity&ssl-ca={ca}"),
        ] {
            let host = if params.contains("verify_identity") { "localhost" } else { "127.0.0.1" };
            let found = cipher(&url(&server, host, &params)).await;
            assert!(found.as_deref().is_some_and(|c| !c.is_empty()), "{params:?}: no cipher");
        }
        let err = failure(&url(&server, "127.0.0.1", &format!("ssl-mode=verify_identity&ssl-ca={ca}"))).await;
        assert!(matches!(err, MySqlError::Tls { failure: TlsFailure::HostnameMismatch, .. }), "{err:?}");
        assert!(err.to_string().contains("host name mismatch"), "{err}");
        for mode in ["verify_ca", "verify_identity"] {
            let params = format!("ssl-mode={mode}&ssl-ca={wrong_ca}");
            let err = failure(&url(&server, "localhost", &params).replacen("root@", "root:hunter2@", 1)).await;
            assert!(matches!(err, MySqlError::Tls { failure: TlsFailure::UnknownCa, .. }), "{mode}: {err:?}");
            let text = err.to_string();
            assert!(text.contains("unknown CA") && !text.contains("hunter2"), "{text}");
        }
        // Without ssl-ca only the built-in public roots are trusted.
        let err = failure(&url(&server, "localhost", "ssl-mode=verify_identity")).await;
        assert!(matches!(err, MySqlError::Tls { failure: TlsFailure::UnknownCa, .. }), "{err:?}");

        // A client certificate of the server's CA is accepted (an RSA key in
        // PKCS#8, which the driver only takes unwrapped), one of another CA
        // is refused by the server; an EC key is named before any connection.
        let client = |ca: &TestCa, stem: &str| {
            let (cert, key) = ca.issue_rsa(&["root"]).write(dir.root(), stem);
            format!("ssl-mode=required&ssl-cert={}&ssl-key={}", cert.display(), key.display())
        };
        let params = client(server.ca().expect("server CA"), "client");
        assert!(cipher(&url(&server, "127.0.0.1", &params)).await.is_some());
        let err = failure(&url(&server, "127.0.0.1", &client(&TestCa::new("other CA"), "other"))).await;
        assert!(matches!(err, MySqlError::Tls { failure: TlsFailure::Handshake, .. }), "{err:?}");
        let (ec_cert, ec_key) = TestCa::new("EC CA").issue(&["root"]).write(dir.root(), "client_ec");
        let params = format!("ssl-mode=required&ssl-cert={}&ssl-key={}", ec_cert.display(), ec_key.display());
        let err = failure(&url(&server, "127.0.0.1", &params)).await;
        assert!(matches!(err, MySqlError::TlsConfig { .. }) && err.to_string().contains("only RSA"), "{err}");
        let missing = dir.path("missing.pem");
        let err =
            failure(&url(&server, "127.0.0.1", &format!("ssl-mode=verify_ca&ssl-ca={}", missing.display()))).await;
        assert!(matches!(err, MySqlError::TlsConfig { .. }) && err.to_string().contains("missing.pem"), "{err}");
    });
}

#[test]
fn ssl_modes_on_a_server_without_tls() {
    let Some(server) = PrivateMariaDb::start(&[]) else { return };
    run(async {
        let admin = MySqlConfig::parse(&url(&server, "127.0.0.1", "")).expect("url");
        assert!(create_database(&admin, None, None).await.expect("create database"));
        assert_eq!(cipher(&url(&server, "127.0.0.1", "")).await, None, "preferred falls back to plain");
        for mode in ["required", "verify_identity"] {
            let err = failure(&url(&server, "127.0.0.1", &format!("ssl-mode={mode}"))).await;
            assert!(matches!(err, MySqlError::Tls { failure: TlsFailure::NotSupportedByServer, .. }), "{err:?}");
            assert!(err.to_string().contains("does not support TLS"), "{err}");
        }
    });
}
