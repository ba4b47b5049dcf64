//! One read transaction around the whole introspection.
//!
//! Outside a transaction every statement takes and releases the file lock and
//! re-validates the schema on its own, which costs more than the reading does
//! on a large schema; within one, all reads also see a single consistent
//! state of the database.

use rusqlite::Connection;

/// Holds a read transaction open until dropped. Does nothing when the caller
/// is already inside a transaction (theirs is left alone).
#[derive(Debug)]
pub(crate) struct ReadSnapshot<'a> {
    conn: Option<&'a Connection>,
}

impl<'a> ReadSnapshot<'a> {
    pub(crate) fn begin(conn: &'a Connection) -> Self {
        // A failed BEGIN only costs speed: the reads then run as before.
        let began = conn.is_autocommit() && conn.execute_batch("BEGIN DEFERRED").is_ok();
        ReadSnapshot { conn: began.then_some(conn) }
    }
}

impl Drop for ReadSnapshot<'_> {
    fn drop(&mut self) {
        // Nothing was written, so ending the transaction cannot lose anything;
        // should it fail, SQLite ends it with the connection anyway.
        if let Some(conn) = self.conn.take()
            && !conn.is_autocommit()
        {
            let _ = conn.execute_batch("ROLLBACK");
        }
    }
}
