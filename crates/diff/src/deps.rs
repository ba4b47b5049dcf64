//! What each change creates, drops or alters, and what it needs: the raw
//! material of the dependency graph (see `ordering`).
//!
//! Dependencies are "strong" when they come from structure (a foreign key's
//! table, a trigger's table, `depends_on` lists) and "weak" when they come
//! from scanning text for names (types in a column type, sequences and
//! functions in defaults, relations in a view definition). A weak edge that
//! would close a cycle is left out instead of failing the plan.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use schemasync_model::{
    Column, Dialect, ForeignKey, ObjectKey, QualifiedName, Routine, Schema, Sequence, Table, Trigger, TypeKind,
};

use crate::change::{Change, Securable, TableOp};
use crate::fk_indexes;
use crate::tokens::{self, identifiers};

/// An object as far as ordering is concerned. Tables and views share
/// `Relation`, as they share a namespace in every engine.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Dep {
    Namespace(String),
    Extension(String),
    Type(QualifiedName),
    Collation(QualifiedName),
    Sequence(QualifiedName),
    Relation(QualifiedName),
    /// Any routine of that name (all overloads).
    Routine(QualifiedName),
    /// One overload, by identity signature: a routine dropped and created
    /// again under the same signature must be dropped first.
    RoutineSig(QualifiedName, String),
    /// A call of a routine with that many arguments: what a text scan can
    /// tell of the overload an expression uses.
    RoutineCall(QualifiedName, usize),
    Index(QualifiedName, String),
    ForeignKey(QualifiedName, String),
    Trigger(QualifiedName, String),
    Policy(QualifiedName, String),
    Event(QualifiedName),
    /// An index name in the namespace where it must be unique (the schema in
    /// PostgreSQL, the database in SQLite): an index moving to another table
    /// can only be created once the old one is gone.
    IndexName(Option<String>, String),
    /// A trigger name where it must be unique across tables (SQLite, MySQL).
    TriggerName(Option<String>, String),
}

/// The dependency facts of one change.
#[derive(Debug, Default)]
pub(crate) struct Deps {
    pub creates: Vec<Dep>,
    pub drops: Vec<Dep>,
    pub alters: Vec<Dep>,
    /// Objects (in their new state) that must exist before; `true` = strong.
    pub needs: Vec<(Dep, bool)>,
    /// Objects (in their old state) that must still exist while this runs.
    pub old_needs: Vec<(Dep, bool)>,
}

/// Names of both schemas by lowercased bare name, for the text scans (of
/// relations, only those some change creates, drops or alters).
pub(crate) struct DepContext<'a> {
    dialect: Dialect,
    from: &'a Schema,
    to: &'a Schema,
    types: ByBareName<'a>,
    sequences: ByBareName<'a>,
    routines: ByBareName<'a>,
    relations: ByBareName<'a>,
    /// Foreign keys the plan drops on their own (so a table drop need not wait).
    split_fks: BTreeSet<(QualifiedName, ForeignKey)>,
    /// Built on the first drop that asks.
    of_table: OnceCell<OfTable<'a>>,
}

/// The triggers and owned sequences of each table of `from`: a plan that
/// drops many tables of a large schema would otherwise scan every trigger
/// and sequence once per dropped table or column.
struct OfTable<'a> {
    triggers: BTreeMap<&'a QualifiedName, Vec<&'a Trigger>>,
    /// By owning table: the owning column and the sequence.
    sequences: BTreeMap<&'a QualifiedName, Vec<(&'a str, &'a Sequence)>>,
}

impl<'a> OfTable<'a> {
    fn new(from: &'a Schema) -> Self {
        let mut out = OfTable { triggers: BTreeMap::new(), sequences: BTreeMap::new() };
        for trigger in from.triggers.values() {
            out.triggers.entry(&trigger.table).or_default().push(trigger);
        }
        for sequence in from.sequences.values() {
            if let Some((table, column)) = &sequence.owned_by {
                out.sequences.entry(table).or_default().push((column.as_str(), sequence));
            }
        }
        out
    }
}

/// What a change does to a table or view.
#[derive(Clone, Copy)]
enum Effect {
    Creates,
    Drops,
    Alters,
}

