//! Connection settings read from a `postgres://` URL, with the libpq
//! environment variables (`PGUSER`, `PGPASSWORD`, `PGHOST`, `PGPORT`,
//! `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGSSLCERT`, `PGSSLKEY`)
//! filling what the URL leaves out.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::PostgresError;

const DEFAULT_PORT: u16 = 5432;
/// A sync must never hang on an unreachable server.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether to use TLS and what to check, with libpq's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SslMode {
    /// Plain connection.
    Disable,
    /// Plain first; TLS (unverified) if the server refuses the plain login.
    Allow,
    /// TLS (unverified) when the server offers it, else plain. The default.
    Prefer,
    /// TLS or fail. The certificate is checked against a root certificate
    /// only when one is given or `~/.postgresql/root.crt` exists (then as
    /// `VerifyCa`), like libpq.
    Require,
    /// TLS, and the server's certificate must chain to a trusted root; its
    /// host name is not checked.
    VerifyCa,
    /// TLS, a trusted chain, and a certificate issued for the host connected to.
    VerifyFull,
}

impl SslMode {
    /// The libpq spelling (`verify-full`).
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(text: &str) -> Result<SslMode, PostgresError> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => return Err(invalid(format!("unknown sslmode {other:?}"))),
        })
    }
}

/// Which certificates are trusted as roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RootCert {
    /// A PEM file of one or more certificates.
    File(PathBuf),
    /// `sslrootcert=system`: the platform's trust store.
    System,
}

/// The TLS part of a [`PgConfig`], as given; files are read when connecting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlsSettings {
    pub(crate) mode: SslMode,
    /// `sslrootcert` as given (else libpq's `~/.postgresql/root.crt`).
    pub(crate) root_cert: Option<RootCert>,
    /// `sslcert` as given (else `~/.postgresql/postgresql.crt` when it exists).
    pub(crate) cert: Option<PathBuf>,
    /// `sslkey` as given (else `~/.postgresql/postgresql.key`).
    pub(crate) key: Option<PathBuf>,
    /// `~/.postgresql`, where libpq looks for the files not given.
    pub(crate) dir: Option<PathBuf>,
}

/// Where and as whom to connect. The password is never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct PgConfig {
    user: String,
    password: Option<String>,
    /// Host name, address, or (starting with `/`) a Unix socket directory.
    host: String,
    port: u16,
    database: String,
    tls: TlsSettings,
    application_name: Option<String>,
    options: Option<String>,
    connect_timeout: Duration,
}

impl fmt::Debug for PgConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConfig")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("ssl_mode", &self.tls.mode)
            .field("application_name", &self.application_name)
            .finish_non_exhaustive()
    }
}

