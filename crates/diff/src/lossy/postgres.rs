//! PostgreSQL's table. Checked on PostgreSQL 15: an assignment cast to
//! `varchar(n)`/`char(n)` raises on an overlong value where an explicit one
//! (`CAST(v AS varchar(n))`) truncates it, so changes into those types are
//! emitted without USING (see [`postgres_conversion`]); numeric to integer
//! rounds (1.75 becomes 2) whichever cast runs, and raises only out of
//! range; `text` to `integer` turns '007' into 7 and raises on 'abc';
//! `timestamp` to `timestamptz` reads the values in the session time zone.

use schemasync_model::Dialect;

use super::kind::{Category as C, Kind, kind};
use super::numbers::{self as n, fits_text};
use super::{Effect, Pat, first_match};

type Judge = fn(&Kind, &Kind) -> Effect;

const NUMBER: Pat<C> = &[C::Int, C::Float, C::Decimal];
const TEMPORAL: Pat<C> = &[C::Date, C::Timestamp, C::Time];
const ANY: Pat<C> = &[];
const ZONE: &str = "values are converted through the session's time zone";
const FRACTION: &str = "fractional seconds are rounded to the new precision";
const NOT_CONVERTIBLE: &str = "an existing value does not convert to the new type";

/// First matching row wins; a pair no row covers may fail.
const RULES: &[(Pat<C>, Pat<C>, Judge)] = &[
    (&[C::Int], &[C::Int], n::int_to_int),
    (&[C::Int], &[C::Float], n::int_to_float),
    (&[C::Int], &[C::Decimal], n::int_to_decimal),
    (&[C::Int], &[C::Bool], |_, _| Effect::loss("every value but 0 becomes true")),
    (&[C::Int], &[C::Bit], |_, _| Effect::loss("only the lowest bits of each value are kept")),
    (&[C::Float], &[C::Int], n::float_to_int),
    (&[C::Float], &[C::Float], n::float_to_float),
    (&[C::Float], &[C::Decimal], n::float_to_decimal),
    (&[C::Decimal], &[C::Int], n::decimal_to_int),
    (&[C::Decimal], &[C::Float], n::decimal_to_float),
    (&[C::Decimal], &[C::Decimal], n::decimal_to_decimal),
    (&[C::Bool], &[C::Int], |_, _| Effect::SAFE),
    (&[C::Text], &[C::Text], text_to_text),
    (&[C::Text], NUMBER, n::text_to_number),
    (&[C::Text], &[C::Bool], |_, _| {
        Effect::loss("spellings such as 'yes' or 'on' become true or false")
            .and(Effect::fails("a value is not a boolean"))
    }),
    (&[C::Text], TEMPORAL, |_, _| {
        Effect::loss("date and time spellings are normalized").and(Effect::fails("a value is not a valid date or time"))
    }),
    (&[C::Text], &[C::Json], |_, to| {
        Effect::fails("a value is not valid JSON")
            .and(jsonb_normalizes().when(matches!(to, Kind::Json { binary: true })))
    }),
    (&[C::Text], &[C::Binary], |_, _| {
        Effect::loss("backslash escapes in the text are decoded").and(Effect::fails("a value holds an invalid escape"))
    }),
    (&[C::Binary], &[C::Text], |_, _| Effect::loss("bytes become their hexadecimal spelling")),
    (&[C::Text], &[C::Other], text_to_other),
    (&[C::Bit], &[C::Bit], bit_to_bit),
    (&[C::Json], &[C::Json], |from, to| {
        jsonb_normalizes().when(matches!((from, to), (Kind::Json { binary: false }, Kind::Json { binary: true })))
    }),
    (&[C::Date], &[C::Timestamp], |_, to| Effect::loss(ZONE).when(matches!(to, Kind::Timestamp { zoned: true, .. }))),
    (&[C::Timestamp], &[C::Timestamp], moments),
    (&[C::Time], &[C::Time], moments),
    (&[C::Timestamp], &[C::Date], |_, _| Effect::loss("the time of day is dropped")),
    (&[C::Timestamp], &[C::Time], |_, _| Effect::loss("the date is dropped")),
    (&[C::Array], &[C::Array], |from, to| match (from, to) {
        (Kind::Array(a), Kind::Array(b)) => judge_kinds(a, b),
        _ => Effect::fails(NOT_CONVERTIBLE),
    }),
    // Every type prints as text exactly (floats too, since PostgreSQL 12).
    (ANY, &[C::Text], fits_text),
];

