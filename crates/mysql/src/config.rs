//! Connection settings parsed from a `mysql://` or `mariadb://` URL.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::MySqlError;

/// The default MySQL port.
const DEFAULT_PORT: u16 = 3306;

/// Whether to use TLS and what to check, with the names sqlx and the MySQL
/// client use (`ssl-mode=verify_identity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MySqlSslMode {
    /// Plain connection.
    Disabled,
    /// TLS (unverified) when the server offers it, else plain. The default.
    Preferred,
    /// TLS or fail; the certificate is not checked.
    Required,
    /// TLS, and the certificate must chain to `ssl-ca` (else the built-in
    /// Mozilla roots); its host name is not checked.
    VerifyCa,
    /// TLS, a trusted chain, and a certificate issued for the host connected to.
    VerifyIdentity,
}

impl MySqlSslMode {
    /// The URL spelling (`verify_identity`).
    pub fn as_str(self) -> &'static str {
        match self {
            MySqlSslMode::Disabled => "disabled",
            MySqlSslMode::Preferred => "preferred",
            MySqlSslMode::Required => "required",
            MySqlSslMode::VerifyCa => "verify_ca",
            MySqlSslMode::VerifyIdentity => "verify_identity",
        }
    }

    fn parse(text: &str) -> Option<MySqlSslMode> {
        Some(match text.to_ascii_lowercase().as_str() {
            "disabled" => MySqlSslMode::Disabled,
            "preferred" => MySqlSslMode::Preferred,
            "required" => MySqlSslMode::Required,
            "verify_ca" => MySqlSslMode::VerifyCa,
            "verify_identity" => MySqlSslMode::VerifyIdentity,
            _ => return None,
        })
    }
}

/// Where and how to connect: `mysql://user:pass@host:port/db` (also
/// `mariadb://`). User, password and database are percent-decoded. Query
/// parameters: `socket=/path/to/mysqld.sock`, and for TLS (as sqlx reads
/// them) `ssl-mode=disabled|preferred|required|verify_ca|verify_identity`
/// (default `preferred`), `ssl-ca=PATH` (PEM roots), `ssl-cert=PATH` and
/// `ssl-key=PATH` (a client certificate). A Unix socket is not encrypted:
/// the server counts it as a secure transport.
#[derive(Clone, PartialEq, Eq)]
pub struct MySqlConfig {
    host: String,
    port: u16,
    user: Option<String>,
    password: Option<String>,
    database: Option<String>,
    socket: Option<String>,
    pub(crate) ssl_mode: MySqlSslMode,
    pub(crate) ssl_ca: Option<PathBuf>,
    pub(crate) ssl_cert: Option<PathBuf>,
    pub(crate) ssl_key: Option<PathBuf>,
}

impl fmt::Debug for MySqlConfig {
    /// Never shows the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MySqlConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("database", &self.database)
            .field("socket", &self.socket)
            .field("ssl_mode", &self.ssl_mode)
            .field("ssl_ca", &self.ssl_ca)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for MySqlConfig {
    /// The URL without the password, for messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("mysql://")?;
        if let Some(user) = &self.user {
            write!(f, "{user}@")?;
        }
        write!(f, "{}", self.server())?;
        if let Some(db) = &self.database {
            write!(f, "/{db}")?;
        }
        Ok(())
    }
}

impl MySqlConfig {
    /// Parse a `mysql://` or `mariadb://` URL.
    pub fn parse(url: &str) -> Result<MySqlConfig, MySqlError> {
        let bad = |message: &str| MySqlError::Url { message: message.to_owned() };
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| bad("expected a URL starting with mysql:// or mariadb://"))?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        // The password may itself hold '@' when not percent-encoded: the host starts after the last one.
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => {
                let (u, p) = match info.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (info, None),
                };
                let user = Some(percent_decode(u)?).filter(|u| !u.is_empty());
                (user, p.map(percent_decode).transpose()?)
            }
        };
        let (host, port) = split_host_port(hostport)?;
        let database = Some(percent_decode(path.trim_end_matches('/'))?).filter(|d| !d.is_empty());
        let mut socket = None;
        let mut ssl_mode = MySqlSslMode::Preferred;
        let (mut ssl_ca, mut ssl_cert, mut ssl_key) = (None, None, None);
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)?;
            match key {
                "socket" => socket = Some(value),
                "ssl-mode" | "sslmode" => {
                    ssl_mode = MySqlSslMode::parse(&value).ok_or_else(|| {
                        bad(&format!(
                            "unknown ssl-mode {value:?} (disabled, preferred, required, verify_ca, verify_identity)"
                        ))
                    })?;
                }
                "ssl-ca" | "sslca" => ssl_ca = Some(PathBuf::from(value)),
                "ssl-cert" | "sslcert" => ssl_cert = Some(PathBuf::from(value)),
                "ssl-key" | "sslkey" => ssl_key = Some(PathBuf::from(value)),
                other => {
                    return Err(bad(&format!(
                        "unsupported parameter {other:?} (understood: socket, ssl-mode, ssl-ca, ssl-cert, ssl-key)"
                    )));
                }
            }
        }
        if host.is_empty() && socket.is_none() {
            return Err(bad("no host given"));
        }
        if ssl_cert.is_some() != ssl_key.is_some() {
            return Err(bad("ssl-cert and ssl-key go together"));
        }
        Ok(MySqlConfig { host, port, user, password, database, socket, ssl_mode, ssl_ca, ssl_cert, ssl_key })
    }

    /// The database the URL names, or [`MySqlError::NoDatabase`].
    pub fn database(&self) -> Result<&str, MySqlError> {
        self.database.as_deref().ok_or(MySqlError::NoDatabase)
    }

    /// The database, if the URL names one.
    pub fn database_opt(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The same server and login with another database.
    #[must_use]
    pub fn with_database(&self, database: &str) -> MySqlConfig {
        MySqlConfig { database: Some(database.to_owned()), ..self.clone() }
    }

    /// Identifies the server (not the database): lowercase host and port for
    /// TCP, the socket path and `None` for a Unix socket.
    pub fn host_key(&self) -> (String, Option<u16>) {
        match &self.socket {
            Some(path) => (path.clone(), None),
            None => (self.host.to_ascii_lowercase(), Some(self.port)),
        }
    }

    /// The TLS mode.
    pub fn ssl_mode(&self) -> MySqlSslMode {
        self.ssl_mode
    }

    /// The `ssl-ca` file, if given.
    pub fn ssl_ca(&self) -> Option<&Path> {
        self.ssl_ca.as_deref()
    }

    pub(crate) fn is_socket(&self) -> bool {
        self.socket.is_some()
    }

    pub(crate) fn host_name(&self) -> &str {
        if self.host.is_empty() { "localhost" } else { &self.host }
    }

    /// `host:port` or the socket path, for messages.
    pub(crate) fn server(&self) -> String {
        match &self.socket {
            Some(path) => path.clone(),
            None if self.host.contains(':') => format!("[{}]:{}", self.host, self.port),
            None => format!("{}:{}", self.host, self.port),
        }
    }

    /// The driver's options; TLS is added by the caller (see `conn.rs`).
    pub(crate) fn opts(&self, database: Option<&str>) -> mysql_async::OptsBuilder {
        mysql_async::OptsBuilder::default()
            .ip_or_hostname(self.host_name())
            .tcp_port(self.port)
            .user(self.user.clone())
            .pass(self.password.clone())
            .db_name(database.map(str::to_owned))
            .socket(self.socket.clone())
            // Switching a TCP login to the local socket could change which
            // account (user@host) the server matches: connect as asked.
            .prefer_socket(false)
    }
}

