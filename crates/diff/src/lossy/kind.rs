//! What kind of values a PostgreSQL or MySQL column type holds, with the
//! bounds that decide whether a value fits: the key of the lossy-change
//! tables. Spellings are the introspectors' (`character varying(20)`,
//! `timestamp(3) without time zone`, `int(10) unsigned`, `enum('a','b')`)
//! and the common ones people write; anything else is `Other`.

use schemasync_model::Dialect;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// Integer of `bytes` storage bytes (1, 2, 3, 4 or 8).
    Int {
        bytes: u8,
        unsigned: bool,
    },
    /// Binary floating point: single (24-bit mantissa) or double (53);
    /// `fixed`: MySQL's `float(M,D)` / `double(M,D)`, which rounds every
    /// value to D decimals and holds M - D integer digits.
    Float {
        double: bool,
        fixed: Option<(u32, u32)>,
    },
    /// Fixed point; `precision: None` is PostgreSQL's unconstrained numeric.
    Decimal {
        precision: Option<u32>,
        scale: u32,
    },
    /// Character data: at most `chars` characters and `bytes` bytes
    /// (`None` = no practical limit); `fixed`: blank-padded `char(n)`.
    Text {
        chars: Option<u64>,
        bytes: Option<u64>,
        fixed: bool,
    },
    /// Byte strings; `fixed`: zero-padded `binary(n)`.
    Binary {
        bytes: Option<u64>,
        fixed: bool,
    },
    Bool,
    /// Bit strings of `len` bits (`None`: unbounded `bit varying`).
    Bit {
        len: Option<u64>,
        varying: bool,
    },
    Date,
    /// Date and time; `zoned`: PostgreSQL `timestamptz` or MySQL
    /// `timestamp` (stored in UTC, read in the session's time zone).
    Timestamp {
        zoned: bool,
        frac: u8,
    },
    Time {
        zoned: bool,
        frac: u8,
    },
    /// MySQL `enum(...)` / `set(...)` labels, in order.
    Enum(Vec<String>),
    Set(Vec<String>),
    /// `jsonb` (normalized) or `json` (text kept as written).
    Json {
        binary: bool,
    },
    /// PostgreSQL array of the element kind.
    Array(Box<Kind>),
    /// Any other type, by its lower-case spelling.
    Other(String),
}

/// The category pair of a change is what the tables are keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Category {
    Int,
    Float,
    Decimal,
    Text,
    Binary,
    Bool,
    Bit,
    Date,
    Timestamp,
    Time,
    Enum,
    Set,
    Json,
    Array,
    Other,
}

impl Kind {
    pub(super) fn category(&self) -> Category {
        match self {
            Kind::Int { .. } => Category::Int,
            Kind::Float { .. } => Category::Float,
            Kind::Decimal { .. } => Category::Decimal,
            Kind::Text { .. } => Category::Text,
            Kind::Binary { .. } => Category::Binary,
            Kind::Bool => Category::Bool,
            Kind::Bit { .. } => Category::Bit,
            Kind::Date => Category::Date,
            Kind::Timestamp { .. } => Category::Timestamp,
            Kind::Time { .. } => Category::Time,
            Kind::Enum(_) => Category::Enum,
            Kind::Set(_) => Category::Set,
            Kind::Json { .. } => Category::Json,
            Kind::Array(_) => Category::Array,
            Kind::Other(_) => Category::Other,
        }
    }

    /// Decimal digits of the largest integer value (MySQL and PostgreSQL
    /// integer types alike).
    pub(super) fn int_digits(bytes: u8, unsigned: bool) -> u32 {
        match (bytes, unsigned) {
            (1, _) => 3,
            (2, _) => 5,
            (3, false) => 7,
            (3, true) => 8,
            (4, _) => 10,
            (_, false) => 19,
            (_, true) => 20,
        }
    }
}