/// Built-in types (the introspector names them unqualified) print values
/// their own way: '{A0EEBC99-...}' into uuid reads 'a0eebc99-...', '60
/// minutes' into interval '01:00:00'. User types are qualified: an enum
/// label or a domain value reads as written.
fn text_to_other(_: &Kind, to: &Kind) -> Effect {
    let builtin = matches!(to, Kind::Other(name) if !name.contains('.'));
    Effect::loss("values are rewritten in the new type's own spelling")
        .when(builtin)
        .and(Effect::fails(NOT_CONVERTIBLE))
}

fn jsonb_normalizes() -> Effect {
    Effect::loss("jsonb normalizes objects (whitespace, key order, duplicate keys)")
}

fn text_to_text(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Text { chars: a, fixed: fa, .. }, Kind::Text { chars: b, fixed: fb, .. }) = (from, to) else {
        return Effect::fails(n::TOO_LONG);
    };
    let shorter = b.is_some_and(|b| a.is_none_or(|a| b < a));
    // char(n) pads with blanks and ignores trailing ones: 'a  ' reads as 'a'.
    let padded = !fa && *fb;
    Effect::loss("trailing blanks are no longer significant in char(n)")
        .when(padded)
        .and(Effect::fails(n::TOO_LONG).when(shorter))
}

fn bit_to_bit(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Bit { len: a, .. }, Kind::Bit { len: b, varying }) = (from, to) else {
        return Effect::fails(NOT_CONVERTIBLE);
    };
    if *varying {
        Effect::fails(n::TOO_LONG).when(b.is_some_and(|b| a.is_none_or(|a| b < a)))
    } else {
        // The explicit cast pads or cuts to the new length.
        Effect::loss("values are zero-padded or cut to the new number of bits").when(a != b)
    }
}

fn moments(from: &Kind, to: &Kind) -> Effect {
    let (zone, frac) = match (from, to) {
        (Kind::Timestamp { zoned: za, frac: fa }, Kind::Timestamp { zoned: zb, frac: fb })
        | (Kind::Time { zoned: za, frac: fa }, Kind::Time { zoned: zb, frac: fb }) => (za != zb, fb < fa),
        _ => return Effect::fails(NOT_CONVERTIBLE),
    };
    Effect::loss(ZONE).when(zone).and(Effect::loss(FRACTION).when(frac))
}

fn judge_kinds(from: &Kind, to: &Kind) -> Effect {
    if from == to {
        return Effect::SAFE;
    }
    match first_match(RULES, from.category(), to.category()) {
        Some(judge) => judge(from, to),
        None => Effect::fails(NOT_CONVERTIBLE),
    }
}

/// The effect of `ALTER COLUMN ... TYPE to` on a column of type `from`, as
/// emitted (see [`postgres_conversion`]).
pub(super) fn judge(from: &str, to: &str) -> Effect {
    judge_kinds(&kind(Dialect::Postgres, from), &kind(Dialect::Postgres, to))
}

