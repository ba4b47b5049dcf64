//! Proptest strategies producing SQLite schemas that SQLite can create, for
//! property tests here and end-to-end convergence tests elsewhere (enable
//! the `testing` feature).
//!
//! Names come from small pools (some with spaces and quotes) so that two
//! generated schemas share tables, columns and indexes and their diff has
//! something to alter. Foreign keys reference earlier tables' single-column
//! primary keys, indexes and checks use existing columns, defaults are
//! literals, STRICT tables use STRICT types, trigger bodies reference
//! existing tables. `depends_on` of views and triggers lists the tables their
//! text names (other than a trigger's own table), as the SQLite introspector
//! fills it.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use schemasync_model::{
    CheckConstraint, Column, ConflictResolution, Deferrable, Dialect, FkAction, FkMatch, ForeignKey, Index, ObjectKey,
    PrimaryKey, QualifiedName, Schema, Table, TableOptions, Trigger, TriggerEvent, TriggerTiming, UniqueConstraint,
    View,
};

const TABLES: [&str; 6] = ["users", "orders", "order items", "we\"ird", "Ledger", "t_6"];
const COLUMNS: [&str; 8] = ["id", "name", "e mail", "qu\"ote", "amount", "Created", "flag", "note"];
const TYPES: [&str; 6] = ["INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", "varchar(20)"];
const STRICT_TYPES: [&str; 5] = ["INTEGER", "TEXT", "REAL", "BLOB", "ANY"];
const DEFAULTS: [&str; 4] = ["0", "'x'", "NULL", "1.5"];
const VIEWS: [&str; 3] = ["v_users", "active view", "V\"q"];
const CONFLICTS: [ConflictResolution; 4] =
    [ConflictResolution::Rollback, ConflictResolution::Fail, ConflictResolution::Ignore, ConflictResolution::Replace];

fn conflict(i: Option<usize>) -> Option<ConflictResolution> {
    i.and_then(|i| CONFLICTS.get(i % CONFLICTS.len()).copied())
}

fn pick<'a>(pool: &[&'a str], i: usize) -> &'a str {
    pool.get(i % pool.len().max(1)).copied().unwrap_or("x")
}

fn quote(name: &str) -> String {
    Dialect::Sqlite.quote_ident(name)
}

/// One column, by pool positions.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    name: usize,
    ty: usize,
    not_null: bool,
    default: Option<usize>,
    /// ON CONFLICT of the NOT NULL, if any.
    on_conflict: Option<usize>,
}

/// One table, by pool positions; column references are taken modulo the
/// number of columns.
#[derive(Debug, Clone)]
pub struct TableSpec {
    name: usize,
    columns: Vec<ColumnSpec>,
    pk: Option<usize>,
    unique: Option<usize>,
    /// ON CONFLICT of the primary key and of the unique constraint.
    conflicts: (Option<usize>, Option<usize>),
    check: Option<usize>,
    fk: Option<(usize, usize)>,
    indexes: Vec<(usize, bool)>,
    strict: bool,
    trigger: Option<usize>,
}

/// One view selecting one column of one table.
#[derive(Debug, Clone)]
pub struct ViewSpec {
    name: usize,
    table: usize,
    column: usize,
}

/// A whole schema before names are resolved.
#[derive(Debug, Clone)]
pub struct SchemaSpec {
    tables: Vec<TableSpec>,
    views: Vec<ViewSpec>,
}

fn column_spec() -> impl Strategy<Value = ColumnSpec> {
    (0..COLUMNS.len(), 0..TYPES.len(), any::<bool>(), option::of(0..DEFAULTS.len()), option::weighted(0.2, 0..4usize))
        .prop_map(|(name, ty, not_null, default, on_conflict)| ColumnSpec { name, ty, not_null, default, on_conflict })
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        0..TABLES.len(),
        vec(column_spec(), 1..5),
        option::of(0..8usize),
        option::weighted(0.3, 0..8usize),
        (option::weighted(0.2, 0..4usize), option::weighted(0.2, 0..4usize)),
        option::weighted(0.3, 0..8usize),
        option::weighted(0.4, (0..8usize, 0..8usize)),
        vec((0..8usize, any::<bool>()), 0..3),
        proptest::bool::weighted(0.2),
        option::weighted(0.3, 0..8usize),
    )
        .prop_map(|(name, columns, pk, unique, conflicts, check, fk, indexes, strict, trigger)| TableSpec {
            name,
            columns,
            pk,
            unique,
            conflicts,
            check,
            fk,
            indexes,
            strict,
            trigger,
        })
}

