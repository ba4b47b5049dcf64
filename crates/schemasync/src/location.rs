//! Where a database lives: parsed from a URL, printed without credentials.

use std::fmt;
use std::path::{Path, PathBuf};

use schemasync_model::Dialect;

use crate::Error;

/// A database schemasync can connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// An SQLite database file.
    Sqlite {
        /// Path as given.
        path: PathBuf,
    },
    /// A PostgreSQL database (`postgres://...`).
    Postgres {
        /// The URL as given (may hold credentials: never print it).
        url: String,
    },
    /// A MySQL/MariaDB database (`mysql://...`).
    MySql {
        /// The URL as given (may hold credentials: never print it).
        url: String,
    },
}

impl Location {
    /// Parse `sqlite:PATH`, `postgres://...`, `postgresql://...`, `mysql://...`
    /// or `mariadb://...`. A bare path ending in `.db`, `.sqlite` or `.sqlite3`
    /// is taken as an SQLite database too.
    pub fn parse(input: &str) -> Result<Location, Error> {
        let bad = |reason: &str| Error::BadLocation { input: redact(input), reason: reason.to_owned() };
        if input.trim().is_empty() {
            return Err(bad("empty database location"));
        }
        if let Some(rest) = input.strip_prefix("sqlite://") {
            if rest.is_empty() {
                return Err(bad("sqlite: needs a file path"));
            }
            return Ok(Location::Sqlite { path: PathBuf::from(rest) });
        }
        if let Some(rest) = input.strip_prefix("sqlite:") {
            if rest.is_empty() {
                return Err(bad("sqlite: needs a file path"));
            }
            return Ok(Location::Sqlite { path: PathBuf::from(rest) });
        }
        if input.starts_with("postgres://") || input.starts_with("postgresql://") {
            check_url_authority(input).map_err(|r| bad(&r))?;
            return Ok(Location::Postgres { url: input.to_owned() });
        }
        if input.starts_with("mysql://") || input.starts_with("mariadb://") {
            check_url_authority(input).map_err(|r| bad(&r))?;
            return Ok(Location::MySql { url: input.to_owned() });
        }
        if let Some((scheme, _)) = input.split_once("://") {
            return Err(Error::UnknownScheme { input: redact(input), scheme: scheme.to_owned() });
        }
        let lower = input.to_ascii_lowercase();
        if [".db", ".sqlite", ".sqlite3"].iter().any(|ext| lower.ends_with(ext)) {
            return Ok(Location::Sqlite { path: PathBuf::from(input) });
        }
        Err(bad("expected sqlite:PATH, postgres://... or mysql://..."))
    }

    /// The dialect of this database.
    pub fn dialect(&self) -> Dialect {
        match self {
            Location::Sqlite { .. } => Dialect::Sqlite,
            Location::Postgres { .. } => Dialect::Postgres,
            Location::MySql { .. } => Dialect::MySql,
        }
    }

    /// The key under which history records this database: engine and place,
    /// never credentials (SQLite: the canonical absolute path).
    pub fn history_key(&self) -> Result<String, Error> {
        match self {
            Location::Sqlite { path } => Ok(schemasync_history::database_key_for_sqlite(path)?),
            // The engine's own reading of the URL (with its defaults and
            // environment fallbacks), so that two spellings of one database
            // share a history.
            #[cfg(feature = "postgres")]
            Location::Postgres { url } => {
                let config = schemasync_postgres::PgConfig::parse(url)
                    .map_err(|e| Error::BadLocation { input: redact(url), reason: e.to_string() })?;
                let (host, port) = config.host_key();
                Ok(schemasync_history::database_key_for_url("postgres", &host, port, config.database()))
            }
            #[cfg(feature = "mysql")]
            Location::MySql { url } => {
                let bad = |reason: String| Error::BadLocation { input: redact(url), reason };
                let config = schemasync_mysql::MySqlConfig::parse(url).map_err(|e| bad(e.to_string()))?;
                let (host, port) = config.host_key();
                let database = config.database().map_err(|e| bad(e.to_string()))?;
                Ok(schemasync_history::database_key_for_url("mysql", &host, port, database))
            }
            #[allow(unreachable_patterns)]
            Location::Postgres { url } | Location::MySql { url } => {
                let parts = UrlParts::parse(url).map_err(|reason| Error::BadLocation { input: redact(url), reason })?;
                Ok(schemasync_history::database_key_for_url(
                    self.dialect().as_str(),
                    &parts.host,
                    parts.port,
                    &parts.database,
                ))
            }
        }
    }

