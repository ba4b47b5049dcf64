//! Sequences, and the default-stripping of sequence options shared with
//! identity columns: an option equal to what PostgreSQL would choose without
//! it is stored as `None`, so a hand-written schema that leaves it out
//! compares equal to an introspected one.

use schemasync_model::{QualifiedName, Sequence, SequenceOptions};
use tokio_postgres::Row;

use super::row::Fields;
use super::{Builder, display_name};
use crate::PostgresError;

/// The options as stored in `pg_sequence`.
pub(crate) struct RawOptions {
    pub(crate) start: i64,
    pub(crate) increment: i64,
    pub(crate) min: i64,
    pub(crate) max: i64,
    pub(crate) cache: i64,
    pub(crate) cycle: bool,
}

impl RawOptions {
    pub(crate) fn read(f: &Fields<'_>) -> Result<Option<RawOptions>, PostgresError> {
        let Some(start) = f.get::<Option<i64>>("start_value")? else { return Ok(None) };
        Ok(Some(RawOptions {
            start,
            increment: f.get("increment")?,
            min: f.get("min_value")?,
            max: f.get("max_value")?,
            cache: f.get("cache")?,
            cycle: f.get("cycle")?,
        }))
    }
}

/// Range of a sequence data type as `format_type` prints it.
fn type_bounds(data_type: &str) -> (i64, i64) {
    match data_type {
        "smallint" => (i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    }
}

/// Options with engine defaults replaced by `None`. `data_type` is the
/// sequence's type (for identity columns, the column's type, which is also
/// the default); `default_type` is the type PostgreSQL picks when none is given.
pub(crate) fn strip_defaults(raw: &RawOptions, data_type: &str, default_type: &str) -> SequenceOptions {
    let (type_min, type_max) = type_bounds(data_type);
    let ascending = raw.increment > 0;
    let default_min = if ascending { 1 } else { type_min };
    let default_max = if ascending { type_max } else { -1 };
    let default_start = if ascending { raw.min } else { raw.max };
    SequenceOptions {
        data_type: (data_type != default_type).then(|| data_type.to_owned()),
        start: (raw.start != default_start).then_some(raw.start),
        increment: (raw.increment != 1).then_some(raw.increment),
        min_value: (raw.min != default_min).then_some(raw.min),
        max_value: (raw.max != default_max).then_some(raw.max),
        cache: (raw.cache != 1).then_some(raw.cache),
        cycle: raw.cycle,
    }
}

pub(crate) fn read_sequences(b: &mut Builder, rows: &[Row]) -> Result<(), PostgresError> {
    for row in rows {
        let f = Fields::new(row, "sequences");
        let schema: String = f.get("schema")?;
        let name: String = f.get("name")?;
        let data_type: String = f.get("data_type")?;
        let raw = RawOptions::read(&f)?
            .ok_or_else(|| f.unexpected(format!("sequence {} has no options", display_name(&schema, &name))))?;
        let owned_by = match (f.get::<Option<String>>("owned_schema")?, f.get::<Option<String>>("owned_table")?) {
            (Some(s), Some(t)) => {
                f.get::<Option<String>>("owned_column")?.map(|c| (QualifiedName::new(Some(&s), t), c))
            }
            _ => None,
        };
        let qualified = QualifiedName::new(Some(&schema), name);
        b.oids.sequences.insert(f.get("oid")?, qualified.clone());
        let sequence = Sequence {
            name: qualified.clone(),
            options: strip_defaults(&raw, &data_type, "bigint"),
            owned_by,
            owner: b.owner(f.get("owner")?),
            grants: Vec::new(),
            comment: f.get("comment")?,
        };
        b.schema.sequences.insert(qualified, sequence);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(start: i64, increment: i64, min: i64, max: i64) -> RawOptions {
        RawOptions { start, increment, min, max, cache: 1, cycle: false }
    }

    #[test]
    fn defaults_become_none() {
        let o = strip_defaults(&raw(1, 1, 1, i64::MAX), "bigint", "bigint");
        assert_eq!(o, SequenceOptions::default());
        let o = strip_defaults(&raw(-1, -1, i64::from(i32::MIN), -1), "integer", "bigint");
        assert_eq!(o.data_type.as_deref(), Some("integer"));
        assert_eq!((o.start, o.increment, o.min_value, o.max_value), (None, Some(-1), None, None));
        let o = strip_defaults(&raw(10, 5, 5, 1000), "integer", "integer");
        assert_eq!((o.data_type, o.start, o.min_value, o.max_value), (None, Some(10), Some(5), Some(1000)));
    }
}
