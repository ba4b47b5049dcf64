//! The one error type of this crate.

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
    /// A statement of an applied script failed. MySQL DDL commits as it goes:
    /// the `completed` statements before it stay applied.
    #[error("statement {index} failed after {completed} statements were applied: {message}\n{sql}")]
    Statement {
        /// Position of the failed statement in the script (0-based).
        index: usize,
        /// The statement.
        sql: String,
        /// The server's message.
        message: String,
        /// Statements that ran successfully before it.
        completed: usize,
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

impl MySqlError {
    pub(crate) fn catalog(context: impl Into<String>, message: impl Into<String>) -> Self {
        MySqlError::Catalog { context: context.into(), message: message.into() }
    }

    /// The server's error message, without the driver's decoration, for
    /// errors that came from the server.
    pub(crate) fn server_message(e: &mysql_async::Error) -> String {
        match e {
            mysql_async::Error::Server(s) => format!("ERROR {} ({}): {}", s.code, s.state, s.message),
            other => other.to_string(),
        }
    }
}