/// The table or view a change creates, drops or alters: the only source of
/// `Dep::Relation` among what changes create, drop or alter. A relation
/// found in some text orders nothing unless a change does one of those to
/// it, so the text scans look only for these, not for every relation of
/// both schemas.
fn relation_effect(change: &Change) -> Option<(Effect, &QualifiedName)> {
    match change {
        Change::CreateTable { table, .. } => Some((Effect::Creates, &table.name)),
        Change::CreateView(view) => Some((Effect::Creates, &view.name)),
        Change::DropTable(table) => Some((Effect::Drops, &table.name)),
        Change::DropView(view) => Some((Effect::Drops, &view.name)),
        Change::RebuildTable { to, .. } => Some((Effect::Alters, &to.name)),
        Change::AlterTable { table, .. } => Some((Effect::Alters, table)),
        _ => None,
    }
}

/// Qualified names by lowercased bare name. Only ever looked up, never
/// iterated, so a hash map keeps the scans deterministic; the names of one
/// key stay sorted.
type ByBareName<'a> = HashMap<Cow<'a, str>, BTreeSet<&'a QualifiedName>>;

fn by_bare_name<'a>(names: impl Iterator<Item = &'a QualifiedName>) -> ByBareName<'a> {
    let mut out: ByBareName<'a> = HashMap::new();
    for name in names {
        out.entry(lowercase(&name.name)).or_default().insert(name);
    }
    out
}

/// `text.to_lowercase()`, borrowed when that changes nothing (the usual case).
fn lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

impl<'a> DepContext<'a> {
    fn index_name(&self, table: &QualifiedName, index: &str) -> Option<Dep> {
        match self.dialect {
            Dialect::MySql => None,
            _ => Some(Dep::IndexName(table.schema.clone(), index.to_owned())),
        }
    }

    fn trigger_name(&self, trigger: &schemasync_model::Trigger) -> Option<Dep> {
        match self.dialect {
            Dialect::Sqlite | Dialect::MySql => {
                Some(Dep::TriggerName(trigger.table.schema.clone(), trigger.name.clone()))
            }
            _ => None,
        }
    }

    pub(crate) fn new(from: &'a Schema, to: &'a Schema, changes: &[Change]) -> Self {
        let both = [from, to];
        DepContext {
            dialect: to.dialect,
            from,
            to,
            types: by_bare_name(both.iter().flat_map(|s| s.types.keys())),
            sequences: by_bare_name(both.iter().flat_map(|s| s.sequences.keys())),
            routines: by_bare_name(both.iter().flat_map(|s| s.routines.keys().map(|k| &k.name))),
            relations: by_bare_name(changes.iter().filter_map(relation_effect).filter_map(|(_, name)| {
                // The schemas' own copy of the name, which outlives the changes.
                both.iter().find_map(|s| {
                    s.tables.get_key_value(name).map(|(k, _)| k).or_else(|| s.views.get_key_value(name).map(|(k, _)| k))
                })
            })),
            split_fks: changes
                .iter()
                .filter_map(|c| match c {
                    Change::DropForeignKey { table, foreign_key } => Some((table.clone(), foreign_key.clone())),
                    _ => None,
                })
                .collect(),
            of_table: OnceCell::new(),
        }
    }

    fn scan(&self, text: &str, out: &mut Vec<(Dep, bool)>, kinds: Scan) {
        let maps = [
            (kinds.types, &self.types, Dep::Type as fn(QualifiedName) -> Dep),
            (kinds.sequences, &self.sequences, Dep::Sequence),
            (kinds.routines, &self.routines, Dep::Routine),
            (kinds.relations, &self.relations, Dep::Relation),
        ];
        // Tokenizing is the expensive part, and pointless with nothing to find.
        if !maps.iter().any(|(wanted, map, _)| *wanted && !map.is_empty()) {
            return;
        }
        let mut calls: Option<Vec<(String, usize)>> = None;
        if kinds.sequences {
            for id in tokens::literal_names(text) {
                for name in self.sequences.get(id.as_str()).into_iter().flatten() {
                    out.push((Dep::Sequence((*name).clone()), false));
                }
            }
        }
        for id in identifiers(text) {
            for (wanted, map, dep) in &maps {
                if !*wanted {
                    continue;
                }
                for name in map.get(id.as_str()).into_iter().flatten() {
                    // A routine called with a known number of arguments
                    // needs only the overloads that take that many.
                    if kinds.routines && std::ptr::eq(*map, &self.routines) {
                        let calls = calls.get_or_insert_with(|| tokens::calls(text));
                        let arities: BTreeSet<usize> =
                            calls.iter().filter(|(n, _)| *n == id).map(|(_, arity)| *arity).collect();
                        if !arities.is_empty() {
                            out.extend(arities.into_iter().map(|a| (Dep::RoutineCall((*name).clone(), a), false)));
                            continue;
                        }
                    }
                    out.push((dep((*name).clone()), false));
                }
            }
        }
    }

