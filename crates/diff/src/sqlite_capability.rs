//! What SQLite's `ALTER TABLE` can do. It can add a column at the end, drop a
//! column nothing refers to, and rename a column. Everything else needs a
//! rebuild (create the new shape, copy, drop, rename). Whenever a check below
//! is unsure, it answers "rebuild": a rebuild is slower but always correct.

use schemasync_model::{Column, IndexTarget, Table};

use crate::change::{ColumnPosition, TableOp};
use crate::tokens::identifiers;

/// How one SQLite table that exists on both sides changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqlitePlan {
    /// `ALTER TABLE` operations (possibly none); index changes are separate.
    Alter(Vec<TableOp>),
    /// A rebuild (renames, if any, run before it as an `AlterTable`).
    Rebuild,
}

/// Decide for `from` (already carrying the renames) and `to`. `mentioned`
/// tells whether a lowercased identifier appears in any view or trigger on
/// either side: a column named there is never dropped in place, since SQLite
/// rejects a `DROP COLUMN` that leaves a view or trigger pointing at nothing.
/// It is asked only when a column is dropped, so the caller can collect the
/// identifiers lazily.
pub(crate) fn plan(
    from: &Table,
    to: &Table,
    renames: &[(String, String)],
    mentioned: &dyn Fn(&str) -> bool,
) -> SqlitePlan {
    let same_definition = from.options == to.options
        && from.primary_key == to.primary_key
        && from.uniques == to.uniques
        && from.checks == to.checks
        && from.foreign_keys == to.foreign_keys
        && from.exclusions == to.exclusions
        && from.partitioning == to.partitioning
        && from.partition_of == to.partition_of;
    if !same_definition {
        return SqlitePlan::Rebuild;
    }

    let kept_from: Vec<&Column> = from.columns.iter().filter(|c| to.column(&c.name).is_some()).collect();
    let kept_to: Vec<&Column> = to.columns.iter().filter(|c| from.column(&c.name).is_some()).collect();
    // Same kept columns, same order, same definitions (`Column` equality
    // covers type, nullability, default, collation, generation, hidden).
    if kept_from != kept_to {
        return SqlitePlan::Rebuild;
    }
    if kept_from.is_empty() && !from.columns.is_empty() {
        // Dropping every column is not possible in place.
        return SqlitePlan::Rebuild;
    }
    // Added columns must all come after the last kept one.
    let last_kept = to.columns.iter().rposition(|c| from.column(&c.name).is_some());
    let first_added = to.columns.iter().position(|c| from.column(&c.name).is_none());
    if let (Some(last), Some(first)) = (last_kept, first_added)
        && first < last
    {
        return SqlitePlan::Rebuild;
    }

    let added: Vec<&Column> = to.columns.iter().filter(|c| from.column(&c.name).is_none()).collect();
    let dropped: Vec<&Column> = from.columns.iter().filter(|c| to.column(&c.name).is_none()).collect();
    if !added.iter().all(|c| can_add(to, c)) || !dropped.iter().all(|c| can_drop(from, to, c, mentioned)) {
        return SqlitePlan::Rebuild;
    }

    let mut ops: Vec<TableOp> =
        renames.iter().map(|(old, new)| TableOp::RenameColumn { from: old.clone(), to: new.clone() }).collect();
    ops.extend(dropped.into_iter().cloned().map(TableOp::DropColumn));
    ops.extend(added.into_iter().map(|c| TableOp::AddColumn { column: c.clone(), position: ColumnPosition::Last }));
    SqlitePlan::Alter(ops)
}

/// Whether a default is a constant SQLite accepts in `ADD COLUMN`.
/// `CURRENT_TIMESTAMP` & co. and expressions are not.
pub(crate) fn is_constant_default(default: &str) -> bool {
    let text = default.trim();
    let upper = text.to_uppercase();
    if matches!(upper.as_str(), "NULL" | "TRUE" | "FALSE") {
        return true;
    }
    if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') {
        return true;
    }
    if (upper.starts_with("X'") && upper.ends_with('\'')) && upper.len() >= 3 {
        return true;
    }
    let number = text.strip_prefix(['-', '+']).unwrap_or(text);
    !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | 'x' | 'X'))
        && number.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.')
}

