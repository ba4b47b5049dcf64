//! CREATE / ALTER / DROP SEQUENCE and the sequence options identity columns
//! share with them.

use schemasync_model::{Sequence, SequenceOptions};

use crate::EmitError;
use crate::render::non_empty;

use super::{ident, qname};

/// `CREATE SEQUENCE "s"."q"[ AS t][ INCREMENT BY n]...`. The differ creates
/// sequences unowned and sets OWNED BY afterwards, once the column exists.
pub(super) fn create_sequence(seq: &Sequence) -> Result<String, EmitError> {
    let mut sql = format!("CREATE SEQUENCE {}", qname(&seq.name));
    for clause in option_clauses(&seq.options, true, || format!("sequence {}", seq.name))? {
        sql.push(' ');
        sql.push_str(&clause);
    }
    if let Some(owned) = owned_by(seq) {
        sql.push(' ');
        sql.push_str(&owned);
    }
    Ok(sql)
}

/// `DROP SEQUENCE "s"."q"`.
pub(super) fn drop_sequence(seq: &Sequence) -> Result<String, EmitError> {
    Ok(format!("DROP SEQUENCE {}", qname(&seq.name)))
}

/// One `ALTER SEQUENCE` with every option that differs.
pub(super) fn alter_sequence(from: &Sequence, to: &Sequence) -> Result<Vec<String>, EmitError> {
    let mut clauses = changed_clauses(&from.options, &to.options, true, || format!("sequence {}", to.name))?;
    if from.owned_by != to.owned_by {
        clauses.push(owned_by(to).unwrap_or_else(|| "OWNED BY NONE".to_owned()));
    }
    if clauses.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![format!("ALTER SEQUENCE {} {}", qname(&to.name), clauses.join(" "))])
}

fn owned_by(seq: &Sequence) -> Option<String> {
    seq.owned_by.as_ref().map(|(table, column)| format!("OWNED BY {}.{}", qname(table), ident(column)))
}

/// The clauses of the options that are set, in `CREATE SEQUENCE` order.
/// `with_type`: identity columns take their sequence type from the column.
pub(super) fn option_clauses(
    options: &SequenceOptions,
    with_type: bool,
    what: impl Fn() -> String,
) -> Result<Vec<String>, EmitError> {
    let mut out = Vec::new();
    if let Some(data_type) = options.data_type.as_deref().filter(|_| with_type) {
        out.push(format!("AS {}", non_empty(data_type, || format!("type of {}", what()))?));
    }
    if let Some(n) = options.increment {
        out.push(format!("INCREMENT BY {n}"));
    }
    if let Some(n) = options.min_value {
        out.push(format!("MINVALUE {n}"));
    }
    if let Some(n) = options.max_value {
        out.push(format!("MAXVALUE {n}"));
    }
    if let Some(n) = options.start {
        out.push(format!("START WITH {n}"));
    }
    if let Some(n) = options.cache {
        out.push(format!("CACHE {n}"));
    }
    if options.cycle {
        out.push("CYCLE".to_owned());
    }
    Ok(out)
}

/// The clauses that turn `from` into `to`. An option going back to `None`
/// is spelled as PostgreSQL's default, since ALTER has no "reset" for most.
pub(super) fn changed_clauses(
    from: &SequenceOptions,
    to: &SequenceOptions,
    with_type: bool,
    what: impl Fn() -> String,
) -> Result<Vec<String>, EmitError> {
    let mut out = Vec::new();
    if with_type && from.data_type != to.data_type {
        let data_type = to.data_type.as_deref().unwrap_or("bigint");
        out.push(format!("AS {}", non_empty(data_type, || format!("type of {}", what()))?));
    }
    if from.increment != to.increment {
        out.push(format!("INCREMENT BY {}", to.increment.unwrap_or(1)));
    }
    if from.min_value != to.min_value {
        out.push(to.min_value.map_or_else(|| "NO MINVALUE".to_owned(), |n| format!("MINVALUE {n}")));
    }
    if from.max_value != to.max_value {
        out.push(to.max_value.map_or_else(|| "NO MAXVALUE".to_owned(), |n| format!("MAXVALUE {n}")));
    }
    // An unset START follows MINVALUE (or MAXVALUE): what counts is the
    // start each side ends up with.
    let start_of = |o: &SequenceOptions| o.start.unwrap_or_else(|| default_start(o));
    if start_of(from) != start_of(to) {
        out.push(format!("START WITH {}", start_of(to)));
    }
    if from.cache != to.cache {
        out.push(format!("CACHE {}", to.cache.unwrap_or(1)));
    }
    if from.cycle != to.cycle {
        out.push(if to.cycle { "CYCLE" } else { "NO CYCLE" }.to_owned());
    }
    Ok(out)
}

/// PostgreSQL's default START: the minimum of an ascending sequence, the
/// maximum of a descending one.
fn default_start(options: &SequenceOptions) -> i64 {
    if options.increment.unwrap_or(1) < 0 { options.max_value.unwrap_or(-1) } else { options.min_value.unwrap_or(1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_options_take_the_defaults() {
        let from = SequenceOptions { start: Some(5), cache: Some(10), min_value: Some(2), ..Default::default() };
        let clauses = changed_clauses(&from, &SequenceOptions::default(), true, String::new).unwrap();
        assert_eq!(clauses, ["NO MINVALUE", "START WITH 1", "CACHE 1"]);
        let down = SequenceOptions { increment: Some(-1), ..Default::default() };
        assert_eq!(default_start(&down), -1);
    }
}
