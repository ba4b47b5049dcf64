//! Whether PostgreSQL has a cast for a column type change and whether the
//! change rewrites the table. What the change does to the values (the
//! hazards) is judged by `lossy`. The classification reads the common
//! spellings of the three dialects; anything it does not recognise is
//! "incompatible" (may fail to cast), which is the safe answer.

use schemasync_model::Dialect;

/// What changing a column from one type to another does to existing values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeChange {
    /// Same type (spelling aside).
    Same,
    /// Every old value fits the new type.
    Widening,
    /// Some old values may not fit: they are cut, rounded or rejected.
    Narrowing,
    /// Unrelated types: the cast may fail.
    Incompatible,
}

#[derive(Debug, Clone, PartialEq)]
enum Family {
    /// Integer with a width rank and signedness.
    Integer(u8, bool),
    /// Floating point with a width rank.
    Float(u8),
    /// Fixed point: precision and scale, `None` = unconstrained.
    Numeric(Option<i64>, Option<i64>),
    /// Character data with a maximum length (`None` = unbounded).
    Text(Option<i64>),
    /// Binary data with a maximum length.
    Binary(Option<i64>),
    Date,
    Timestamp,
    Other(String),
}

/// Classify a type change.
pub(crate) fn classify(dialect: Dialect, from: &str, to: &str) -> TypeChange {
    let (a, b) = (family(dialect, from), family(dialect, to));
    if a == b {
        return TypeChange::Same;
    }
    match (a, b) {
        (Family::Integer(x, sx), Family::Integer(y, sy)) => {
            if sx != sy || y < x {
                TypeChange::Narrowing
            } else {
                TypeChange::Widening
            }
        }
        (Family::Float(x), Family::Float(y)) => order(x, y),
        (Family::Integer(..), Family::Numeric(None, _)) | (Family::Integer(..), Family::Text(None)) => {
            TypeChange::Widening
        }
        (Family::Numeric(p1, s1), Family::Numeric(p2, s2)) => match (p1, p2) {
            (_, None) => TypeChange::Widening,
            (None, Some(_)) => TypeChange::Narrowing,
            (Some(p1), Some(p2)) => {
                let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
                // Fewer fractional digits round; fewer integer digits overflow.
                if s2 < s1 || p2.saturating_sub(s2) < p1.saturating_sub(s1) {
                    TypeChange::Narrowing
                } else {
                    TypeChange::Widening
                }
            }
        },
        (Family::Text(x), Family::Text(y)) | (Family::Binary(x), Family::Binary(y)) => {
            if shrinks(x, y) {
                TypeChange::Narrowing
            } else {
                TypeChange::Widening
            }
        }
        (Family::Timestamp, Family::Date) => TypeChange::Narrowing,
        (Family::Date, Family::Timestamp) => TypeChange::Widening,
        (Family::Other(x), Family::Other(y)) if x == y => TypeChange::Same,
        _ => TypeChange::Incompatible,
    }
}

fn order(x: u8, y: u8) -> TypeChange {
    if y < x { TypeChange::Narrowing } else { TypeChange::Widening }
}

/// Whether a bound (`None` = unbounded) gets smaller.
fn shrinks(from: Option<i64>, to: Option<i64>) -> bool {
    match (from, to) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
    }
}