/// The effect of a change from a type (a domain's base type already) to
/// `to`, which is a domain over `base` when `to_domain` says so. The
/// emitter casts into a domain explicitly ([`postgres_conversion`] cannot
/// tell a domain from an enum), and the explicit cast into a domain over
/// `varchar(5)` cuts 'fifteen chars' to 'fifte' where the assignment cast
/// raises: what would fail is lost instead.
pub(super) fn judge_domains(from: &str, to_domain: Option<(&str, bool)>, to: &str) -> Effect {
    let Some((base, constrained)) = to_domain else { return judge(from, to) };
    let (a, b) = (kind(Dialect::Postgres, from), kind(Dialect::Postgres, base));
    let effect = judge_kinds(&a, &b);
    let effect = if bounded_by_assignment(&a, &b) && effect.fails.is_some() {
        Effect { loss: effect.loss.or(Some("values too long for the domain's base type are cut")), fails: None }
    } else {
        effect
    };
    effect.and(Effect::fails("a value violates a constraint of the domain").when(constrained))
}

/// Built-in types without a category of their own (the first word of the
/// spelling): a change between two types this module knows is judged by
/// [`cast_between`]; any other name (user types, which are qualified, and
/// extension types) is assumed to cast.
const KNOWN_OTHER: &[&str] = &[
    "uuid",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "money",
    "interval",
    "xml",
    "tsvector",
    "tsquery",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "pg_lsn",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
];

fn known_other(name: &str) -> Option<&'static str> {
    let base = name.split(['(', ' ']).next().unwrap_or_default();
    KNOWN_OTHER.iter().copied().find(|known| *known == base)
}

/// Whether PostgreSQL has a cast (implicit, assignment or explicit, or by
/// I/O conversion) from `from` to `to`; `None` when a type is not known.
/// The pairs are those of `pg_cast` on PostgreSQL 15 between the types
/// `kind` tells apart: every type converts to and from the string types
/// (I/O conversion), an array to an array when its elements do, and
/// otherwise only the listed pairs (no `bigint` to `uuid`, no `integer` to
/// `integer[]`, `boolean` only to and from `integer`).
fn cast_between(from: &Kind, to: &Kind) -> Option<bool> {
    let number = |k: &Kind| matches!(k.category(), C::Int | C::Float | C::Decimal);
    let int = |k: &Kind, sizes: &[u8]| matches!(k, Kind::Int { bytes, .. } if sizes.contains(bytes));
    let other = |k: &Kind| match k {
        Kind::Other(name) => known_other(name),
        _ => None,
    };
    let unknown = |k: &Kind| matches!(k, Kind::Other(_)) && other(k).is_none();
    if unknown(from) || unknown(to) {
        return match (from, to) {
            // Into and out of text whatever the type.
            (Kind::Text { .. }, _) | (_, Kind::Text { .. }) => Some(true),
            _ => None,
        };
    }
    let zoned_time = |k: &Kind| matches!(k, Kind::Time { zoned: true, .. });
    let plain_time = |k: &Kind| matches!(k, Kind::Time { zoned: false, .. });
    let casts = match (from, to) {
        (Kind::Text { .. }, _) | (_, Kind::Text { .. }) => true,
        (Kind::Array(a), Kind::Array(b)) => return cast_between(a, b),
        (Kind::Array(_), _) | (_, Kind::Array(_)) => false,
        (Kind::Other(_), Kind::Other(_)) => match (other(from), other(to)) {
            (Some(a), Some(b)) => {
                a == b || matches!((a, b), ("inet" | "cidr", "inet" | "cidr")) || {
                    matches!((a, b), ("macaddr" | "macaddr8", "macaddr" | "macaddr8"))
                }
            }
            _ => false,
        },
        (a, b) if a.category() == b.category() => true,
        (a, b) if number(a) && number(b) => true,
        (Kind::Bool, b) | (b, Kind::Bool) if int(b, &[4]) => true,
        (Kind::Bit { .. }, b) | (b, Kind::Bit { .. }) if int(b, &[4, 8]) => true,
        (Kind::Date, Kind::Timestamp { .. }) | (Kind::Timestamp { .. }, Kind::Date) => true,
        (Kind::Timestamp { zoned, .. }, b) if plain_time(b) || (*zoned && zoned_time(b)) => true,
        (Kind::Json { binary: true }, b) if *b == Kind::Bool || number(b) => true,
        (a, b) if plain_time(a) && other(b) == Some("interval") => true,
        (a, b) if other(a) == Some("interval") && plain_time(b) => true,
        (a, b) if other(b) == Some("money") => int(a, &[4, 8]) || a.category() == C::Decimal,
        (a, b) if other(a) == Some("money") => b.category() == C::Decimal,
        _ => false,
    };
    Some(casts)
}

