//! MySQL/MariaDB's table, for `ALTER TABLE ... MODIFY` under the strict
//! `sql_mode` every apply session sets (STRICT_ALL_TABLES, ...). Checked on
//! MariaDB 10.11: a value too long, out of range, not a number ('abc' or
//! '1.5' into an int), missing from a narrowed enum or set, not in the new
//! character set, or a datetime outside TIMESTAMP's range fails the ALTER
//! and leaves the table as it was; rounding never fails (1.75 into an int
//! or decimal(10,1) is rounded), nor do '007' becoming 7, an enum label
//! becoming its index, text taking an enum label's letter case, a datetime
//! losing its time of day or fractional seconds, timestamps read through
//! the session time zone, or floats rewritten as text.

use schemasync_model::Dialect;

use super::kind::{Category as C, Kind, kind};
use super::numbers::{self as n, fits_text};
use super::{Effect, Pat, Side, first_match};

type Judge = fn(&Kind, &Kind) -> Effect;

const NUMBER: Pat<C> = &[C::Int, C::Float, C::Decimal];
const TEMPORAL: Pat<C> = &[C::Date, C::Timestamp, C::Time];
const LABELS: Pat<C> = &[C::Enum, C::Set];
const ANY: Pat<C> = &[];
const ZONE: &str = "values are converted through the session's time zone";
const TIMESTAMP_RANGE: &str = "a value lies outside TIMESTAMP's range (1970 to 2038)";
const NOT_CONVERTIBLE: &str = "an existing value does not convert to the new type";
const CHARSET: &str = "a value holds characters the new character set lacks";

/// First matching row wins; a pair no row covers may fail.
const RULES: &[(Pat<C>, Pat<C>, Judge)] = &[
    (&[C::Int], &[C::Int], n::int_to_int),
    (&[C::Int], &[C::Float], n::int_to_float),
    (&[C::Int], &[C::Decimal], n::int_to_decimal),
    (&[C::Int], &[C::Bit], int_to_bit),
    (&[C::Float], &[C::Int], n::float_to_int),
    (&[C::Float], &[C::Float], n::float_to_float),
    (&[C::Float], &[C::Decimal], n::float_to_decimal),
    (&[C::Float], &[C::Text], |from, to| {
        Effect::loss("floating-point values are rewritten in their shortest decimal spelling").and(fits_text(from, to))
    }),
    (&[C::Decimal], &[C::Int], n::decimal_to_int),
    (&[C::Decimal], &[C::Float], n::decimal_to_float),
    (&[C::Decimal], &[C::Decimal], n::decimal_to_decimal),
    (&[C::Text], &[C::Text], text_to_text),
    (&[C::Text], NUMBER, n::text_to_number),
    // Labels match ignoring case ('A' becomes 'a'), sets reorder ('b,a'
    // becomes 'a,b').
    (&[C::Text], LABELS, |_, _| {
        Effect::loss("values take the spelling and order of the new type's labels")
            .and(Effect::fails("a value is not one of the new type's labels"))
    }),
    (LABELS, NUMBER, |_, _| Effect::loss("labels become their index numbers ('b' becomes 2)")),
    (&[C::Text], TEMPORAL, |_, _| {
        Effect::loss("date and time spellings are normalized").and(Effect::fails("a value is not a valid date or time"))
    }),
    (&[C::Text], &[C::Binary], |from, to| bytes_fit(from, to)),
    (&[C::Binary], &[C::Text], |from, to| {
        Effect::fails("a value's bytes are not valid text in the column's character set").and(bytes_fit(from, to))
    }),
    (&[C::Binary], &[C::Binary], bytes_fit),
    (&[C::Enum], &[C::Enum], labels_kept),
    (&[C::Set], &[C::Set], labels_kept),
    (&[C::Bit], &[C::Bit], |from, to| match (from, to) {
        (Kind::Bit { len: a, .. }, Kind::Bit { len: b, .. }) => Effect::fails(n::OUT_OF_RANGE).when(b < a),
        _ => Effect::fails(n::OUT_OF_RANGE),
    }),
    (&[C::Bit], &[C::Int], |from, to| match (from, to) {
        (Kind::Bit { len: Some(len), .. }, Kind::Int { bytes, unsigned }) => {
            let bits = u64::from(*bytes) * 8 - u64::from(!unsigned);
            Effect::fails(n::OUT_OF_RANGE).when(*len > bits)
        }
        _ => Effect::fails(n::OUT_OF_RANGE),
    }),
    (&[C::Date], &[C::Timestamp], |_, to| {
        Effect::loss(ZONE).and(Effect::fails(TIMESTAMP_RANGE)).when(matches!(to, Kind::Timestamp { zoned: true, .. }))
    }),
    (&[C::Timestamp], &[C::Timestamp], moments),
    (&[C::Time], &[C::Time], moments),
    (&[C::Timestamp], &[C::Date], |_, _| Effect::loss("the time of day is dropped")),
    (&[C::Timestamp], &[C::Time], |_, _| Effect::loss("the date is dropped")),
    (ANY, &[C::Text], fits_text),
];