fn family(dialect: Dialect, spelled: &str) -> Family {
    let lower = spelled.trim().to_lowercase();
    let (base, args, rest) = split(&lower);
    let unsigned = rest.contains("unsigned");
    let first = args.first().copied();
    let base = base.as_str();
    match base {
        "tinyint" | "int1" => Family::Integer(1, unsigned),
        "smallint" | "int2" | "smallserial" => Family::Integer(2, unsigned),
        "mediumint" | "int3" => Family::Integer(3, unsigned),
        "int" | "integer" | "int4" | "serial" => Family::Integer(4, unsigned),
        "bigint" | "int8" | "bigserial" => Family::Integer(5, unsigned),
        "real" | "float4" => Family::Float(1),
        "float" if dialect == Dialect::MySql => Family::Float(1),
        "float" | "double" | "double precision" | "float8" => Family::Float(2),
        "numeric" | "decimal" | "dec" => Family::Numeric(first, args.get(1).copied()),
        "varchar"
        | "character varying"
        | "char"
        | "character"
        | "nvarchar"
        | "nchar"
        | "bpchar"
        | "varchar2"
        | "national character varying"
        | "national character" => Family::Text(first.or(
            // `char` alone is char(1); `varchar` alone is unbounded in PostgreSQL.
            if base.starts_with("char") || base == "nchar" || base == "bpchar" { Some(1) } else { None },
        )),
        "tinytext" => Family::Text(Some(255)),
        "text" if dialect == Dialect::MySql => Family::Text(Some(65_535)),
        "mediumtext" => Family::Text(Some(16_777_215)),
        "text" | "longtext" | "clob" | "citext" | "string" => Family::Text(None),
        "varbinary" | "binary" => Family::Binary(first.or(Some(1))),
        "tinyblob" => Family::Binary(Some(255)),
        "blob" if dialect == Dialect::MySql => Family::Binary(Some(65_535)),
        "mediumblob" => Family::Binary(Some(16_777_215)),
        "blob" | "longblob" | "bytea" => Family::Binary(None),
        "date" => Family::Date,
        "timestamp" | "datetime" | "timestamptz" | "timestamp with time zone" | "timestamp without time zone" => {
            Family::Timestamp
        }
        _ => Family::Other(lower.clone()),
    }
}

/// `character varying(20)` → (`character varying`, [20], ""); text after
/// the argument list (`unsigned`, `[]`) is returned as the rest.
fn split(spelled: &str) -> (String, Vec<i64>, String) {
    let Some(open) = spelled.find('(') else {
        let mut words: Vec<&str> = spelled.split_whitespace().collect();
        let rest: Vec<&str> = words.iter().copied().filter(|w| matches!(*w, "unsigned" | "zerofill")).collect();
        words.retain(|w| !matches!(*w, "unsigned" | "zerofill" | "signed"));
        return (words.join(" "), Vec::new(), rest.join(" "));
    };
    let base = spelled.get(..open).unwrap_or_default().trim().to_owned();
    let after = spelled.get(open + 1..).unwrap_or_default();
    let close = after.find(')').unwrap_or(after.len());
    let args = after.get(..close).unwrap_or_default().split(',').filter_map(|a| a.trim().parse::<i64>().ok()).collect();
    let rest = after.get(close + 1..).unwrap_or_default().trim().to_owned();
    (base, args, rest)
}

/// Whether PostgreSQL has a cast (implicit, assignment, explicit or by I/O
/// conversion) from one column type to the other, as `pg_cast` lists them
/// for the built-in types (`bigint` to `uuid` has none, `integer` to
/// `boolean` has one). Pairs with a type it does not know (user and
/// extension types) are assumed to cast: the cast then converts or raises.
pub fn postgres_cast_exists(from: &str, to: &str) -> bool {
    crate::lossy::postgres_cast_exists(from, to)
}