/// Whether PostgreSQL can convert a column of type `from` to `to` at all;
/// a pair with a type [`cast_between`] does not know is assumed to (the
/// cast then converts or raises).
pub(crate) fn cast_exists(from: &str, to: &str) -> bool {
    cast_between(&kind(Dialect::Postgres, from), &kind(Dialect::Postgres, to)).unwrap_or(true)
}

/// How `ALTER COLUMN ... TYPE` converts the values, as the hazards assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PostgresConversion {
    /// No USING: PostgreSQL applies its assignment cast, which raises on a
    /// value too long for `varchar(n)`, `char(n)` or `bit varying(n)`
    /// where an explicit cast would cut it.
    Assignment,
    /// `USING CAST(column AS type)`: the explicit cast, for pairs without
    /// an assignment cast (text to integer) and where it behaves alike.
    Explicit,
    /// `USING CAST(NULL AS type)`, or `USING (<new default>)` when the column
    /// has one: no cast exists, the values are lost.
    Null,
}

/// How the emitter converts a column from type `from` to `to`.
pub fn postgres_conversion(from: &str, to: &str) -> PostgresConversion {
    if !crate::type_change::postgres_cast_exists(from, to) {
        return PostgresConversion::Null;
    }
    if bounded_by_assignment(&kind(Dialect::Postgres, from), &kind(Dialect::Postgres, to)) {
        PostgresConversion::Assignment
    } else {
        PostgresConversion::Explicit
    }
}

