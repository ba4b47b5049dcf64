//! The keys under which databases are recorded: stable across runs and
//! spellings, and never containing credentials.

use std::io::ErrorKind;
use std::path::Path;

use crate::HistoryError;

/// `sqlite:` followed by the canonical absolute path of the database file.
/// A file that does not exist yet is keyed by its nearest existing ancestor
/// joined with its name, so the key does not change once it is created.
pub fn database_key_for_sqlite(path: &Path) -> Result<String, HistoryError> {
    // A database that does not exist yet (perhaps in folders that do not
    // exist yet either) is keyed by its nearest existing ancestor, made
    // canonical, plus the components still to be created.
    let mut existing = path;
    let mut missing: Vec<&std::ffi::OsStr> = Vec::new();
    let absolute = loop {
        match std::fs::canonicalize(existing) {
            Ok(found) => break found,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let Some(name) = existing.file_name() else { return Err(io_error(path, e)) };
                missing.push(name);
                existing = existing.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            }
            Err(other) => return Err(io_error(path, other)),
        }
    };
    let absolute = missing.iter().rev().fold(absolute, |acc, part| acc.join(part));
    Ok(format!("sqlite:{}", absolute.display()))
}

fn io_error(path: &Path, source: std::io::Error) -> HistoryError {
    HistoryError::Io { path: path.to_path_buf(), source }
}

/// `scheme://host:port/database` for a server database. The scheme is
/// canonical (`postgresql` → `postgres`, `mariadb` → `mysql`), the default
/// port is filled in so that `host` and `host:5432` share a key, DNS names are
/// lowercased, and characters that would make the key ambiguous are
/// percent-encoded. Anything up to an `@` in `host` is dropped so that
/// credentials can never end up in a key.
pub fn database_key_for_url(scheme: &str, host: &str, port: Option<u16>, database: &str) -> String {
    let scheme = canonical_scheme(scheme);
    let host = host.rsplit('@').next().unwrap_or_default();
    // Socket directories are case-sensitive paths; host names are not.
    let host = if host.contains('/') { host.to_owned() } else { host.to_ascii_lowercase() };
    let host = if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host };
    let mut key = format!("{scheme}://{}", encode(&host, "[]:"));
    if let Some(port) = port.or_else(|| default_port(&scheme)) {
        key.push_str(&format!(":{port}"));
    }
    key.push('/');
    key.push_str(&encode(database, ""));
    key
}

fn canonical_scheme(scheme: &str) -> String {
    let lower = scheme.to_ascii_lowercase();
    match lower.as_str() {
        "postgresql" | "pg" => "postgres".to_owned(),
        "mariadb" => "mysql".to_owned(),
        _ => lower,
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "postgres" => Some(5432),
        "mysql" => Some(3306),
        _ => None,
    }
}

/// Percent-encodes URL delimiters, `%`, whitespace and control characters
/// (except those in `keep`); other text, including non-ASCII, stays readable.
fn encode(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let special =
            matches!(ch, '%' | '/' | '?' | '#' | '@' | ':' | '[' | ']') || ch.is_whitespace() || ch.is_control();
        if special && !keep.contains(ch) {
            let mut buf = [0u8; 4];
            for byte in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keys_are_canonical() {
        assert_eq!(
            database_key_for_url("postgres", "db.example.com", Some(5433), "hr"),
            "postgres://db.example.com:5433/hr"
        );
        assert_eq!(
            database_key_for_url("PostgreSQL", "DB.Example.com", None, "hr"),
            "postgres://db.example.com:5432/hr"
        );
        assert_eq!(database_key_for_url("mariadb", "10.0.0.1", Some(3306), "wiki"), "mysql://10.0.0.1:3306/wiki");
        assert_eq!(database_key_for_url("mysql", "::1", None, "a/b c%"), "mysql://[::1]:3306/a%2Fb%20c%25");
        assert_eq!(database_key_for_url("postgres", "/var/run/PG", None, "x"), "postgres://%2Fvar%2Frun%2FPG:5432/x");
        assert_eq!(database_key_for_url("other", "h", None, "café"), "other://h/café");
    }

    #[test]
    fn url_keys_never_carry_credentials() {
        let key = database_key_for_url("postgres", "alice:s3cret@db", None, "hr");
        assert_eq!(key, "postgres://db:5432/hr");
    }

    #[test]
    fn sqlite_keys_are_canonical_and_stable_across_creation() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("app.db");
        let before = database_key_for_sqlite(&file)?;
        std::fs::write(&file, b"")?;
        let after = database_key_for_sqlite(&file)?;
        assert_eq!(before, after);
        assert!(after.starts_with("sqlite:/") && after.ends_with("app.db"));
        let dotted = database_key_for_sqlite(&dir.path().join(".").join("app.db"))?;
        assert_eq!(dotted, after);
        Ok(())
    }

    #[test]
    fn sqlite_key_in_missing_directories_uses_the_existing_ancestor() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let key = database_key_for_sqlite(&dir.path().join("nope").join("deeper").join("app.db"))?;
        let root = std::fs::canonicalize(dir.path())?;
        assert_eq!(key, format!("sqlite:{}", root.join("nope").join("deeper").join("app.db").display()));
        // Once created, the same file keeps the same key.
        std::fs::create_dir_all(dir.path().join("nope").join("deeper"))?;
        std::fs::write(dir.path().join("nope").join("deeper").join("app.db"), b"")?;
        assert_eq!(database_key_for_sqlite(&dir.path().join("nope/deeper/app.db"))?, key);
        Ok(())
    }
}
