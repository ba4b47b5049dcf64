//! The facade is synchronous; server engines are async. Each connection
//! owns a small current-thread runtime to drive its futures.

use crate::Error;

pub(crate) fn new_runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io { path: "(async runtime)".to_owned(), source })
}