fn is_null_default(default: Option<&String>) -> bool {
    default.is_none_or(|d| d.trim().eq_ignore_ascii_case("null"))
}

fn can_add(to: &Table, column: &Column) -> bool {
    if column.generated.as_ref().is_some_and(|g| g.stored) || column.auto_increment {
        return false;
    }
    if column.default.as_deref().is_some_and(|d| !is_constant_default(d)) {
        return false;
    }
    if !column.nullable && is_null_default(column.default.as_ref()) && column.generated.is_none() {
        return false;
    }
    !column_in_constraints(to, &column.name)
}

fn can_drop(from: &Table, to: &Table, column: &Column, mentioned: &dyn Fn(&str) -> bool) -> bool {
    let lower = column.name.to_lowercase();
    if mentioned(&lower) || column_in_constraints(from, &column.name) {
        return false;
    }
    let in_generated = from
        .columns
        .iter()
        .filter(|c| c.name != column.name)
        .filter_map(|c| c.generated.as_ref())
        .any(|g| identifiers(&g.expr).contains(&lower));
    if in_generated {
        return false;
    }
    // An index that survives unchanged must not use the column. Indexes that
    // change or go away are dropped before the ALTER TABLE runs.
    !from.indexes.values().any(|index| {
        to.indexes.get(&index.name) == Some(index)
            && (index.parts.iter().any(|p| match &p.target {
                IndexTarget::Column(c) => c.eq_ignore_ascii_case(&column.name),
                IndexTarget::Expression(e) => identifiers(e).contains(&lower),
            }) || index.include.iter().any(|c| c.eq_ignore_ascii_case(&column.name))
                || index.predicate.as_deref().is_some_and(|p| identifiers(p).contains(&lower)))
    })
}

