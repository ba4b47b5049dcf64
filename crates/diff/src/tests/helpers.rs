//! Builders and a model-level simulator: applying a plan to the `from`
//! schema must give the `to` schema, and each step must be one the engine
//! would accept (objects exist before use, SQLite's rebuild and DROP COLUMN
//! rules hold).

pub(crate) use crate::{Change, ColumnPosition, DiffError, DiffOptions, Plan, TableOp, diff};
pub(crate) use schemasync_model::keyed::Keyed;
pub(crate) use schemasync_model::*;

use crate::tokens::identifiers;

pub(crate) fn schema(dialect: Dialect, tables: Vec<Table>) -> Schema {
    let mut s = Schema::new(dialect);
    for t in tables {
        s.add_table(t).expect("table");
    }
    s
}

/// A PostgreSQL table with an integer primary key `id`.
pub(crate) fn pg_table(name: &str) -> Table {
    Table::new(q(name)).with_column(Column::new("id", "integer").not_null()).with_primary_key(["id"])
}

/// A PostgreSQL schema holding `public` and `tables`.
pub(crate) fn pg_schema(tables: Vec<Table>) -> Schema {
    let mut s = schema(Dialect::Postgres, tables);
    s.namespaces
        .insert("public".into(), Namespace { name: "public".into(), owner: None, grants: vec![], comment: None });
    s
}

pub(crate) fn plan(from: &Schema, to: &Schema) -> Plan {
    diff(from, to, &DiffOptions::default()).expect("diff")
}

pub(crate) fn described(plan: &Plan) -> Vec<String> {
    plan.changes.iter().map(|c| c.change.describe()).collect()
}

pub(crate) fn position(plan: &Plan, describe: &str) -> usize {
    described(plan)
        .iter()
        .position(|d| d == describe)
        .unwrap_or_else(|| panic!("{describe} not in {:#?}", described(plan)))
}

pub(crate) fn has_hazard(plan: &Plan, kind: HazardKind) -> bool {
    plan.hazards().any(|h| h.kind == kind)
}

pub(crate) fn q(name: &str) -> QualifiedName {
    QualifiedName::new(Some("public"), name)
}

pub(crate) fn fk(columns: &[&str], ref_table: QualifiedName, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: columns.iter().map(|s| (*s).to_owned()).collect(),
        ref_table,
        ref_columns: ref_columns.iter().map(|s| (*s).to_owned()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_type: FkMatch::Simple,
        deferrable: Deferrable::NotDeferrable,
        not_valid: false,
        comment: None,
    }
}

pub(crate) fn trigger(table: &str, name: &str, body: &str) -> Trigger {
    Trigger {
        sql_mode: None,
        table: QualifiedName::bare(table),
        name: name.into(),
        timing: TriggerTiming::After,
        events: vec![TriggerEvent::Insert],
        update_columns: Vec::new(),
        for_each_row: true,
        when: None,
        body: body.into(),
        constraint: false,
        deferrable: Deferrable::NotDeferrable,
        order: None,
        disabled: false,
        depends_on: Vec::new(),
        comment: None,
    }
}

fn mentions_any(schema: &Schema, name: &str, skip_triggers_on: Option<&QualifiedName>) -> Option<String> {
    let lower = name.to_lowercase();
    for view in schema.views.values() {
        if identifiers(&view.definition).contains(&lower) {
            return Some(format!("view {}", view.name));
        }
    }
    for trigger in schema.triggers.values() {
        if Some(&trigger.table) == skip_triggers_on {
            continue;
        }
        if identifiers(&trigger.body).contains(&lower) {
            return Some(format!("trigger {}", trigger.name));
        }
    }
    None
}

fn remove_first<T: PartialEq>(list: &mut Vec<T>, item: &T) -> Result<(), String> {
    let i = list.iter().position(|x| x == item).ok_or("constraint to drop does not exist")?;
    list.remove(i);
    Ok(())
}

fn table_mut<'a>(s: &'a mut Schema, name: &QualifiedName) -> Result<&'a mut Table, String> {
    s.tables.get_mut(name).ok_or_else(|| format!("table {name} does not exist"))
}

