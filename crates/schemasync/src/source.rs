//! Where a wanted schema comes from: a live database, a `.sql` file, a JSON
//! snapshot, a stored version, or a `Schema` built in code.

use std::fmt;
use std::path::PathBuf;

use schemasync_model::Schema;

use crate::{Error, Location};

/// A source of a schema.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Source {
    /// A live database.
    Database(Location),
    /// A `.sql` file of DDL.
    SqlFile(PathBuf),
    /// A JSON snapshot (`schemasync inspect --format json`).
    JsonFile(PathBuf),
    /// Version `version` of `database` in the history store.
    History {
        /// The database whose history is read.
        database: Location,
        /// Version number.
        version: u64,
    },
    /// A schema built or edited in code.
    Schema(Box<Schema>),
}

impl Source {
    /// Parse `sqlite:PATH | postgres://... | mysql://... | PATH.sql | PATH.json | history:TARGET@VERSION`.
    pub fn parse(input: &str) -> Result<Source, Error> {
        if let Some(rest) = input.strip_prefix("history:") {
            let (target, version) = rest.rsplit_once('@').ok_or_else(|| Error::BadLocation {
                input: crate::location::redact(input),
                reason: "expected history:TARGET@VERSION".into(),
            })?;
            let version = version.parse::<u64>().map_err(|_| Error::BadLocation {
                input: crate::location::redact(input),
                reason: format!("version {version:?} is not a number"),
            })?;
            return Ok(Source::History { database: Location::parse(target)?, version });
        }
        let lower = input.to_ascii_lowercase();
        if !input.contains("://") && !input.starts_with("sqlite:") {
            if lower.ends_with(".sql") {
                return Ok(Source::SqlFile(PathBuf::from(input)));
            }
            if lower.ends_with(".json") {
                return Ok(Source::JsonFile(PathBuf::from(input)));
            }
        }
        Ok(Source::Database(Location::parse(input)?))
    }
}

impl From<Schema> for Source {
    fn from(schema: Schema) -> Self {
        Source::Schema(Box::new(schema))
    }
}

impl From<Location> for Source {
    fn from(location: Location) -> Self {
        Source::Database(location)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Database(loc) => loc.fmt(f),
            Source::SqlFile(p) | Source::JsonFile(p) => write!(f, "{}", p.display()),
            Source::History { database, version } => write!(f, "history:{database}@{version}"),
            Source::Schema(_) => f.write_str("(schema built in code)"),
        }
    }
}

/// A schema read from a source, with what was passed over while reading it.
#[derive(Debug, Clone)]
pub struct ResolvedSource {
    /// The schema.
    pub schema: Schema,
    /// Objects the engine skipped (SQLite internals, FTS shadow tables), with reasons.
    pub skipped: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources() {
        assert_eq!(Source::parse("schema.sql").unwrap(), Source::SqlFile("schema.sql".into()));
        assert_eq!(Source::parse("snap.JSON").unwrap(), Source::JsonFile("snap.JSON".into()));
        assert_eq!(
            Source::parse("history:sqlite:a@b.db@12").unwrap(),
            Source::History { database: Location::Sqlite { path: "a@b.db".into() }, version: 12 }
        );
        assert!(Source::parse("history:sqlite:a.db").is_err());
        assert!(Source::parse("history:sqlite:a.db@x").is_err());
        assert!(matches!(Source::parse("sqlite:x.sql").unwrap(), Source::Database(_)));
    }
}
