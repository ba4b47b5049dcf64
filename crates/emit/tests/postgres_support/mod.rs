//! PostgreSQL fixtures shared by the snapshot and execution tests: a small
//! library schema in a schema whose name breaks any hand-made quoting, with
//! model text spelled the way PostgreSQL's deparse functions print it.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::BTreeMap;

use schemasync_diff::{Change, Plan, PlannedChange};
use schemasync_model::{
    CheckConstraint, CheckOption, Column, CompositeAttribute, Deferrable, Dialect, ExclusionConstraint,
    ExclusionElement, Extension, FkAction, FkMatch, ForeignKey, Hazard, HazardKind, Identity, Index, IndexPart,
    Namespace, ObjectKey, PartitionOf, PartitionStrategy, Partitioning, Policy, PolicyCommand, PrimaryKey,
    QualifiedName, Routine, RoutineKind, Schema, Script, Sequence, SequenceOptions, Table, TableOptions, Trigger,
    TriggerEvent, TriggerTiming, TypeKind, UniqueConstraint, UserType, View,
};

/// The schema everything lives in: a quote, a semicolon and a comment opener.
pub const S: &str = "lib\"; --x";

/// A table name that breaks hand-made quoting.
pub const HOSTILE: &str = "a\"b; DROP TABLE x";

pub fn q(name: &str) -> QualifiedName {
    QualifiedName::new(Some(S), name)
}

/// `"lib""; --x".name`, the way `format_type` and `pg_get_expr` print names of `S`.
pub fn qs(name: &str) -> String {
    format!("{}.{name}", Dialect::Postgres.quote_ident(S))
}

pub fn plan(changes: Vec<PlannedChange>) -> Plan {
    Plan { dialect: Dialect::Postgres, from_hash: String::new(), to_hash: String::new(), changes }
}

pub fn change(change: Change) -> PlannedChange {
    PlannedChange { change, hazards: Vec::new() }
}

pub fn with_hazards(change: Change, hazards: &[(HazardKind, &str)]) -> PlannedChange {
    PlannedChange { change, hazards: hazards.iter().map(|(kind, message)| Hazard::new(*kind, *message)).collect() }
}

pub fn create(table: Table) -> Change {
    Change::CreateTable { table, deferred_foreign_keys: Vec::new() }
}

/// The script as reviewers see it: hazards as comments above their statement.
pub fn show(script: &Script) -> String {
    let mut out = String::new();
    for statement in &script.statements {
        for hazard in &statement.hazards {
            out.push_str(&format!("-- hazard {hazard}\n"));
        }
        if !statement.transactional {
            out.push_str("-- (outside the transaction)\n");
        }
        out.push_str(&statement.sql);
        out.push_str(";\n");
    }
    out
}

pub fn namespace(name: &str) -> Namespace {
    Namespace { name: name.to_owned(), owner: None, grants: Vec::new(), comment: None }
}

pub fn extension(name: &str, version: Option<&str>) -> Extension {
    Extension { name: name.to_owned(), schema: Some(S.to_owned()), version: version.map(str::to_owned), comment: None }
}

pub fn user_type(name: &str, kind: TypeKind) -> UserType {
    UserType { name: q(name), kind, owner: None, grants: Vec::new(), comment: None }
}

pub fn labels(labels: &[&str]) -> Vec<String> {
    labels.iter().map(|l| l.to_string()).collect()
}

/// `mood`: an enum with a label that needs quoting.
pub fn mood(l: &[&str]) -> UserType {
    user_type("mood", TypeKind::Enum { labels: labels(l) })
}

pub fn check(name: Option<&str>, expr: &str) -> CheckConstraint {
    CheckConstraint {
        name: name.map(str::to_owned),
        expr: expr.to_owned(),
        not_valid: false,
        no_inherit: false,
        not_enforced: false,
        comment: None,
    }
}

/// `positive`: a domain with a default, NOT NULL, a check and a NOT VALID check.
pub fn positive() -> UserType {
    let mut small = check(Some("small"), "VALUE < 1000000");
    small.not_valid = true;
    user_type(
        "positive",
        TypeKind::Domain {
            base_type: "integer".into(),
            not_null: true,
            default: Some("1".into()),
            collation: None,
            checks: vec![check(Some("positive_check"), "VALUE > 0"), small],
        },
    )
}

pub fn attribute(name: &str, data_type: &str, collation: Option<&str>) -> CompositeAttribute {
    CompositeAttribute { name: name.into(), data_type: data_type.into(), collation: collation.map(str::to_owned) }
}