fn apply_op(s: &mut Schema, name: &QualifiedName, op: &TableOp) -> Result<(), String> {
    let sqlite = s.dialect == Dialect::Sqlite;
    let mysql = s.dialect == Dialect::MySql;
    if let TableOp::DropColumn(c) = op
        && sqlite
        && let Some(by) = mentions_any(s, &c.name, None)
    {
        return Err(format!("sqlite: DROP COLUMN {} while {by} mentions it", c.name));
    }
    let t = table_mut(s, name)?;
    match op {
        TableOp::AddColumn { column, position } => {
            if t.column(&column.name).is_some() {
                return Err(format!("column {} exists", column.name));
            }
            if sqlite && *position != ColumnPosition::Last {
                return Err("sqlite adds at the end only".into());
            }
            let at = match position {
                ColumnPosition::Last => t.columns.len(),
                ColumnPosition::First => 0,
                ColumnPosition::After(prev) => {
                    t.columns.iter().position(|c| &c.name == prev).ok_or("AFTER a missing column")? + 1
                }
            };
            t.columns.insert(at, column.clone());
        }
        TableOp::DropColumn(c) => {
            if sqlite
                && t.indexes.values().any(|i| i.parts.iter().any(|p| p.target == IndexTarget::Column(c.name.clone())))
            {
                return Err(format!("sqlite: DROP COLUMN {} used by an index", c.name));
            }
            t.remove_column(&c.name).ok_or("dropped column does not exist")?;
        }
        TableOp::AlterColumn { from, to } => {
            let col = t.column_mut(&from.name).ok_or("altered column does not exist")?;
            *col = to.clone();
        }
        TableOp::RenameColumn { from, to } => {
            let col = t.column_mut(from).ok_or("renamed column does not exist")?;
            col.name.clone_from(to);
            let fix = |v: &mut Vec<String>| v.iter_mut().filter(|c| *c == from).for_each(|c| c.clone_from(to));
            if let Some(pk) = &mut t.primary_key {
                fix(&mut pk.columns);
            }
            t.uniques.iter_mut().for_each(|u| fix(&mut u.columns));
            t.foreign_keys.iter_mut().for_each(|f| fix(&mut f.columns));
            for index in t.indexes.values_mut() {
                for part in &mut index.parts {
                    if part.target == IndexTarget::Column(from.clone()) {
                        part.target = IndexTarget::Column(to.clone());
                    }
                }
            }
        }
        TableOp::AddPrimaryKey(pk) => t.primary_key = Some(pk.clone()),
        TableOp::DropPrimaryKey(_) => t.primary_key = None,
        TableOp::AddUnique(u) => t.uniques.push(u.clone()),
        TableOp::DropUnique(u) => remove_first(&mut t.uniques, u)?,
        TableOp::AddCheck(c) => t.checks.push(c.clone()),
        TableOp::DropCheck(c) => remove_first(&mut t.checks, c)?,
        TableOp::AddExclusion(e) => t.exclusions.push(e.clone()),
        TableOp::DropExclusion(e) => remove_first(&mut t.exclusions, e)?,
        TableOp::SetOptions { to, .. } => t.options = to.clone(),
        TableOp::AddIndex(index) => {
            if !mysql {
                return Err(format!("only MySQL adds indexes in ALTER TABLE ({})", index.name));
            }
            if t.indexes.insert(index.name.clone(), index.clone()).is_some() {
                return Err(format!("index {} exists", index.name));
            }
        }
        TableOp::DropIndex(index) => {
            if !mysql {
                return Err(format!("only MySQL drops indexes in ALTER TABLE ({})", index.name));
            }
            t.indexes.remove(&index.name).ok_or("dropped index missing")?;
        }
        TableOp::MoveColumn { column, position } => {
            if !mysql {
                return Err(format!("only MySQL moves columns ({})", column.name));
            }
            t.remove_column(&column.name).ok_or("moved column does not exist")?;
            let at = match position {
                ColumnPosition::Last => t.columns.len(),
                ColumnPosition::First => 0,
                ColumnPosition::After(prev) => {
                    t.columns.iter().position(|c| &c.name == prev).ok_or("move AFTER a missing column")? + 1
                }
            };
            t.columns.insert(at, column.clone());
        }
    }
    Ok(())
}

fn relation_exists(s: &Schema, name: &QualifiedName) -> bool {
    s.tables.contains_key(name) || s.views.contains_key(name)
}

