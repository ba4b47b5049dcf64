//! What a column type change does to the values already there: keeps them,
//! changes some without a word (data loss, which needs
//! `--allow-destructive`), or makes the apply fail on a row that does not fit
//! (and change nothing). One table per engine (`postgres`, `mysql`,
//! `sqlite`) states what that server really does; the emitters write DDL
//! that behaves so (PostgreSQL: see [`postgres_conversion`]; MySQL: applies
//! run under a strict `sql_mode`; SQLite: the rebuild's copy).
//!
//! A pair a table does not know is judged "may fail": the server's cast
//! either converts the value or raises, which is the safe guess.

mod kind;
mod mysql;
mod numbers;
mod postgres;
mod sqlite;

use schemasync_model::{Column, Dialect};

pub(crate) use postgres::cast_exists as postgres_cast_exists;
pub use postgres::{PostgresConversion, postgres_conversion};

/// The effect of a type change on existing values. Both can hold: rounding
/// `numeric(12,2)` to `integer` changes 1.75 and fails on 1e11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Effect {
    /// What happens to values that change silently.
    pub loss: Option<&'static str>,
    /// Which values make the apply fail ("fails if ...").
    pub fails: Option<&'static str>,
}

impl Effect {
    pub(crate) const SAFE: Effect = Effect { loss: None, fails: None };

    pub(crate) fn loss(why: &'static str) -> Effect {
        Effect { loss: Some(why), fails: None }
    }

    pub(crate) fn fails(why: &'static str) -> Effect {
        Effect { loss: None, fails: Some(why) }
    }

    /// Both effects; the first reason of each kind wins.
    pub(crate) fn and(self, other: Effect) -> Effect {
        Effect { loss: self.loss.or(other.loss), fails: self.fails.or(other.fails) }
    }

    /// `self` when `condition` holds, else no effect.
    pub(crate) fn when(self, condition: bool) -> Effect {
        if condition { self } else { Effect::SAFE }
    }
}

/// Which categories a table row covers: listed ones, or any (`&[]`).
type Pat<C> = &'static [C];

/// The judge of the first row of `rules` covering the pair, if any.
fn first_match<C: PartialEq + Copy, J: Copy>(rules: &[(Pat<C>, Pat<C>, J)], from: C, to: C) -> Option<J> {
    let covers = |pat: Pat<C>, c: C| pat.is_empty() || pat.contains(&c);
    rules.iter().find(|(f, t, _)| covers(f, from) && covers(t, to)).map(|(_, _, judge)| *judge)
}

/// One side of a change: the column and what its table adds to its type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side<'a> {
    pub column: &'a Column,
    /// SQLite STRICT table.
    pub strict: bool,
    /// MySQL: the table's default character set, which a column without
    /// its own uses (`None`: not known, the same on both sides).
    pub table_charset: Option<&'a str>,
}

/// A PostgreSQL domain a column type names: its base type (not a domain)
/// and whether it has a NOT NULL or CHECK of its own that values must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Domain<'a> {
    pub base: &'a str,
    pub constrained: bool,
}

/// The effect of a PostgreSQL column type change, domains judged by their
/// base types (see [`postgres::judge_domains`]).
pub(crate) fn judge_postgres(
    from: &str,
    from_domain: Option<Domain<'_>>,
    to: &str,
    to_domain: Option<Domain<'_>>,
) -> Effect {
    match (from_domain, to_domain) {
        (None, None) => postgres::judge(from, to),
        _ => postgres::judge_domains(
            from_domain.map_or(from, |d| d.base),
            to_domain.map(|d| (d.base, d.constrained)),
            to,
        ),
    }
}

/// The effect of turning `from` into `to` on `dialect`.
pub(crate) fn judge(dialect: Dialect, from: Side<'_>, to: Side<'_>) -> Effect {
    match dialect {
        Dialect::Postgres => postgres::judge(&from.column.data_type, &to.column.data_type),
        Dialect::MySql => mysql::judge(from, to),
        Dialect::Sqlite => sqlite::judge(&from.column.data_type, from.strict, &to.column.data_type, to.strict),
        _ => Effect::fails("an existing value does not convert to the new type"),
    }
}
