//! A reference renderer that writes a schema back following CONVENTIONS.md,
//! to prove that the text kept in the model reads back the same. It is not
//! the emitter: no diffing, no ordering beyond what a fresh database needs.
#![allow(dead_code)]

use schemasync_model::{
    CheckOption, Column, Dialect, Event, FkAction, ForeignKey, Index, IndexKind, IndexPart, IndexTarget,
    PartitionStrategy, Partitioning, Schema, Table, TableOptions, Trigger, View,
};

fn q(name: &str) -> String {
    Dialect::MySql.quote_ident(name)
}

fn s(text: &str) -> String {
    Dialect::MySql.quote_string(text)
}

pub fn column(c: &Column) -> String {
    let mut out = format!("{} {}", q(&c.name), c.data_type);
    if let Some(charset) = &c.charset {
        out.push_str(&format!(" CHARACTER SET {charset}"));
    }
    if let Some(collation) = &c.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(generated) = &c.generated {
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            generated.expr,
            if generated.stored { "STORED" } else { "VIRTUAL" }
        ));
    } else {
        out.push_str(if c.nullable { " NULL" } else { " NOT NULL" });
    }
    if let Some(default) = &c.default {
        out.push_str(&format!(" DEFAULT {default}"));
    }
    if let Some(on_update) = &c.on_update {
        out.push_str(&format!(" ON UPDATE {on_update}"));
    }
    if c.auto_increment {
        out.push_str(" AUTO_INCREMENT");
    }
    if c.invisible {
        out.push_str(" INVISIBLE");
    }
    if let Some(comment) = &c.comment {
        out.push_str(&format!(" COMMENT {}", s(comment)));
    }
    out
}

fn part(p: &IndexPart) -> String {
    let mut out = match &p.target {
        IndexTarget::Column(c) => q(c),
        IndexTarget::Expression(e) => format!("({e})"),
    };
    if let Some(len) = p.prefix_length {
        out.push_str(&format!("({len})"));
    }
    if p.descending {
        out.push_str(" DESC");
    }
    out
}

pub fn index(i: &Index) -> String {
    let kind = match (&i.kind, i.unique) {
        (IndexKind::Fulltext { .. }, _) => "FULLTEXT ",
        (IndexKind::Spatial, _) => "SPATIAL ",
        (IndexKind::Plain, true) => "UNIQUE ",
        (IndexKind::Plain, false) => "",
    };
    let parts: Vec<String> = i.parts.iter().map(part).collect();
    // CONVENTIONS.md: the index named PRIMARY is the primary key.
    let mut out = if i.name == "PRIMARY" {
        format!("PRIMARY KEY ({})", parts.join(","))
    } else {
        format!("{kind}KEY {} ({})", q(&i.name), parts.join(","))
    };
    if let Some(method) = &i.method {
        out.push_str(&format!(" USING {method}"));
    }
    if let Some(comment) = &i.comment {
        out.push_str(&format!(" COMMENT {}", s(comment)));
    }
    if let IndexKind::Fulltext { parser: Some(parser) } = &i.kind {
        out.push_str(&format!(" WITH PARSER {}", q(parser)));
    }
    for option in &i.options {
        out.push_str(&format!(" {option}"));
    }
    out
}

fn action(a: FkAction) -> &'static str {
    a.as_sql()
}

pub fn foreign_key(fk: &ForeignKey) -> String {
    let cols: Vec<String> = fk.columns.iter().map(|c| q(c)).collect();
    let refs: Vec<String> = fk.ref_columns.iter().map(|c| q(c)).collect();
    format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
        q(fk.name.as_deref().unwrap_or_default()),
        cols.join(","),
        Dialect::MySql.quote_qualified(&fk.ref_table),
        refs.join(","),
        action(fk.on_delete),
        action(fk.on_update)
    )
}

fn strategy(p: &Partitioning) -> String {
    let name = match p.strategy {
        PartitionStrategy::Range => "RANGE",
        PartitionStrategy::List => "LIST",
        PartitionStrategy::Hash => "HASH",
        PartitionStrategy::Key => "KEY",
        PartitionStrategy::LinearHash => "LINEAR HASH",
        PartitionStrategy::LinearKey => "LINEAR KEY",
    };
    let columns = if p.columns_form { " COLUMNS" } else { "" };
    format!("{name}{columns}({})", p.key.join(","))
}

pub fn partitioning(p: &Partitioning) -> String {
    let mut out = format!(" PARTITION BY {}", strategy(p));
    if let Some(n) = p.count {
        out.push_str(&format!(" PARTITIONS {n}"));
    }
    if let Some(sub) = &p.subpartitioning {
        out.push_str(&format!(" SUBPARTITION BY {}", strategy(sub)));
        if let Some(n) = sub.count {
            out.push_str(&format!(" SUBPARTITIONS {n}"));
        }
    }
    if !p.partitions.is_empty() {
        let defs: Vec<String> = p
            .partitions
            .iter()
            .map(|d| {
                let mut def = format!("PARTITION {}", q(&d.name));
                if !d.bound.is_empty() {
                    def.push_str(&format!(" {}", d.bound));
                }
                if let Some(comment) = &d.comment {
                    def.push_str(&format!(" COMMENT {}", s(comment)));
                }
                if !d.subpartitions.is_empty() {
                    let subs: Vec<String> = d.subpartitions.iter().map(|n| format!("SUBPARTITION {}", q(n))).collect();
                    def.push_str(&format!(" ({})", subs.join(", ")));
                }
                def
            })
            .collect();
        out.push_str(&format!(" ({})", defs.join(", ")));
    }
    out
}

