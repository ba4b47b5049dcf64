//! Resolving names the way SQLite does (ASCII case-insensitively) against the
//! tables and views of the schema.

use std::collections::HashMap;

use schemasync_model::{ObjectKey, QualifiedName};

/// Tables and views by lowercased name.
#[derive(Debug, Default)]
pub(crate) struct Names {
    by_lower: HashMap<String, ObjectKey>,
}

impl Names {
    pub(crate) fn add_table(&mut self, name: &str) {
        self.by_lower.insert(name.to_ascii_lowercase(), ObjectKey::Table { name: QualifiedName::bare(name) });
    }

    pub(crate) fn add_view(&mut self, name: &str) {
        self.by_lower.insert(name.to_ascii_lowercase(), ObjectKey::View { name: QualifiedName::bare(name) });
    }

    /// The table or view this name refers to.
    pub(crate) fn resolve(&self, name: &str) -> Option<&ObjectKey> {
        self.by_lower.get(&name.to_ascii_lowercase())
    }

    /// The stored spelling of a table or view name, or the name as given.
    pub(crate) fn canonical(&self, name: &str) -> String {
        match self.resolve(name) {
            Some(ObjectKey::Table { name } | ObjectKey::View { name }) => name.name.clone(),
            _ => name.to_owned(),
        }
    }

    /// Tables and views named by any of `identifiers`, except `own`.
    pub(crate) fn mentioned(&self, identifiers: &[String], own: &[&str]) -> Vec<ObjectKey> {
        let mut found: Vec<ObjectKey> = identifiers
            .iter()
            .filter(|id| !own.iter().any(|o| o.eq_ignore_ascii_case(id)))
            .filter_map(|id| self.resolve(id).cloned())
            .collect();
        found.sort();
        found.dedup();
        found
    }
}

/// The declared spelling of a column name among `columns`, or the name as given.
pub(crate) fn canonical_column<'a>(columns: impl IntoIterator<Item = &'a str>, name: &str) -> String {
    columns.into_iter().find(|c| c.eq_ignore_ascii_case(name)).unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_case_insensitively() {
        let mut names = Names::default();
        names.add_table("Users");
        names.add_view("Active Users");
        assert_eq!(names.canonical("users"), "Users");
        assert_eq!(names.canonical("nope"), "nope");
        let ids: Vec<String> =
            ["SELECT", "users", "active users", "USERS", "x"].iter().map(|s| s.to_string()).collect();
        let deps = names.mentioned(&ids, &[]);
        assert_eq!(deps.len(), 2);
        assert!(names.mentioned(&ids, &["Users", "Active Users"]).is_empty());
        assert_eq!(canonical_column(["Id", "name"], "ID"), "Id");
        assert_eq!(canonical_column(["Id"], "ä"), "ä");
    }
}