fn split_host_port(hostport: &str) -> Result<(String, u16), MySqlError> {
    let bad = |message: String| MySqlError::Url { message };
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(|| bad("unclosed [ in IPv6 host".to_owned()))?;
        (host, after.strip_prefix(':'))
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = match port {
        None | Some("") => DEFAULT_PORT,
        Some(p) => p.parse().map_err(|_| bad(format!("invalid port {p:?}")))?,
    };
    Ok((percent_decode(host)?, port))
}

fn percent_decode(s: &str) -> Result<String, MySqlError> {
    let bad = || MySqlError::Url { message: format!("invalid percent-encoding in {s:?}") };
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or_else(bad)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_urls() {
        let c = MySqlConfig::parse("mysql://bob:p%40ss@db.example:3307/hr_prod").unwrap();
        assert_eq!(c.user.as_deref(), Some("bob"));
        assert_eq!(c.password.as_deref(), Some("p@ss"));
        assert_eq!(c.database().unwrap(), "hr_prod");
        assert_eq!(c.host_key(), ("db.example".to_owned(), Some(3307)));
        assert!(!format!("{c:?}{c}").contains("p@ss"));
    }

    #[test]
    fn parses_short_urls() {
        let c = MySqlConfig::parse("mariadb://root@127.0.0.1").unwrap();
        assert_eq!(c.host_key(), ("127.0.0.1".to_owned(), Some(3306)));
        assert!(matches!(c.database(), Err(MySqlError::NoDatabase)));
        let c = MySqlConfig::parse("mysql://[::1]:3310/x%60y").unwrap();
        assert_eq!(c.host_key(), ("::1".to_owned(), Some(3310)));
        assert_eq!(c.database().unwrap(), "x`y");
        let c = MySqlConfig::parse("mysql://u:a@b@h/d").unwrap();
        assert_eq!(c.password.as_deref(), Some("a@b"));
        let c = MySqlConfig::parse("mysql://root@/d?socket=%2Frun%2Fmysqld.sock").unwrap();
        assert_eq!(c.host_key(), ("/run/mysqld.sock".to_owned(), None));
    }

    #[test]
    fn rejects_bad_urls() {
        for url in [
            "postgres://x/y",
            "mysql://h:notaport/d",
            "mysql://h/d?ssl=1",
            "mysql://h/%zz",
            "mysql:///d",
            "mysql://h/d?ssl-mode=maybe",
            "mysql://h/d?ssl-cert=/c.pem",
        ] {
            assert!(MySqlConfig::parse(url).is_err(), "{url}");
        }
    }

    #[test]
    fn parses_tls_parameters() {
        assert_eq!(MySqlConfig::parse("mysql://h/d").unwrap().ssl_mode(), MySqlSslMode::Preferred);
        let c = MySqlConfig::parse(
            "mysql://u:pw@h/d?ssl-mode=VERIFY_IDENTITY&ssl-ca=%2Fetc%2Fca.pem&ssl-cert=/c.pem&ssl-key=/k.pem",
        )
        .unwrap();
        assert_eq!(c.ssl_mode(), MySqlSslMode::VerifyIdentity);
        assert_eq!(c.ssl_ca(), Some(Path::new("/etc/ca.pem")));
        assert_eq!(
            (c.ssl_cert.as_deref(), c.ssl_key.as_deref()),
            (Some(Path::new("/c.pem")), Some(Path::new("/k.pem")))
        );
        for mode in ["disabled", "preferred", "required", "verify_ca", "verify_identity"] {
            let c = MySqlConfig::parse(&format!("mysql://h/d?sslmode={mode}")).unwrap();
            assert_eq!(c.ssl_mode().as_str(), mode);
        }
        assert!(!format!("{c:?}{c}").contains("pw"));
    }
}
