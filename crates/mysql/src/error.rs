//! The one error type of this crate.

pub use schemasync_model::TlsFailure;

/// What can go wrong talking to a MySQL or MariaDB server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MySqlError {
    /// The connection URL could not be understood.
    #[error("invalid MySQL URL: {message}")]
    Url {
        /// What is wrong with it.
        message: String,
    },
    /// The operation needs a database and the URL names none.
    #[error("the MySQL URL names no database")]
    NoDatabase,
    /// The server could not be reached or refused the login.
    #[error("cannot connect to MySQL server {host}: {message}")]
    Connect {
        /// `host:port` or the socket path.
        host: String,
        /// Why.
        message: String,
    },
    /// The TLS connection could not be made: the server's certificate was
    /// refused (which check failed is in `failure`), or TLS was required and
    /// the server does not offer it.
    #[error("TLS connection to MySQL server {host} failed: {failure}: {message}")]
    Tls {
        /// `host:port`.
        host: String,
        /// Which check failed.
        failure: TlsFailure,
        /// The TLS library's or driver's message.
        message: String,
    },
    /// A file named by `ssl-ca`, `ssl-cert` or `ssl-key` cannot be read.
    #[error("TLS settings for MySQL server {host}: {message}")]
    TlsConfig {
        /// `host:port`.
        host: String,
        /// Which file and why.
        message: String,
    },
    /// `ssl-mode` needs TLS and this build has none (feature `tls` off).
    #[error("ssl-mode={mode} was requested for {host}, but this build of schemasync has no TLS support")]
    TlsUnavailable {
        /// `host:port`.
        host: String,
        /// The requested mode.
        mode: &'static str,
    },
    /// A name given to the engine (character set, collation) is not a plain word.
    #[error("invalid {what} name {name:?}")]
    InvalidName {
        /// `character set`, `collation`.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// A catalog query returned something this crate cannot read.
    #[error("unexpected catalog data ({context}): {message}")]
    Catalog {
        /// Which query or object.
        context: String,
        /// What was unexpected.
        message: String,
    },
    /// A statement of a `.sql` script given to [`crate::load_sql`] failed.
    #[error("statement {index} of the SQL script (line {line}) failed: {message}")]
    Script {
        /// Position of the statement in the script (0-based).
        index: usize,
        /// 1-based line where the statement starts.
        line: usize,
        /// The server's message.
        message: String,
    },
    /// The `.sql` script could not be split into statements.
    #[error("cannot split the SQL script: {0}")]
    Split(#[from] schemasync_sql::SqlError),
    /// Another sync holds the lock of this database.
    #[error("database {database} is locked by another schemasync run (waited {waited_secs} s)")]
    Locked {
        /// The database.
        database: String,
        /// How long the lock was waited for.
        waited_secs: u64,
    },
    /// The database schema is not the one the script was planned against.
    #[error("schema drift: expected schema hash {expected}, found {actual}")]
    Drift {
        /// Hash the plan was computed from.
        expected: String,
        /// Hash of the database now.
        actual: String,
    },
    /// A statement of an applied script failed, or the connection was lost
    /// while it ran. MySQL DDL commits as it goes: the `completed` statements
    /// before it stay applied, and the message says which in 1-based counts
    /// ("statement 3 of 5 failed; statements 1 to 2 of 5 ran and stay applied").
    #[error("statement {} of {total} failed; {}: {message}\n{sql}", .index + 1, ran(*.completed, *.total))]
    Statement {
        /// Position of the failed statement in the script (0-based).
        index: usize,
        /// The statement.
        sql: String,
        /// The server's message.
        message: String,
        /// Statements that ran successfully before it.
        completed: usize,
        /// Statements in the script.
        total: usize,
    },
    /// A script written for another dialect was given to the MySQL engine.
    #[error("cannot apply a {dialect} script to MySQL")]
    WrongDialect {
        /// The script's dialect.
        dialect: String,
    },
    /// Any other error of the server or the driver.
    #[error("MySQL error: {0}")]
    Driver(#[from] mysql_async::Error),
}

/// Which statements of a failed apply stay applied, for [`MySqlError::Statement`].
fn ran(completed: usize, total: usize) -> String {
    match completed {
        0 => format!("none of the {total} statements ran"),
        1 => format!("statement 1 of {total} ran and stays applied"),
        k => format!("statements 1 to {k} of {total} ran and stay applied"),
    }
}

impl MySqlError {
    pub(crate) fn catalog(context: impl Into<String>, message: impl Into<String>) -> Self {
        MySqlError::Catalog { context: context.into(), message: message.into() }
    }

    /// The server's error message, without the driver's decoration, for
    /// errors that came from the server.
    pub(crate) fn server_message(e: &mysql_async::Error) -> String {
        match e {
            mysql_async::Error::Server(s) => format!("ERROR {} ({}): {}", s.code, s.state, s.message),
            // The driver's own text ("Input/output error: connection closed")
            // does not say that the session is gone, which is what matters to
            // someone resuming: nothing after this point ran.
            mysql_async::Error::Io(io) => format!("the connection to the server was lost ({io})"),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MySqlError;

    #[test]
    fn a_failed_statement_says_which_ran() {
        let err = |index, completed| MySqlError::Statement {
            index,
            sql: "ALTER TABLE `t` ADD COLUMN `c` int".into(),
            message: "ERROR 1927 (70100): Connection was killed".into(),
            completed,
            total: 5,
        };
        assert_eq!(
            err(2, 2).to_string(),
            "statement 3 of 5 failed; statements 1 to 2 of 5 ran and stay applied: \
             ERROR 1927 (70100): Connection was killed\nALTER TABLE `t` ADD COLUMN `c` int"
        );
        assert!(err(1, 1).to_string().starts_with("statement 2 of 5 failed; statement 1 of 5 ran and stays applied: "));
        assert!(err(0, 0).to_string().starts_with("statement 1 of 5 failed; none of the 5 statements ran: "));
    }
}
