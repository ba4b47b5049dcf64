//! The whole schema of one database, its canonical JSON and content hash.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

use crate::keyed::Keyed;
use crate::namespace::{Event, Extension, Namespace};
use crate::routine::Routine;
use crate::sequence::Sequence;
use crate::table::Table;
use crate::trigger::Trigger;
use crate::user_type::UserType;
use crate::view::View;
use crate::{Dialect, ModelError, QualifiedName, RoutineKey};

/// Everything schemasync knows about one database's schema. Plain owned data:
/// build one by hand, edit it, diff it, serialize it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// The dialect the schema was read from (types and expressions are in its spelling).
    pub dialect: Dialect,
    /// Namespaces (PostgreSQL schemas).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub namespaces: BTreeMap<String, Namespace>,
    /// Extensions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub extensions: BTreeMap<String, Extension>,
    /// User-defined types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub types: BTreeMap<QualifiedName, UserType>,
    /// Sequences.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    /// Tables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub tables: BTreeMap<QualifiedName, Table>,
    /// Views and materialized views.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub views: BTreeMap<QualifiedName, View>,
    /// Functions and procedures.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub routines: BTreeMap<RoutineKey, Routine>,
    /// Triggers, keyed by (table, name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub triggers: BTreeMap<(QualifiedName, String), Trigger>,
    /// Scheduled events (MySQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub events: BTreeMap<QualifiedName, Event>,
}

impl Schema {
    /// An empty schema.
    pub fn new(dialect: Dialect) -> Self {
        Schema {
            dialect,
            namespaces: BTreeMap::new(),
            extensions: BTreeMap::new(),
            types: BTreeMap::new(),
            sequences: BTreeMap::new(),
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            routines: BTreeMap::new(),
            triggers: BTreeMap::new(),
            events: BTreeMap::new(),
        }
    }

    /// Whether the schema holds no object at all.
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty()
            && self.extensions.is_empty()
            && self.types.is_empty()
            && self.sequences.is_empty()
            && self.tables.is_empty()
            && self.views.is_empty()
            && self.routines.is_empty()
            && self.triggers.is_empty()
            && self.events.is_empty()
    }

    /// Sort every list whose order carries no meaning, so that equal schemas
    /// compare, serialize and hash equal.
    pub fn normalize(&mut self) {
        for table in self.tables.values_mut() {
            table.normalize();
        }
        for view in self.views.values_mut() {
            view.options.sort();
            view.depends_on.sort();
            view.depends_on.dedup();
            view.grants.sort();
        }
        for routine in self.routines.values_mut() {
            routine.depends_on.sort();
            routine.depends_on.dedup();
            routine.grants.sort();
        }
        for trigger in self.triggers.values_mut() {
            trigger.events.sort();
            trigger.events.dedup();
            trigger.depends_on.sort();
            trigger.depends_on.dedup();
        }
        for ty in self.types.values_mut() {
            ty.grants.sort();
            if let crate::TypeKind::Domain { checks, .. } = &mut ty.kind {
                checks.sort();
            }
        }
        for seq in self.sequences.values_mut() {
            seq.grants.sort();
        }
        for ns in self.namespaces.values_mut() {
            ns.grants.sort();
        }
    }

    /// Whether [`Schema::normalize`] would leave this schema as it is.
    pub fn is_normalized(&self) -> bool {
        crate::normalized::is_normalized(self)
    }

    /// A normalized copy.
    #[must_use]
    pub fn normalized(&self) -> Schema {
        let mut copy = self.clone();
        copy.normalize();
        copy
    }

    /// Canonical JSON: compact, normalized, keys in a fixed order. Equal
    /// schemas give byte-identical JSON.
    pub fn to_canonical_json(&self) -> String {
        // Serializing plain data with string keys cannot fail; fall back to an
        // empty document rather than panic if it ever did.
        serde_json::to_string(&self.normalized()).unwrap_or_default()
    }

    /// Pretty JSON for people (same content as the canonical form).
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.normalized()).unwrap_or_default()
    }

    /// Parse a JSON snapshot (canonical or pretty).
    pub fn from_json(json: &str) -> Result<Schema, ModelError> {
        let mut schema: Schema = serde_json::from_str(json).map_err(|e| ModelError::Json(e.to_string()))?;
        schema.normalize();
        Ok(schema)
    }

    /// SHA-256 of the canonical JSON, in lowercase hex. Equal for equal schemas.
    pub fn content_hash(&self) -> String {
        // Streamed into the hasher: the canonical JSON of a large schema is
        // megabytes that need not exist all at once.
        struct Hasher<'a>(&'a mut Sha256);
        impl std::io::Write for Hasher<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.update(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut sha = Sha256::new();
        // Writing plain data to a hasher cannot fail; an error would leave a
        // hash of the prefix, which still differs from any other schema's.
        let normalized = if self.is_normalized() {
            std::borrow::Cow::Borrowed(self)
        } else {
            std::borrow::Cow::Owned(self.normalized())
        };
        let _ = serde_json::to_writer(Hasher(&mut sha), &*normalized);
        let digest = sha.finalize();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        hex
    }

    /// The table with this name.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.get(name)
    }

    /// The table with this name, for editing.
    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        self.tables.get_mut(name)
    }

    /// The table with this name, for editing, or an error naming it.
    pub fn require_table_mut(&mut self, name: &QualifiedName) -> Result<&mut Table, ModelError> {
        self.tables.get_mut(name).ok_or_else(|| ModelError::NoSuchObject(format!("table {name}")))
    }

    /// Add a table; refuses a name already used by a table or view.
    pub fn add_table(&mut self, table: Table) -> Result<(), ModelError> {
        if self.tables.contains_key(&table.name) || self.views.contains_key(&table.name) {
            return Err(ModelError::DuplicateObject(format!("table {}", table.name)));
        }
        self.tables.insert(table.key(), table);
        Ok(())
    }

    /// Remove a table and the triggers on it.
    pub fn remove_table(&mut self, name: &QualifiedName) -> Option<Table> {
        let removed = self.tables.remove(name)?;
        self.triggers.retain(|(table, _), _| table != name);
        Some(removed)
    }

    /// Add a view; refuses a name already used by a table or view.
    pub fn add_view(&mut self, view: View) -> Result<(), ModelError> {
        if self.tables.contains_key(&view.name) || self.views.contains_key(&view.name) {
            return Err(ModelError::DuplicateObject(format!("view {}", view.name)));
        }
        self.views.insert(view.key(), view);
        Ok(())
    }

    /// Add a trigger; refuses a duplicate.
    pub fn add_trigger(&mut self, trigger: Trigger) -> Result<(), ModelError> {
        let key = trigger.key();
        if self.triggers.contains_key(&key) {
            return Err(ModelError::DuplicateObject(format!("trigger {} on {}", key.1, key.0)));
        }
        self.triggers.insert(key, trigger);
        Ok(())
    }

    /// Add or replace any keyed object in the map given (types, sequences, ...).
    pub fn upsert<V: Keyed>(map: &mut BTreeMap<V::Key, V>, value: V) -> Option<V> {
        crate::keyed::insert(map, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, Table};

    #[test]
    fn the_hash_is_the_sha256_of_the_canonical_json() {
        let mut schema = Schema::new(Dialect::Sqlite);
        schema.add_table(Table::new("t").with_column(Column::new("ä \"x\"", "TEXT").default_expr("'it''s'"))).unwrap();
        let expected: String =
            Sha256::digest(schema.to_canonical_json().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(schema.content_hash(), expected);
    }
}
