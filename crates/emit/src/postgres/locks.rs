//! How many relation locks a change takes, so that a plan too large for one
//! transaction can be split before anything runs
//! (`Script::split_transactions`). Estimates err high: a batch that
//! locks less than counted only means one transaction more.

use schemasync_diff::Change;
use schemasync_model::Table;

/// Locks of a table's own relations: the table, its TOAST table and TOAST
/// index (PostgreSQL makes them for any table with a variable-length
/// column: counted always), the index of every key and exclusion
/// constraint, and the sequence of every identity column.
fn table_relations(table: &Table) -> u32 {
    let keys = u32::from(table.primary_key.is_some()) + count(table.uniques.len()) + count(table.exclusions.len());
    let sequences = count(table.columns.iter().filter(|c| c.identity.is_some()).count());
    3 + keys + sequences
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The relations the first statement of `change` locks (the change's
/// other statements touch the same relations and count 1 each).
pub(super) fn relations(change: &Change) -> u32 {
    match change {
        Change::CreateTable { table, .. } => {
            // A foreign key locks the table it references too.
            table_relations(table).saturating_add(count(table.foreign_keys.len()))
        }
        Change::DropTable(table) => table_relations(table).saturating_add(count(table.indexes.len())),
        // A rewrite (type change) rebuilds every index of the table, which
        // the change does not list: a generous constant covers the usual.
        Change::AlterTable { ops, .. } => 4u32.saturating_add(count(ops.len())),
        Change::CreateIndex { .. } | Change::DropIndex { .. } => 2,
        Change::AddForeignKey { .. } | Change::DropForeignKey { .. } => 2,
        Change::CreateView(view) => 1u32.saturating_add(count(view.depends_on.len())),
        Change::DropView(view) => 1u32.saturating_add(count(view.indexes.len())),
        Change::CreateTrigger(_) | Change::DropTrigger(_) => 2,
        Change::CreatePolicy { .. } | Change::DropPolicy { .. } => 2,
        _ => 1,
    }
}
