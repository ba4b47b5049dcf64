//! One thing wrong with a schema, named by where it is.

use std::fmt;

/// A field of a schema that cannot go to the target as it is: where it is
/// (`tables["public"."t"].columns["id"].data_type`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// The path of the field in the schema, in the spelling of the JSON
    /// snapshot's keys.
    pub path: String,
    /// Why it is refused.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// `first problem (and N more)`, for error messages.
pub(crate) fn summary(problems: &[Problem]) -> String {
    match problems {
        [] => "no problem".to_owned(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}