fn int_to_bit(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Int { bytes, unsigned }, Kind::Bit { len: Some(len), .. }) = (from, to) else {
        return Effect::fails(n::OUT_OF_RANGE);
    };
    // A negative value or one wider than the bits raises.
    Effect::fails(n::OUT_OF_RANGE).when(!unsigned || u64::from(*bytes) * 8 > *len)
}

fn text_to_text(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Text { chars: ca, bytes: ba, fixed: fa }, Kind::Text { chars: cb, bytes: bb, fixed: fb }) = (from, to)
    else {
        return Effect::fails(n::TOO_LONG);
    };
    let shrinks = |a: &Option<u64>, b: &Option<u64>| b.is_some_and(|b| a.is_none_or(|a| b < a));
    // CHAR reads back without trailing spaces: 'ab  ' becomes 'ab'.
    Effect::loss("trailing spaces are stripped")
        .when(!fa && *fb)
        .and(Effect::fails(n::TOO_LONG).when(shrinks(ca, cb) || shrinks(ba, bb)))
}

/// Byte strings and text measured in bytes: fails if the new limit is
/// smaller; BINARY(n) pads shorter values with zero bytes.
fn bytes_fit(from: &Kind, to: &Kind) -> Effect {
    let (a, fa) = match from {
        Kind::Binary { bytes, fixed } => (*bytes, *fixed),
        Kind::Text { bytes, .. } => (*bytes, false),
        _ => (None, false),
    };
    let (b, fb) = match to {
        Kind::Binary { bytes, fixed } => (*bytes, *fixed),
        Kind::Text { bytes, .. } => (*bytes, false),
        _ => (None, false),
    };
    Effect::loss("values are padded with zero bytes")
        .when(!fa && fb)
        .and(Effect::fails(n::TOO_LONG).when(b.is_some_and(|b| a.is_none_or(|a| b < a))))
}

fn labels_kept(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Enum(a) | Kind::Set(a), Kind::Enum(b) | Kind::Set(b)) = (from, to) else {
        return Effect::fails(NOT_CONVERTIBLE);
    };
    // Values are matched by label: reordering or adding labels keeps them.
    Effect::fails("a row holds a label the new type lacks").when(a.iter().any(|l| !b.contains(l)))
}

