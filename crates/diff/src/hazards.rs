//! Hazards: what each change risks on a database that holds data.

use std::collections::BTreeSet;

use schemasync_model::{Column, Dialect, Hazard, HazardKind, QualifiedName, Schema, Table, TableOptions, TypeKind};

use crate::change::{Change, TableOp};
use crate::lossy::{self, Side};
use crate::objects::is_subsequence;
use crate::type_change::postgres_rewrites;
use crate::type_detour::refers_to;

/// What the hazard rules need to know beyond the change itself.
pub(crate) struct HazardContext<'a> {
    pub dialect: Dialect,
    /// `DiffOptions::online`: indexes are built concurrently.
    pub online: bool,
    /// Tables and views the plan creates: building on them is harmless.
    pub created: BTreeSet<&'a QualifiedName>,
    /// All changes of the plan (a type drop is judged by its re-creation).
    pub changes: &'a [Change],
    /// The schemas diffed: MySQL text columns without a character set of
    /// their own take their table's, which a type change may alter.
    pub from: &'a Schema,
    pub to: &'a Schema,
}

impl<'a> HazardContext<'a> {
    pub(crate) fn new(dialect: Dialect, online: bool, changes: &'a [Change], from: &'a Schema, to: &'a Schema) -> Self {
        let created = changes
            .iter()
            .filter_map(|c| match c {
                Change::CreateTable { table, .. } => Some(&table.name),
                Change::CreateView(view) => Some(&view.name),
                _ => None,
            })
            .collect();
        HazardContext { dialect, online, created, changes, from, to }
    }
}