/// The kind of a spelled type in a dialect.
pub(super) fn kind(dialect: Dialect, spelled: &str) -> Kind {
    let lower = spelled.trim().to_lowercase();
    if let Some(element) = lower.strip_suffix("[]") {
        return Kind::Array(Box::new(kind(dialect, element)));
    }
    let parts = split(&lower);
    let mysql = dialect == Dialect::MySql;
    let numbers: Vec<u64> = parts.args.split(',').filter_map(|a| a.trim().parse().ok()).collect();
    let first = numbers.first().copied();
    let unsigned = parts.rest.split_whitespace().any(|w| w == "unsigned" || w == "zerofill");
    let zoned = parts.rest.contains("with time zone") && !parts.rest.contains("without");
    // PostgreSQL keeps microseconds unless told otherwise; MySQL whole seconds.
    let frac = first.map_or(if mysql { 0 } else { 6 }, |f| u8::try_from(f.min(6)).unwrap_or(6));
    let varchar = |n: Option<u64>, fixed: bool| Kind::Text {
        chars: n,
        // utf8mb4 takes up to four bytes a character.
        bytes: if mysql { n.map(|n| n.saturating_mul(4)) } else { None },
        fixed,
    };
    let text_of = |n: u64| Kind::Text { chars: Some(n), bytes: Some(n), fixed: false };
    let int = |bytes: u8| Kind::Int { bytes, unsigned };
    let fixed = match numbers.as_slice() {
        [m, d] if mysql => u32::try_from(*m).ok().zip(u32::try_from(*d).ok()),
        _ => None,
    };
    match parts.base.as_str() {
        "tinyint" | "int1" => int(1),
        "bool" | "boolean" if mysql => int(1),
        "bool" | "boolean" => Kind::Bool,
        "smallint" | "int2" | "smallserial" | "serial2" => int(2),
        "mediumint" | "int3" => int(3),
        "int" | "integer" | "int4" | "serial" | "serial4" => int(4),
        "bigint" | "int8" | "bigserial" | "serial8" => int(8),
        "real" | "float4" if !mysql => Kind::Float { double: false, fixed: None },
        // float(M,D) is single precision whatever M; float(p) is double from p = 25.
        "float" => Kind::Float {
            double: (numbers.len() == 1 && first.is_some_and(|p| p > 24)) || (!mysql && first.is_none()),
            fixed,
        },
        "real" | "double" | "double precision" | "float8" => Kind::Float { double: true, fixed },
        "numeric" | "decimal" | "dec" | "fixed" => {
            let precision = first.or(mysql.then_some(10)).and_then(|p| u32::try_from(p).ok());
            let scale = numbers.get(1).and_then(|s| u32::try_from(*s).ok()).unwrap_or(0);
            Kind::Decimal { precision, scale }
        }
        "varchar" | "character varying" | "nvarchar" | "national character varying" | "varchar2" => {
            varchar(first, false)
        }
        "char" | "character" | "nchar" | "national character" | "bpchar" => varchar(first.or(Some(1)), true),
        "tinytext" => text_of(255),
        "text" if mysql => text_of(65_535),
        "mediumtext" => text_of(16_777_215),
        "longtext" => text_of(4_294_967_295),
        "text" | "citext" | "clob" => Kind::Text { chars: None, bytes: None, fixed: false },
        "varbinary" => Kind::Binary { bytes: first, fixed: false },
        "binary" => Kind::Binary { bytes: first.or(Some(1)), fixed: true },
        "tinyblob" => Kind::Binary { bytes: Some(255), fixed: false },
        "blob" => Kind::Binary { bytes: Some(65_535), fixed: false },
        "mediumblob" => Kind::Binary { bytes: Some(16_777_215), fixed: false },
        "longblob" => Kind::Binary { bytes: Some(4_294_967_295), fixed: false },
        "bytea" => Kind::Binary { bytes: None, fixed: false },
        "bit" if parts.rest.starts_with("varying") => Kind::Bit { len: first, varying: true },
        "bit" => Kind::Bit { len: first.or(Some(1)), varying: false },
        "varbit" | "bit varying" => Kind::Bit { len: first, varying: true },
        "date" => Kind::Date,
        "datetime" => Kind::Timestamp { zoned: false, frac },
        "timestamp" => Kind::Timestamp { zoned: mysql || zoned, frac },
        "timestamptz" => Kind::Timestamp { zoned: true, frac },
        "time" => Kind::Time { zoned, frac },
        "timetz" => Kind::Time { zoned: true, frac },
        "enum" if mysql => Kind::Enum(labels(&parts.args)),
        "set" if mysql => Kind::Set(labels(&parts.args)),
        "json" => Kind::Json { binary: false },
        "jsonb" => Kind::Json { binary: true },
        _ => Kind::Other(lower),
    }
}

struct Parts {
    base: String,
    /// Text between the parentheses, as written.
    args: String,
    /// Words after the argument list, or after the base when there is none.
    rest: String,
}