fn moments(from: &Kind, to: &Kind) -> Effect {
    let (za, zb, cut) = match (from, to) {
        (Kind::Timestamp { zoned: za, frac: fa }, Kind::Timestamp { zoned: zb, frac: fb })
        | (Kind::Time { zoned: za, frac: fa }, Kind::Time { zoned: zb, frac: fb }) => (*za, *zb, fb < fa),
        _ => return Effect::fails(NOT_CONVERTIBLE),
    };
    Effect::loss(ZONE)
        .when(za != zb)
        .and(Effect::fails(TIMESTAMP_RANGE).when(zb && !za))
        .and(Effect::loss("fractional seconds are cut to the new precision").when(cut))
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

/// How much of Unicode a character set holds: 3 all of it, 2 the basic
/// plane, 1 a legacy set (each a different repertoire).
fn repertoire(charset: &str) -> u8 {
    let cs = charset.to_ascii_lowercase();
    if cs.starts_with("utf8mb4") || cs.starts_with("utf16") || cs.starts_with("utf32") {
        3
    } else if cs == "utf8" || cs == "utf8mb3" || cs == "ucs2" {
        2
    } else {
        1
    }
}

/// Converting text from one character set to another fails on characters
/// the new one cannot hold (checked: '日本' into latin1 raises under strict
/// mode; 'café' converts).
fn charset_effect(from: Option<&str>, to: Option<&str>) -> Effect {
    if from.map(str::to_ascii_lowercase) == to.map(str::to_ascii_lowercase) {
        return Effect::SAFE;
    }
    // Unknown means the table's usual utf8mb4, which holds everything.
    let (a, b) = (from.unwrap_or("utf8mb4"), to.unwrap_or("utf8mb4"));
    let lossy = repertoire(b) < repertoire(a) || (repertoire(b) == 1 && !a.eq_ignore_ascii_case(b));
    Effect::fails(CHARSET).when(lossy)
}

pub(super) fn judge(from: Side<'_>, to: Side<'_>) -> Effect {
    let (a, b) = (kind(Dialect::MySql, &from.column.data_type), kind(Dialect::MySql, &to.column.data_type));
    let textual = |k: &Kind| matches!(k.category(), C::Text | C::Enum | C::Set);
    let charset = if textual(&a) && textual(&b) {
        fn effective<'a>(side: &Side<'a>) -> Option<&'a str> {
            side.column.charset.as_deref().or(side.table_charset)
        }
        charset_effect(effective(&from), effective(&to))
    } else {
        Effect::SAFE
    };
    judge_kinds(&a, &b).and(charset)
}

#[cfg(test)]
mod tests {
    use schemasync_model::Column;

    use super::*;