/// The hazards of one change, without duplicates.
pub(crate) fn hazards(change: &Change, ctx: &HazardContext<'_>) -> Vec<Hazard> {
    let mut out = Vec::new();
    match change {
        Change::DropTable(table) => {
            out.push(Hazard::new(HazardKind::DataLoss, format!("drops table {} and all its rows", table.name)));
        }
        Change::RebuildTable { from, to } => rebuild(ctx, from, to, &mut out),
        Change::AlterTable { table, ops } => {
            for op in ops {
                alter_op(ctx, table, op, &mut out);
            }
        }
        Change::CreateIndex { table, index } if !ctx.created.contains(table) => {
            if index.unique {
                out.push(Hazard::new(
                    HazardKind::FailsOnExistingRows,
                    format!("unique index {} on {table} fails if existing rows hold duplicates", index.name),
                ));
            }
            if ctx.dialect == Dialect::Postgres {
                if ctx.online {
                    out.push(Hazard::new(
                        HazardKind::NonTransactional,
                        format!("CREATE INDEX CONCURRENTLY {} cannot run inside a transaction", index.name),
                    ));
                } else {
                    out.push(Hazard::new(
                        HazardKind::BlocksWrites,
                        format!("building index {} blocks writes to {table}", index.name),
                    ));
                }
            }
        }
        Change::AddForeignKey { table, foreign_key } if !ctx.created.contains(table) && !foreign_key.not_valid => {
            out.push(Hazard::new(
                HazardKind::FailsOnExistingRows,
                format!(
                    "foreign key {} on {table} fails if existing rows reference missing rows of {}",
                    foreign_key.name.as_deref().unwrap_or("(unnamed)"),
                    foreign_key.ref_table
                ),
            ));
            if ctx.dialect == Dialect::Postgres {
                out.push(Hazard::new(HazardKind::ValidationScan, format!("validating the foreign key scans {table}")));
            }
            let readded = ctx.changes.iter().any(
                |c| matches!(c, Change::DropForeignKey { table: t, foreign_key: f } if t == table && f == foreign_key),
            );
            if readded && ctx.dialect == Dialect::MySql {
                out.push(Hazard::new(
                    HazardKind::TableCopy,
                    format!(
                        "foreign key {} on {table} is dropped and added again around changes the server refuses \
                         under it: adding it copies {table} to check every row, and rows written in between \
                         are not checked until then",
                        foreign_key.name.as_deref().unwrap_or("(unnamed)")
                    ),
                ));
            }
        }
        Change::ValidateConstraint { table, name } => {
            out.push(Hazard::new(
                HazardKind::FailsOnExistingRows,
                format!("validating constraint {name} on {table} fails if existing rows violate it"),
            ));
            out.push(Hazard::new(
                HazardKind::NonTransactional,
                format!("constraint {name} is validated after the transaction, without blocking writes to {table}"),
            ));
            out.push(Hazard::new(HazardKind::ValidationScan, format!("validating constraint {name} scans {table}")));
        }
        Change::AlterType { from, to } => {
            if let (TypeKind::Enum { labels: old }, TypeKind::Enum { labels: new }) = (&from.kind, &to.kind) {
                let added: Vec<&String> = new.iter().filter(|l| !old.contains(l)).collect();
                if let Some(label) = added.into_iter().find(|l| used_elsewhere(l, change, ctx.changes)) {
                    out.push(Hazard::new(
                        HazardKind::NonTransactional,
                        format!(
                            "new labels of enum type {} are added and committed before the transaction, \
                             since the plan uses '{label}' (PostgreSQL cannot use a label its own \
                             transaction added)",
                            to.name
                        ),
                    ));
                }
            }
        }
        Change::DropType(old) => {
            let recreated = ctx.changes.iter().find_map(|c| match c {
                Change::CreateType(new) if new.name == old.name => Some(new),
                _ => None,
            });
            if let (TypeKind::Enum { labels: a }, Some(TypeKind::Enum { labels: b })) =
                (&old.kind, recreated.map(|n| &n.kind))
                && !is_subsequence(a, b)
            {
                let lost: Vec<&str> = a.iter().filter(|l| !b.contains(l)).map(String::as_str).collect();
                // Reordering keeps every value; only removed labels can lose one.
                if lost.is_empty() {
                    out.push(Hazard::new(
                        HazardKind::TableRewrite,
                        format!("enum type {} is dropped and created again to reorder its labels", old.name),
                    ));
                } else {
                    // Values are cast to the new type: one holding a removed
                    // label fails the apply instead of being lost.
                    out.push(Hazard::new(
                        HazardKind::FailsOnExistingRows,
                        format!(
                            "enum type {} is dropped and created again without labels {}: rows holding them \
                             make the sync fail",
                            old.name,
                            lost.join(", ")
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
    let mut unique = Vec::with_capacity(out.len());
    for hazard in out {
        if !unique.contains(&hazard) {
            unique.push(hazard);
        }
    }
    unique
}

/// Whether a change other than `own` mentions `label` as a string literal
/// (`'label'`, in the form the plan's text would hold it). Conservative: a
/// mention in any text counts.
fn used_elsewhere(label: &str, own: &Change, changes: &[Change]) -> bool {
    let literal = format!("'{}'", label.replace('\'', "''"));
    // The changes' JSON holds every text of theirs; JSON escapes quotes and
    // backslashes, so the literal is looked for in its escaped form.
    let needle = serde_json::to_string(&literal).unwrap_or_default();
    let needle = needle.trim_matches('"');
    changes.iter().filter(|c| *c != own).any(|c| serde_json::to_string(c).is_ok_and(|json| json.contains(needle)))
}

/// The data loss of dropping `column` from `table`, saying "possible
/// rename" when the plan adds a column of the same type to the same table:
/// a column renamed between releases would otherwise lose its values, with
/// `--allow-destructive`, and nobody would have been told how to keep them.
fn dropped_column(ctx: &HazardContext<'_>, table: &QualifiedName, column: &Column) -> Hazard {
    let mut message = format!("drops column {table}.{}", column.name);
    let same_type = |c: &&Column| c.data_type.eq_ignore_ascii_case(&column.data_type);
    if let (Some(before), Some(after)) = (ctx.from.tables.get(table), ctx.to.tables.get(table)) {
        let becomes_regular = after.column(&column.name).is_some_and(|c| c.generated.is_none());
        if becomes_regular && column.generated.as_ref().is_some_and(|g| !g.stored) {
            message.push_str(
                ": a VIRTUAL generated column cannot become a regular one in place, so it is dropped and added \
                 again without its values",
            );
        }
        let added: Vec<&Column> =
            after.columns.iter().filter(|c| before.column(&c.name).is_none()).filter(same_type).collect();
        for new in added {
            message.push_str(&format!(
                "; possible rename to {}: keep its values with --rename {table}.{}={}",
                new.name, column.name, new.name
            ));
        }
    }
    Hazard::new(HazardKind::DataLoss, message)
}

fn needs_value(column: &Column) -> bool {
    !column.nullable
        && column.default.is_none()
        && column.generated.is_none()
        && column.identity.is_none()
        && !column.auto_increment
}

fn alter_op(ctx: &HazardContext<'_>, table: &QualifiedName, op: &TableOp, out: &mut Vec<Hazard>) {
    let dialect = ctx.dialect;
    match op {
        TableOp::DropColumn(column) => out.push(dropped_column(ctx, table, column)),
        TableOp::AddColumn { column, .. } => {
            if needs_value(column) {
                out.push(Hazard::new(
                    HazardKind::FailsOnExistingRows,
                    format!("adds NOT NULL column {table}.{} without a default", column.name),
                ));
            }
            if dialect == Dialect::Postgres && column.generated.as_ref().is_some_and(|g| g.stored) {
                out.push(Hazard::new(
                    HazardKind::TableRewrite,
                    format!("adding stored generated column {table}.{} rewrites the table", column.name),
                ));
            }
        }
        TableOp::AlterColumn { from, to } => {
            let charset = |schema: &'_ Schema| match schema.tables.get(table).map(|t| &t.options) {
                Some(TableOptions::MySql { charset, .. }) => charset.clone(),
                _ => None,
            };
            let (old_charset, new_charset) = (charset(ctx.from), charset(ctx.to));
            let side = |column, table_charset| Side { column, strict: false, table_charset };
            type_change(ctx, table, side(from, old_charset.as_deref()), side(to, new_charset.as_deref()), out);
            if dialect == Dialect::Postgres
                && from.data_type != to.data_type
                && postgres_rewrites(&from.data_type, &to.data_type)
            {
                out.push(Hazard::new(
                    HazardKind::TableRewrite,
                    format!("changing the type of {table}.{} rewrites the table", to.name),
                ));
                out.push(Hazard::new(HazardKind::ExclusiveLock, format!("{table} is locked while it is rewritten")));
            }
            if dialect == Dialect::MySql && from.data_type != to.data_type {
                out.push(Hazard::new(
                    HazardKind::TableCopy,
                    format!("changing the type of {table}.{} copies the table", to.name),
                ));
            }
            if from.nullable && !to.nullable {
                out.push(Hazard::new(
                    HazardKind::FailsOnExistingRows,
                    format!("setting {table}.{} NOT NULL fails if it holds NULLs", to.name),
                ));
            }
        }
        TableOp::AddPrimaryKey(_) | TableOp::AddUnique(_) | TableOp::AddExclusion(_) => {
            let what = match op {
                TableOp::AddPrimaryKey(_) => "primary key",
                TableOp::AddUnique(_) => "unique constraint",
                _ => "exclusion constraint",
            };
            out.push(Hazard::new(
                HazardKind::FailsOnExistingRows,
                format!("new {what} on {table} fails if existing rows violate it"),
            ));
            if dialect == Dialect::Postgres {
                out.push(Hazard::new(
                    HazardKind::BlocksWrites,
                    format!("building the {what} index blocks writes to {table}"),
                ));
            }
        }
        TableOp::AddIndex(index) if index.unique => {
            out.push(Hazard::new(
                HazardKind::FailsOnExistingRows,
                format!("unique index {} on {table} fails if existing rows hold duplicates", index.name),
            ));
        }
        // Online plans add it NOT VALID: ValidateConstraint carries the risks.
        TableOp::AddCheck(check) if check.not_valid => {}
        TableOp::AddCheck(check) => {
            out.push(Hazard::new(
                HazardKind::FailsOnExistingRows,
                format!("new check ({}) on {table} fails if existing rows violate it", check.expr),
            ));
            if dialect == Dialect::Postgres {
                out.push(Hazard::new(HazardKind::ValidationScan, format!("validating the check scans {table}")));
            }
        }
        TableOp::SetOptions { from, to } => match (from, to) {
            (TableOptions::Postgres { unlogged: a, .. }, TableOptions::Postgres { unlogged: b, .. }) if a != b => {
                out.push(Hazard::new(
                    HazardKind::TableRewrite,
                    format!("switching {table} LOGGED/UNLOGGED rewrites it"),
                ));
            }
            (TableOptions::Postgres { unlogged: true, .. }, TableOptions::Default)
            | (TableOptions::Default, TableOptions::Postgres { unlogged: true, .. }) => {
                out.push(Hazard::new(
                    HazardKind::TableRewrite,
                    format!("switching {table} LOGGED/UNLOGGED rewrites it"),
                ));
            }
            _ if dialect == Dialect::MySql => {
                out.push(Hazard::new(
                    HazardKind::TableCopy,
                    format!("changing the options of {table} copies the table"),
                ));
            }
            _ => {}
        },
        // MariaDB 10.4+ (InnoDB) moves a column instantly; MySQL 8 and older
        // MariaDB rebuild the table.
        TableOp::MoveColumn { column, .. } if dialect == Dialect::MySql => {
            out.push(Hazard::new(
                HazardKind::TableRewrite,
                format!(
                    "moving column {table}.{} may rebuild the table (instant on MariaDB 10.4+ InnoDB)",
                    column.name
                ),
            ));
        }
        _ => {}
    }
}

/// Hazards of a column type change, as [`lossy`] judges it: values that
/// change silently are data loss (the apply needs `--allow-destructive`),
/// values that do not fit make the apply fail and change nothing.
fn type_change(ctx: &HazardContext<'_>, table: &QualifiedName, from: Side<'_>, to: Side<'_>, out: &mut Vec<Hazard>) {
    let dialect = ctx.dialect;
    let (old, new) = (from.column, to.column);
    // MySQL: a text column restated under a new table character set is
    // converted although its type reads the same.
    let recharset = dialect == Dialect::MySql && from.table_charset != to.table_charset;
    if old.data_type == new.data_type && old.charset == new.charset && !recharset {
        return;
    }
    let what = format!("{table}.{} from {} to {}", new.name, old.data_type, new.data_type);
    if dialect == Dialect::Postgres && !crate::type_change::postgres_cast_exists(&old.data_type, &new.data_type) {
        let replacement = if new.default.is_some() { "its new default" } else { "NULL" };
        out.push(Hazard::new(
            HazardKind::DataLoss,
            format!("no cast converts column {what}: its values are replaced by {replacement}"),
        ));
        if !new.nullable && new.default.is_none() {
            out.push(Hazard::new(HazardKind::FailsOnExistingRows, format!("column {what} is NOT NULL")));
        }
        return;
    }
    let effect = match dialect {
        Dialect::Postgres => lossy::judge_postgres(
            &old.data_type,
            domain(ctx.from, &old.data_type),
            &new.data_type,
            domain(ctx.to, &new.data_type),
        ),
        _ => lossy::judge(dialect, from, to),
    };
    if let Some(loss) = effect.loss {
        out.push(Hazard::new(HazardKind::DataLoss, format!("changing column {what} changes values: {loss}")));
    }
    if let Some(fails) = effect.fails {
        out.push(Hazard::new(HazardKind::FailsOnExistingRows, format!("changing column {what} fails if {fails}")));
    }
}

/// The domain a PostgreSQL column type names, down to a base type that is
/// not a domain (a few levels at most: a cycle cannot exist, but a schema
/// from a file is not checked for one).
fn domain<'a>(schema: &'a Schema, data_type: &str) -> Option<lossy::Domain<'a>> {
    let mut found: Option<lossy::Domain<'a>> = None;
    let mut current = data_type;
    for _ in 0..8 {
        // An array of a domain is not the domain.
        if current.trim_end().ends_with(']') {
            break;
        }
        let Some((base, constrained)) = schema.types.values().find_map(|t| match &t.kind {
            TypeKind::Domain { base_type, not_null, checks, .. } if refers_to(current, &t.name) => {
                Some((base_type.as_str(), *not_null || !checks.is_empty()))
            }
            _ => None,
        }) else {
            break;
        };
        let constrained = constrained || found.is_some_and(|d| d.constrained);
        found = Some(lossy::Domain { base, constrained });
        current = base;
    }
    found
}

fn rebuild(ctx: &HazardContext<'_>, from: &Table, to: &Table, out: &mut Vec<Hazard>) {
    let table = &to.name;
    out.push(Hazard::new(HazardKind::TableRebuild, format!("table {table} is rebuilt (copied into a new table)")));
    let strict = to.options.sqlite_strict();
    let was_strict = from.options.sqlite_strict();
    for old in &from.columns {
        match to.column(&old.name) {
            None => out.push(dropped_column(ctx, table, old)),
            Some(new) => {
                let side = |column, strict| Side { column, strict, table_charset: None };
                type_change(ctx, table, side(old, was_strict), side(new, strict), out);
                if old.nullable && !new.nullable {
                    out.push(Hazard::new(
                        HazardKind::FailsOnExistingRows,
                        format!("setting {table}.{} NOT NULL fails if it holds NULLs", new.name),
                    ));
                }
            }
        }
    }
    for new in to.columns.iter().filter(|c| from.column(&c.name).is_none()) {
        if needs_value(new) {
            out.push(Hazard::new(
                HazardKind::FailsOnExistingRows,
                format!("adds NOT NULL column {table}.{} without a default", new.name),
            ));
        }
    }
    let new_constraints = (to.primary_key.is_some() && to.primary_key != from.primary_key)
        || to.uniques.iter().any(|u| !from.uniques.contains(u))
        || to.checks.iter().any(|c| !from.checks.contains(c))
        || to.foreign_keys.iter().any(|f| !from.foreign_keys.contains(f))
        || (strict && !from.options.sqlite_strict());
    if new_constraints {
        out.push(Hazard::new(
            HazardKind::FailsOnExistingRows,
            format!("copying the rows of {table} fails if they violate its new constraints"),
        ));
    }
}
