//! TLS failures through the binary: a wrong CA or a wrong host name exits 2
//! with a message that says which, and never shows the password.

mod common;

use common::run;
use schemasync_testkit::{PrivateMariaDb, Server, ServerDb, TestCa, TestDir};

/// The test server's database URL with `host`, a password, and `params`.
fn postgres(db: &ServerDb, host: &str, params: &str) -> String {
    let url = db.url();
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (user, rest) = rest.split_once('@').unwrap_or(("postgres", rest));
    let user = user.split(':').next().unwrap_or(user);
    let after_host = rest.find([':', '/']).unwrap_or(rest.len());
    let sep = if rest.contains('?') { '&' } else { '?' };
    format!("{scheme}://{user}:hunter2@{host}{}{sep}{params}", &rest[after_host..])
}

fn assert_exit_2(history: &std::path::Path, url: &str, wanted: &str) {
    let out = run(history, &["inspect", url]);
    assert_eq!(out.code, 2, "{url}\nstdout: {}\nstderr: {}", out.stdout, out.stderr);
    assert!(out.stderr.contains(wanted), "{url}: wanted {wanted:?} in: {}", out.stderr);
    assert!(!out.stderr.contains("hunter2") && !out.stdout.contains("hunter2"), "{}", out.stderr);
}

#[test]
fn postgres_wrong_ca_and_wrong_host_name_exit_2() {
    // Never created: the connection fails before any database is looked at.
    let Some(db) = ServerDb::reserve(Server::Postgres, "cli_tls") else { return };
    let dir = TestDir::new();
    let h = dir.path("h.db");
    let wrong = TestCa::new("not the server's CA").write(dir.root(), "wrong");
    let url = postgres(&db, "localhost", &format!("sslmode=verify-full&sslrootcert={}", wrong.display()));
    assert_exit_2(&h, &url, "unknown CA");
    let Some(root) = schemasync_testkit::postgres_server_cert() else { return };
    let url = postgres(&db, "127.0.0.1", &format!("sslmode=verify-full&sslrootcert={}", root.display()));
    assert_exit_2(&h, &url, "host name mismatch");
}

#[test]
fn mariadb_wrong_ca_and_wrong_host_name_exit_2() {
    let Some(server) = PrivateMariaDb::start_tls(&[]) else { return };
    let dir = TestDir::new();
    let h = dir.path("h.db");
    let ca = server.ca_path().expect("TLS server has a CA").display().to_string();
    let wrong = TestCa::new("not the server's CA").write(dir.root(), "wrong").display().to_string();
    let port = server.port();
    let url = format!("mysql://root:hunter2@localhost:{port}/x?ssl-mode=verify_identity&ssl-ca={wrong}");
    assert_exit_2(&h, &url, "unknown CA");
    let url = format!("mysql://root:hunter2@127.0.0.1:{port}/x?ssl-mode=verify_identity&ssl-ca={ca}");
    assert_exit_2(&h, &url, "host name mismatch");
}
