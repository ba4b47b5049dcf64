//! A small structured generator of SQLite schemas SQLite can create, driven
//! by `arbitrary`, in the spirit of `schemasync_diff::testing` (which is
//! built on proptest strategies, so libFuzzer cannot drive it).
//!
//! Names come from small pools (with spaces, quotes and case variants) so
//! that two generated schemas share tables, columns and indexes and their
//! diff has something to alter; one view name is also a table name, so a
//! table can become a view. Sizes are capped so one input stays fast.

use arbitrary::Arbitrary;
use schemasync_model::{
    Column, Deferrable, Dialect, FkAction, FkMatch, ForeignKey, Index, ObjectKey, PrimaryKey, Schema, Table,
    TableOptions, View,
};

const TABLES: [&str; 5] = ["users", "orders", "order items", "we\"ird", "Ledger"];
const VIEWS: [&str; 3] = ["v_users", "active view", "ledger"];
const COLUMNS: [&str; 7] = ["id", "name", "e mail", "qu\"ote", "amount", "Created", "ref"];
const TYPES: [&str; 6] = ["INTEGER", "TEXT", "REAL", "BLOB", "NUMERIC", ""];
const STRICT_TYPES: [&str; 5] = ["INTEGER", "TEXT", "REAL", "BLOB", "ANY"];
/// Literals, NULL (which a NOT NULL column may declare and `ALTER TABLE ADD
/// COLUMN` refuses) and a non-constant default (which `ADD COLUMN` refuses).
const DEFAULTS: [&str; 7] = ["0", "'x'", "NULL", "1.5", "-1", "X'00'", "CURRENT_TIMESTAMP"];
const INDEXES: [&str; 4] = ["ix_a", "ix b", "uq_c", "Ix\"d"];

const MAX_TABLES: usize = 4;
const MAX_COLUMNS: usize = 5;
const MAX_KEY: usize = 2;
const MAX_FKS: usize = 2;
const MAX_INDEXES: usize = 2;
const MAX_VIEWS: usize = 2;

/// A schema before names are resolved: every reference is a pool position
/// or a position among what exists, taken modulo.
#[derive(Debug, Arbitrary)]
pub struct SchemaSpec {
    tables: Vec<TableSpec>,
    views: Vec<ViewSpec>,
}

#[derive(Debug, Arbitrary)]
struct TableSpec {
    name: u8,
    columns: Vec<ColumnSpec>,
    primary_key: Vec<u8>,
    strict: bool,
    without_rowid: bool,
    foreign_keys: Vec<(u8, u8)>,
    indexes: Vec<IndexSpec>,
}

#[derive(Debug, Arbitrary)]
struct ColumnSpec {
    name: u8,
    ty: u8,
    not_null: bool,
    default: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct IndexSpec {
    name: u8,
    columns: Vec<u8>,
    unique: bool,
}

#[derive(Debug, Arbitrary)]
struct ViewSpec {
    name: u8,
    table: u8,
    columns: Vec<u8>,
    filtered: bool,
}

fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[usize::from(i) % pool.len()]
}

fn quote(name: &str) -> String {
    Dialect::Sqlite.quote_ident(name)
}

