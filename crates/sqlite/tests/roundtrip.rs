//! introspect(execute(emit(schema))) == schema, with DDL rendered in the
//! forms the emitter writes (every identifier double-quoted, model texts
//! written back verbatim). `render` below is the reference for those forms.

mod common;

use common::{inspect, load};
use schemasync_model::{ConflictResolution, Deferrable, Dialect, FkAction, IndexTarget, Schema, Table};

fn q(name: &str) -> String {
    Dialect::Sqlite.quote_ident(name)
}

fn list(names: &[String]) -> String {
    names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ")
}

fn constraint_name(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default()
}

fn on_conflict(resolution: Option<ConflictResolution>) -> String {
    resolution.map(|r| format!(" ON CONFLICT {}", r.as_sql())).unwrap_or_default()
}

fn render_table(t: &Table) -> String {
    if let Some(using) = t.options.sqlite_virtual_using() {
        return format!("CREATE VIRTUAL TABLE {} USING {using}", q(&t.name.name));
    }
    let mut defs = Vec::new();
    for c in &t.columns {
        let mut d = q(&c.name);
        if !c.data_type.is_empty() {
            d += &format!(" {}", c.data_type);
        }
        if !c.nullable {
            d += " NOT NULL";
            d += &on_conflict(c.not_null_on_conflict);
        }
        if let Some(default) = &c.default {
            d += &format!(" DEFAULT {default}");
        }
        if let Some(coll) = &c.collation {
            d += &format!(" COLLATE {}", q(coll));
        }
        if let Some(g) = &c.generated {
            d += &format!(" GENERATED ALWAYS AS ({}) {}", g.expr, if g.stored { "STORED" } else { "VIRTUAL" });
        }
        defs.push(d);
    }
    if let Some(pk) = &t.primary_key {
        let auto = t.columns.iter().any(|c| c.auto_increment);
        defs.push(format!(
            "{}PRIMARY KEY ({}{}){}",
            constraint_name(&pk.name),
            list(&pk.columns),
            if auto { " AUTOINCREMENT" } else { "" },
            on_conflict(pk.on_conflict)
        ));
    }
    for u in &t.uniques {
        defs.push(format!("{}UNIQUE ({}){}", constraint_name(&u.name), list(&u.columns), on_conflict(u.on_conflict)));
    }
    for c in &t.checks {
        defs.push(format!("{}CHECK ({})", constraint_name(&c.name), c.expr));
    }
    for fk in &t.foreign_keys {
        let mut d = format!(
            "{}FOREIGN KEY ({}) REFERENCES {}",
            constraint_name(&fk.name),
            list(&fk.columns),
            Dialect::Sqlite.quote_qualified(&fk.ref_table)
        );
        if !fk.ref_columns.is_empty() {
            d += &format!(" ({})", list(&fk.ref_columns));
        }
        if fk.on_delete != FkAction::NoAction {
            d += &format!(" ON DELETE {}", fk.on_delete.as_sql());
        }
        if fk.on_update != FkAction::NoAction {
            d += &format!(" ON UPDATE {}", fk.on_update.as_sql());
        }
        d += match fk.deferrable {
            Deferrable::NotDeferrable => "",
            Deferrable::InitiallyImmediate => " DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
        };
        defs.push(d);
    }
    let mut sql = format!("CREATE TABLE {} ({})", q(&t.name.name), defs.join(", "));
    let mut options = Vec::new();
    if t.options.sqlite_without_rowid() {
        options.push("WITHOUT ROWID");
    }
    if t.options.sqlite_strict() {
        options.push("STRICT");
    }
    if !options.is_empty() {
        sql += &format!(" {}", options.join(", "));
    }
    sql
}