/// A schema spec: up to 4 tables and 2 views.
pub fn schema_spec() -> impl Strategy<Value = SchemaSpec> {
    (vec(table_spec(), 0..5), vec((0..VIEWS.len(), 0..8usize, 0..8usize), 0..3)).prop_map(|(tables, views)| {
        SchemaSpec {
            tables,
            views: views.into_iter().map(|(name, table, column)| ViewSpec { name, table, column }).collect(),
        }
    })
}

/// A SQLite schema SQLite can create.
pub fn sqlite_schema() -> impl Strategy<Value = Schema> {
    schema_spec().prop_map(|spec| build(&spec))
}

/// Two SQLite schemas where the second is a small edit of the first (columns
/// retyped, added or dropped, keys, indexes, options, tables, views,
/// triggers changed): the interesting case for a differ.
pub fn sqlite_schema_pair() -> impl Strategy<Value = (Schema, Schema)> {
    (schema_spec(), vec((0..13u8, 0..8usize, 0..8usize), 1..4)).prop_map(|(spec, edits)| {
        let edited = edit(spec.clone(), &edits);
        (build(&spec), build(&edited))
    })
}

fn edit(mut spec: SchemaSpec, edits: &[(u8, usize, usize)]) -> SchemaSpec {
    for &(kind, a, b) in edits {
        if kind == 8 {
            let views = spec.views.len().max(1);
            if let Some(view) = spec.views.get_mut(a % views) {
                view.column += 1;
            }
            continue;
        }
        if spec.tables.is_empty() || kind == 6 && a % 3 == 0 {
            spec.tables.push(TableSpec {
                name: a,
                columns: vec![ColumnSpec { name: b, ty: b, not_null: false, default: None, on_conflict: None }],
                pk: None,
                unique: None,
                conflicts: (None, None),
                check: None,
                fk: None,
                indexes: Vec::new(),
                strict: false,
                trigger: None,
            });
            continue;
        }
        let count = spec.tables.len();
        if kind == 6 {
            spec.tables.remove(a % count);
            continue;
        }
        let Some(table) = spec.tables.get_mut(a % count) else { continue };
        let columns = table.columns.len().max(1);
        match kind {
            0 => table.columns.iter_mut().skip(b % columns).take(1).for_each(|c| c.not_null = !c.not_null),
            1 => table.columns.iter_mut().skip(b % columns).take(1).for_each(|c| c.ty += 1),
            2 if table.columns.len() > 1 => {
                table.columns.remove(b % columns);
            }
            3 => {
                table.columns.push(ColumnSpec { name: b, ty: a, not_null: false, default: Some(a), on_conflict: None })
            }
            4 if table.indexes.is_empty() => table.indexes.push((b, a % 2 == 0)),
            4 => table.indexes.clear(),
            5 => table.strict = !table.strict,
            7 => table.fk = table.fk.map_or(Some((a, b)), |_| None),
            9 => table.pk = table.pk.map_or(Some(b), |_| None),
            10 => table.columns.iter_mut().skip(b % columns).take(1).for_each(|c| {
                c.default = c.default.map_or(Some(a), |_| None);
            }),
            11 => table.trigger = table.trigger.map_or(Some(b), |_| None),
            // A conflict clause changes (or appears, or goes) on the key, the
            // unique constraint or a NOT NULL.
            12 => match b % 3 {
                0 => table.conflicts.0 = table.conflicts.0.map_or(Some(a), |c| Some(c + 1).filter(|_| a % 2 == 0)),
                1 => table.conflicts.1 = table.conflicts.1.map_or(Some(a), |c| Some(c + 1).filter(|_| a % 2 == 0)),
                _ => table.columns.iter_mut().skip(a % columns).take(1).for_each(|c| {
                    c.not_null = true;
                    c.on_conflict = c.on_conflict.map_or(Some(b), |_| None);
                }),
            },
            _ => table.check = table.check.map_or(Some(b), |_| None),
        }
    }
    spec
}

