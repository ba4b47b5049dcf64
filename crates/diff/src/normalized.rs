//! Normalized views of the input schemas without copying them when they are
//! normalized already, which is what introspectors and snapshots hand over:
//! a copy of a large schema costs more than the whole diff of a few changes.
//!
//! The check lives in the model (`Schema::is_normalized`); the tests of this
//! crate hold it to `Schema::normalize`, so a new normalization step there
//! fails here rather than going unnoticed.

use std::borrow::Cow;

use schemasync_model::Schema;

/// `schema` itself when normalizing would not change it, else a normalized copy.
pub(crate) fn normalized(schema: &Schema) -> Cow<'_, Schema> {
    if is_normalized(schema) { Cow::Borrowed(schema) } else { Cow::Owned(schema.normalized()) }
}

/// Whether `Schema::normalize` would leave `schema` as it is.
pub(crate) fn is_normalized(schema: &Schema) -> bool {
    schema.is_normalized()
}