    /// The SQLite path, if this is an SQLite database.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite { path } => Some(path),
            _ => None,
        }
    }
}

impl fmt::Display for Location {
    /// Without credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite { path } => write!(f, "sqlite:{}", path.display()),
            Location::Postgres { url } | Location::MySql { url } => f.write_str(&redact(url)),
        }
    }
}

/// Remove a password from a URL for messages: everything between the user
/// name and the last `@` goes, so a password holding a raw `/`, `?`, `#` or
/// `@` is hidden whole, and so are `password=` query parameters. When in
/// doubt this hides too much, never too little.
pub(crate) fn redact(input: &str) -> String {
    let Some((scheme, rest)) = input.split_once("://") else {
        return input.to_owned();
    };
    // Every reading of where a secret may be, and whatever one of them
    // hides stays hidden: the values of password-like query parameters, and
    // the password of the user-info (from its first ':' to its '@').
    let mut masked = vec![false; rest.len()];
    for range in password_values(rest) {
        masked[range].iter_mut().for_each(|b| *b = true);
    }
    let mut dropped = vec![false; rest.len()];
    let mut drop_user_password = |userinfo_end: usize| {
        let from = rest[..userinfo_end].find(':').unwrap_or(userinfo_end);
        dropped[from..userinfo_end].iter_mut().for_each(|b| *b = true);
    };
    // The user-info as schemasync reads it (up to the last '@' that is not
    // part of a password parameter) and as URL parsers do (up to the last
    // '@' before the first '/' or '?').
    if let Some(at) = rest.char_indices().rev().filter(|&(i, c)| c == '@' && !masked[i]).map(|(i, _)| i).next() {
        drop_user_password(at);
    }
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    if let Some(at) = authority.rfind('@') {
        drop_user_password(at);
    }
    let mut out = format!("{scheme}://");
    let mut in_mask = false;
    for (i, c) in rest.char_indices() {
        if masked[i] {
            if !in_mask {
                out.push_str("***");
            }
            in_mask = true;
            continue;
        }
        in_mask = false;
        if !dropped[i] {
            out.push(c);
        }
    }
    out
}

/// `input` as it can be written down (in a plan file) and used again:
/// without the user-info password and without password-like query
/// parameters. Applying needs the password again from elsewhere.
pub(crate) fn redact_password(input: &str) -> String {
    let redacted = redact(input);
    let Some((head, query)) = redacted.split_once('?') else { return redacted };
    let kept: Vec<&str> = query.split('&').filter(|param| !param.ends_with("=***")).collect();
    if kept.is_empty() { head.to_owned() } else { format!("{head}?{}", kept.join("&")) }
}

/// Byte ranges of the values of password-like parameters (`password=`,
/// `passwd=`, ...) anywhere after a `?` or `&`, up to the next `&` (a `#`
/// may be part of the value: the engines' parsers do not all end it there).
fn password_values(rest: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    for (i, c) in rest.char_indices() {
        if c != '?' && c != '&' {
            continue;
        }
        let param = &rest[i + 1..];
        let key_end = param.find(['=', '&']).unwrap_or(param.len());
        if !param[key_end..].starts_with('=') || !param[..key_end].to_ascii_lowercase().contains("pass") {
            continue;
        }
        let value = i + 1 + key_end + 1;
        let len = rest[value..].find('&').unwrap_or(rest.len() - value);
        if len > 0 {
            found.push(value..value + len);
        }
    }
    found
}

