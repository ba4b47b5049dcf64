//! Diff two schemas into a dependency-ordered [`Plan`] of typed [`Change`]s,
//! each carrying its hazards. Pure: no I/O, not async.
//!
//! ```
//! use schemasync_diff::{Change, DiffOptions, diff};
//! use schemasync_model::{Column, Dialect, Schema, Table};
//!
//! let before = Schema::new(Dialect::Sqlite);
//! let mut after = Schema::new(Dialect::Sqlite);
//! after.add_table(Table::new("users").with_column(Column::new("id", "INTEGER")))?;
//! let plan = diff(&before, &after, &DiffOptions::default())?;
//! assert!(matches!(plan.changes[0].change, Change::CreateTable { .. }));
//! assert!(diff(&after, &after, &DiffOptions::default())?.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! How it works: both schemas are normalized; SQLite comments are dropped and
//! PostgreSQL comments set aside (see `comments`); column rename hints are
//! applied to the current schema; then tables, other objects, views and
//! triggers are compared, each producing changes; finally the changes get
//! their hazards and are ordered on a dependency graph (see `ordering`).
//! On MySQL/MariaDB the keys foreign keys need are followed through the
//! plan (see `fk_indexes`): a key a kept foreign key needs is replaced in the
//! statement that drops it, or the foreign key is dropped and added again
//! around the change, and the ordered plan is played step by step and
//! refused ([`DiffError::ForeignKeyOrder`]) if the server would reject a step.
//! A PostgreSQL type that columns use and that cannot change under them (enum
//! labels removed, composite attributes retyped) is reached through an
//! intermediate schema (see `type_detour`).
//! Schemas that are normalized already are not copied (see `normalized`), and
//! the content hashes of large schemas are computed meanwhile on another thread
//! (see `hashes`).
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

mod change;
mod columns;
mod comments;
mod constraints;
mod deps;
mod error;
mod fk_indexes;
mod hashes;
mod hazards;
mod index_names;
mod lossy;
mod normalized;
mod objects;
mod online;
mod options;
mod ordering;
mod plan;
mod privileges;
mod renames;
mod rules;
mod sqlite_capability;
mod tables;
mod tokens;
mod type_change;
mod type_detour;
mod views;

#[cfg(feature = "testing")]
pub mod testing;
#[cfg(all(test, not(feature = "testing")))]
#[path = "testing.rs"]
mod testing;

#[cfg(test)]
mod tests;

pub use change::{Change, ColumnPosition, Securable, TableOp};
pub use error::DiffError;
pub use lossy::{PostgresConversion, postgres_conversion};
pub use options::DiffOptions;
pub use plan::{Plan, PlannedChange};
pub use type_change::postgres_cast_exists;

use std::borrow::Cow;

use schemasync_model::{Dialect, Schema};

/// The changes that turn `from` (a target as it is) into `to` (the source),
/// in execution order, each with its hazards. Never panics; equal schemas
/// give an empty plan; the same inputs always give the same plan.
pub fn diff(from: &Schema, to: &Schema, options: &DiffOptions) -> Result<Plan, DiffError> {
    if from.dialect != to.dialect {
        return Err(DiffError::DialectMismatch { from: from.dialect, to: to.dialect });
    }
    let dialect = to.dialect;
    let ((from_hash, to_hash), result) = hashes::alongside(from, to, || plan_changes(from, to, options));
    Ok(Plan { dialect, from_hash, to_hash, changes: result? })
}

/// The ordered changes of the diff (everything but the hashes).
fn plan_changes(from: &Schema, to: &Schema, options: &DiffOptions) -> Result<Vec<PlannedChange>, DiffError> {
    // Renamed columns would have to be followed through the intermediate
    // schema; with rename hints the plain drop + create is planned instead.
    if to.dialect == Dialect::Postgres
        && options.column_renames.is_empty()
        && let Some(mid) = type_detour::intermediate(from, to)
    {
        let mut changes = plan_direct(from, &mid, options)?;
        changes.extend(plan_direct(&mid, to, options)?);
        return Ok(changes);
    }
    plan_direct(from, to, options)
}

/// The schema the structural diff compares: without what travels in changes
/// of its own (comments, except on MySQL where they are part of
/// definitions; owners and grants). One copy at most, none when there is
/// nothing to set aside.
fn plain(schema: &Schema) -> Cow<'_, Schema> {
    let comments = schema.dialect != Dialect::MySql && comments::has_any(schema);
    let privileges = privileges::has_any(schema);
    if !comments && !privileges {
        return Cow::Borrowed(schema);
    }
    let mut copy = schema.clone();
    if privileges {
        privileges::strip_all(&mut copy);
    }
    if comments {
        // Also normalizes: comments take part in the sort order of constraints.
        comments::strip_all(&mut copy);
    }
    Cow::Owned(copy)
}

/// The ordered changes of one diff, without detours.
fn plan_direct(from: &Schema, to: &Schema, options: &DiffOptions) -> Result<Vec<PlannedChange>, DiffError> {
    let dialect = to.dialect;
    let mut current = normalized::normalized(from);
    let wanted = normalized::normalized(to);
    let renames = renames::apply(&mut current, &wanted, &options.column_renames);
    let wanted = if dialect == Dialect::MySql { fk_indexes::keep_implicit_indexes(&current, wanted) } else { wanted };

    let (plain_from, plain_to) = (plain(&current), plain(&wanted));
    let (plain_from, plain_to) = (plain_from.as_ref(), plain_to.as_ref());

    let mut changes = Vec::new();
    let table_outcome = tables::diff_tables(plain_from, plain_to, &renames, &mut changes);
    let recreated_routines = objects::diff_objects(plain_from, plain_to, &table_outcome, &mut changes);
    views::diff_views_and_triggers(plain_from, plain_to, &table_outcome, &recreated_routines, &mut changes);
    rules::diff_rules_and_statistics(plain_from, plain_to, &table_outcome, &mut changes);
    let comment_changes = match dialect {
        Dialect::Postgres => comments::postgres_comments(&current, &wanted, &changes),
        Dialect::MySql => comments::mysql_table_comments(&current, &wanted, &changes),
        _ => Vec::new(),
    };
    changes.extend(comment_changes);
    if dialect == Dialect::Postgres {
        let privilege_changes = privileges::postgres_privileges(&current, &wanted, &changes);
        changes.extend(privilege_changes);
    }

    if dialect == Dialect::MySql {
        fk_indexes::arrange(plain_from, plain_to, &mut changes);
    }
    if options.online && dialect == Dialect::Postgres {
        online::validate_after_commit(plain_to, &mut changes);
    }
    let hazard_ctx = hazards::HazardContext::new(dialect, options.online, &changes, plain_from, plain_to);
    let hazard_lists: Vec<_> = changes.iter().map(|change| hazards::hazards(change, &hazard_ctx)).collect();
    let dep_ctx = deps::DepContext::new(plain_from, plain_to, &changes);
    let planned: Vec<PlannedChange> =
        changes.into_iter().zip(hazard_lists).map(|(change, hazards)| PlannedChange { change, hazards }).collect();
    let ordered = ordering::order(planned, &dep_ctx)?;
    if dialect == Dialect::MySql {
        fk_indexes::check(plain_from, &ordered)?;
    }
    Ok(index_names::release_claimed_names(plain_from, ordered))
}