/// Apply one change to a model schema, checking what the engine checks.
pub(crate) fn apply(s: &mut Schema, change: &Change) -> Result<(), String> {
    match change {
        Change::CreateTable { table, deferred_foreign_keys } => {
            if relation_exists(s, &table.name) {
                return Err(format!("{} exists", table.name));
            }
            let mut t = table.clone();
            t.foreign_keys = table
                .foreign_keys
                .iter()
                .enumerate()
                .filter(|(i, _)| !deferred_foreign_keys.contains(i))
                .map(|(_, f)| f.clone())
                .collect();
            if s.dialect != Dialect::Sqlite {
                for f in &t.foreign_keys {
                    if f.ref_table != t.name && !s.tables.contains_key(&f.ref_table) {
                        return Err(format!("{} references missing {}", t.name, f.ref_table));
                    }
                }
            }
            t.indexes.clear();
            t.policies.clear();
            s.tables.insert(t.name.clone(), t);
        }
        Change::DropTable(t) => {
            if s.dialect != Dialect::Sqlite {
                let referenced =
                    s.tables.values().any(|o| o.name != t.name && o.foreign_keys.iter().any(|f| f.ref_table == t.name));
                if referenced {
                    return Err(format!("{} is still referenced", t.name));
                }
            }
            s.remove_table(&t.name).ok_or_else(|| format!("{} missing", t.name))?;
        }
        Change::AlterTable { table, ops } => {
            for op in ops {
                apply_op(s, table, op)?;
            }
        }
        Change::RebuildTable { to, .. } => {
            if s.triggers.keys().any(|(t, _)| t == &to.name) {
                return Err(format!("rebuild of {}: its triggers were not dropped first", to.name));
            }
            if let Some(by) = mentions_any(s, &to.name.name, Some(&to.name)) {
                return Err(format!("rebuild of {}: {by} still mentions it", to.name));
            }
            s.tables.insert(to.name.clone(), to.clone());
        }
        Change::CreateIndex { table, index } => {
            if let Some(t) = s.tables.get_mut(table) {
                for part in &index.parts {
                    if let IndexTarget::Column(c) = &part.target
                        && t.column(c).is_none()
                    {
                        return Err(format!("index {} on missing column {c}", index.name));
                    }
                }
                if t.indexes.insert(index.name.clone(), index.clone()).is_some() {
                    return Err(format!("index {} exists", index.name));
                }
            } else {
                let v = s.views.get_mut(table).ok_or("index on a missing relation")?;
                v.indexes.insert(index.name.clone(), index.clone());
            }
        }
        Change::DropIndex { table, index } => {
            let removed = match s.tables.get_mut(table) {
                Some(t) => t.indexes.remove(&index.name),
                None => s.views.get_mut(table).and_then(|v| v.indexes.remove(&index.name)),
            };
            removed.ok_or("dropped index missing")?;
        }
        Change::AddForeignKey { table, foreign_key } => {
            if !s.tables.contains_key(&foreign_key.ref_table) {
                return Err(format!("foreign key to missing {}", foreign_key.ref_table));
            }
            table_mut(s, table)?.foreign_keys.push(foreign_key.clone());
        }
        Change::DropForeignKey { table, foreign_key } => {
            remove_first(&mut table_mut(s, table)?.foreign_keys, foreign_key)?
        }
        Change::CreateView(v) => {
            if relation_exists(s, &v.name) {
                return Err(format!("{} exists", v.name));
            }
            let mut v = v.clone();
            v.indexes.clear();
            s.views.insert(v.name.clone(), v);
        }
        Change::DropView(v) => {
            s.views.remove(&v.name).ok_or("dropped view missing")?;
            s.triggers.retain(|(t, _), _| t != &v.name);
        }
        Change::CreateTrigger(t) => {
            if !relation_exists(s, &t.table) {
                return Err(format!("trigger {} on missing {}", t.name, t.table));
            }
            if s.triggers.insert(t.key(), t.clone()).is_some() {
                return Err(format!("trigger {} exists", t.name));
            }
        }
        Change::DropTrigger(t) => {
            s.triggers.remove(&t.key()).ok_or("dropped trigger missing")?;
        }
        Change::CreateType(t) => {
            s.types.insert(t.name.clone(), t.clone());
        }
        Change::DropType(t) => {
            s.types.remove(&t.name);
        }
        Change::AlterType { to, .. } => {
            s.types.insert(to.name.clone(), to.clone());
        }
        Change::CreateSequence(q) | Change::AlterSequence { to: q, .. } => {
            s.sequences.insert(q.name.clone(), q.clone());
        }
        Change::DropSequence(q) => {
            s.sequences.remove(&q.name);
        }
        Change::CreateRoutine(r) | Change::ReplaceRoutine { to: r, .. } => {
            s.routines.insert(r.routine_key(), r.clone());
        }
        Change::DropRoutine(r) => {
            s.routines.remove(&r.routine_key());
        }
        Change::CreateNamespace(n) => {
            s.namespaces.insert(n.name.clone(), n.clone());
        }
        Change::DropNamespace(n) => {
            s.namespaces.remove(&n.name);
        }
        Change::CreatePolicy { table, policy } => {
            table_mut(s, table)?.policies.insert(policy.name.clone(), policy.clone());
        }
        Change::DropPolicy { table, policy } => {
            table_mut(s, table)?.policies.remove(&policy.name);
        }
        Change::SetComment { .. } => {}
        other => return Err(format!("simulator does not know {}", other.describe())),
    }
    Ok(())
}

/// Apply a whole plan; the result must equal `to` (comments aside).
pub(crate) fn converges(from: &Schema, to: &Schema, plan: &Plan) -> Result<(), String> {
    let mut s = from.normalized();
    for planned in &plan.changes {
        apply(&mut s, &planned.change).map_err(|e| format!("{e} at {}", planned.change.describe()))?;
    }
    let mut got = s.normalized();
    let mut want = to.normalized();
    crate::comments::strip_all(&mut got);
    crate::comments::strip_all(&mut want);
    if got != want {
        return Err(format!("did not converge:\n got {got:#?}\nwant {want:#?}"));
    }
    Ok(())
}