    fn column(&self, column: &Column, out: &mut Vec<(Dep, bool)>) {
        self.scan(&column.data_type, out, Scan::TYPES);
        out.extend(column.collation.as_deref().map(|c| (collation_dep(c), true)));
        for expr in column.default.iter().chain(column.generated.as_ref().map(|g| &g.expr)) {
            self.scan(expr, out, Scan::EXPR);
        }
    }

    /// What a table needs to be created (or what its drop must precede).
    fn table(&self, table: &Table, deferred: &[usize], dropping: bool, out: &mut Vec<(Dep, bool)>) {
        namespace(&table.name, out);
        for column in &table.columns {
            self.column(column, out);
        }
        for check in &table.checks {
            self.scan(&check.expr, out, Scan::EXPR);
        }
        if let Some(parent) = &table.partition_of {
            out.push((Dep::Relation(parent.parent.clone()), true));
        }
        // SQLite checks references only when rows change, so its tables
        // need no order among themselves.
        if self.dialect == Dialect::Sqlite {
            return;
        }
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            let split = if dropping {
                self.split_fks.contains(&(table.name.clone(), fk.clone()))
            } else {
                deferred.contains(&i)
            };
            if fk.ref_table != table.name && !split {
                out.push((Dep::Relation(fk.ref_table.clone()), true));
            }
            if !dropping && !split {
                out.extend(self.unique_index_for(fk).map(|dep| (dep, true)));
            }
        }
    }

    /// PostgreSQL and MySQL accept a foreign key whose referenced columns
    /// carry a unique index rather than a constraint; that index must exist
    /// before the key is created.
    fn unique_index_for(&self, fk: &ForeignKey) -> Option<Dep> {
        let referenced = self.to.tables.get(&fk.ref_table)?;
        let wanted: BTreeSet<&str> = fk.ref_columns.iter().map(String::as_str).collect();
        let same = |cols: &[String]| cols.len() == wanted.len() && cols.iter().all(|c| wanted.contains(c.as_str()));
        if referenced.primary_key.as_ref().is_some_and(|pk| same(&pk.columns))
            || referenced.uniques.iter().any(|u| same(&u.columns))
        {
            return None;
        }
        referenced
            .indexes
            .values()
            .filter(|i| i.unique && i.predicate.is_none())
            .find(|i| {
                let cols: Vec<String> = i
                    .parts
                    .iter()
                    .filter_map(|p| match &p.target {
                        schemasync_model::IndexTarget::Column(c) => Some(c.clone()),
                        schemasync_model::IndexTarget::Expression(_) => None,
                    })
                    .collect();
                cols.len() == i.parts.len() && same(&cols)
            })
            .map(|i| Dep::Index(fk.ref_table.clone(), i.name.clone()))
    }

    /// Triggers go with their table without a change of their own, but the
    /// functions they call must outlive the table's drop.
    fn trigger_functions_of(&self, table: &QualifiedName, out: &mut Vec<(Dep, bool)>) {
        for trigger in self.of_table().triggers.get(table).into_iter().flatten() {
            let functions: Vec<ObjectKey> =
                trigger.depends_on.iter().filter(|k| matches!(k, ObjectKey::Routine { .. })).cloned().collect();
            self.view_like(&functions, &[], None, out);
        }
    }

    fn owned_sequences(&self, table: &QualifiedName, column: Option<&str>) -> Vec<Dep> {
        self.of_table()
            .sequences
            .get(table)
            .into_iter()
            .flatten()
            .filter(|(c, _)| column.is_none_or(|col| col == *c))
            .map(|(_, s)| Dep::Sequence(s.name.clone()))
            .collect()
    }

    fn of_table(&self) -> &OfTable<'a> {
        self.of_table.get_or_init(|| OfTable::new(self.from))
    }

    fn view_like(
        &self,
        depends_on: &[ObjectKey],
        texts: &[&str],
        own: Option<&QualifiedName>,
        out: &mut Vec<(Dep, bool)>,
    ) {
        out.extend(depends_on.iter().filter_map(object_dep).map(|d| (d, true)));
        for text in texts {
            self.scan(text, out, Scan::ALL);
        }
        if let Some(own) = own {
            out.retain(|(d, _)| d != &Dep::Relation(own.clone()));
        }
    }

    fn user_type(&self, kind: &TypeKind, out: &mut Vec<(Dep, bool)>) {
        match kind {
            TypeKind::Domain { base_type, default, checks, collation, .. } => {
                self.scan(base_type, out, Scan::TYPES);
                out.extend(collation.as_deref().map(|c| (collation_dep(c), true)));
                for expr in default.iter().chain(checks.iter().map(|c| &c.expr)) {
                    self.scan(expr, out, Scan::EXPR);
                }
            }
            TypeKind::Composite { attributes } => {
                for attribute in attributes {
                    self.scan(&attribute.data_type, out, Scan::TYPES);
                }
            }
            TypeKind::Range { subtype, .. } => self.scan(subtype, out, Scan::TYPES),
            _ => {}
        }
    }

    /// The dependency facts of one change.
    pub(crate) fn deps(&self, change: &Change) -> Deps {
        let mut d = Deps::default();
        if let Some((effect, name)) = relation_effect(change) {
            let list = match effect {
                Effect::Creates => &mut d.creates,
                Effect::Drops => &mut d.drops,
                Effect::Alters => &mut d.alters,
            };
            list.push(Dep::Relation(name.clone()));
        }
        match change {
            Change::CreateNamespace(ns) => d.creates.push(Dep::Namespace(ns.name.clone())),
            Change::DropNamespace(ns) => d.drops.push(Dep::Namespace(ns.name.clone())),
            Change::CreateExtension(ext) => {
                d.creates.push(Dep::Extension(ext.name.clone()));
                d.needs.extend(ext.schema.iter().map(|s| (Dep::Namespace(s.clone()), true)));
            }
            Change::DropExtension(ext) => {
                d.drops.push(Dep::Extension(ext.name.clone()));
                d.old_needs.extend(ext.schema.iter().map(|s| (Dep::Namespace(s.clone()), true)));
            }
            Change::AlterExtension { to, .. } => {
                d.alters.push(Dep::Extension(to.name.clone()));
                d.needs.extend(to.schema.iter().map(|s| (Dep::Namespace(s.clone()), true)));
            }
            Change::CreateType(ty) => {
                d.creates.push(Dep::Type(ty.name.clone()));
                namespace(&ty.name, &mut d.needs);
                self.user_type(&ty.kind, &mut d.needs);
            }
            Change::DropType(ty) => {
                d.drops.push(Dep::Type(ty.name.clone()));
                namespace(&ty.name, &mut d.old_needs);
                self.user_type(&ty.kind, &mut d.old_needs);
            }
            Change::AlterType { to, .. } => {
                d.alters.push(Dep::Type(to.name.clone()));
                self.user_type(&to.kind, &mut d.needs);
            }
            Change::CreateSequence(seq) => {
                d.creates.push(Dep::Sequence(seq.name.clone()));
                namespace(&seq.name, &mut d.needs);
            }
            Change::DropSequence(seq) => {
                d.drops.push(Dep::Sequence(seq.name.clone()));
                namespace(&seq.name, &mut d.old_needs);
            }
            Change::AlterSequence { from, to } => {
                d.alters.push(Dep::Sequence(to.name.clone()));
                if from.owned_by != to.owned_by {
                    d.needs.extend(to.owned_by.iter().map(|(t, _)| (Dep::Relation(t.clone()), true)));
                }
            }
            Change::CreateTable { table, deferred_foreign_keys } => {
                self.table(table, deferred_foreign_keys, false, &mut d.needs);
            }
            Change::DropTable(table) => {
                d.drops.extend(table.indexes.values().filter_map(|i| self.index_name(&table.name, &i.name)));
                d.drops.extend(self.owned_sequences(&table.name, None));
                self.table(table, &[], true, &mut d.old_needs);
                self.trigger_functions_of(&table.name, &mut d.old_needs);
            }
            Change::RebuildTable { from, to } => {
                d.drops.extend(from.indexes.values().filter_map(|i| self.index_name(&from.name, &i.name)));
                d.creates.extend(to.indexes.values().filter_map(|i| self.index_name(&to.name, &i.name)));
                self.table(to, &[], false, &mut d.needs);
                self.table(from, &[], true, &mut d.old_needs);
                d.needs.retain(|(dep, _)| dep != &Dep::Relation(to.name.clone()));
                d.old_needs.retain(|(dep, _)| dep != &Dep::Relation(to.name.clone()));
            }
            Change::AlterTable { table, ops } => {
                self.alter_table(table, ops, &mut d);
            }
            Change::CreateIndex { table, index } => {
                d.creates.push(Dep::Index(table.clone(), index.name.clone()));
                d.creates.extend(self.index_name(table, &index.name));
                d.needs.push((Dep::Relation(table.clone()), true));
                self.index_exprs(index, &mut d.needs);
            }
            Change::DropIndex { table, index } => {
                d.drops.push(Dep::Index(table.clone(), index.name.clone()));
                d.drops.extend(self.index_name(table, &index.name));
                d.old_needs.push((Dep::Relation(table.clone()), true));
            }
            Change::AddForeignKey { table, foreign_key } => {
                d.creates.push(fk_dep(table, foreign_key));
                d.needs.push((Dep::Relation(table.clone()), true));
                d.needs.push((Dep::Relation(foreign_key.ref_table.clone()), true));
                d.needs.extend(self.unique_index_for(foreign_key).map(|dep| (dep, true)));
                // MySQL: the keys it can use come first, or the server
                // creates one of its own that the wanted schema lacks.
                if self.dialect == Dialect::MySql {
                    let keys = fk_indexes::supporting_indexes(self.to, table, foreign_key);
                    d.needs.extend(keys.into_iter().map(|(t, i)| (Dep::Index(t, i), true)));
                }
            }
            Change::DropForeignKey { table, foreign_key } => {
                d.drops.push(fk_dep(table, foreign_key));
                d.old_needs.push((Dep::Relation(table.clone()), true));
                d.old_needs.push((Dep::Relation(foreign_key.ref_table.clone()), true));
                // MySQL refuses to drop a key a foreign key still needs.
                if self.dialect == Dialect::MySql {
                    let keys = fk_indexes::supporting_indexes(self.from, table, foreign_key);
                    d.old_needs.extend(keys.into_iter().map(|(t, i)| (Dep::Index(t, i), true)));
                }
            }
            Change::CreateView(view) => {
                namespace(&view.name, &mut d.needs);
                self.view_like(&view.depends_on, &[&view.definition], Some(&view.name), &mut d.needs);
            }
            Change::DropView(view) => {
                namespace(&view.name, &mut d.old_needs);
                self.view_like(&view.depends_on, &[&view.definition], Some(&view.name), &mut d.old_needs);
            }
            Change::CreateRoutine(routine) => {
                d.creates.extend(routine_deps(routine));
                namespace(&routine.name, &mut d.needs);
                self.view_like(&routine.depends_on, &[], None, &mut d.needs);
            }
            Change::ReplaceRoutine { to, .. } => {
                d.alters.extend(routine_deps(to));
                self.view_like(&to.depends_on, &[], None, &mut d.needs);
            }
            Change::DropRoutine(routine) => {
                d.drops.extend(routine_deps(routine));
                namespace(&routine.name, &mut d.old_needs);
                self.view_like(&routine.depends_on, &[], None, &mut d.old_needs);
            }
            Change::CreateTrigger(trigger) | Change::DropTrigger(trigger) => {
                let key = Dep::Trigger(trigger.table.clone(), trigger.name.clone());
                let creating = matches!(change, Change::CreateTrigger(_));
                let list = if creating { &mut d.needs } else { &mut d.old_needs };
                list.push((Dep::Relation(trigger.table.clone()), true));
                let mut texts = vec![trigger.body.as_str()];
                texts.extend(trigger.when.as_deref());
                self.view_like(&trigger.depends_on, &texts, None, list);
                let global = self.trigger_name(trigger);
                if creating {
                    d.creates.push(key);
                    d.creates.extend(global);
                } else {
                    d.drops.push(key);
                    d.drops.extend(global);
                }
            }
            Change::CreatePolicy { table, policy } => {
                d.creates.push(Dep::Policy(table.clone(), policy.name.clone()));
                d.needs.push((Dep::Relation(table.clone()), true));
                for expr in policy.using.iter().chain(policy.with_check.iter()) {
                    self.scan(expr, &mut d.needs, Scan::EXPR);
                }
            }
            Change::DropPolicy { table, policy } => {
                d.drops.push(Dep::Policy(table.clone(), policy.name.clone()));
                d.old_needs.push((Dep::Relation(table.clone()), true));
            }
            Change::CreateEvent(event) => {
                d.creates.push(Dep::Event(event.name.clone()));
                self.scan(&event.body, &mut d.needs, Scan::ALL);
            }
            Change::DropEvent(event) => d.drops.push(Dep::Event(event.name.clone())),
            Change::ValidateConstraint { table, name } => {
                d.needs.push((Dep::Relation(table.clone()), true));
                d.needs.push((Dep::ForeignKey(table.clone(), name.clone()), true));
            }
            Change::CreateRule(rule) => {
                d.needs.push((Dep::Relation(rule.table.clone()), true));
                self.scan(&rule.definition, &mut d.needs, Scan::ALL);
            }
            Change::DropRule(rule) => {
                d.old_needs.push((Dep::Relation(rule.table.clone()), true));
                self.scan(&rule.definition, &mut d.old_needs, Scan::ALL);
            }
            Change::CreateStatistics(stats) => {
                d.needs.push((Dep::Relation(stats.table.clone()), true));
                namespace(&stats.name, &mut d.needs);
                self.scan(&stats.definition, &mut d.needs, Scan::EXPR);
            }
            Change::DropStatistics(stats) => {
                d.old_needs.push((Dep::Relation(stats.table.clone()), true));
            }
            Change::CreateCollation(c) => {
                d.creates.push(Dep::Collation(c.name.clone()));
                namespace(&c.name, &mut d.needs);
            }
            Change::DropCollation(c) => {
                d.drops.push(Dep::Collation(c.name.clone()));
                namespace(&c.name, &mut d.old_needs);
            }
            Change::SetPrivileges { target, .. } => {
                d.needs.push((securable_dep(target), true));
            }
            Change::SetComment { target, .. } => {
                d.needs.extend(object_dep(target).map(|dep| (dep, true)));
                if let ObjectKey::Constraint { table, name } = target {
                    d.needs.push((Dep::ForeignKey(table.clone(), name.clone()), false));
                }
            }
        }
        d
    }

    fn index_exprs(&self, index: &schemasync_model::Index, out: &mut Vec<(Dep, bool)>) {
        for part in &index.parts {
            if let schemasync_model::IndexTarget::Expression(expr) = &part.target {
                self.scan(expr, out, Scan::EXPR);
            }
        }
        if let Some(predicate) = &index.predicate {
            self.scan(predicate, out, Scan::EXPR);
        }
    }

    fn alter_table(&self, table: &QualifiedName, ops: &[TableOp], d: &mut Deps) {
        for op in ops {
            match op {
                TableOp::AddColumn { column, .. } => self.column(column, &mut d.needs),
                TableOp::AlterColumn { from, to } => {
                    self.column(to, &mut d.needs);
                    self.column(from, &mut d.old_needs);
                }
                TableOp::DropColumn(column) => {
                    self.column(column, &mut d.old_needs);
                    d.drops.extend(self.owned_sequences(table, Some(&column.name)));
                }
                TableOp::AddIndex(index) => {
                    d.creates.push(Dep::Index(table.clone(), index.name.clone()));
                    self.index_exprs(index, &mut d.needs);
                }
                TableOp::DropIndex(index) => d.drops.push(Dep::Index(table.clone(), index.name.clone())),
                TableOp::AddCheck(check) => self.scan(&check.expr, &mut d.needs, Scan::EXPR),
                TableOp::DropCheck(check) => self.scan(&check.expr, &mut d.old_needs, Scan::EXPR),
                _ => {}
            }
        }
    }
}

