//! Reading the store's URL without ever repeating a password.
//!
//! `PgConfig::parse` reads the URL; its messages may quote a piece of it
//! (a bad port, an unknown parameter, a bad `%`-escape), which could be a
//! piece of a password when the password holds a raw `/`, `?`, `#` or `@`.
//! So: a password holding a raw delimiter is refused up front, and when the
//! URL holds a password at all, the parser's own words are withheld.

use schemasync_postgres::PgConfig;

use crate::HistoryError;

/// The URL read, or an error that quotes nothing secret.
pub(crate) fn parse(url: &str) -> Result<PgConfig, HistoryError> {
    let secret = holds_secret(url);
    if secret && password_has_raw_delimiter(url) {
        return Err(HistoryError::InvalidUrl {
            message: "the password in the URL holds a raw '/', '?', '#' or '@': percent-encode it \
                      (%2F, %3F, %23, %40)"
                .to_owned(),
        });
    }
    PgConfig::parse(url).map_err(|e| HistoryError::InvalidUrl {
        message: if secret {
            "the URL cannot be read (the reason is withheld since the URL holds a password)".to_owned()
        } else {
            e.to_string()
        },
    })
}

/// The text after `scheme://`, if any.
fn after_scheme(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

/// Whether the URL may hold a password: a `:` before the last `@`, or a
/// parameter whose name mentions `pass`.
fn holds_secret(url: &str) -> bool {
    let rest = after_scheme(url);
    let user_info_password = rest.rfind('@').is_some_and(|at| rest[..at].contains(':'));
    let password_parameter = rest
        .split(['?', '&'])
        .skip(1)
        .any(|pair| pair.split_once('=').is_some_and(|(key, _)| key.to_ascii_lowercase().contains("pass")));
    user_info_password || password_parameter
}

/// Whether the user-info's password (from the first `:` to the last `@`
/// before the host) holds a delimiter that changes how the URL is split.
fn password_has_raw_delimiter(url: &str) -> bool {
    let rest = after_scheme(url);
    let Some(at) = rest.rfind('@') else { return false };
    let user_info = &rest[..at];
    let Some(colon) = user_info.find(':') else { return false };
    user_info[colon + 1..].contains(['/', '?', '#', '@'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(url: &str) -> String {
        match parse(url) {
            Err(e) => e.to_string(),
            Ok(config) => panic!("{url} was read as {config:?}"),
        }
    }

    #[test]
    fn a_password_with_raw_delimiters_is_refused_without_echo() {
        for url in [
            "postgres://alice:pa/ssw0rd@127.0.0.1/db",
            "postgres://alice:pa/ssw0rd@127.0.0.1:5432/db",
            "postgres://alice:pa?ssw0rd@host/db",
            "postgres://alice:pa#ssw0rd@host/db",
            "postgres://alice:p@assw0rd@host/db",
            "postgres://alice:pa%zssw0rd@host/db",
            "postgres://h/db?password=ab&ssw0rd",
            "postgres://h/db?password=x&bogus_ssw0rd=1",
        ] {
            let text = message(url);
            for fragment in ["ssw0rd", "%z", "p@a", ":pa"] {
                assert!(!text.contains(fragment), "{url}: {text}");
            }
        }
    }

    #[test]
    fn without_a_password_the_reason_is_given() {
        assert!(message("postgres://alice@host:notaport/db").contains("notaport"));
        assert!(message("mysql://host/db").contains("postgres://"));
        let config = parse("postgres://alice:pa%2Fss@host:5433/db").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((config.user(), config.database()), ("alice", "db"));
    }
}
