//! A throwaway MariaDB server of a test's own, for tests that need settings
//! the shared server must not be given (a permissive global `sql_mode`, TLS,
//! a server to kill mid-apply). It lives in a temporary data directory on a
//! free port and is stopped, and its files removed, when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running private `mariadbd`.
#[derive(Debug)]
pub struct PrivateMariaDb {
    child: Child,
    port: u16,
    /// The CA that signed the server's certificate, and its file, for TLS servers.
    ca: Option<(crate::TestCa, PathBuf)>,
    // Removed after the server is stopped (fields drop after `Drop::drop`).
    _dir: tempfile::TempDir,
}

/// A port nobody listens on now (the kernel picks it; it is free again once
/// the probe socket closes).
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn tool(name: &str) -> Option<String> {
    ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]
        .iter()
        .map(|dir| format!("{dir}/{name}"))
        .find(|path| Path::new(path).exists())
}

impl PrivateMariaDb {
    /// Start a server with `args` added to its command line (for example
    /// `--sql-mode=`). `None`, after one skip line, when MariaDB is not
    /// installed (under `CI=true` that panics instead).
    ///
    /// # Panics
    /// When the server is installed but cannot be started: a broken set-up.
    pub fn start(args: &[&str]) -> Option<PrivateMariaDb> {
        Self::start_with(args, false)
    }

    /// [`Self::start`] with TLS: a CA of its own (see [`Self::ca_path`])
    /// signs a certificate for `localhost`, given to the server with
    /// `--ssl-ca`, `--ssl-cert` and `--ssl-key`.
    ///
    /// # Panics
    /// As [`Self::start`].
    pub fn start_tls(args: &[&str]) -> Option<PrivateMariaDb> {
        Self::start_with(args, true)
    }

    fn start_with(args: &[&str], tls: bool) -> Option<PrivateMariaDb> {
        let (Some(install), Some(server)) = (tool("mariadb-install-db"), tool("mariadbd")) else {
            return crate::skip("mariadb-install-db / mariadbd not installed: private MariaDB tests not run");
        };
        let dir = tempfile::tempdir().expect("temporary directory");
        let data = dir.path().join("data");
        // A starting mariadbd deletes every `#sql*` file in its tmpdir as
        // leftovers of its own last run (`mysql_rm_tmp_tables`); in the
        // shared /tmp those are the live temporary tables of the shared
        // server, whose queries then fail ("Error on delete of
        // '/tmp/#sql-temptable-…'", errno 2) or crash it. The bootstrap of
        // mariadb-install-db starts one too.
        let tmp = dir.path().join("tmp");
        std::fs::create_dir(&tmp).expect("private tmpdir");
        let tmpdir = format!("--tmpdir={}", tmp.display());
        let status = Command::new(install)
            .args(["--no-defaults", "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"])
            .arg(format!("--datadir={}", data.display()))
            .arg(&tmpdir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run mariadb-install-db");
        assert!(status.success(), "mariadb-install-db failed");
        let port = free_port().expect("free port");
        let mut tls_args = Vec::new();
        let mut ca = None;
        if tls {
            let authority = crate::TestCa::new("schemasync test CA (private MariaDB)");
            let ca_path = authority.write(dir.path(), "ca");
            let (cert, key) = authority.issue(&["localhost"]).write(dir.path(), "server");
            tls_args.push(format!("--ssl-ca={}", ca_path.display()));
            tls_args.push(format!("--ssl-cert={}", cert.display()));
            tls_args.push(format!("--ssl-key={}", key.display()));
            ca = Some((authority, ca_path));
        }
        let child = Command::new(server)
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.path().join("mysqld.sock").display()))
            .arg(format!("--pid-file={}", dir.path().join("mysqld.pid").display()))
            .arg(format!("--log-error={}", dir.path().join("error.log").display()))
            .arg(&tmpdir)
            .args(["--bind-address=127.0.0.1", "--user=root", "--skip-name-resolve"])
            .arg(format!("--port={port}"))
            .args(&tls_args)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mariadbd");
        let server = PrivateMariaDb { child, port, ca, _dir: dir };
        server.wait_ready();
        Some(server)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let ready = tokio::runtime::Builder::new_current_thread().enable_all().build().ok().is_some_and(|rt| {
                rt.block_on(async {
                    let opts = mysql_async::Opts::from_url(&self.url()).ok()?;
                    let conn = mysql_async::Conn::new(opts).await.ok()?;
                    conn.disconnect().await.ok()
                })
                .is_some()
            });
            if ready {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("private MariaDB on port {} did not start within 60 s", self.port);
    }

    /// `mysql://root@127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}", self.port)
    }

    /// The CA certificate (PEM) of a server started with [`Self::start_tls`].
    pub fn ca_path(&self) -> Option<&Path> {
        self.ca.as_ref().map(|(_, path)| path.as_path())
    }

    /// The CA of a server started with [`Self::start_tls`], which the server
    /// also checks client certificates against.
    pub fn ca(&self) -> Option<&crate::TestCa> {
        self.ca.as_ref().map(|(ca, _)| ca)
    }

    /// The TCP port.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for PrivateMariaDb {
    fn drop(&mut self) {
        // SIGKILL is enough: the data directory is thrown away with it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