/// Which kinds of names a text scan looks for.
#[derive(Clone, Copy)]
struct Scan {
    types: bool,
    sequences: bool,
    routines: bool,
    relations: bool,
}

impl Scan {
    const TYPES: Scan = Scan { types: true, sequences: false, routines: false, relations: false };
    const EXPR: Scan = Scan { types: true, sequences: true, routines: true, relations: false };
    const ALL: Scan = Scan { types: true, sequences: true, routines: true, relations: true };
}

/// The collation a `COLLATE` clause names (`"s"."c"`, or a bare built-in
/// name, which no change ever creates).
fn collation_dep(text: &str) -> Dep {
    let parts = tokens::split_qualified(text.trim());
    let name = match parts.as_slice() {
        [schema, name] => QualifiedName { schema: Some(schema.clone()), name: name.clone() },
        _ => QualifiedName { schema: None, name: text.trim().trim_matches('"').to_owned() },
    };
    Dep::Collation(name)
}

/// What a routine change creates, drops or alters: the name, the overload,
/// and the calls it can answer (by number of arguments).
fn routine_deps(routine: &Routine) -> Vec<Dep> {
    let mut out =
        vec![Dep::Routine(routine.name.clone()), Dep::RoutineSig(routine.name.clone(), routine.signature.clone())];
    out.extend(call_arities(&routine.arguments).map(|a| Dep::RoutineCall(routine.name.clone(), a)));
    out
}

