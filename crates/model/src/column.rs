//! Columns and what can hang off one: identity, generation, defaults.

use serde::{Deserialize, Serialize};

use crate::constraint::ConflictResolution;
use crate::is_false;
use crate::sequence::SequenceOptions;

/// A table column. Field order in a table is meaningful and kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Canonical type text for the dialect (`integer`, `character varying(20)`,
    /// `int(10) unsigned`, or the declared type of a SQLite column, which may be empty).
    pub data_type: String,
    /// Whether NULL is allowed.
    #[serde(default = "crate::default_true")]
    pub nullable: bool,
    /// Default expression as SQL text, normalized by the introspector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Collation, when it differs from the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Character set (MySQL), when it differs from the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    /// `GENERATED ... AS IDENTITY` (PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Generated (computed) column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT` on an INTEGER PRIMARY KEY.
    #[serde(default, skip_serializing_if = "is_false")]
    pub auto_increment: bool,
    /// MySQL `ON UPDATE` expression (e.g. `current_timestamp()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// MySQL `INVISIBLE` / SQLite hidden column.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invisible: bool,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// SQLite `NOT NULL ON CONFLICT <resolution>`; only meaningful when the
    /// column is NOT NULL. `None` is SQLite's default, ABORT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_on_conflict: Option<ConflictResolution>,
    /// PostgreSQL `ALTER COLUMN ... SET STATISTICS n` (0 to 10000); `None`
    /// is the server's default (`-1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    /// PostgreSQL `ALTER COLUMN ... SET STORAGE`, only when it differs from
    /// the default storage of the column's type (as `pg_dump` writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<ColumnStorage>,
    /// PostgreSQL `ALTER COLUMN ... SET COMPRESSION`; `None` is the
    /// server's `default_toast_compression`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<ColumnCompression>,
    /// PostgreSQL attribute options (`ALTER COLUMN ... SET (n_distinct = -0.5)`)
    /// as `name=value`, sorted; only `n_distinct` and `n_distinct_inherited`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribute_options: Vec<String>,
}

impl Column {
    /// A nullable column without default.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            nullable: true,
            default: None,
            collation: None,
            charset: None,
            identity: None,
            generated: None,
            auto_increment: false,
            on_update: None,
            invisible: false,
            comment: None,
            not_null_on_conflict: None,
            statistics: None,
            storage: None,
            compression: None,
            attribute_options: Vec::new(),
        }
    }

    /// Whether any PostgreSQL per-column attribute setting (statistics
    /// target, storage, compression, attribute options) is set.
    pub fn has_attribute_settings(&self) -> bool {
        self.statistics.is_some()
            || self.storage.is_some()
            || self.compression.is_some()
            || !self.attribute_options.is_empty()
    }

    /// Builder: NOT NULL.
    #[must_use]
    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }

    /// Builder: default expression, as SQL text (`''`, `0`, `CURRENT_TIMESTAMP`).
    #[must_use]
    pub fn default_expr(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }

    /// Builder: collation.
    #[must_use]
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.collation = Some(collation.into());
        self
    }

    /// Builder: generated column.
    #[must_use]
    pub fn generated_as(mut self, expr: impl Into<String>, stored: bool) -> Self {
        self.generated = Some(Generated { expr: expr.into(), stored });
        self
    }

    /// Builder: auto increment.
    #[must_use]
    pub fn auto_increment(mut self) -> Self {
        self.auto_increment = true;
        self
    }

    /// Builder: comment.
    #[must_use]
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
}

/// A PostgreSQL column's storage mode (`pg_attribute.attstorage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ColumnStorage {
    /// `PLAIN` (`p`): inline, uncompressed.
    Plain,
    /// `EXTERNAL` (`e`): out of line, uncompressed.
    External,
    /// `EXTENDED` (`x`): compressed, then out of line.
    Extended,
    /// `MAIN` (`m`): compressed, out of line only as a last resort.
    Main,
}

impl ColumnStorage {
    /// The keyword of `SET STORAGE`.
    pub fn keyword(self) -> &'static str {
        match self {
            ColumnStorage::Plain => "PLAIN",
            ColumnStorage::External => "EXTERNAL",
            ColumnStorage::Extended => "EXTENDED",
            ColumnStorage::Main => "MAIN",
        }
    }

    /// From the catalog letter (`p`, `e`, `x`, `m`).
    pub fn from_catalog(letter: char) -> Option<Self> {
        match letter {
            'p' => Some(ColumnStorage::Plain),
            'e' => Some(ColumnStorage::External),
            'x' => Some(ColumnStorage::Extended),
            'm' => Some(ColumnStorage::Main),
            _ => None,
        }
    }
}

/// A PostgreSQL column's compression method (`pg_attribute.attcompression`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ColumnCompression {
    /// `pglz` (`p`).
    Pglz,
    /// `lz4` (`l`).
    Lz4,
}

impl ColumnCompression {
    /// The method name of `SET COMPRESSION`.
    pub fn method(self) -> &'static str {
        match self {
            ColumnCompression::Pglz => "pglz",
            ColumnCompression::Lz4 => "lz4",
        }
    }

    /// From the catalog letter (`p`, `l`); `None` for others, including the
    /// default (`\0`).
    pub fn from_catalog(letter: char) -> Option<Self> {
        match letter {
            'p' => Some(ColumnCompression::Pglz),
            'l' => Some(ColumnCompression::Lz4),
            _ => None,
        }
    }
}

/// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// ALWAYS (true) or BY DEFAULT (false).
    pub always: bool,
    /// Options of the implicit sequence.
    #[serde(default)]
    pub sequence: SequenceOptions,
}

/// A generated column's expression and storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generated {
    /// The expression as SQL text.
    pub expr: String,
    /// STORED (true) or VIRTUAL (false).
    pub stored: bool,
}

#[cfg(test)]
mod tests {
    use crate::Schema;

    /// A snapshot written before the PostgreSQL attribute options existed.
    const PG_COLUMNS: &str = include_str!("../../../fuzz/seeds/snapshot/pg_columns.json");

    #[test]
    fn schemas_without_attribute_options_hash_as_before() {
        let schema = Schema::from_json(PG_COLUMNS).unwrap();
        let json = schema.to_canonical_json();
        // The same bytes and the same hash as before the fields existed:
        // versions recorded in a history keep matching their databases.
        assert!(!json.contains("statistics") && !json.contains("storage") && !json.contains("attribute_options"));
        assert_eq!(schema.content_hash(), "3579aa305128e7332e0d9aabbfae2161c60d3f414cde53517d2e73b812976b26");
    }

    #[test]
    fn attribute_settings_round_trip() {
        let mut schema = Schema::from_json(PG_COLUMNS).unwrap();
        let before = schema.content_hash();
        let table = schema.tables.values_mut().next().unwrap();
        let column = &mut table.columns[1];
        assert!(!column.has_attribute_settings());
        column.statistics = Some(0);
        column.storage = Some(super::ColumnStorage::Main);
        column.compression = Some(super::ColumnCompression::Lz4);
        column.attribute_options = vec!["n_distinct=-0.5".into()];
        assert!(column.has_attribute_settings());
        let json = schema.to_canonical_json();
        assert!(
            json.contains(
                r#""statistics":0,"storage":"main","compression":"lz4","attribute_options":["n_distinct=-0.5"]"#
            ),
            "{json}"
        );
        let back = Schema::from_json(&json).unwrap();
        assert_eq!(back, schema);
        assert_ne!(back.content_hash(), before);
    }
}
