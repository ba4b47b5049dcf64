//! Reading catalog rows by position without trusting them: a missing cell, a
//! NULL where text is needed or bytes that are not UTF-8 are errors, never panics.

use mysql_async::Value;

use crate::MySqlError;

/// One row of a catalog query.
#[derive(Debug)]
pub(crate) struct Cells {
    context: &'static str,
    values: Vec<Value>,
}

impl Cells {
    pub(crate) fn new(context: &'static str, values: Vec<Value>) -> Self {
        Cells { context, values }
    }

    fn value(&self, index: usize) -> Result<&Value, MySqlError> {
        self.values.get(index).ok_or_else(|| MySqlError::catalog(self.context, format!("row has no column {index}")))
    }

    /// Text of a cell, `None` for NULL.
    pub(crate) fn opt_text(&self, index: usize) -> Result<Option<String>, MySqlError> {
        Ok(match self.value(index)? {
            Value::NULL => None,
            Value::Bytes(bytes) => Some(
                String::from_utf8(bytes.clone())
                    .map_err(|_| MySqlError::catalog(self.context, format!("column {index} is not valid UTF-8")))?,
            ),
            Value::Int(n) => Some(n.to_string()),
            Value::UInt(n) => Some(n.to_string()),
            other => Some(other.as_sql(true)),
        })
    }

    /// Text of a cell that may hold raw bytes (a MySQL default of a binary
    /// column): bytes that are not UTF-8 come back as a hex literal `0x...`.
    pub(crate) fn opt_text_or_hex(&self, index: usize) -> Result<Option<String>, MySqlError> {
        if let Value::Bytes(bytes) = self.value(index)?
            && std::str::from_utf8(bytes).is_err()
        {
            let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
            return Ok(Some(format!("0x{hex}")));
        }
        self.opt_text(index)
    }

    /// Text of a cell; NULL is an error.
    pub(crate) fn text(&self, index: usize) -> Result<String, MySqlError> {
        self.opt_text(index)?.ok_or_else(|| MySqlError::catalog(self.context, format!("column {index} is NULL")))
    }

    /// Text of a cell, NULL read as empty.
    pub(crate) fn text_or_empty(&self, index: usize) -> Result<String, MySqlError> {
        Ok(self.opt_text(index)?.unwrap_or_default())
    }

    /// A non-negative number; NULL is `None`.
    pub(crate) fn opt_u32(&self, index: usize) -> Result<Option<u32>, MySqlError> {
        match self.opt_text(index)? {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| MySqlError::catalog(self.context, format!("column {index} is not a number: {text:?}"))),
        }
    }
}

/// A catalog row as the server would send it: text cells and NULLs, so that
/// unit tests can feed each reader the spellings of either server.
#[cfg(test)]
pub(crate) fn test_row(context: &'static str, cells: &[Option<&str>]) -> Cells {
    Cells::new(context, cells.iter().map(|c| c.map_or(Value::NULL, |t| Value::Bytes(t.as_bytes().to_vec()))).collect())
}