/// SQLite compares names ASCII case-insensitively.
fn taken(names: &[String], name: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Distinct positions among `len` things, in the order given.
fn positions(picks: &[u8], len: usize, max: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for &p in picks {
        let p = usize::from(p) % len.max(1);
        if out.len() < max && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Resolve a spec into a schema, skipping whatever would collide.
pub fn build(spec: &SchemaSpec) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    for t in spec.tables.iter().take(MAX_TABLES) {
        let name = pick(&TABLES, t.name);
        if !tables.iter().any(|x| x.name.name.eq_ignore_ascii_case(name)) {
            tables.push(build_table(name, t));
        }
    }
    add_foreign_keys(spec, &mut tables);
    add_indexes(spec, &mut tables);
    let mut schema = Schema::new(Dialect::Sqlite);
    for table in &tables {
        let _ = schema.add_table(table.clone());
    }
    add_views(spec, &tables, &mut schema);
    schema.normalize();
    schema
}

fn build_table(name: &str, spec: &TableSpec) -> Table {
    let mut table = Table::new(name);
    let mut names = Vec::new();
    for c in spec.columns.iter().take(MAX_COLUMNS) {
        let column_name = pick(&COLUMNS, c.name);
        if taken(&names, column_name) {
            continue;
        }
        names.push(column_name.to_owned());
        let ty = if spec.strict { pick(&STRICT_TYPES, c.ty) } else { pick(&TYPES, c.ty) };
        let mut column = Column::new(column_name, ty);
        column.nullable = !c.not_null;
        column.default = c.default.map(|d| pick(&DEFAULTS, d).to_owned());
        table.columns.push(column);
    }
    if table.columns.is_empty() {
        names.push("id".to_owned());
        table.columns.push(Column::new("id", "INTEGER"));
    }
    let key: Vec<String> =
        positions(&spec.primary_key, names.len(), MAX_KEY).into_iter().map(|i| names[i].clone()).collect();
    let keyed = !key.is_empty();
    if keyed {
        table.primary_key = Some(PrimaryKey { name: None, columns: key, on_conflict: None });
    }
    if spec.strict || spec.without_rowid && keyed {
        table.options = TableOptions::Sqlite {
            strict: spec.strict,
            without_rowid: spec.without_rowid && keyed,
            virtual_using: None,
        };
    }
    table
}

/// Foreign keys to the single-column primary key of any table, this one and
/// later ones included (SQLite checks references only when rows change).
fn add_foreign_keys(spec: &SchemaSpec, tables: &mut [Table]) {
    let parents: Vec<_> = tables
        .iter()
        .map(|t| {
            t.primary_key.as_ref().filter(|pk| pk.columns.len() == 1).map(|pk| (t.name.clone(), pk.columns[0].clone()))
        })
        .collect();
    let specs = spec.tables.iter().take(MAX_TABLES);
    for (table, t) in tables.iter_mut().zip(specs) {
        for &(column, parent) in t.foreign_keys.iter().take(MAX_FKS) {
            let Some((ref_table, ref_column)) = parents[usize::from(parent) % parents.len()].clone() else { continue };
            let column = table.columns[usize::from(column) % table.columns.len()].name.clone();
            table.foreign_keys.push(ForeignKey {
                name: None,
                columns: vec![column],
                ref_table,
                ref_columns: vec![ref_column],
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
                match_type: FkMatch::Simple,
                deferrable: Deferrable::NotDeferrable,
                not_valid: false,
                comment: None,
            });
        }
    }
}

/// Index names are unique in the whole schema, as SQLite wants.
fn add_indexes(spec: &SchemaSpec, tables: &mut [Table]) {
    let mut used = Vec::new();
    let specs = spec.tables.iter().take(MAX_TABLES);
    for (table, t) in tables.iter_mut().zip(specs) {
        for i in t.indexes.iter().take(MAX_INDEXES) {
            let name = pick(&INDEXES, i.name);
            let columns = positions(&i.columns, table.columns.len(), MAX_KEY);
            if taken(&used, name) || columns.is_empty() {
                continue;
            }
            used.push(name.to_owned());
            let mut index = Index::on_columns(name, columns.iter().map(|&c| table.columns[c].name.clone()));
            index.unique = i.unique;
            table.indexes.insert(index.name.clone(), index);
        }
    }
}

fn add_views(spec: &SchemaSpec, tables: &[Table], schema: &mut Schema) {
    let mut names: Vec<String> = tables.iter().map(|t| t.name.name.clone()).collect();
    for v in spec.views.iter().take(MAX_VIEWS) {
        let name = pick(&VIEWS, v.name);
        if tables.is_empty() || taken(&names, name) {
            continue;
        }
        let table = &tables[usize::from(v.table) % tables.len()];
        let columns: Vec<&str> = positions(&v.columns, table.columns.len(), MAX_COLUMNS)
            .into_iter()
            .map(|c| table.columns[c].name.as_str())
            .collect();
        let Some(first) = columns.first() else { continue };
        let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        let mut definition = format!("SELECT {} FROM {}", list.join(", "), quote(&table.name.name));
        if v.filtered {
            definition.push_str(&format!(" WHERE {} IS NOT NULL", quote(first)));
        }
        let mut view = View::new(name, definition);
        view.depends_on = vec![ObjectKey::Table { name: table.name.clone() }];
        if schema.add_view(view).is_ok() {
            names.push(name.to_owned());
        }
    }
}
