//! PostgreSQL online plans: foreign keys and checks added to tables that
//! already exist are added `NOT VALID` inside the transaction (a brief lock,
//! no scan) and validated by [`Change::ValidateConstraint`] after it commits,
//! which scans the table under a lock that lets writes go on. Constraints
//! of tables the plan creates are empty and stay as they are; unnamed ones
//! cannot be validated by name, and PostgreSQL refuses `NOT VALID` on
//! partitioned tables (and their partitions inherit constraints), so those
//! stay as they are too.

use std::collections::BTreeSet;

use schemasync_model::{QualifiedName, Schema};

use crate::change::{Change, TableOp};

/// Rewrite `changes` for an online apply.
pub(crate) fn validate_after_commit(to: &Schema, changes: &mut Vec<Change>) {
    let mut created: BTreeSet<QualifiedName> = changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable { table, .. } => Some(table.name.clone()),
            _ => None,
        })
        .collect();
    // Left alone like created tables.
    created.extend(
        to.tables.values().filter(|t| t.partitioning.is_some() || t.partition_of.is_some()).map(|t| t.name.clone()),
    );
    let mut validations = Vec::new();
    for change in changes.iter_mut() {
        match change {
            Change::AddForeignKey { table, foreign_key } if !created.contains(table) && !foreign_key.not_valid => {
                if let Some(name) = &foreign_key.name {
                    foreign_key.not_valid = true;
                    validations.push(Change::ValidateConstraint { table: table.clone(), name: name.clone() });
                }
            }
            Change::AlterTable { table, ops } if !created.contains(table) => {
                for op in ops.iter_mut() {
                    if let TableOp::AddCheck(check) = op
                        && !check.not_valid
                        && let Some(name) = &check.name
                    {
                        check.not_valid = true;
                        validations.push(Change::ValidateConstraint { table: table.clone(), name: name.clone() });
                    }
                }
            }
            _ => {}
        }
    }
    changes.extend(validations);
}