/// Whether the target is a length-bounded string whose explicit cast cuts
/// values while every source type has an assignment cast to it (the I/O
/// conversion to a string type is an assignment cast).
fn bounded_by_assignment(from: &Kind, to: &Kind) -> bool {
    match (from, to) {
        (_, Kind::Text { chars: Some(_), .. } | Kind::Text { fixed: true, .. }) => true,
        (Kind::Bit { .. }, Kind::Bit { varying: true, len: Some(_) }) => true,
        (Kind::Array(a), Kind::Array(b)) => bounded_by_assignment(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `L`: data loss only, `F`: fails only, `LF`: both, `-`: safe.
    fn verdict(from: &str, to: &str) -> &'static str {
        match judge(from, to) {
            Effect { loss: None, fails: None } => "-",
            Effect { loss: Some(_), fails: None } => "L",
            Effect { loss: None, fails: Some(_) } => "F",
            Effect { loss: Some(_), fails: Some(_) } => "LF",
        }
    }

    #[test]
    fn table_of_cases() {
        let cases = [
            ("integer", "bigint", "-"),
            ("smallint", "integer", "-"),
            ("bigint", "integer", "F"),
            ("character varying(10)", "character varying(20)", "-"),
            ("character varying(20)", "character varying(10)", "F"),
            ("character varying(10)", "text", "-"),
            ("text", "character varying(10)", "F"),
            ("character(5)", "text", "-"),
            ("text", "character(5)", "LF"),
            ("numeric(10,2)", "numeric(12,2)", "-"),
            ("numeric(10,2)", "numeric", "-"),
            ("numeric(10,2)", "numeric(10,1)", "L"),
            ("numeric(10,2)", "numeric(8,2)", "F"),
            ("numeric", "numeric(12,2)", "LF"),
            ("numeric(10,2)", "integer", "L"),
            ("numeric(12,2)", "integer", "LF"),
            ("numeric(4,0)", "smallint", "-"),
            ("real", "double precision", "-"),
            ("double precision", "real", "LF"),
            ("double precision", "integer", "LF"),
            ("numeric(10,2)", "double precision", "-"),
            ("numeric(20,2)", "double precision", "L"),
            ("numeric", "real", "L"),
            ("double precision", "numeric", "L"),
            ("double precision", "numeric(10,2)", "LF"),
            ("integer", "double precision", "-"),
            ("integer", "real", "L"),
            ("bigint", "double precision", "L"),
            ("integer", "numeric(12,2)", "-"),
            ("integer", "numeric(5,0)", "F"),
            ("integer", "text", "-"),
            ("integer", "character varying(3)", "F"),
            ("integer", "character varying(11)", "-"),
            ("double precision", "text", "-"),
            ("text", "integer", "LF"),
            ("text", "numeric(10,2)", "LF"),
            ("integer", "boolean", "L"),
            ("boolean", "integer", "-"),
            ("boolean", "text", "-"),
            ("text", "boolean", "LF"),
            ("timestamp without time zone", "timestamp with time zone", "L"),
            ("timestamp with time zone", "timestamp without time zone", "L"),
            ("timestamp without time zone", "timestamp(0) without time zone", "L"),
            ("timestamp(0) without time zone", "timestamp without time zone", "-"),
            ("timestamp without time zone", "date", "L"),
            ("date", "timestamp without time zone", "-"),
            ("date", "timestamp with time zone", "L"),
            ("date", "text", "-"),
            ("text", "date", "LF"),
            ("json", "jsonb", "L"),
            ("jsonb", "json", "-"),
            ("text", "jsonb", "LF"),
            ("bytea", "text", "L"),
            ("bit(4)", "bit varying(8)", "-"),
            ("bit varying(8)", "bit varying(4)", "F"),
            ("bit(4)", "bit(8)", "L"),
            ("integer[]", "bigint[]", "-"),
            ("character varying(10)[]", "character varying(5)[]", "F"),
            ("uuid", "text", "-"),
            ("text", "uuid", "LF"),
            ("text", "public.mood", "F"),
            ("public.mood", "text", "-"),
            ("public.mood", "public.feeling", "F"),
            ("INTEGER", "int4", "-"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(from, to, want)| verdict(from, to) != *want)
            .map(|(from, to, want)| format!("{from} -> {to}: want {want}, got {}", verdict(from, to)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn domains_are_judged_by_their_base_types() {
        let d = |to_domain, from| judge_domains(from, to_domain, "public.d");
        // The explicit cast into a domain over varchar(5) cuts.
        assert_eq!(d(Some(("character varying(5)", false)), "text"), Effect::loss(CUT_FOR_TESTS));
        assert_eq!(
            d(Some(("character varying(5)", true)), "text").fails,
            Some("a value violates a constraint of the domain")
        );
        assert_eq!(d(Some(("character varying(20)", false)), "character varying(10)"), Effect::SAFE);
        assert_eq!(d(Some(("integer", false)), "text"), judge("text", "integer"));
        assert_eq!(d(None, "text"), judge("text", "public.d"));
        assert_eq!(judge_domains("text", None, "integer"), judge("text", "integer"));
    }

    const CUT_FOR_TESTS: &str = "values too long for the domain's base type are cut";

    #[test]
    fn bounded_strings_convert_by_assignment() {
        use PostgresConversion::*;
        assert_eq!(postgres_conversion("text", "character varying(5)"), Assignment);
        assert_eq!(postgres_conversion("character varying(10)", "character(5)"), Assignment);
        assert_eq!(postgres_conversion("integer", "character varying(3)"), Assignment);
        assert_eq!(postgres_conversion("character varying(9)[]", "character varying(5)[]"), Assignment);
        assert_eq!(postgres_conversion("bit varying(9)", "bit varying(5)"), Assignment);
        assert_eq!(postgres_conversion("text", "integer"), Explicit);
        assert_eq!(postgres_conversion("numeric(10,2)", "integer"), Explicit);
        assert_eq!(postgres_conversion("character varying(5)", "text"), Explicit);
        assert_eq!(postgres_conversion("integer", "timestamp with time zone"), Null);
    }
}