impl PgConfig {
    /// Read `postgres://user:pass@host:port/db?sslmode=..&host=/socket/dir&application_name=..`
    /// (also `postgresql://`). Parts left out come from `PGUSER`, `PGPASSWORD`,
    /// `PGHOST`, `PGPORT`, `PGDATABASE`, then the defaults: user `$USER`
    /// (else `postgres`), host `localhost`, port 5432, database = user.
    ///
    /// TLS parameters, as libpq reads them: `sslmode` (`PGSSLMODE`, default
    /// `prefer`), `sslrootcert=PATH|system` (`PGSSLROOTCERT`, default
    /// `~/.postgresql/root.crt`), `sslcert` and `sslkey` for a client
    /// certificate in PEM (`PGSSLCERT`, `PGSSLKEY`, default
    /// `~/.postgresql/postgresql.crt` and `.key`). `sslrootcert=system`
    /// makes `verify-full` the default and refuses weaker modes (libpq 16).
    pub fn parse(url: &str) -> Result<PgConfig, PostgresError> {
        parse_with_env(url, &|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// The database name.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Server identity for history keys: host (or socket directory) and port.
    /// Never includes credentials.
    pub fn host_key(&self) -> (String, Option<u16>) {
        (self.host.clone(), Some(self.port))
    }

    /// The same server and credentials, another database.
    #[must_use]
    pub fn with_database(&self, database: &str) -> PgConfig {
        PgConfig { database: database.to_owned(), ..self.clone() }
    }

    /// A name for messages: `host:port/database`, without credentials.
    pub fn display_target(&self) -> String {
        format!("{}:{}/{}", self.host, self.port, self.database)
    }

    /// The TLS mode.
    pub fn ssl_mode(&self) -> SslMode {
        self.tls.mode
    }

    #[cfg(any(feature = "tls", test))]
    pub(crate) fn tls(&self) -> &TlsSettings {
        &self.tls
    }

    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// The driver's configuration, TLS left to the caller (see `connection.rs`).
    pub(crate) fn driver_config(&self) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config.user(&self.user).dbname(&self.database).port(self.port).connect_timeout(self.connect_timeout);
        if self.host.starts_with('/') {
            config.host_path(&self.host);
        } else {
            config.host(&self.host);
        }
        if let Some(password) = &self.password {
            config.password(password.as_bytes());
        }
        config.application_name(self.application_name.as_deref().unwrap_or("schemasync"));
        if let Some(options) = &self.options {
            config.options(options);
        }
        config
    }
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn invalid(message: impl Into<String>) -> PostgresError {
    PostgresError::InvalidUrl { message: message.into() }
}

fn parse_with_env(url: &str, env: Env<'_>) -> Result<PgConfig, PostgresError> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
        .ok_or_else(|| invalid("expected a URL starting with postgres:// or postgresql://"))?;
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };

    let mut user = None;
    let mut password = None;
    if let Some(info) = userinfo {
        let (u, p) = match info.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (info, None),
        };
        if !u.is_empty() {
            user = Some(percent_decode(u)?);
        }
        if let Some(p) = p {
            password = Some(percent_decode(p)?);
        }
    }
    let (mut host, mut port) = split_host_port(hostport)?;
    let mut database = if path.is_empty() { None } else { Some(percent_decode(path)?) };
    let mut ssl_mode_text = None;
    let mut root_cert = None;
    let mut ssl_cert = None;
    let mut ssl_key = None;
    let mut application_name = None;
    let mut options = None;
    let mut connect_timeout = DEFAULT_CONNECT_TIMEOUT;

    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value)?;
        match key {
            "sslmode" => ssl_mode_text = Some(value),
            "sslrootcert" => root_cert = Some(value),
            "sslcert" => ssl_cert = Some(value),
            "sslkey" => ssl_key = Some(value),
            "host" => host = Some(value),
            "port" => port = Some(parse_port(&value)?),
            "user" => user = Some(value),
            "password" => password = Some(value),
            "dbname" => database = Some(value),
            "application_name" => application_name = Some(value),
            "options" => options = Some(value),
            "connect_timeout" => {
                let secs: u64 =
                    value.parse().map_err(|_| invalid(format!("connect_timeout={value} is not a number")))?;
                if secs > 0 {
                    connect_timeout = Duration::from_secs(secs);
                }
            }
            other => return Err(invalid(format!("unknown parameter {other:?}"))),
        }
    }

    let user = user.or_else(|| env("PGUSER")).or_else(|| env("USER")).unwrap_or_else(|| "postgres".to_owned());
    let password = password.or_else(|| env("PGPASSWORD"));
    let host = host.filter(|h| !h.is_empty()).or_else(|| env("PGHOST")).unwrap_or_else(|| "localhost".to_owned());
    let port = match port {
        Some(p) => p,
        None => env("PGPORT").map(|p| parse_port(&p)).transpose()?.unwrap_or(DEFAULT_PORT),
    };
    let database = database.or_else(|| env("PGDATABASE")).unwrap_or_else(|| user.clone());
    let tls = tls_settings(ssl_mode_text, root_cert, ssl_cert, ssl_key, env)?;
    Ok(PgConfig { user, password, host, port, database, tls, application_name, options, connect_timeout })
}

fn tls_settings(
    mode: Option<String>,
    root_cert: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    env: Env<'_>,
) -> Result<TlsSettings, PostgresError> {
    let non_empty = |v: Option<String>, var: &str| v.filter(|v| !v.is_empty()).or_else(|| env(var));
    let mode = non_empty(mode, "PGSSLMODE").map(|m| SslMode::parse(&m)).transpose()?;
    let root_cert = non_empty(root_cert, "PGSSLROOTCERT")
        .map(|r| if r == "system" { RootCert::System } else { RootCert::File(PathBuf::from(r)) });
    // Public CAs issue certificates to anyone for a name they control, so
    // with the system roots only the host-name check means anything (libpq 16).
    let mode = match (mode, &root_cert) {
        (None, Some(RootCert::System)) => SslMode::VerifyFull,
        (Some(mode), Some(RootCert::System)) if mode != SslMode::VerifyFull => {
            return Err(invalid(format!(
                "sslrootcert=system needs sslmode=verify-full, not sslmode={}",
                mode.as_str()
            )));
        }
        (mode, _) => mode.unwrap_or(SslMode::Prefer),
    };
    Ok(TlsSettings {
        mode,
        root_cert,
        cert: non_empty(cert, "PGSSLCERT").map(PathBuf::from),
        key: non_empty(key, "PGSSLKEY").map(PathBuf::from),
        dir: env("HOME").map(|home| PathBuf::from(home).join(".postgresql")),
    })
}

