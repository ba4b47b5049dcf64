//! Short descriptions of schemas and statements, for logs and reports:
//! engines emit them as `tracing` fields, so they must be cheap and one line.

use crate::{Schema, Statement};

/// Characters of a statement kept by [`Statement::preview`].
const PREVIEW_CHARS: usize = 60;

/// How many objects of each kind a [`Schema`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectCounts {
    /// Tables (virtual and partitions included).
    pub tables: usize,
    /// Views, materialized ones included.
    pub views: usize,
    /// Functions and procedures.
    pub routines: usize,
    /// Indexes of all tables.
    pub indexes: usize,
    /// Triggers.
    pub triggers: usize,
    /// Sequences.
    pub sequences: usize,
    /// User-defined types (enums, domains, composites, ranges).
    pub types: usize,
}

impl Schema {
    /// The number of objects of each kind.
    pub fn object_counts(&self) -> ObjectCounts {
        ObjectCounts {
            tables: self.tables.len(),
            views: self.views.len(),
            routines: self.routines.len(),
            indexes: self.tables.values().map(|t| t.indexes.len()).sum(),
            triggers: self.triggers.len(),
            sequences: self.sequences.len(),
            types: self.types.len(),
        }
    }
}

impl Statement {
    /// The statement's first words on one line, cut after 60 characters
    /// (`…` marks the cut): enough to tell statements apart in a log line
    /// without pasting a whole view or function body.
    pub fn preview(&self) -> String {
        let flat = self.sql.split_whitespace().collect::<Vec<_>>().join(" ");
        match flat.char_indices().nth(PREVIEW_CHARS) {
            Some((cut, _)) => format!("{}…", flat[..cut].trim_end()),
            None => flat,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dialect;

    #[test]
    fn previews_are_one_line_and_bounded() {
        assert_eq!(Statement::new("CREATE TABLE\n  t (id int)").preview(), "CREATE TABLE t (id int)");
        let long = Statement::new(format!("CREATE VIEW v AS SELECT {}", "é, ".repeat(100))).preview();
        assert!(long.ends_with('…'), "{long}");
        assert!(long.chars().count() <= PREVIEW_CHARS + 1, "{long}");
    }

    #[test]
    fn counts_an_empty_schema_as_nothing() {
        assert_eq!(Schema::new(Dialect::Sqlite).object_counts(), ObjectCounts::default());
    }
}