    fn verdict(from: &Column, to: &Column) -> &'static str {
        let side = |column| Side { column, strict: false, table_charset: None };
        match judge(side(from), side(to)) {
            Effect { loss: None, fails: None } => "-",
            Effect { loss: Some(_), fails: None } => "L",
            Effect { loss: None, fails: Some(_) } => "F",
            Effect { loss: Some(_), fails: Some(_) } => "LF",
        }
    }

    #[test]
    fn table_of_cases() {
        let cases = [
            ("int(11)", "bigint(20)", "-"),
            ("bigint(20)", "int(11)", "F"),
            ("int(10) unsigned", "int(11)", "F"),
            ("int(10) unsigned", "bigint(20)", "-"),
            ("int(11)", "int(10) unsigned", "F"),
            ("varchar(10)", "varchar(20)", "-"),
            ("varchar(20)", "varchar(10)", "F"),
            ("varchar(100)", "text", "-"),
            ("text", "varchar(255)", "F"),
            ("varchar(100)", "tinytext", "F"),
            ("varchar(10)", "char(10)", "L"),
            ("char(10)", "varchar(10)", "-"),
            ("decimal(10,2)", "decimal(12,2)", "-"),
            ("decimal(10,2)", "decimal(10,1)", "L"),
            ("decimal(10,2)", "decimal(8,2)", "F"),
            ("decimal(10,2)", "int(11)", "L"),
            ("decimal(12,2)", "int(11)", "LF"),
            ("decimal(10,2)", "varchar(30)", "-"),
            ("decimal(10,2)", "varchar(3)", "F"),
            ("double", "int(11)", "LF"),
            ("double", "float", "LF"),
            ("float", "double", "-"),
            ("double(10,2)", "double(10,1)", "L"),
            ("double", "double(10,2)", "LF"),
            ("double(10,2)", "double", "-"),
            ("double(10,2)", "double(12,2)", "-"),
            ("double(10,2)", "double(8,2)", "F"),
            ("float(10,2)", "double", "-"),
            ("double(10,2)", "float(10,2)", "LF"),
            ("decimal(10,2)", "double(12,2)", "-"),
            ("decimal(10,3)", "double(12,2)", "L"),
            ("decimal(12,2)", "double(10,2)", "F"),
            ("decimal(10,2)", "float(10,2)", "L"),
            ("int(11)", "double(12,2)", "-"),
            ("int(11)", "double(10,2)", "F"),
            ("int(11)", "float", "L"),
            ("int(11)", "double", "-"),
            ("bigint(20)", "double", "L"),
            ("decimal(30,10)", "double", "L"),
            ("float", "decimal(10,2)", "LF"),
            ("float", "varchar(30)", "L"),
            ("double", "varchar(10)", "LF"),
            ("int(11)", "char(3)", "F"),
            ("int(11)", "varchar(11)", "-"),
            ("varchar(10)", "int(11)", "LF"),
            ("text", "decimal(10,2)", "LF"),
            ("datetime", "timestamp", "LF"),
            ("timestamp", "datetime", "L"),
            ("datetime(6)", "datetime", "L"),
            ("datetime", "datetime(6)", "-"),
            ("datetime", "date", "L"),
            ("date", "datetime", "-"),
            ("date", "timestamp", "LF"),
            ("time(3)", "time", "L"),
            ("enum('a','b','c')", "enum('a','b')", "F"),
            ("enum('a','b')", "enum('b','a','c')", "-"),
            ("set('a','b','c')", "set('a','b')", "F"),
            ("set('a','b')", "set('b','a')", "-"),
            ("enum('a','bb')", "varchar(1)", "F"),
            ("enum('a','bb')", "varchar(2)", "-"),
            ("varchar(10)", "enum('a')", "LF"),
            ("varchar(10)", "set('a','b')", "LF"),
            ("enum('a','b')", "int(11)", "L"),
            ("set('a','b')", "tinyint(4)", "L"),
            ("tinyint(1)", "bit(1)", "F"),
            ("tinyint(3) unsigned", "bit(8)", "-"),
            ("bit(8)", "tinyint(4)", "F"),
            ("bit(7)", "tinyint(4)", "-"),
            ("bit(1)", "bit(8)", "-"),
            ("bit(8)", "bit(1)", "F"),
            ("blob", "text", "F"),
            ("varchar(10)", "varbinary(40)", "-"),
            ("varchar(10)", "varbinary(10)", "F"),
            ("varbinary(10)", "binary(10)", "L"),
            ("binary(10)", "varbinary(10)", "-"),
            ("INT(11)", "int(11)", "-"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(from, to, want)| verdict(&Column::new("c", *from), &Column::new("c", *to)) != *want)
            .map(|(from, to, want)| {
                format!(
                    "{from} -> {to}: want {want}, got {}",
                    verdict(&Column::new("c", *from), &Column::new("c", *to))
                )
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn character_sets() {
        let column = |cs: Option<&str>| {
            let mut c = Column::new("c", "varchar(10)");
            c.charset = cs.map(str::to_owned);
            c
        };
        assert_eq!(verdict(&column(Some("utf8mb4")), &column(Some("latin1"))), "F");
        assert_eq!(verdict(&column(None), &column(Some("latin1"))), "F");
        assert_eq!(verdict(&column(Some("latin1")), &column(Some("utf8mb4"))), "-");
        assert_eq!(verdict(&column(Some("utf8mb3")), &column(Some("utf8mb4"))), "-");
        assert_eq!(verdict(&column(Some("utf8mb4")), &column(Some("utf8mb3"))), "F");
        assert_eq!(verdict(&column(Some("latin1")), &column(Some("ascii"))), "F");
        assert_eq!(verdict(&column(Some("latin1")), &column(Some("LATIN1"))), "-");
        // A table default moving to latin1 under columns that inherit it.
        let inherit = column(None);
        let from = Side { column: &inherit, strict: false, table_charset: Some("utf8mb4") };
        let to = Side { column: &inherit, strict: false, table_charset: Some("latin1") };
        assert_eq!(judge(from, to).fails, Some(CHARSET));
        let numbers = Column::new("c", "int(11)");
        let to = Side { column: &numbers, strict: false, table_charset: Some("latin1") };
        assert_eq!(judge(Side { column: &numbers, ..from }, to), Effect::SAFE);
    }
}