/// `pair`: a composite type.
pub fn pair() -> UserType {
    user_type(
        "pair",
        TypeKind::Composite { attributes: vec![attribute("a", "integer", None), attribute("b", "text", Some("C"))] },
    )
}

/// `floatrange`: a range type with a subtype difference function.
pub fn floatrange() -> UserType {
    user_type(
        "floatrange",
        TypeKind::Range {
            subtype: "double precision".into(),
            subtype_opclass: None,
            collation: None,
            canonical: None,
            subtype_diff: Some("float8mi".into()),
            multirange: Some(qs("floatmultirange")),
        },
    )
}

/// `ticket_seq`: every sequence option.
pub fn ticket_seq() -> Sequence {
    Sequence {
        name: q("ticket_seq"),
        options: SequenceOptions {
            data_type: Some("integer".into()),
            start: Some(100),
            increment: Some(5),
            min_value: Some(1),
            max_value: Some(1_000_000),
            cache: Some(10),
            cycle: true,
        },
        owned_by: None,
        owner: None,
        grants: Vec::new(),
        comment: None,
    }
}

pub fn fk(name: &str, columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: Some(name.to_owned()),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: q(ref_table),
        ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_type: FkMatch::Simple,
        deferrable: Deferrable::NotDeferrable,
        not_valid: false,
        comment: None,
    }
}

pub fn unique(name: &str, columns: &[&str]) -> UniqueConstraint {
    UniqueConstraint {
        name: Some(name.to_owned()),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        nulls_not_distinct: false,
        deferrable: Deferrable::NotDeferrable,
        comment: None,
        on_conflict: None,
    }
}

pub fn pk(name: &str, columns: &[&str]) -> PrimaryKey {
    PrimaryKey {
        name: Some(name.to_owned()),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        on_conflict: None,
    }
}