/// `timestamp(3) without time zone` → (`timestamp`, `3`, `without time zone`);
/// `int unsigned` → (`int`, ``, `unsigned`). The argument list ends at the
/// last `)`, so quoted enum labels may hold parentheses.
fn split(spelled: &str) -> Parts {
    if let (Some(open), Some(close)) = (spelled.find('('), spelled.rfind(')'))
        && open < close
    {
        return Parts {
            base: spelled.get(..open).unwrap_or_default().trim().to_owned(),
            args: spelled.get(open + 1..close).unwrap_or_default().to_owned(),
            rest: spelled.get(close + 1..).unwrap_or_default().trim().to_owned(),
        };
    }
    let words: Vec<&str> = spelled.split_whitespace().collect();
    // Multi-word names: `double precision`, `character varying`,
    // `timestamp with time zone`, `bit varying`.
    let base_len = match words.as_slice() {
        ["double", "precision", ..] | ["character", "varying", ..] => 2,
        ["national", "character", "varying", ..] => 3,
        ["national", "character", ..] => 2,
        _ => 1,
    };
    let base = words.iter().take(base_len).copied().collect::<Vec<_>>().join(" ");
    let rest = words.iter().skip(base_len).filter(|w| **w != "signed").copied().collect::<Vec<_>>();
    Parts { base, args: String::new(), rest: rest.join(" ") }
}

/// `'a','it''s'` → [`a`, `it's`] (MySQL quotes labels, doubling quotes).
fn labels(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = args.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut label = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\'' if chars.peek() == Some(&'\'') => {
                    label.push('\'');
                    chars.next();
                }
                '\'' => break,
                '\\' => label.extend(chars.next()),
                other => label.push(other),
            }
        }
        out.push(label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_both_servers() {
        let pg = |t| kind(Dialect::Postgres, t);
        let my = |t| kind(Dialect::MySql, t);
        assert_eq!(pg("timestamp(3) without time zone"), Kind::Timestamp { zoned: false, frac: 3 });
        assert_eq!(pg("timestamp with time zone"), Kind::Timestamp { zoned: true, frac: 6 });
        assert_eq!(pg("character varying(10)"), Kind::Text { chars: Some(10), bytes: None, fixed: false });
        assert_eq!(pg("character(5)"), Kind::Text { chars: Some(5), bytes: None, fixed: true });
        assert_eq!(pg("numeric"), Kind::Decimal { precision: None, scale: 0 });
        assert_eq!(pg("double precision"), Kind::Float { double: true, fixed: None });
        assert_eq!(pg("float"), Kind::Float { double: true, fixed: None });
        assert_eq!(pg("bit varying(4)"), Kind::Bit { len: Some(4), varying: true });
        assert_eq!(pg("integer[]"), Kind::Array(Box::new(Kind::Int { bytes: 4, unsigned: false })));
        assert_eq!(pg("public.mood"), Kind::Other("public.mood".into()));
        assert_eq!(my("int(10) unsigned"), Kind::Int { bytes: 4, unsigned: true });
        assert_eq!(my("float"), Kind::Float { double: false, fixed: None });
        assert_eq!(my("float(10,2)"), Kind::Float { double: false, fixed: Some((10, 2)) });
        assert_eq!(my("double(10,2) unsigned"), Kind::Float { double: true, fixed: Some((10, 2)) });
        assert_eq!(my("float(30)"), Kind::Float { double: true, fixed: None });
        assert_eq!(my("decimal"), Kind::Decimal { precision: Some(10), scale: 0 });
        assert_eq!(my("timestamp"), Kind::Timestamp { zoned: true, frac: 0 });
        assert_eq!(my("datetime(6)"), Kind::Timestamp { zoned: false, frac: 6 });
        assert_eq!(my("enum('a','it''s (x)')"), Kind::Enum(vec!["a".into(), "it's (x)".into()]));
        assert_eq!(my("varchar(10)"), Kind::Text { chars: Some(10), bytes: Some(40), fixed: false });
        assert_eq!(my("text"), Kind::Text { chars: Some(65_535), bytes: Some(65_535), fixed: false });
    }

    #[test]
    fn odd_spellings_do_not_panic() {
        for t in ["", "(", ")", "varchar(", "numeric(a,b)", "int)", "é(1)", "enum('", "[]", "bit(99999999999999999999)"]
        {
            let _ = kind(Dialect::Postgres, t);
            let _ = kind(Dialect::MySql, t);
        }
    }
}
