//! The whole schema of one database, its canonical JSON and content hash.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::collation::Collation;
use crate::keyed::Keyed;
use crate::namespace::{Event, Extension, Namespace};
use crate::routine::Routine;
use crate::rule::{Rule, Statistics};
use crate::sequence::Sequence;
use crate::table::Table;
use crate::trigger::Trigger;
use crate::user_type::UserType;
use crate::view::View;
use crate::{Dialect, ModelError, QualifiedName, RoutineKey};

/// Everything schemasync knows about one database's schema. Plain owned data:
/// build one by hand, edit it, diff it, serialize it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// The dialect the schema was read from (types and expressions are in its spelling).
    pub dialect: Dialect,
    /// Namespaces (PostgreSQL schemas).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub namespaces: BTreeMap<String, Namespace>,
    /// Extensions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub extensions: BTreeMap<String, Extension>,
    /// Collations created by users (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub collations: BTreeMap<QualifiedName, Collation>,
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
    /// Rewrite rules (PostgreSQL), keyed by (table, name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub rules: BTreeMap<(QualifiedName, String), Rule>,
    /// Extended statistics (PostgreSQL).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", with = "crate::keyed")]
    pub statistics: BTreeMap<QualifiedName, Statistics>,
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
            collations: BTreeMap::new(),
            types: BTreeMap::new(),
            sequences: BTreeMap::new(),
            tables: BTreeMap::new(),
            views: BTreeMap::new(),
            routines: BTreeMap::new(),
            triggers: BTreeMap::new(),
            rules: BTreeMap::new(),
            statistics: BTreeMap::new(),
            events: BTreeMap::new(),
        }
    }

    /// Whether the schema holds no object at all.
    pub fn is_empty(&self) -> bool {
        self.namespaces.is_empty()
            && self.extensions.is_empty()
            && self.collations.is_empty()
            && self.types.is_empty()
            && self.sequences.is_empty()
            && self.tables.is_empty()
            && self.views.is_empty()
            && self.routines.is_empty()
            && self.triggers.is_empty()
            && self.rules.is_empty()
            && self.statistics.is_empty()
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
        serde_json::to_string(&*self.normalized_view()).unwrap_or_default()
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
        crate::canonical::hex(&crate::canonical::sha256_of_json(&*self.normalized_view()))
    }

    /// This schema when it is normalized already (what introspectors and
    /// snapshots hand over), else a normalized copy.
    fn normalized_view(&self) -> std::borrow::Cow<'_, Schema> {
        if self.is_normalized() { std::borrow::Cow::Borrowed(self) } else { std::borrow::Cow::Owned(self.normalized()) }
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
    use crate::{Column, Grant, Table};
    use sha2::{Digest, Sha256};

    fn sha256_of_canonical_json(schema: &Schema) -> String {
        Sha256::digest(schema.to_canonical_json().as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn the_hash_is_the_sha256_of_the_canonical_json() {
        let mut schema = Schema::new(Dialect::Sqlite);
        schema.add_table(Table::new("t").with_column(Column::new("ä \"x\"", "TEXT").default_expr("'it''s'"))).unwrap();
        assert_eq!(schema.content_hash(), sha256_of_canonical_json(&schema));
        assert_eq!(Schema::new(Dialect::MySql).content_hash(), sha256_of_canonical_json(&Schema::new(Dialect::MySql)));
    }

    /// Every kind of object with every optional part set, in canonical order,
    /// with strings that need escaping. Written as JSON so that a field the
    /// model does not know fails the round trip below instead of going unhashed.
    const EVERYTHING: &str = r#"{"dialect":"postgres",
      "namespaces":[{"name":"app","owner":"o","grants":[{"grantee":"r","privilege":"USAGE","columns":["c"],"with_grant_option":true}],"comment":"ns\n\"q\""}],
      "extensions":[{"name":"pgcrypto","schema":"app","version":"1.3","comment":"e\u0001"}],
      "types":[
        {"name":{"schema":"app","name":"comp"},"kind":{"type":"composite","attributes":[{"name":"a","data_type":"text","collation":"C"}]}},
        {"name":{"schema":"app","name":"dom"},"kind":{"type":"domain","base_type":"int","not_null":true,"default":"0","collation":"C","checks":[{"name":"d","expr":"VALUE > 0","not_valid":true,"no_inherit":true,"not_enforced":true,"comment":"c"}]},"owner":"o","grants":[{"grantee":"r","privilege":"USAGE"}],"comment":"d"},
        {"name":{"schema":"app","name":"mood"},"kind":{"type":"enum","labels":["sad","ok","h\\appy"]}},
        {"name":{"schema":"app","name":"rng"},"kind":{"type":"range","subtype":"int4","subtype_opclass":"op","collation":"C","canonical":"f","subtype_diff":"g","multirange":"m"}}],
      "sequences":[{"name":{"schema":"app","name":"s"},"options":{"data_type":"bigint","start":-9223372036854775808,"increment":-1,"min_value":0,"max_value":9223372036854775807,"cache":20,"cycle":true},"owned_by":[{"schema":"app","name":"t"},"id"],"owner":"o","grants":[{"grantee":"r","privilege":"SELECT"}],"comment":"s"}],
      "tables":[
        {"name":{"schema":"app","name":"p"},"columns":[{"name":"id","data_type":"int","nullable":false}],"partitioning":{"strategy":"range","columns_form":true,"key":["id"],"partitions":[{"name":"p0","bound":"VALUES LESS THAN (10)","subpartitions":["s0"],"comment":"p"}],"count":4,"subpartitioning":{"strategy":"linear_key","key":["id"]}}},
        {"name":{"schema":"app","name":"p1"},"columns":[],"partition_of":{"parent":{"schema":"app","name":"p"},"bound":"DEFAULT"}},
        {"name":{"schema":"app","name":"t"},
         "columns":[
           {"name":"id","data_type":"bigint","nullable":false,"identity":{"always":true,"sequence":{"start":1}},"comment":"id"},
           {"name":"g","data_type":"int","nullable":true,"generated":{"expr":"id * 2","stored":true}},
           {"name":"m","data_type":"varchar(10)","nullable":false,"default":"'x'","collation":"utf8mb4_bin","charset":"utf8mb4","auto_increment":true,"on_update":"now()","invisible":true,"not_null_on_conflict":"replace"}],
         "primary_key":{"name":"t_pk","columns":["id"],"on_conflict":"rollback"},
         "uniques":[{"name":"u","columns":["g","m"],"nulls_not_distinct":true,"deferrable":"initially_deferred","comment":"u","on_conflict":"ignore"}],
         "checks":[{"name":"c","expr":"g > 0"}],
         "foreign_keys":[{"name":"f","columns":["g"],"ref_table":{"schema":"app","name":"p"},"ref_columns":["id"],"on_delete":"cascade","on_update":"set_null","match_type":"full","deferrable":"initially_immediate","not_valid":true,"comment":"f"}],
         "exclusions":[{"name":"x","method":"gist","elements":[{"part":{"target":{"expression":"box(g)"},"descending":true,"nulls_first":false,"collation":"C","opclass":"o","prefix_length":3},"operator":"&&"}],"include":["m"],"predicate":"g > 1","deferrable":"initially_deferred","comment":"x"}],
         "indexes":[
           {"name":"ft","method":"btree","kind":{"fulltext":{"parser":"ngram"}},"parts":[{"target":{"column":"m"}}],"include":["g"],"predicate":"m <> ''","nulls_not_distinct":true,"options":["fillfactor=70"],"comment":"i"},
           {"name":"sp","unique":true,"kind":"spatial","parts":[{"target":{"column":"g"}}]}],
         "options":{"dialect":"postgres","unlogged":true,"rls_enabled":true,"rls_forced":true,"storage":["autovacuum_enabled=off","fillfactor=70"]},
         "policies":[{"name":"pol","permissive":false,"command":"update","roles":["a","b"],"using":"true","with_check":"false","comment":"p"}],
         "owner":"o","grants":[{"grantee":"r","privilege":"SELECT","columns":["id"]}],"comment":"t\ttab"},
        {"name":{"schema":"app","name":"v1"},"columns":[{"name":"a","data_type":"text","nullable":true}],"options":{"dialect":"sqlite","strict":true,"without_rowid":true,"virtual_using":"fts5(a)"}},
        {"name":{"schema":"app","name":"v2"},"columns":[{"name":"a","data_type":"text","nullable":true}],"options":{"dialect":"mysql","engine":"InnoDB","charset":"utf8mb4","collation":"utf8mb4_bin","row_format":"DYNAMIC"}}],
      "views":[{"name":{"schema":"app","name":"v"},"definition":"SELECT 1","materialized":true,"columns":["a"],"check_option":"cascaded","options":["security_barrier=true"],"mysql":{"algorithm":"MERGE","security":"DEFINER","definer":"`u`@`%`"},"indexes":[{"name":"vi","parts":[{"target":{"column":"a"}}]}],"depends_on":[{"kind":"table","name":{"schema":"app","name":"t"}}],"owner":"o","grants":[{"grantee":"r","privilege":"SELECT"}],"comment":"v"}],
      "routines":[{"kind":"function","name":{"schema":"app","name":"f"},"signature":"integer","arguments":"x integer","returns":"integer","language":"sql","definition":"SELECT $1","depends_on":[{"kind":"type","name":{"schema":"app","name":"mood"}}],"owner":"o","grants":[{"grantee":"r","privilege":"EXECUTE"}],"comment":"f","sql_mode":"STRICT"}],
      "triggers":[{"table":{"schema":"app","name":"t"},"name":"tr","timing":"instead_of","events":["insert","update"],"update_columns":["g"],"for_each_row":false,"when":"NEW.g > 0","body":"EXECUTE FUNCTION app.f()","constraint":true,"deferrable":"initially_deferred","order":2,"disabled":true,"depends_on":[{"kind":"routine","key":{"kind":"function","name":{"schema":"app","name":"f"},"signature":""}}],"comment":"tr","sql_mode":"ANSI"}],
      "events":[{"name":{"name":"ev"},"schedule":"EVERY 1 DAY","preserve":true,"enabled":false,"body":"DELETE FROM t","comment":"ev","sql_mode":""}]}"#;

    #[test]
    fn unknown_fields_are_refused_naming_the_field() {
        let cases = [
            r#"{"dialect":"sqlite","extra":1}"#,
            r#"{"dialect":"sqlite","tables":[{"name":{"name":"t"},"columns":[{"name":"a","data_type":"int","extra":1}]}]}"#,
            r#"{"dialect":"sqlite","tables":[{"name":{"name":"t","extra":1},"columns":[]}]}"#,
            r#"{"dialect":"sqlite","tables":[{"name":{"name":"t"},"columns":[],"options":{"dialect":"sqlite","extra":true}}]}"#,
            r#"{"dialect":"postgres","types":[{"name":{"name":"e"},"kind":{"type":"enum","labels":[],"extra":1}}]}"#,
            r#"{"dialect":"postgres","views":[{"name":{"name":"v"},"definition":"SELECT 1","depends_on":[{"kind":"table","name":{"name":"t"},"extra":1}]}]}"#,
            r#"{"dialect":"mysql","tables":[{"name":{"name":"t"},"columns":[],"indexes":[{"name":"i","parts":[],"kind":{"fulltext":{"extra":1}}}]}]}"#,
        ];
        for json in cases {
            match Schema::from_json(json) {
                Err(ModelError::Json(message)) => assert!(message.contains("`extra`"), "{json}: {message}"),
                other => panic!("{json}: accepted: {other:?}"),
            }
        }
        // The tags themselves are not unknown fields.
        Schema::from_json(r#"{"dialect":"sqlite","tables":[{"name":{"name":"t"},"columns":[],"options":{"dialect":"sqlite","strict":true}}]}"#)
            .unwrap();
    }

    #[test]
    fn the_hash_of_every_kind_of_object_is_the_sha256_of_its_canonical_json() {
        let schema = Schema::from_json(EVERYTHING).unwrap();
        let written: serde_json::Value = serde_json::from_str(&schema.to_canonical_json()).unwrap();
        let given: serde_json::Value = serde_json::from_str(EVERYTHING).unwrap();
        assert_eq!(written, given, "a field of the fixture is unknown to the model");
        // The fast path itself, not its fallback, writes the canonical JSON.
        let fast = crate::canonical::fast_json(&schema).expect("no fallback");
        assert_eq!(String::from_utf8_lossy(&fast), schema.to_canonical_json());
        assert_eq!(schema.content_hash(), sha256_of_canonical_json(&schema));

        // Not normalized: hashed as its normalized copy.
        let mut shuffled = schema.clone();
        if let Some(table) = shuffled.tables.values_mut().find(|t| !t.grants.is_empty()) {
            table.grants.push(Grant {
                grantee: "a".into(),
                privilege: "INSERT".into(),
                columns: Vec::new(),
                with_grant_option: false,
            });
        }
        assert!(!shuffled.is_normalized());
        assert_eq!(shuffled.content_hash(), sha256_of_canonical_json(&shuffled));
        assert_ne!(shuffled.content_hash(), schema.content_hash());
    }
}
