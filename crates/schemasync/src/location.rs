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

/// Remove a password from a URL for messages.
pub(crate) fn redact(input: &str) -> String {
    let Some((scheme, rest)) = input.split_once("://") else {
        return input.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => input.to_owned(),
    }
}

fn check_url_authority(url: &str) -> Result<(), String> {
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
}