fn split_host_port(hostport: &str) -> Result<(Option<String>, Option<u16>), PostgresError> {
    if hostport.is_empty() {
        return Ok((None, None));
    }
    if let Some(rest) = hostport.strip_prefix('[') {
        let (addr, after) = rest.split_once(']').ok_or_else(|| invalid("unclosed [ in an IPv6 host"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(parse_port(p)?),
            None if after.is_empty() => None,
            None => return Err(invalid("unexpected text after an IPv6 host")),
        };
        return Ok((Some(addr.to_owned()), port));
    }
    if hostport.contains(',') {
        return Err(invalid("several hosts in one URL are not supported"));
    }
    match hostport.rsplit_once(':') {
        Some((h, p)) => Ok((Some(percent_decode(h)?), Some(parse_port(p)?))),
        None => Ok((Some(percent_decode(hostport)?), None)),
    }
}

fn parse_port(text: &str) -> Result<u16, PostgresError> {
    text.parse().ok().filter(|p| *p != 0).ok_or_else(|| invalid(format!("{text:?} is not a valid port")))
}

fn percent_decode(text: &str) -> Result<String, PostgresError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or_else(|| invalid("truncated %-escape"))?;
            let hex = std::str::from_utf8(hex).map_err(|_| invalid("invalid %-escape"))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| invalid(format!("invalid %-escape %{hex}")))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| invalid("a %-escaped part is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str, vars: &[(&str, &str)]) -> Result<PgConfig, PostgresError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        parse_with_env(url, &move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn full_url() {
        let c =
            parse("postgres://bob:s%40cret@db.example:6543/hr%20prod?sslmode=disable&application_name=x", &[]).unwrap();
        assert_eq!(c.user, "bob");
        assert_eq!(c.password.as_deref(), Some("s@cret"));
        assert_eq!(c.host_key(), ("db.example".to_owned(), Some(6543)));
        assert_eq!(c.database(), "hr prod");
        assert_eq!(c.ssl_mode(), SslMode::Disable);
        assert_eq!(c.application_name.as_deref(), Some("x"));
        assert!(!format!("{c:?}").contains("s@cret"));
    }

    #[test]
    fn environment_fills_gaps() {
        let env = [("PGUSER", "env_user"), ("PGHOST", "/run/pg"), ("PGPORT", "5433"), ("PGPASSWORD", "pw")];
        let c = parse("postgresql:///", &env).unwrap();
        assert_eq!(c.user, "env_user");
        assert_eq!(c.database(), "env_user");
        assert_eq!(c.host_key(), ("/run/pg".to_owned(), Some(5433)));
        assert_eq!(c.password.as_deref(), Some("pw"));
        let c = parse("postgres://u@h/d?host=/tmp/sock", &env).unwrap();
        assert_eq!(c.host(), "/tmp/sock");
        assert_eq!(c.port(), 5433);
    }

    #[test]
    fn ipv6_and_defaults() {
        let c = parse("postgres://[::1]:5439/x", &[]).unwrap();
        assert_eq!(c.host_key(), ("::1".to_owned(), Some(5439)));
        let c = parse("postgres://h", &[("USER", "me")]).unwrap();
        assert_eq!((c.user.as_str(), c.database(), c.port()), ("me", "me", 5432));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(parse("mysql://x", &[]), Err(PostgresError::InvalidUrl { .. })));
        assert!(matches!(parse("postgres://h:99999/x", &[]), Err(PostgresError::InvalidUrl { .. })));
        assert!(matches!(parse("postgres://h/x?bogus=1", &[]), Err(PostgresError::InvalidUrl { .. })));
        assert!(matches!(parse("postgres://h/x?sslmode=maybe", &[]), Err(PostgresError::InvalidUrl { .. })));
        assert!(matches!(parse("postgres://h/%zz", &[]), Err(PostgresError::InvalidUrl { .. })));
    }

    #[test]
    fn tls_parameters_and_their_fallbacks() {
        let c = parse("postgres://h/x", &[("HOME", "/home/me")]).unwrap();
        assert_eq!(c.ssl_mode(), SslMode::Prefer);
        assert_eq!(c.tls().root_cert, None);
        assert_eq!(c.tls().dir, Some(PathBuf::from("/home/me/.postgresql")));
        let c = parse(
            "postgres://h/x?sslmode=verify-ca&sslrootcert=%2Fca.pem&sslcert=c.pem&sslkey=k.pem",
            &[("PGSSLMODE", "disable")],
        )
        .unwrap();
        assert_eq!(c.ssl_mode(), SslMode::VerifyCa);
        assert_eq!(c.tls().root_cert, Some(RootCert::File("/ca.pem".into())));
        assert_eq!((c.tls().cert.as_deref(), c.tls().key.as_deref()), (Some("c.pem".as_ref()), Some("k.pem".as_ref())));
        let env = [("PGSSLMODE", "require"), ("PGSSLROOTCERT", "/r.pem"), ("PGSSLCERT", "/c"), ("PGSSLKEY", "/k")];
        let c = parse("postgres://h/x", &env).unwrap();
        assert_eq!(c.ssl_mode(), SslMode::Require);
        assert_eq!(c.tls().root_cert, Some(RootCert::File("/r.pem".into())));
        assert_eq!(c.tls().key, Some(PathBuf::from("/k")));
        for mode in ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] {
            assert_eq!(parse(&format!("postgres://h/x?sslmode={mode}"), &[]).unwrap().ssl_mode().as_str(), mode);
        }
    }

    #[test]
    fn system_roots_mean_verify_full() {
        let c = parse("postgres://h/x?sslrootcert=system", &[]).unwrap();
        assert_eq!((c.ssl_mode(), c.tls().root_cert.clone()), (SslMode::VerifyFull, Some(RootCert::System)));
        let err = parse("postgres://h/x?sslrootcert=system&sslmode=require", &[]).unwrap_err();
        assert!(err.to_string().contains("sslrootcert=system needs sslmode=verify-full"), "{err}");
    }
}