/// Resolve a spec into a schema, skipping whatever would collide.
pub fn build(spec: &SchemaSpec) -> Schema {
    let mut schema = Schema::new(Dialect::Sqlite);
    // Tables built so far: name, single primary key column, columns.
    let mut built: Vec<(QualifiedName, Option<String>)> = Vec::new();
    let mut triggers: Vec<(QualifiedName, usize, usize)> = Vec::new();
    for (pos, spec) in spec.tables.iter().enumerate() {
        let name = pick(&TABLES, spec.name);
        if built.iter().any(|(n, _)| n.name.eq_ignore_ascii_case(name)) {
            continue;
        }
        let table = build_table(pos, name, spec, &built);
        let pk = table.primary_key.as_ref().and_then(|pk| pk.columns.first().cloned());
        if schema.add_table(table).is_ok() {
            built.push((QualifiedName::bare(name), pk));
            if let Some(other) = spec.trigger {
                triggers.push((QualifiedName::bare(name), pos, other));
            }
        }
    }
    for (table, pos, other) in triggers {
        let Some((target, _)) = built.get(other % built.len().max(1)) else { continue };
        let depends_on = if target == &table { Vec::new() } else { vec![ObjectKey::Table { name: target.clone() }] };
        let trigger = Trigger {
            sql_mode: None,
            table,
            name: format!("tr {pos}"),
            timing: TriggerTiming::After,
            events: vec![TriggerEvent::Insert],
            update_columns: Vec::new(),
            for_each_row: true,
            when: None,
            body: format!("BEGIN DELETE FROM {} WHERE 0; END", quote(&target.name)),
            constraint: false,
            deferrable: Deferrable::NotDeferrable,
            order: None,
            disabled: false,
            depends_on,
            comment: None,
        };
        let _ = schema.add_trigger(trigger);
    }
    for view in &spec.views {
        let name = pick(&VIEWS, view.name);
        let Some((table, _)) = built.get(view.table % built.len().max(1)) else { continue };
        let Some(table) = schema.tables.get(table) else { continue };
        let Some(column) = table.columns.get(view.column % table.columns.len().max(1)) else { continue };
        let definition = format!("SELECT {} FROM {}", quote(&column.name), quote(&table.name.name));
        let mut view = View::new(name, definition);
        view.depends_on = vec![ObjectKey::Table { name: table.name.clone() }];
        let _ = schema.add_view(view);
    }
    schema.normalize();
    schema
}

fn build_table(pos: usize, name: &str, spec: &TableSpec, built: &[(QualifiedName, Option<String>)]) -> Table {
    let mut table = Table::new(name);
    if spec.strict {
        table.options = TableOptions::Sqlite { strict: true, without_rowid: false, virtual_using: None };
    }
    for c in &spec.columns {
        let column_name = pick(&COLUMNS, c.name);
        if table.columns.iter().any(|x| x.name.eq_ignore_ascii_case(column_name)) {
            continue;
        }
        let ty = if spec.strict { pick(&STRICT_TYPES, c.ty) } else { pick(&TYPES, c.ty) };
        let mut column = Column::new(column_name, ty);
        column.nullable = !c.not_null;
        column.not_null_on_conflict = conflict(c.on_conflict).filter(|_| c.not_null);
        column.default = c.default.map(|d| pick(&DEFAULTS, d).to_owned());
        if c.not_null && column.default.as_deref() == Some("NULL") {
            column.default = None;
        }
        table.columns.push(column);
    }
    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let column = |i: usize| names.get(i % names.len().max(1)).cloned().unwrap_or_default();
    if let Some(i) = spec.pk {
        table.primary_key =
            Some(PrimaryKey { name: None, columns: vec![column(i)], on_conflict: conflict(spec.conflicts.0) });
    }
    let pk_column = spec.pk.map(column);
    if let Some(i) = spec.unique
        && pk_column.as_deref() != Some(column(i).as_str())
    {
        table.uniques.push(UniqueConstraint {
            name: None,
            columns: vec![column(i)],
            nulls_not_distinct: false,
            deferrable: Deferrable::NotDeferrable,
            comment: None,
            on_conflict: conflict(spec.conflicts.1),
        });
    }
    if let Some(i) = spec.check {
        table.checks.push(CheckConstraint {
            name: None,
            expr: format!("{} IS NOT NULL", quote(&column(i))),
            not_valid: false,
            no_inherit: false,
            not_enforced: false,
            comment: None,
        });
    }
    if let Some((c, r)) = spec.fk
        && let Some((ref_table, Some(ref_column))) = built.get(r % built.len().max(1))
    {
        table.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec![column(c)],
            ref_table: ref_table.clone(),
            ref_columns: vec![ref_column.clone()],
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            match_type: FkMatch::Simple,
            deferrable: Deferrable::NotDeferrable,
            not_valid: false,
            comment: None,
        });
    }
    for (k, (c, unique)) in spec.indexes.iter().enumerate() {
        let mut index = Index::on_columns(format!("ix {pos} {k}"), [column(*c)]);
        index.unique = *unique;
        table.indexes.insert(index.name.clone(), index);
    }
    table
}
