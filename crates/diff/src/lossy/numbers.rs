//! Judges PostgreSQL and MySQL share: both servers round numbers the same
//! way on assignment (half away from zero, binary floats to nearest) and
//! raise on values out of range or too long, so the numeric rows and the
//! "does its text fit" rule of their tables are the same functions.

use super::Effect;
use super::kind::Kind;

pub(super) const OUT_OF_RANGE: &str = "a value is out of the new type's range";
pub(super) const TOO_LONG: &str = "a value is longer than the new length";
pub(super) const NOT_A_NUMBER: &str = "a value is not a number";
pub(super) const NUMERIC_TEXT: &str = "numeric text is rewritten as a number ('007' becomes 7)";
pub(super) const ROUNDED_FRACTION: &str = "fractional digits are rounded away (1.75 becomes 2)";
pub(super) const ROUNDED_SCALE: &str = "digits beyond the new scale are rounded (1.75 becomes 1.8)";
pub(super) const ROUNDED_FLOAT: &str = "digits beyond the floating-point precision are rounded";
pub(super) const MORE_DIGITS: &str = "a value has more integer digits than the new type allows";

/// Value bits of an integer type (sign excluded).
fn int_bits(bytes: u8, unsigned: bool) -> u32 {
    u32::from(bytes) * 8 - u32::from(!unsigned)
}

/// Integer digits every value of `numeric(precision, scale)` fits in.
fn decimal_int_digits(precision: Option<u32>, scale: u32) -> Option<u32> {
    precision.map(|p| p.saturating_sub(scale))
}

/// Integer digits an integer type holds whatever the value (99 fits a
/// tinyint, 999 does not).
fn int_capacity(bytes: u8, unsigned: bool) -> u32 {
    Kind::int_digits(bytes, unsigned) - 1
}

pub(super) fn int_to_int(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Int { bytes: a, unsigned: ua }, Kind::Int { bytes: b, unsigned: ub }) = (from, to) else {
        return Effect::fails(OUT_OF_RANGE);
    };
    let fits = match (ua, ub) {
        (false, true) => false,
        (true, false) => b > a,
        _ => b >= a,
    };
    Effect::fails(OUT_OF_RANGE).when(!fits)
}

pub(super) fn int_to_float(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Int { bytes, unsigned }, Kind::Float { double, fixed }) = (from, to) else {
        return Effect::loss(ROUNDED_FLOAT);
    };
    let mantissa = if *double { 53 } else { 24 };
    let room = fixed.map_or(u32::MAX, |(m, d)| m.saturating_sub(d));
    Effect::loss("integers beyond the floating-point precision are rounded")
        .when(int_bits(*bytes, *unsigned) > mantissa)
        .and(Effect::fails(MORE_DIGITS).when(Kind::int_digits(*bytes, *unsigned) > room))
}

pub(super) fn int_to_decimal(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Int { bytes, unsigned }, Kind::Decimal { precision, scale }) = (from, to) else {
        return Effect::fails(MORE_DIGITS);
    };
    let room = decimal_int_digits(*precision, *scale).unwrap_or(u32::MAX);
    Effect::fails(MORE_DIGITS).when(Kind::int_digits(*bytes, *unsigned) > room)
}

pub(super) fn float_to_int(_: &Kind, _: &Kind) -> Effect {
    Effect::loss(ROUNDED_FRACTION).and(Effect::fails(OUT_OF_RANGE))
}

pub(super) fn float_to_float(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Float { double: a, fixed: fa }, Kind::Float { double: b, fixed: fb }) = (from, to) else {
        return Effect::loss(ROUNDED_FLOAT).and(Effect::fails(OUT_OF_RANGE));
    };
    let narrows = *a && !*b;
    let single = Effect::loss("values are rounded to single precision").and(Effect::fails(OUT_OF_RANGE));
    // float(M,D): fewer decimals round (1.75 becomes 1.8), fewer integer
    // digits overflow; an unbounded side holds whatever the other does.
    let (rounds, overflows) = match (fa, fb) {
        (_, None) => (false, false),
        (None, Some(_)) => (true, true),
        (Some((m1, d1)), Some((m2, d2))) => (d2 < d1, m2.saturating_sub(*d2) < m1.saturating_sub(*d1)),
    };
    single.when(narrows).and(Effect::loss(ROUNDED_SCALE).when(rounds)).and(Effect::fails(OUT_OF_RANGE).when(overflows))
}

pub(super) fn float_to_decimal(_: &Kind, to: &Kind) -> Effect {
    let bounded = matches!(to, Kind::Decimal { precision: Some(_), .. });
    Effect::loss(ROUNDED_FLOAT).and(Effect::fails(OUT_OF_RANGE).when(bounded))
}

