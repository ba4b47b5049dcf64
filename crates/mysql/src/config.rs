//! Connection settings parsed from a `mysql://` or `mariadb://` URL.

use std::fmt;

use crate::MySqlError;

/// The default MySQL port.
const DEFAULT_PORT: u16 = 3306;

/// Where and how to connect: `mysql://user:pass@host:port/db` (also
/// `mariadb://`). User, password and database are percent-decoded; the only
/// query parameter understood is `socket=/path/to/mysqld.sock`.
#[derive(Clone, PartialEq, Eq)]
pub struct MySqlConfig {
    host: String,
    port: u16,
    user: Option<String>,
    password: Option<String>,
    database: Option<String>,
    socket: Option<String>,
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
            .finish()
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
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "socket" => socket = Some(percent_decode(value)?),
                other => return Err(bad(&format!("unsupported parameter {other:?} (only socket= is understood)"))),
            }
        }
        if host.is_empty() && socket.is_none() {
            return Err(bad("no host given"));
        }
        Ok(MySqlConfig { host, port, user, password, database, socket })
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

    /// `host:port` or the socket path, for messages.
    pub(crate) fn server(&self) -> String {
        match &self.socket {
            Some(path) => path.clone(),
            None if self.host.contains(':') => format!("[{}]:{}", self.host, self.port),
            None => format!("{}:{}", self.host, self.port),
        }
    }

    pub(crate) fn opts(&self, database: Option<&str>) -> mysql_async::Opts {
        let host = if self.host.is_empty() { "localhost" } else { self.host.as_str() };
        let builder = mysql_async::OptsBuilder::default()
            .ip_or_hostname(host)
            .tcp_port(self.port)
            .user(self.user.clone())
            .pass(self.password.clone())
            .db_name(database.map(str::to_owned))
            .socket(self.socket.clone())
            // Switching a TCP login to the local socket could change which
            // account (user@host) the server matches: connect as asked.
            .prefer_socket(false);
        builder.into()
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
        for url in ["postgres://x/y", "mysql://h:notaport/d", "mysql://h/d?ssl=1", "mysql://h/%zz", "mysql:///d"] {
            assert!(MySqlConfig::parse(url).is_err(), "{url}");
        }
    }
}
