//! SQLite's table. A type change is a rebuild whose copy (`INSERT INTO new
//! SELECT ... FROM old`) applies the new column's affinity to every value:
//! into INTEGER or NUMERIC, '007' becomes 7 and 1.0 becomes 1; into REAL, 7
//! becomes 7.0; into TEXT, numbers become text (reals with 15 significant
//! digits). Nothing fails, since a value that does not convert is kept as
//! it is, except in a STRICT table, which raises on a value its column's
//! type cannot hold losslessly ('abc' or 1.5 into INTEGER, a blob into TEXT).
//! Declared lengths mean nothing to SQLite: `varchar(10)` to `varchar(5)`
//! keeps every value.

/// Column affinity, plus STRICT's ANY (no conversion, anything goes) and a
/// STRICT BLOB (no conversion, only blobs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Affinity {
    Integer,
    Numeric,
    Real,
    Text,
    Blob,
    Any,
}

/// The affinity rules of <https://sqlite.org/datatype3.html> (3.1), in order;
/// a STRICT table only takes the six type names it allows.
fn affinity(declared: &str, strict: bool) -> Affinity {
    let upper = declared.to_ascii_uppercase();
    if strict && upper.trim() == "ANY" {
        return Affinity::Any;
    }
    if upper.contains("INT") {
        Affinity::Integer
    } else if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
        Affinity::Text
    } else if upper.contains("BLOB") || upper.trim().is_empty() {
        Affinity::Blob
    } else if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") {
        Affinity::Real
    } else {
        Affinity::Numeric
    }
}

use super::Effect;
use Affinity::*;

type Judge = fn(bool) -> Effect;

const NUMERIC_TEXT: &str = "numeric text becomes a number ('007' becomes 7)";
const WHOLE_REALS: &str = "reals with whole values become integers (1.0 becomes 1)";
const TO_REAL: &str = "integers become reals (7 becomes 7.0; beyond 2^53 they are rounded)";
const TO_TEXT: &str = "numbers become text (reals keep 15 significant digits)";
const NOT_HELD: &str = "a value cannot be stored losslessly in the STRICT column's type";

/// (old affinity, new affinity, judge given whether the old column's
/// values are known to be of its type, i.e. it was in a STRICT table).
/// First match wins; pairs not listed keep every value.
const RULES: &[(&[Affinity], &[Affinity], Judge)] = &[
    (&[Integer, Numeric], &[Integer, Numeric], |_| Effect::SAFE),
    (&[Text, Blob, Any], &[Integer, Numeric], |_| Effect::loss(NUMERIC_TEXT)),
    (&[Real], &[Integer, Numeric], |_| Effect::loss(WHOLE_REALS)),
    (&[Integer, Numeric], &[Real], |_| Effect::loss(TO_REAL)),
    (&[Text, Blob, Any], &[Real], |_| Effect::loss(NUMERIC_TEXT)),
    (&[Integer, Numeric, Real, Blob, Any], &[Text], |_| Effect::loss(TO_TEXT)),
];

/// What a STRICT new column rejects among the old column's values.
fn strict_rejects(from: Affinity, typed: bool, to: Affinity) -> bool {
    let only = |allowed: &[Affinity]| typed && allowed.contains(&from);
    match to {
        Any => false,
        Integer => !only(&[Integer]),
        Real => !only(&[Integer, Real]),
        // Any old column but a typed TEXT or INTEGER/REAL one may hold blobs.
        Text => !only(&[Integer, Real, Text]),
        Blob => !only(&[Blob]),
        Numeric => false,
    }
}

/// The effect of the rebuild copy on a column declared `from` (in a STRICT
/// table if `from_strict`) going to `to`.
pub(super) fn judge(from: &str, from_strict: bool, to: &str, to_strict: bool) -> Effect {
    let (a, b) = (affinity(from, from_strict), affinity(to, to_strict));
    if a == b && from_strict == to_strict {
        return Effect::SAFE;
    }
    // A non-STRICT BLOB column converts nothing; STRICT's ANY neither.
    let converts = match b {
        Any => false,
        Blob => to_strict,
        _ => true,
    };
    let loss = match RULES.iter().find(|(f, t, _)| f.contains(&a) && t.contains(&b)) {
        Some((_, _, judge)) if converts && a != b => judge(from_strict),
        _ => Effect::SAFE,
    };
    let fails = Effect::fails(NOT_HELD).when(to_strict && strict_rejects(a, from_strict, b));
    loss.and(fails)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(from: &str, from_strict: bool, to: &str, to_strict: bool) -> &'static str {
        match judge(from, from_strict, to, to_strict) {
            Effect { loss: None, fails: None } => "-",
            Effect { loss: Some(_), fails: None } => "L",
            Effect { loss: None, fails: Some(_) } => "F",
            Effect { loss: Some(_), fails: Some(_) } => "LF",
        }
    }

    #[test]
    fn table_of_cases() {
        let cases = [
            ("TEXT", false, "INTEGER", false, "L"),
            ("TEXT", false, "NUMERIC", false, "L"),
            ("VARCHAR(10)", false, "REAL", false, "L"),
            ("INTEGER", false, "TEXT", false, "L"),
            ("REAL", false, "TEXT", false, "L"),
            ("REAL", false, "INTEGER", false, "L"),
            ("INTEGER", false, "REAL", false, "L"),
            ("INTEGER", false, "BIGINT", false, "-"),
            ("INT", false, "NUMERIC", false, "-"),
            ("DECIMAL(10,2)", false, "INTEGER", false, "-"),
            ("varchar(100)", false, "varchar(50)", false, "-"),
            ("TEXT", false, "BLOB", false, "-"),
            ("INTEGER", false, "", false, "-"),
            ("BLOB", false, "INTEGER", false, "L"),
            ("TEXT", true, "INTEGER", true, "LF"),
            ("INTEGER", true, "TEXT", true, "L"),
            ("INTEGER", true, "REAL", true, "L"),
            ("REAL", true, "INTEGER", true, "LF"),
            ("INTEGER", true, "ANY", true, "-"),
            ("ANY", true, "TEXT", true, "LF"),
            ("TEXT", true, "BLOB", true, "F"),
            ("INT", true, "INTEGER", true, "-"),
            ("INTEGER", false, "INTEGER", true, "F"),
            ("INTEGER", true, "INTEGER", false, "-"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(a, sa, b, sb, want)| verdict(a, *sa, b, *sb) != *want)
            .map(|(a, sa, b, sb, want)| format!("{a} {sa} -> {b} {sb}: want {want}, got {}", verdict(a, *sa, b, *sb)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