/// Whether PostgreSQL must rewrite the table for this type change. Only
/// growing a character limit (or dropping it) and growing a numeric's
/// precision at the same scale are catalog-only.
pub(crate) fn postgres_rewrites(from: &str, to: &str) -> bool {
    match (family(Dialect::Postgres, from), family(Dialect::Postgres, to)) {
        (a, b) if a == b => false,
        (Family::Text(_), Family::Text(_)) => classify(Dialect::Postgres, from, to) != TypeChange::Widening,
        (Family::Numeric(_, s1), Family::Numeric(p2, s2)) => {
            !(classify(Dialect::Postgres, from, to) == TypeChange::Widening && (s1 == s2 || p2.is_none()))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(a: &str, b: &str) -> TypeChange {
        classify(Dialect::Postgres, a, b)
    }

    #[test]
    fn postgres_casts() {
        assert!(postgres_cast_exists("integer", "bigint"));
        assert!(postgres_cast_exists("integer", "text"));
        assert!(postgres_cast_exists("text", "timestamp with time zone"));
        assert!(postgres_cast_exists("integer", "boolean"));
        assert!(postgres_cast_exists("date", "timestamp with time zone"));
        assert!(!postgres_cast_exists("integer", "timestamp with time zone"));
        assert!(!postgres_cast_exists("bigint", "boolean"));
        assert!(!postgres_cast_exists("numeric(10,2)", "boolean"));
        assert!(!postgres_cast_exists("boolean", "timestamp with time zone"));
        assert!(!postgres_cast_exists("bytea", "integer"));
        assert!(postgres_cast_exists("public.mood", "public.feeling"));
        // pg_cast has none of these: each would be refused by the server.
        for (from, to) in [
            ("bigint", "uuid"),
            ("uuid", "bigint"),
            ("integer", "integer[]"),
            ("integer[]", "uuid[]"),
            ("bigint[]", "bigint"),
            ("smallint", "boolean"),
            ("json", "integer"),
            ("bytea", "uuid"),
            ("inet", "macaddr"),
            ("timestamp without time zone", "time with time zone"),
            ("date", "time without time zone"),
            ("money", "integer"),
        ] {
            assert!(!postgres_cast_exists(from, to), "{from} -> {to}");
        }
        for (from, to) in [
            ("text", "integer[]"),
            ("integer[]", "text"),
            ("integer[]", "bigint[]"),
            ("text[]", "integer[]"),
            ("uuid", "character varying(36)"),
            ("jsonb", "integer"),
            ("json", "jsonb"),
            ("inet", "cidr"),
            ("macaddr", "macaddr8"),
            ("bigint", "bit(64)"),
            ("timestamp with time zone", "time with time zone"),
            ("time without time zone", "interval"),
            ("numeric(10,2)", "money"),
            ("uuid", "public.guid"),
        ] {
            assert!(postgres_cast_exists(from, to), "{from} -> {to}");
        }
    }

    #[test]
    fn narrowing_and_widening() {
        assert_eq!(pg("character varying(100)", "character varying(50)"), TypeChange::Narrowing);
        assert_eq!(pg("character varying(50)", "character varying(100)"), TypeChange::Widening);
        assert_eq!(pg("text", "character varying(10)"), TypeChange::Narrowing);
        assert_eq!(pg("character varying(10)", "text"), TypeChange::Widening);
        assert_eq!(pg("bigint", "integer"), TypeChange::Narrowing);
        assert_eq!(pg("integer", "bigint"), TypeChange::Widening);
        assert_eq!(pg("numeric(10,2)", "numeric(8,2)"), TypeChange::Narrowing);
        assert_eq!(pg("numeric(10,2)", "numeric(12,1)"), TypeChange::Narrowing);
        assert_eq!(pg("numeric(10,2)", "numeric(12,2)"), TypeChange::Widening);
        assert_eq!(pg("numeric", "numeric(12,2)"), TypeChange::Narrowing);
        assert_eq!(pg("double precision", "real"), TypeChange::Narrowing);
        assert_eq!(pg("timestamp", "date"), TypeChange::Narrowing);
        assert_eq!(pg("integer", "text"), TypeChange::Widening);
        assert_eq!(pg("text", "integer"), TypeChange::Incompatible);
        assert_eq!(pg("INTEGER", "integer"), TypeChange::Same);
        assert_eq!(classify(Dialect::MySql, "int unsigned", "int"), TypeChange::Narrowing);
        assert_eq!(classify(Dialect::MySql, "text", "varchar(255)"), TypeChange::Narrowing);
        assert_eq!(classify(Dialect::MySql, "int(11)", "bigint(20)"), TypeChange::Widening);
        assert_eq!(classify(Dialect::Sqlite, "varchar(100)", "varchar(50)"), TypeChange::Narrowing);
    }

    #[test]
    fn odd_spellings_do_not_panic() {
        for t in ["", "(", ")", "varchar(", "numeric(a,b)", "int)", "é(1)"] {
            let _ = classify(Dialect::Postgres, t, "integer");
        }
    }
}