/// Refuses user-info that a URL parser would misread, without repeating
/// any of it: a raw `/`, `?` or `#` before the last `@` ends the host part
/// early, so the password's head would be read as a host and port, and its
/// tail as the database name.
fn check_userinfo(url: &str) -> Result<(), String> {
    let Some((_, rest)) = url.split_once("://") else {
        return Ok(());
    };
    let Some(at) = rest.rfind('@') else {
        return Ok(());
    };
    let userinfo = &rest[..at];
    if userinfo.contains(['/', '?', '#']) {
        return Err("the part before the last '@' holds a raw '/', '?' or '#': percent-encode them in the \
                    user name and password (/ as %2F, ? as %3F, # as %23), and '@' in a database name as %40"
            .to_owned());
    }
    let bytes = userinfo.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !hex {
                return Err("the user name or password holds a '%' that does not start a %-escape \
                            (write % itself as %25)"
                    .to_owned());
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

fn check_url_authority(url: &str) -> Result<(), String> {
    check_userinfo(url)?;
    UrlParts::parse(url).map(|_| ())
}

/// The pieces of a server URL that identify a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlParts {
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
}

impl UrlParts {
    pub(crate) fn parse(url: &str) -> Result<UrlParts, String> {
        let (_, rest) = url.split_once("://").ok_or_else(|| "missing ://".to_owned())?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = if let Some(stripped) = hostport.strip_prefix('[') {
            let (h, after) = stripped.split_once(']').ok_or_else(|| "unclosed [ in host".to_owned())?;
            (h.to_owned(), after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (hostport.to_owned(), None),
            }
        };
        let port = match port {
            Some(p) if !p.is_empty() => Some(p.parse::<u16>().map_err(|_| format!("invalid port {p:?}"))?),
            _ => None,
        };
        Ok(UrlParts {
            host: if host.is_empty() { "localhost".to_owned() } else { host },
            port,
            database: path.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_locations() {
        assert_eq!(Location::parse("sqlite:a.db").unwrap(), Location::Sqlite { path: "a.db".into() });
        assert_eq!(Location::parse("sqlite:///tmp/a.db").unwrap(), Location::Sqlite { path: "/tmp/a.db".into() });
        assert_eq!(Location::parse("x.sqlite3").unwrap(), Location::Sqlite { path: "x.sqlite3".into() });
        assert!(matches!(Location::parse("postgres://u:p@h:5432/db").unwrap(), Location::Postgres { .. }));
        assert!(matches!(Location::parse("mysql://root@127.0.0.1:3306/x").unwrap(), Location::MySql { .. }));
        assert!(matches!(Location::parse("oracle://x/y"), Err(Error::UnknownScheme { .. })));
        assert!(matches!(Location::parse("sqlite:"), Err(Error::BadLocation { .. })));
        assert!(matches!(Location::parse("postgres://h:notaport/db"), Err(Error::BadLocation { .. })));
        assert!(matches!(Location::parse("whatever"), Err(Error::BadLocation { .. })));
    }

    #[test]
    fn never_shows_passwords() {
        let loc = Location::parse("postgres://alice:secret@db.example:5433/hr").unwrap();
        assert_eq!(loc.to_string(), "postgres://alice@db.example:5433/hr");
        assert_eq!(loc.history_key().unwrap(), "postgres://db.example:5433/hr");
        let err = Location::parse("postgres://alice:secret@h:x/db").unwrap_err().to_string();
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn raw_special_characters_in_a_password_are_refused_without_echo() {
        for url in [
            "postgres://alice:pa/ssw0rd@127.0.0.1/db",
            "postgres://alice:pa/ssw0rd@127.0.0.1:5432/db",
            "mysql://root:pa/ssw0rd@127.0.0.1:3306/db",
            "postgres://alice:pa?ssw0rd@host/db",
            "postgres://alice:pa#ssw0rd@host/db",
            "mysql://alice:p@a/ssw0rd@127.0.0.1:1/db",
            "postgres://alice:pa%zssw0rd@host/db",
            "postgres://alice:pa%ssw0rd@host/db",
        ] {
            let err = Location::parse(url).expect_err(url).to_string();
            for fragment in ["ssw0rd", "%z", "p@a", ":pa"] {
                assert!(!err.contains(fragment), "{url}: {err}");
            }
            assert!(err.contains("alice") || err.contains("root"), "{err}");
        }
        // Percent-encoded, the same password is fine and still hidden.
        let loc = Location::parse("postgres://alice:pa%2Fssw0rd@127.0.0.1/db").unwrap();
        assert_eq!(loc.to_string(), "postgres://alice@127.0.0.1/db");
    }

    #[test]
    fn redaction_hides_password_parameters() {
        assert_eq!(
            redact("postgres://h/db?sslmode=require&password=s3cret"),
            "postgres://h/db?sslmode=require&password=***"
        );
        assert_eq!(redact("mysql://u:x/y@h/db"), "mysql://u@h/db");
        // A '@' in a password parameter is not the end of the user-info.
        assert_eq!(redact("postgres://u:p@h/db?password=ab@cd:ef"), "postgres://u@h/db?password=***");
        assert_eq!(redact("postgres://h/db?passfile=x&user=u"), "postgres://h/db?passfile=***&user=u");
        assert_eq!(redact("sqlite:a.db"), "sqlite:a.db");
    }
}