/// CREATE TABLE without foreign keys (added afterwards, once every table exists).
pub fn create_table(t: &Table) -> String {
    let mut lines: Vec<String> = t.columns.iter().map(column).collect();
    if let Some(pk) = &t.primary_key {
        let cols: Vec<String> = pk.columns.iter().map(|c| q(c)).collect();
        lines.push(format!("PRIMARY KEY ({})", cols.join(",")));
    }
    lines.extend(t.indexes.values().map(index));
    for check in &t.checks {
        let mut line = format!("CONSTRAINT {} CHECK ({})", q(check.name.as_deref().unwrap_or_default()), check.expr);
        if check.not_enforced {
            line.push_str(" NOT ENFORCED");
        }
        lines.push(line);
    }
    let mut out = format!("CREATE TABLE {} (\n  {}\n)", Dialect::MySql.quote_qualified(&t.name), lines.join(",\n  "));
    if let TableOptions::MySql { engine, charset, collation, row_format } = &t.options {
        if let Some(engine) = engine {
            out.push_str(&format!(" ENGINE={engine}"));
        }
        if let Some(charset) = charset {
            out.push_str(&format!(" DEFAULT CHARSET={charset}"));
        }
        if let Some(collation) = collation {
            out.push_str(&format!(" COLLATE={collation}"));
        }
        if let Some(row_format) = row_format {
            out.push_str(&format!(" ROW_FORMAT={row_format}"));
        }
    }
    if let Some(comment) = &t.comment {
        out.push_str(&format!(" COMMENT={}", s(comment)));
    }
    if let Some(p) = &t.partitioning {
        out.push_str(&partitioning(p));
    }
    out
}

pub fn create_view(v: &View) -> String {
    let mut out = "CREATE".to_owned();
    if let Some(mysql) = &v.mysql {
        if let Some(a) = &mysql.algorithm {
            out.push_str(&format!(" ALGORITHM={a}"));
        }
        if let Some(d) = &mysql.definer {
            out.push_str(&format!(" DEFINER={d}"));
        }
        if let Some(sec) = &mysql.security {
            out.push_str(&format!(" SQL SECURITY {sec}"));
        }
    }
    out.push_str(&format!(" VIEW {} AS {}", Dialect::MySql.quote_qualified(&v.name), v.definition));
    match v.check_option {
        Some(CheckOption::Cascaded) => out.push_str(" WITH CASCADED CHECK OPTION"),
        Some(CheckOption::Local) => out.push_str(" WITH LOCAL CHECK OPTION"),
        None => {}
    }
    out
}

pub fn create_trigger(t: &Trigger) -> String {
    let event = t.events.first().map_or("INSERT", |e| e.as_sql());
    format!(
        "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
        q(&t.name),
        t.timing.as_sql(),
        event,
        Dialect::MySql.quote_qualified(&t.table),
        t.body
    )
}

pub fn create_event(e: &Event) -> String {
    let mut out = format!(
        "CREATE EVENT {} ON SCHEDULE {} ON COMPLETION {}PRESERVE {}",
        Dialect::MySql.quote_qualified(&e.name),
        e.schedule,
        if e.preserve { "" } else { "NOT " },
        if e.enabled { "ENABLE" } else { "DISABLE" }
    );
    if let Some(comment) = &e.comment {
        out.push_str(&format!(" COMMENT {}", s(comment)));
    }
    out.push_str(&format!(" DO {}", e.body));
    out
}

/// Statements creating `schema` in an empty database. Views come last, in
/// the order given (the caller retries those that read views not made yet).
pub fn create_schema(schema: &Schema) -> (Vec<String>, Vec<String>) {
    let mut out: Vec<String> = schema.tables.values().map(create_table).collect();
    for table in schema.tables.values() {
        for fk in &table.foreign_keys {
            out.push(format!("ALTER TABLE {} ADD {}", Dialect::MySql.quote_qualified(&table.name), foreign_key(fk)));
        }
    }
    // Routines, triggers and events are created under their own sql_mode.
    let mut under = |mode: &Option<String>, statement: String| {
        if let Some(mode) = mode {
            out.push(format!("SET SESSION sql_mode = {}", s(mode)));
        }
        out.push(statement);
        if mode.is_some() {
            out.push("SET SESSION sql_mode = DEFAULT".to_owned());
        }
    };
    for r in schema.routines.values() {
        under(&r.sql_mode, r.definition.clone());
    }
    let mut triggers: Vec<&Trigger> = schema.triggers.values().collect();
    triggers.sort_by_key(|t| (t.table.clone(), t.timing, t.events.clone(), t.order));
    for t in triggers {
        under(&t.sql_mode, create_trigger(t));
    }
    for e in schema.events.values() {
        under(&e.sql_mode, create_event(e));
    }
    let views = schema.views.values().map(create_view).collect();
    (out, views)
}