/// Whether a key, unique, foreign key or check of the table uses the column.
fn column_in_constraints(table: &Table, column: &str) -> bool {
    let lower = column.to_lowercase();
    let named = |c: &String| c.eq_ignore_ascii_case(column);
    table.primary_key.as_ref().is_some_and(|pk| pk.columns.iter().any(named))
        || table.uniques.iter().any(|u| u.columns.iter().any(named))
        || table.foreign_keys.iter().any(|f| f.columns.iter().any(named))
        || table.checks.iter().any(|c| identifiers(&c.expr).contains(&lower))
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemasync_model::{Column, Index, TableOptions};

    fn base() -> Table {
        Table::new("t")
            .with_column(Column::new("id", "INTEGER").not_null())
            .with_column(Column::new("name", "TEXT"))
            .with_primary_key(["id"])
    }

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn constant_defaults() {
        for d in ["0", "-1.5", "'x'", "NULL", "X'00'", "1e3", "TRUE"] {
            assert!(is_constant_default(d), "{d}");
        }
        for d in ["CURRENT_TIMESTAMP", "(1+1)", "datetime('now')", "", "abc"] {
            assert!(!is_constant_default(d), "{d}");
        }
    }

    #[test]
    fn add_at_end_is_an_alter() {
        let to = base().with_column(Column::new("age", "INTEGER").default_expr("0"));
        let SqlitePlan::Alter(ops) = plan(&base(), &to, &[], &none) else { panic!("expected alter") };
        assert_eq!(ops.len(), 1);
    }

    #[test]
    fn things_alter_cannot_do_rebuild() {
        let not_null = base().with_column(Column::new("age", "INTEGER").not_null());
        assert_eq!(plan(&base(), &not_null, &[], &none), SqlitePlan::Rebuild);
        let expr_default = base().with_column(Column::new("at", "TEXT").default_expr("CURRENT_TIMESTAMP"));
        assert_eq!(plan(&base(), &expr_default, &[], &none), SqlitePlan::Rebuild);
        let stored = base().with_column(Column::new("g", "INTEGER").generated_as("id * 2", true));
        assert_eq!(plan(&base(), &stored, &[], &none), SqlitePlan::Rebuild);
        let mut not_at_end = base();
        not_at_end.columns.insert(0, Column::new("first", "TEXT"));
        assert_eq!(plan(&base(), &not_at_end, &[], &none), SqlitePlan::Rebuild);
        let mut retyped = base();
        if let Some(c) = retyped.column_mut("name") {
            c.data_type = "BLOB".into();
        }
        assert_eq!(plan(&base(), &retyped, &[], &none), SqlitePlan::Rebuild);
        let mut strict = base();
        strict.options = TableOptions::Sqlite { strict: true, without_rowid: false, virtual_using: None };
        assert_eq!(plan(&base(), &strict, &[], &none), SqlitePlan::Rebuild);
        let mut reordered = base();
        reordered.columns.reverse();
        assert_eq!(plan(&base(), &reordered, &[], &none), SqlitePlan::Rebuild);
    }

    /// `ALTER TABLE` cannot change a conflict clause, only a rebuild can; a
    /// new column may carry one on its NOT NULL, which `ADD COLUMN` writes.
    #[test]
    fn conflict_clauses_change_by_rebuild() {
        use schemasync_model::{ConflictResolution, UniqueConstraint};
        let mut pk_clause = base();
        if let Some(pk) = pk_clause.primary_key.as_mut() {
            pk.on_conflict = Some(ConflictResolution::Replace);
        }
        assert_eq!(plan(&base(), &pk_clause, &[], &none), SqlitePlan::Rebuild);
        assert_eq!(plan(&pk_clause, &base(), &[], &none), SqlitePlan::Rebuild);

        let mut not_null_clause = base();
        if let Some(id) = not_null_clause.column_mut("id") {
            id.not_null_on_conflict = Some(ConflictResolution::Ignore);
        }
        assert_eq!(plan(&base(), &not_null_clause, &[], &none), SqlitePlan::Rebuild);

        let unique = |on_conflict| UniqueConstraint {
            name: None,
            columns: vec!["name".into()],
            nulls_not_distinct: false,
            deferrable: schemasync_model::Deferrable::NotDeferrable,
            comment: None,
            on_conflict,
        };
        let mut plain_unique = base();
        plain_unique.uniques.push(unique(None));
        let mut fail_unique = base();
        fail_unique.uniques.push(unique(Some(ConflictResolution::Fail)));
        assert_eq!(plan(&plain_unique, &fail_unique, &[], &none), SqlitePlan::Rebuild);
        assert!(matches!(plan(&fail_unique, &fail_unique, &[], &none), SqlitePlan::Alter(ops) if ops.is_empty()));

        let mut added = Column::new("n", "INTEGER").not_null().default_expr("0");
        added.not_null_on_conflict = Some(ConflictResolution::Replace);
        let SqlitePlan::Alter(ops) = plan(&base(), &base().with_column(added), &[], &none) else {
            panic!("expected alter")
        };
        assert!(matches!(ops.as_slice(), [TableOp::AddColumn { column, .. }] if column.not_null_on_conflict.is_some()));
    }

    #[test]
    fn drop_column_only_when_unreferenced() {
        let mut to = base();
        to.columns.retain(|c| c.name != "name");
        assert!(matches!(plan(&base(), &to, &[], &none), SqlitePlan::Alter(_)));
        assert_eq!(plan(&base(), &to, &[], &|id: &str| id == "name"), SqlitePlan::Rebuild);
        let indexed = base().with_index(Index::on_columns("ix", ["name"]));
        let mut to_indexed = indexed.clone();
        to_indexed.columns.retain(|c| c.name != "name");
        assert_eq!(plan(&indexed, &to_indexed, &[], &none), SqlitePlan::Rebuild);
        // The index goes away with the column: dropped first, then ALTER.
        to_indexed.indexes.clear();
        assert!(matches!(plan(&indexed, &to_indexed, &[], &none), SqlitePlan::Alter(_)));
    }
}