pub fn pg_options(unlogged: bool, rls_enabled: bool, rls_forced: bool, storage: &[&str]) -> TableOptions {
    TableOptions::Postgres {
        unlogged,
        rls_enabled,
        rls_forced,
        storage: storage.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn identity(always: bool, start: Option<i64>) -> Identity {
    Identity { always, sequence: SequenceOptions { start, ..Default::default() } }
}

/// `authors`: identity key, collated and user-typed columns, a unique
/// NULLS NOT DISTINCT, a NOT VALID check, row-level security.
pub fn authors() -> Table {
    let mut id = Column::new("id", "bigint").not_null();
    id.identity = Some(identity(true, Some(10)));
    let mut not_empty = check(Some("name_not_empty"), "name <> ''::text");
    not_empty.not_valid = true;
    let mut table = Table::new(q("authors"))
        .with_column(id)
        .with_column(Column::new("name", "text").not_null().collate("C"))
        .with_column(Column::new("mood", qs("mood")).default_expr(format!("'o''k'::{}", qs("mood"))))
        .with_column(Column::new("handle", qs("citext")))
        .with_check(not_empty);
    table.primary_key = Some(pk("authors_pkey", &["id"]));
    let mut name_key = unique("authors_name_key", &["name"]);
    name_key.nulls_not_distinct = true;
    table.uniques.push(name_key);
    table.options = pg_options(false, true, true, &[]);
    table.policies.insert("readers".into(), readers());
    table
}

/// `books`: sequence default, generated column, exclusion, foreign keys
/// (one deferrable, one NOT VALID), storage parameters.
pub fn books() -> Table {
    let mut author = fk("books_author_fkey", &["author_id"], "authors", &["id"]);
    author.on_delete = FkAction::Cascade;
    author.on_update = FkAction::Restrict;
    author.deferrable = Deferrable::InitiallyDeferred;
    let mut editor = fk("books_editor_fkey", &["editor_id"], "authors", &["id"]);
    editor.match_type = FkMatch::Full;
    editor.on_delete = FkAction::SetNull;
    editor.not_valid = true;
    let mut table = Table::new(q("books"))
        .with_column(
            Column::new("id", "integer").not_null().default_expr(format!("nextval('{}'::regclass)", qs("ticket_seq"))),
        )
        .with_column(Column::new("author_id", "bigint"))
        .with_column(Column::new("editor_id", "bigint"))
        .with_column(Column::new("title", "text").not_null().default_expr("''::text"))
        .with_column(Column::new("price", "numeric(10,2)"))
        .with_column(Column::new("slug", "text").generated_as("lower(title)", true))
        .with_column(Column::new("period", "tsrange"))
        .with_column(Column::new("tags", "text[]").default_expr("'{}'::text[]"))
        .with_column(Column::new("stock", qs("positive")))
        .with_foreign_key(author)
        .with_foreign_key(editor)
        .with_check(check(Some("price_positive"), "price >= (0)::numeric"));
    table.primary_key = Some(pk("books_pkey", &["id"]));
    table.exclusions.push(ExclusionConstraint {
        name: "books_period_excl".into(),
        method: "gist".into(),
        elements: vec![ExclusionElement { part: IndexPart::column("period"), operator: "&&".into() }],
        include: Vec::new(),
        predicate: Some("price > (0)::numeric".into()),
        deferrable: Deferrable::NotDeferrable,
        comment: None,
    });
    table.options = pg_options(false, false, false, &["fillfactor=70"]);
    table
        .with_index(title_index())
        .with_index(price_index())
        .with_index(Index { method: Some("gin".into()), ..Index::on_columns("books_tags_idx", ["tags"]) })
}

/// A unique expression index with collation, opclass, order and nulls.
pub fn title_index() -> Index {
    let mut part = IndexPart::expression("lower(title)");
    part.collation = Some("C".into());
    part.opclass = Some("text_pattern_ops".into());
    part.descending = true;
    part.nulls_first = Some(false);
    Index {
        unique: true,
        parts: vec![part, IndexPart::column("author_id")],
        ..Index::on_columns("books_title_idx", [""; 0])
    }
}

/// A partial covering index with storage options and NULLS NOT DISTINCT.
pub fn price_index() -> Index {
    let mut index = Index::on_columns("books_price_idx", ["price"]).unique().where_("(price > (0)::numeric)");
    index.include = vec!["title".into()];
    index.nulls_not_distinct = true;
    index.options = vec!["fillfactor=70".into()];
    index.method = Some("btree".into());
    index
}

/// `events`: a partitioned table.
pub fn events() -> Table {
    let mut table = Table::new(q("events"))
        .with_column(Column::new("id", "bigint").not_null())
        .with_column(Column::new("at", "date").not_null())
        .with_column(Column::new("payload", "jsonb"));
    table.primary_key = Some(pk("events_pkey", &["id", "at"]));
    table.partitioning = Some(Partitioning {
        strategy: PartitionStrategy::Range,
        columns_form: false,
        key: vec!["at".into()],
        partitions: Vec::new(),
        count: None,
        subpartitioning: None,
    });
    table
}

/// `events_2024`: a partition with a check of its own.
pub fn events_2024() -> Table {
    let mut table = events();
    table.name = q("events_2024");
    table.primary_key = None;
    table.partitioning = None;
    table.partition_of =
        Some(PartitionOf { parent: q("events"), bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')".into() });
    table.with_check(check(Some("payload_object"), "jsonb_typeof(payload) = 'object'::text"))
}

/// `readers`: a restrictive policy for everyone.
pub fn readers() -> Policy {
    Policy {
        name: "readers".into(),
        permissive: false,
        command: PolicyCommand::Select,
        roles: Vec::new(),
        using: Some("name <> ''::text".into()),
        with_check: None,
        comment: None,
    }
}

pub fn routine(kind: RoutineKind, name: &str, signature: &str, definition: String) -> Routine {
    Routine {
        sql_mode: None,
        kind,
        name: q(name),
        signature: signature.into(),
        arguments: signature.into(),
        returns: None,
        language: Some("plpgsql".into()),
        definition,
        depends_on: Vec::new(),
        owner: None,
        grants: Vec::new(),
        comment: None,
    }
}

/// `touch()`: a trigger function, as `pg_get_functiondef` prints it.
pub fn touch() -> Routine {
    let mut r = routine(
        RoutineKind::Function,
        "touch",
        "",
        format!(
            "CREATE OR REPLACE FUNCTION {}()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$BEGIN NEW.title := btrim(NEW.title); RETURN NEW; END$function$\n",
            qs("touch")
        ),
    );
    r.returns = Some("trigger".into());
    r
}

/// `audit()`: a function for a constraint trigger.
pub fn audit() -> Routine {
    let mut r = routine(
        RoutineKind::Function,
        "audit",
        "",
        format!(
            "CREATE OR REPLACE FUNCTION {}()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$BEGIN RETURN NULL; END$function$\n",
            qs("audit")
        ),
    );
    r.returns = Some("trigger".into());
    r
}

/// `restock(integer)`: a procedure.
pub fn restock() -> Routine {
    routine(
        RoutineKind::Procedure,
        "restock",
        "integer",
        format!(
            "CREATE OR REPLACE PROCEDURE {}(IN n integer)\n LANGUAGE plpgsql\nAS $procedure$BEGIN PERFORM n; END$procedure$\n",
            qs("restock")
        ),
    )
}

pub fn trigger(table: &str, name: &str, timing: TriggerTiming, events: &[TriggerEvent], body: String) -> Trigger {
    Trigger {
        sql_mode: None,
        table: q(table),
        name: name.to_owned(),
        timing,
        events: events.to_vec(),
        update_columns: Vec::new(),
        for_each_row: true,
        when: None,
        body,
        constraint: false,
        deferrable: Deferrable::NotDeferrable,
        order: None,
        disabled: false,
        depends_on: Vec::new(),
        comment: None,
    }
}

/// `books_touch`: BEFORE INSERT OR UPDATE OF title with WHEN, disabled.
pub fn books_touch() -> Trigger {
    let mut t = trigger(
        "books",
        "books_touch",
        TriggerTiming::Before,
        &[TriggerEvent::Insert, TriggerEvent::Update],
        format!("EXECUTE FUNCTION {}()", qs("touch")),
    );
    t.update_columns = vec!["title".into()];
    t.when = Some("new.title IS NOT NULL".into());
    t.disabled = true;
    t.depends_on = vec![ObjectKey::Routine { key: touch().routine_key() }];
    t
}

/// `authors_audit`: a deferred constraint trigger.
pub fn authors_audit() -> Trigger {
    let mut t = trigger(
        "authors",
        "authors_audit",
        TriggerTiming::After,
        &[TriggerEvent::Insert, TriggerEvent::Delete],
        format!("EXECUTE FUNCTION {}()", qs("audit")),
    );
    t.constraint = true;
    t.deferrable = Deferrable::InitiallyDeferred;
    t.depends_on = vec![ObjectKey::Routine { key: audit().routine_key() }];
    t
}

/// `book_titles`: a view with options and a check option, as `pg_get_viewdef` prints it.
pub fn book_titles() -> View {
    let mut view =
        View::new(q("book_titles"), " SELECT books.id,\n    books.title\n   FROM ".to_owned() + &qs("books") + ";");
    view.options = vec!["security_barrier=true".into()];
    view.check_option = Some(CheckOption::Cascaded);
    view.depends_on = vec![ObjectKey::Table { name: q("books") }];
    view
}

/// `author_counts`: a materialized view with an index.
pub fn author_counts() -> View {
    let mut view = View::new(
        q("author_counts"),
        format!(" SELECT books.author_id,\n    count(*) AS n\n   FROM {}\n  GROUP BY books.author_id;", qs("books")),
    );
    view.materialized = true;
    view.depends_on = vec![ObjectKey::Table { name: q("books") }];
    view.indexes = BTreeMap::from([(
        "author_counts_idx".to_owned(),
        Index::on_columns("author_counts_idx", ["author_id"]).unique(),
    )]);
    view
}

/// The whole library, commented throughout.
pub fn library() -> Schema {
    let mut schema = Schema::new(Dialect::Postgres);
    let mut ns = namespace(S);
    ns.comment = Some("the library's schema".into());
    schema.namespaces.insert(ns.name.clone(), ns);
    let ext = extension("citext", Some("1.4"));
    schema.extensions.insert(ext.name.clone(), ext);
    for mut ty in [mood(&["sad", "o'k", "happy"]), positive(), pair(), floatrange()] {
        ty.comment = Some(format!("type {}", ty.name.name));
        schema.types.insert(ty.name.clone(), ty);
    }
    let mut seq = ticket_seq();
    seq.owned_by = Some((q("books"), "id".into()));
    seq.comment = Some("tickets".into());
    schema.sequences.insert(seq.name.clone(), seq);

    let mut authors = authors();
    authors.comment = Some("people who write".into());
    authors.columns[1].comment = Some("it's the name".into());
    authors.checks[0].comment = Some("no empty names".into());
    if let Some(p) = authors.policies.get_mut("readers") {
        p.comment = Some("readers see named authors".into());
    }
    let mut books = books();
    if let Some(i) = books.indexes.get_mut("books_title_idx") {
        i.comment = Some("titles".into());
    }
    for table in [authors, books, events(), events_2024()] {
        schema.add_table(table).expect("unique table");
    }
    let mut titles = book_titles();
    titles.comment = Some("a window on books".into());
    let mut counts = author_counts();
    counts.comment = Some("materialized".into());
    schema.add_view(titles).expect("unique view");
    schema.add_view(counts).expect("unique view");
    for mut r in [touch(), audit(), restock()] {
        r.comment = Some(format!("routine {}", r.name.name));
        schema.routines.insert(r.routine_key(), r);
    }
    let mut t = books_touch();
    t.comment = Some("trims titles".into());
    schema.add_trigger(t).expect("unique trigger");
    schema.add_trigger(authors_audit()).expect("unique trigger");
    schema
}