pub(super) fn decimal_to_int(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Decimal { precision, scale }, Kind::Int { bytes, unsigned }) = (from, to) else {
        return Effect::loss(ROUNDED_FRACTION).and(Effect::fails(OUT_OF_RANGE));
    };
    let fractional = *scale > 0 || precision.is_none();
    let digits = decimal_int_digits(*precision, *scale).unwrap_or(u32::MAX);
    // A decimal may be negative, which an unsigned integer cannot hold.
    let overflows = *unsigned || digits > int_capacity(*bytes, *unsigned);
    Effect::loss(ROUNDED_FRACTION).when(fractional).and(Effect::fails(OUT_OF_RANGE).when(overflows))
}

pub(super) fn decimal_to_float(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Decimal { precision, scale }, Kind::Float { double, fixed }) = (from, to) else {
        return Effect::loss(ROUNDED_FLOAT);
    };
    let exact_digits = if *double { 15 } else { 6 };
    let (rounds, overflows) = match fixed {
        None => (false, false),
        Some((m, d)) => (
            precision.is_none() || scale > d,
            decimal_int_digits(*precision, *scale).is_none_or(|digits| digits > m.saturating_sub(*d)),
        ),
    };
    Effect::loss(ROUNDED_FLOAT)
        .when(precision.is_none_or(|p| p > exact_digits))
        .and(Effect::loss(ROUNDED_SCALE).when(rounds))
        .and(Effect::fails(OUT_OF_RANGE).when(overflows))
}

pub(super) fn decimal_to_decimal(from: &Kind, to: &Kind) -> Effect {
    let (Kind::Decimal { precision: p1, scale: s1 }, Kind::Decimal { precision: p2, scale: s2 }) = (from, to) else {
        return Effect::fails(MORE_DIGITS);
    };
    // An unconstrained numeric keeps every scale it was given.
    let rounds = p2.is_some() && (p1.is_none() || s2 < s1);
    let room = |p: &Option<u32>, s: &u32| decimal_int_digits(*p, *s).unwrap_or(u32::MAX);
    Effect::loss(ROUNDED_SCALE).when(rounds).and(Effect::fails(MORE_DIGITS).when(room(p2, s2) < room(p1, s1)))
}

pub(super) fn text_to_number(_: &Kind, _: &Kind) -> Effect {
    Effect::loss(NUMERIC_TEXT).and(Effect::fails(NOT_A_NUMBER))
}

/// The longest text a value of `kind` prints as (`None`: not bounded or
/// not known).
pub(super) fn text_length(kind: &Kind) -> Option<u64> {
    let n = match kind {
        Kind::Int { bytes, unsigned } => Kind::int_digits(*bytes, *unsigned) + u32::from(!unsigned),
        // Sign, point and digits.
        Kind::Decimal { precision: Some(p), scale } => p + 1 + u32::from(*scale > 0),
        // -1.2345678901234567e-308: the longest shortest spelling of a double.
        Kind::Float { .. } => 24,
        Kind::Bool => 5,
        Kind::Date => 10,
        Kind::Timestamp { zoned, frac } => 19 + u32::from(*frac > 0) + u32::from(*frac) + 6 * u32::from(*zoned),
        Kind::Time { zoned, frac } => 8 + u32::from(*frac > 0) + u32::from(*frac) + 6 * u32::from(*zoned),
        Kind::Text { chars, .. } => return *chars,
        Kind::Enum(labels) => return labels.iter().map(|l| l.chars().count() as u64).max(),
        Kind::Set(labels) => {
            return Some(labels.iter().map(|l| l.chars().count() as u64 + 1).sum::<u64>().saturating_sub(1));
        }
        _ => return None,
    };
    Some(u64::from(n))
}

/// A value printed as text into `to`: fails when it may not fit.
pub(super) fn fits_text(from: &Kind, to: &Kind) -> Effect {
    let Kind::Text { chars: Some(room), .. } = to else { return Effect::SAFE };
    Effect::fails(TOO_LONG).when(text_length(from).is_none_or(|n| n > *room))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lengths() {
        assert_eq!(text_length(&Kind::Int { bytes: 4, unsigned: false }), Some(11));
        assert_eq!(text_length(&Kind::Decimal { precision: Some(10), scale: 2 }), Some(12));
        assert_eq!(text_length(&Kind::Set(vec!["a".into(), "bc".into()])), Some(4));
        assert_eq!(text_length(&Kind::Decimal { precision: None, scale: 0 }), None);
    }
}