/// The argument counts a call of a routine with these arguments
/// (`a integer, b text DEFAULT 'x'`, `VARIADIC xs int[]`) may have. Output
/// arguments are counted as optional, since procedures take them in CALL
/// and functions do not.
fn call_arities(arguments: &str) -> std::ops::RangeInclusive<usize> {
    const VARIADIC_MAX: usize = 16;
    let (mut required, mut total, mut variadic) = (0usize, 0usize, false);
    for arg in split_top_level(arguments) {
        let lower = arg.trim().to_lowercase();
        if lower.is_empty() {
            continue;
        }
        total += 1;
        let optional = lower.starts_with("out ") || lower.contains(" default ") || lower.contains(" = ");
        variadic |= lower.starts_with("variadic ");
        if !optional && !lower.starts_with("variadic ") {
            required += 1;
        }
    }
    let max = if variadic { required + VARIADIC_MAX } else { total };
    required..=max.max(required)
}

/// `text` split at commas outside parentheses and quotes.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0usize);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn namespace(name: &QualifiedName, out: &mut Vec<(Dep, bool)>) {
    if let Some(schema) = &name.schema {
        out.push((Dep::Namespace(schema.clone()), true));
    }
}

fn fk_dep(table: &QualifiedName, fk: &ForeignKey) -> Dep {
    let id = match &fk.name {
        Some(name) => name.clone(),
        None => format!("({}) -> {}({})", fk.columns.join(", "), fk.ref_table, fk.ref_columns.join(", ")),
    };
    Dep::ForeignKey(table.clone(), id)
}

