//! Queries that find, before a plan runs, one existing row that would make
//! it fail: a duplicate under a new unique key or primary key, a NULL under
//! a new primary key or NOT NULL, a row a new check refuses, a child row a
//! new foreign key has no parent for. An engine without transactional DDL
//! (MySQL) would otherwise stop half-way; the others would roll back after
//! doing the work. Only changes over columns that exist in the target and
//! that the plan does not change are checked (the query must mean on the
//! target what the statement will find); everything else is left to the
//! apply, which fails safely as before.

use std::collections::BTreeSet;

use schemasync_diff::{Change, Plan, TableOp};
use schemasync_model::{
    CheckConstraint, Dialect, ForeignKey, Index, IndexTarget, PrimaryKey, QualifiedName, Schema, UniqueConstraint,
};

/// One check: a query that returns a row when the change would fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCheck {
    /// What would fail, for messages (`unique index users_email on users`).
    pub what: String,
    /// A `SELECT` returning at most one row; a row means the change fails.
    pub sql: String,
}

/// The row checks of `plan` on a target whose schema is `current`.
pub fn row_checks(plan: &Plan, current: &Schema) -> Vec<RowCheck> {
    let checker = Checker { dialect: plan.dialect, current, touched: touched_columns(plan), created: created(plan) };
    let mut out = Vec::new();
    for planned in &plan.changes {
        match &planned.change {
            Change::CreateIndex { table, index } => checker.index(table, index, &mut out),
            Change::AddForeignKey { table, foreign_key } => checker.foreign_key(table, foreign_key, &mut out),
            Change::AlterTable { table, ops } => {
                for op in ops {
                    match op {
                        TableOp::AddPrimaryKey(pk) => checker.primary_key(table, pk, &mut out),
                        TableOp::AddUnique(unique) => checker.unique(table, unique, &mut out),
                        TableOp::AddIndex(index) => checker.index(table, index, &mut out),
                        TableOp::AddCheck(check) => checker.check(table, check, &mut out),
                        TableOp::AlterColumn { from, to }
                            if from.nullable && !to.nullable && from.data_type == to.data_type =>
                        {
                            checker.not_null(table, &to.name, &mut out);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Columns whose type, name or existence the plan changes, per table, and
/// tables it rebuilds or drops (their columns all count as touched).
fn touched_columns(plan: &Plan) -> BTreeSet<(QualifiedName, Option<String>)> {
    let mut touched = BTreeSet::new();
    for planned in &plan.changes {
        match &planned.change {
            Change::AlterTable { table, ops } => {
                for op in ops {
                    let column = match op {
                        TableOp::AlterColumn { from, to } if from.data_type != to.data_type => Some(&from.name),
                        TableOp::AlterColumn { from, to } if from.generated != to.generated => Some(&from.name),
                        TableOp::DropColumn(column) => Some(&column.name),
                        TableOp::RenameColumn { from, .. } => Some(from),
                        _ => None,
                    };
                    if let Some(column) = column {
                        touched.insert((table.clone(), Some(column.clone())));
                    }
                }
            }
            Change::RebuildTable { from, .. } => {
                touched.insert((from.name.clone(), None));
            }
            Change::DropTable(table) => {
                touched.insert((table.name.clone(), None));
            }
            _ => {}
        }
    }
    touched
}

/// Tables the plan creates (empty when the checks run).
fn created(plan: &Plan) -> BTreeSet<QualifiedName> {
    plan.changes
        .iter()
        .filter_map(|p| match &p.change {
            Change::CreateTable { table, .. } => Some(table.name.clone()),
            _ => None,
        })
        .collect()
}

struct Checker<'a> {
    dialect: Dialect,
    current: &'a Schema,
    touched: BTreeSet<(QualifiedName, Option<String>)>,
    created: BTreeSet<QualifiedName>,
}

impl Checker<'_> {
    /// Whether `columns` of `table` exist in the target as the statement
    /// will find them.
    fn usable(&self, table: &QualifiedName, columns: &[String]) -> bool {
        let Some(found) = self.current.tables.get(table) else { return false };
        !columns.is_empty()
            && !self.touched.contains(&(table.clone(), None))
            && columns
                .iter()
                .all(|c| found.column(c).is_some() && !self.touched.contains(&(table.clone(), Some(c.clone()))))
    }

    fn ident(&self, name: &str) -> String {
        self.dialect.quote_ident(name)
    }

    fn duplicates(
        &self,
        table: &QualifiedName,
        columns: &[String],
        skip_nulls: bool,
        predicate: Option<&str>,
    ) -> String {
        let cols: Vec<String> = columns.iter().map(|c| self.ident(c)).collect();
        let mut conditions: Vec<String> =
            if skip_nulls { cols.iter().map(|c| format!("{c} IS NOT NULL")).collect() } else { Vec::new() };
        if let Some(predicate) = predicate {
            conditions.push(format!("({predicate})"));
        }
        let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
        format!(
            "SELECT 1 FROM {}{filter} GROUP BY {} HAVING COUNT(*) > 1 LIMIT 1",
            self.dialect.quote_qualified(table),
            cols.join(", ")
        )
    }

    fn nulls(&self, table: &QualifiedName, columns: &[String]) -> String {
        let any: Vec<String> = columns.iter().map(|c| format!("{} IS NULL", self.ident(c))).collect();
        format!("SELECT 1 FROM {} WHERE {} LIMIT 1", self.dialect.quote_qualified(table), any.join(" OR "))
    }

    fn index(&self, table: &QualifiedName, index: &Index, out: &mut Vec<RowCheck>) {
        if !index.unique {
            return;
        }
        // Expressions and MySQL prefixes compare something else than the columns.
        let columns: Option<Vec<String>> = index
            .parts
            .iter()
            .map(|part| match &part.target {
                IndexTarget::Column(column) if part.prefix_length.is_none() => Some(column.clone()),
                _ => None,
            })
            .collect();
        let Some(columns) = columns else { return };
        if !self.usable(table, &columns) {
            return;
        }
        out.push(RowCheck {
            what: format!("unique index {} on {table}: existing rows hold duplicates", index.name),
            sql: self.duplicates(table, &columns, !index.nulls_not_distinct, index.predicate.as_deref()),
        });
    }

    fn unique(&self, table: &QualifiedName, unique: &UniqueConstraint, out: &mut Vec<RowCheck>) {
        if !self.usable(table, &unique.columns) {
            return;
        }
        let name = unique.name.as_deref().unwrap_or("(unnamed)");
        out.push(RowCheck {
            what: format!("unique constraint {name} on {table}: existing rows hold duplicates"),
            sql: self.duplicates(table, &unique.columns, !unique.nulls_not_distinct, None),
        });
    }

    fn primary_key(&self, table: &QualifiedName, pk: &PrimaryKey, out: &mut Vec<RowCheck>) {
        if !self.usable(table, &pk.columns) {
            return;
        }
        out.push(RowCheck {
            what: format!("primary key on {table}: existing rows hold NULLs in its columns"),
            sql: self.nulls(table, &pk.columns),
        });
        out.push(RowCheck {
            what: format!("primary key on {table}: existing rows hold duplicates"),
            sql: self.duplicates(table, &pk.columns, false, None),
        });
    }

    fn not_null(&self, table: &QualifiedName, column: &str, out: &mut Vec<RowCheck>) {
        let columns = [column.to_owned()];
        if !self.usable(table, &columns) {
            return;
        }
        out.push(RowCheck {
            what: format!("setting {table}.{column} NOT NULL: existing rows hold NULLs"),
            sql: self.nulls(table, &columns),
        });
    }

    fn check(&self, table: &QualifiedName, check: &CheckConstraint, out: &mut Vec<RowCheck>) {
        // Which columns the expression reads is not known: every column of
        // the table must be unchanged for the check to mean the same.
        let Some(found) = self.current.tables.get(table) else { return };
        let all: Vec<String> = found.columns.iter().map(|c| c.name.clone()).collect();
        if check.not_valid || !self.usable(table, &all) {
            return;
        }
        let name = check.name.as_deref().unwrap_or("(unnamed)");
        out.push(RowCheck {
            what: format!("check {name} on {table}: existing rows violate it"),
            sql: format!("SELECT 1 FROM {} WHERE NOT ({}) LIMIT 1", self.dialect.quote_qualified(table), check.expr),
        });
    }

    fn foreign_key(&self, table: &QualifiedName, fk: &ForeignKey, out: &mut Vec<RowCheck>) {
        // SQLite adds foreign keys by rebuilding, checked by the rebuild itself.
        if fk.not_valid || self.dialect == Dialect::Sqlite || !self.usable(table, &fk.columns) {
            return;
        }
        if fk.columns.len() != fk.ref_columns.len() {
            return;
        }
        let child = self.dialect.quote_qualified(table);
        let present: Vec<String> = fk.columns.iter().map(|c| format!("c.{} IS NOT NULL", self.ident(c))).collect();
        let name = fk.name.as_deref().unwrap_or("(unnamed)");
        let what = format!("foreign key {name} on {table}: existing rows have no parent in {}", fk.ref_table);
        if self.created.contains(&fk.ref_table) {
            // The parent is created by the plan, empty: any child row fails.
            out.push(RowCheck {
                what,
                sql: format!("SELECT 1 FROM {child} c WHERE {} LIMIT 1", present.join(" AND ")),
            });
            return;
        }
        if !self.usable(&fk.ref_table, &fk.ref_columns) {
            return;
        }
        let joined: Vec<String> = fk
            .columns
            .iter()
            .zip(&fk.ref_columns)
            .map(|(c, p)| format!("p.{} = c.{}", self.ident(p), self.ident(c)))
            .collect();
        out.push(RowCheck {
            what,
            sql: format!(
                "SELECT 1 FROM {child} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {}) LIMIT 1",
                present.join(" AND "),
                self.dialect.quote_qualified(&fk.ref_table),
                joined.join(" AND ")
            ),
        });
    }
}