/// The whole schema as a script, in the emitter's forms.
fn render(schema: &Schema) -> String {
    let mut out = Vec::new();
    for t in schema.tables.values() {
        out.push(render_table(t));
        for ix in t.indexes.values() {
            let parts: Vec<String> = ix
                .parts
                .iter()
                .map(|p| {
                    let mut s = match &p.target {
                        IndexTarget::Column(c) => q(c),
                        IndexTarget::Expression(e) => format!("({e})"),
                    };
                    if let Some(c) = &p.collation {
                        s += &format!(" COLLATE {}", q(c));
                    }
                    if p.descending {
                        s += " DESC";
                    }
                    s
                })
                .collect();
            let mut sql = format!(
                "CREATE {}INDEX {} ON {} ({})",
                if ix.unique { "UNIQUE " } else { "" },
                q(&ix.name),
                q(&t.name.name),
                parts.join(", ")
            );
            if let Some(p) = &ix.predicate {
                sql += &format!(" WHERE {p}");
            }
            out.push(sql);
        }
    }
    for v in schema.views.values() {
        let cols = if v.columns.is_empty() { String::new() } else { format!(" ({})", list(&v.columns)) };
        out.push(format!("CREATE VIEW {}{cols} AS {}", q(&v.name.name), v.definition));
    }
    for t in schema.triggers.values() {
        let mut sql = format!("CREATE TRIGGER {} {} ", q(&t.name), t.timing.as_sql());
        let events: Vec<_> = t.events.iter().map(|e| e.as_sql()).collect();
        sql += &events.join(" OR ");
        if !t.update_columns.is_empty() {
            sql += &format!(" OF {}", list(&t.update_columns));
        }
        sql += &format!(" ON {} FOR EACH ROW", q(&t.table.name));
        if let Some(w) = &t.when {
            sql += &format!(" WHEN {w}");
        }
        sql += &format!(" {}", t.body);
        out.push(sql);
    }
    out.iter().map(|s| format!("{s};\n")).collect()
}

const FIXTURE: &str = r#"
create table Parent (
    id integer primary key autoincrement,
    code text not null collate nocase unique,
    price numeric( 10,2 ) default 0.0 check (price>=0 and price < 1e9),
    created text default (datetime( 'now' )),
    doubled numeric generated always as (price * 2) stored,
    tripled as (price*3),
    note 'quoted type' default 'it''s',
    flag bool default true,
    neg int default - 1
);
create table child (
    a integer not null, b text, parent_id integer constraint child_parent references parent(id) on delete cascade,
    code text,
    constraint child_pk primary key (a, b),
    unique (b, code),
    constraint "b len" check (length(b) <  10),
    foreign key (code) references Parent (code) on update set null deferrable initially deferred,
    foreign key (b) references nowhere
) without rowid;
create table "a""b; DROP TABLE x" ("ä ""x""" text primary key, [c d] int) strict;
create table conflicts (
    id integer primary key on conflict replace autoincrement,
    a text not null on conflict replace default 'x' unique on conflict ignore,
    b text not null on conflict rollback,
    unique (a, b) on conflict fail
);
create index child_code on child (code desc);
create unique index parent_lower on parent (lower(code) collate binary, (price + 1) desc) where price > 0;
create index "weird ix" on "a""b; DROP TABLE x" ("c d" collate nocase);
create view expensive (id, code) as select id, code from parent where price > 100;
create view nested as
    select * from expensive join child on child.parent_id = expensive.id /* comment */ ;
create trigger parent_audit after update of price on parent when new.price <> old.price
begin
    insert into child (a, b) values (new.id, 'changed;  really');
    update "a""b; DROP TABLE x" set [c d] = [c d] + 1;
end;
create trigger before_del delete on child begin select raise(abort, 'no'); end;
create trigger nested_ins instead of insert on nested for each row begin select 1; end;
create virtual table docs using fts5( title , body );
"#;

#[test]
fn emitted_ddl_reads_back_the_same_schema() {
    let first = load(FIXTURE);
    let script = render(&first.schema);
    let second = load(&script);
    assert_eq!(first.schema, second.schema, "script was:\n{script}");
    assert_eq!(first.skipped, second.skipped);
    assert_eq!(render(&second.schema), script, "rendering is a fixed point");
}

#[test]
fn content_hash_is_stable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite");
    let conn = schemasync_sqlite::open(&path, true).expect("create");
    conn.execute_batch(FIXTURE).expect("fixture");
    let once = inspect(&conn).schema.content_hash();
    let twice = inspect(&conn).schema.content_hash();
    assert_eq!(once, twice);
    drop(conn);
    let reopened = schemasync_sqlite::open(&path, false).expect("reopen");
    assert_eq!(inspect(&reopened).schema.content_hash(), once);
    assert_eq!(load(FIXTURE).schema.content_hash(), once, "a .sql file and a database agree");
}