/// The ordering object behind an object with privileges.
fn securable_dep(target: &Securable) -> Dep {
    match target {
        Securable::Namespace { name } => Dep::Namespace(name.clone()),
        Securable::Type { name, .. } => Dep::Type(name.clone()),
        Securable::Sequence { name } => Dep::Sequence(name.clone()),
        Securable::Table { name } | Securable::View { name, .. } => Dep::Relation(name.clone()),
        Securable::Routine { key } => Dep::Routine(key.name.clone()),
    }
}

/// The ordering object behind a model object key.
pub(crate) fn object_dep(key: &ObjectKey) -> Option<Dep> {
    Some(match key {
        ObjectKey::Namespace { name } => Dep::Namespace(name.clone()),
        ObjectKey::Extension { name } => Dep::Extension(name.clone()),
        ObjectKey::Type { name } => Dep::Type(name.clone()),
        ObjectKey::Collation { name } => Dep::Collation(name.clone()),
        ObjectKey::Sequence { name } => Dep::Sequence(name.clone()),
        ObjectKey::Table { name } | ObjectKey::View { name } | ObjectKey::MaterializedView { name } => {
            Dep::Relation(name.clone())
        }
        ObjectKey::Column { table, .. } | ObjectKey::Constraint { table, .. } => Dep::Relation(table.clone()),
        ObjectKey::Index { table, name } => Dep::Index(table.clone(), name.clone()),
        ObjectKey::Routine { key } => Dep::Routine(key.name.clone()),
        ObjectKey::Trigger { table, name } => Dep::Trigger(table.clone(), name.clone()),
        ObjectKey::Policy { table, name } => Dep::Policy(table.clone(), name.clone()),
        ObjectKey::Event { name } => Dep::Event(name.clone()),
        _ => return None,
    })
}
