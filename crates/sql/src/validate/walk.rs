//! Every text field of a schema, each checked by the rule for how emit
//! writes it. A field emit always quotes (names, comments, enum labels,
//! locales, sql_mode) only has to be free of NUL bytes.

use schemasync_model::{
    CheckConstraint, Dialect, Grant, Index, IndexKind, IndexPart, IndexTarget, Partitioning, QualifiedName, Schema,
    Table, TableOptions, TypeKind,
};

use super::program::{self, MySqlLexing};
use super::{body, fragment};
use crate::Problem;

/// How a field reaches SQL, and so which rule it must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Quoted by emit: only NUL bytes are refused.
    Quoted,
    Type,
    TypeList,
    Expr,
    Collation,
    Word,
    QualifiedName,
    Opclass,
    Operator,
    Option,
    Account,
    SqliteModule,
    ViewDefinition,
    Routine,
    TriggerBody,
    /// A MySQL routine's whole definition, trigger or event body, or event
    /// schedule, read under the object's `sql_mode`.
    MySqlRoutine(MySqlLexing),
    MySqlBody(MySqlLexing),
    Schedule(MySqlLexing),
    PgCreate(&'static str),
}

pub(super) struct Walker {
    dialect: Dialect,
    pub(super) problems: Vec<Problem>,
}

/// `"s"."t"` (or `"t"`): the key of a qualified name in a path.
pub(crate) fn qualified(name: &QualifiedName) -> String {
    match &name.schema {
        Some(schema) => format!("{schema:?}.{:?}", name.name),
        None => format!("{:?}", name.name),
    }
}

impl Walker {
    pub(super) fn new(dialect: Dialect) -> Self {
        Walker { dialect, problems: Vec::new() }
    }

    fn check(&mut self, base: &str, field: &str, text: &str, rule: Rule) {
        if let Err(message) = self.apply(text, rule) {
            self.problems.push(Problem::new(format!("{base}.{field}"), message));
        }
    }

    fn check_opt(&mut self, base: &str, field: &str, text: Option<&String>, rule: Rule) {
        if let Some(text) = text {
            self.check(base, field, text, rule);
        }
    }

    fn check_all(&mut self, base: &str, field: &str, texts: &[String], rule: Rule) {
        for (i, text) in texts.iter().enumerate() {
            self.check(base, &format!("{field}[{i}]"), text, rule);
        }
    }

    fn apply(&self, text: &str, rule: Rule) -> Result<(), String> {
        let d = self.dialect;
        if text.contains('\0') {
            return Err("a NUL byte is not allowed".to_owned());
        }
        match rule {
            Rule::Quoted => Ok(()),
            Rule::Type => fragment::type_name(text, d),
            Rule::TypeList => fragment::type_list(text, d),
            Rule::Expr => fragment::expression(text, d),
            // PostgreSQL writes a collation starting with `"` verbatim (it is
            // a quoted, qualified name) and quotes any other. MySQL and SQLite
            // quote odd names too, but their collations are plain words, so
            // anything else is refused here, naming the field, rather than by
            // the server.
            Rule::Collation if d == Dialect::Postgres && text.starts_with('"') => fragment::qualified_name(text, d),
            Rule::Collation if d == Dialect::Postgres => Ok(()),
            Rule::Collation => fragment::plain_word(text),
            Rule::Word => fragment::plain_word(text),
            Rule::QualifiedName => fragment::qualified_name(text, d),
            Rule::Opclass => fragment::opclass(text),
            Rule::Operator => fragment::operator(text),
            Rule::Option => fragment::option(text, d),
            Rule::Account => fragment::mysql_account(text),
            Rule::SqliteModule => fragment::sqlite_module(text),
            Rule::ViewDefinition => body::view_definition(text, d),
            Rule::Routine if d == Dialect::Postgres => body::pg_routine(text),
            Rule::Routine => program::mysql_routine(text, MySqlLexing::default()),
            Rule::TriggerBody if d == Dialect::Postgres => fragment::pg_trigger_call(text),
            Rule::TriggerBody if d == Dialect::Sqlite => body::sqlite_trigger_body(text),
            Rule::TriggerBody => program::mysql_program_body(text, MySqlLexing::default()),
            Rule::MySqlRoutine(lexing) => program::mysql_routine(text, lexing),
            Rule::MySqlBody(lexing) => program::mysql_program_body(text, lexing),
            Rule::Schedule(lexing) => fragment::event_schedule(text, lexing),
            Rule::PgCreate(keyword) => body::pg_create(text, keyword),
        }
    }

    /// For a MySQL object, how its `sql_mode` makes the server read its text;
    /// `None` (after a problem at `sql_mode`) when the mode is one the checks
    /// do not model, or for another dialect.
    fn mysql_lexing(&mut self, at: &str, sql_mode: Option<&str>) -> Option<MySqlLexing> {
        if self.dialect != Dialect::MySql {
            return None;
        }
        match MySqlLexing::of(sql_mode) {
            Ok(lexing) => Some(lexing),
            Err(message) => {
                self.problems.push(Problem::new(format!("{at}.sql_mode"), message));
                None
            }
        }
    }

    fn name(&mut self, base: &str, field: &str, name: &QualifiedName) {
        self.check_opt(base, &format!("{field}.schema"), name.schema.as_ref(), Rule::Quoted);
        self.check(base, &format!("{field}.name"), &name.name, Rule::Quoted);
    }

    fn grants(&mut self, base: &str, grants: &[Grant]) {
        for (i, grant) in grants.iter().enumerate() {
            let at = format!("{base}.grants[{i}]");
            self.check(&at, "grantee", &grant.grantee, Rule::Quoted);
            // PostgreSQL emit checks privileges against its list; MySQL has none to paste.
            self.check(&at, "privilege", &grant.privilege, Rule::Quoted);
            self.check_all(&at, "columns", &grant.columns, Rule::Quoted);
        }
    }

    fn owned(&mut self, base: &str, owner: Option<&String>, grants: &[Grant], comment: Option<&String>) {
        self.check_opt(base, "owner", owner, Rule::Quoted);
        self.grants(base, grants);
        self.check_opt(base, "comment", comment, Rule::Quoted);
    }

    pub(super) fn schema(&mut self, schema: &Schema) {
        for ns in schema.namespaces.values() {
            let at = format!("namespaces[{:?}]", ns.name);
            self.check(&at, "name", &ns.name, Rule::Quoted);
            self.owned(&at, ns.owner.as_ref(), &ns.grants, ns.comment.as_ref());
        }
        for ext in schema.extensions.values() {
            let at = format!("extensions[{:?}]", ext.name);
            self.check(&at, "name", &ext.name, Rule::Quoted);
            self.check_opt(&at, "schema", ext.schema.as_ref(), Rule::Quoted);
            self.check_opt(&at, "version", ext.version.as_ref(), Rule::Quoted);
            self.check_opt(&at, "comment", ext.comment.as_ref(), Rule::Quoted);
        }
        for c in schema.collations.values() {
            let at = format!("collations[{}]", qualified(&c.name));
            self.name(&at, "name", &c.name);
            self.check(&at, "provider", &c.provider, Rule::Quoted);
            for (field, value) in [("locale", &c.locale), ("lc_collate", &c.lc_collate), ("lc_ctype", &c.lc_ctype)] {
                self.check_opt(&at, field, value.as_ref(), Rule::Quoted);
            }
            self.check_opt(&at, "comment", c.comment.as_ref(), Rule::Quoted);
        }
        for ty in schema.types.values() {
            let at = format!("types[{}]", qualified(&ty.name));
            self.name(&at, "name", &ty.name);
            self.type_kind(&at, &ty.kind);
            self.owned(&at, ty.owner.as_ref(), &ty.grants, ty.comment.as_ref());
        }
        for seq in schema.sequences.values() {
            let at = format!("sequences[{}]", qualified(&seq.name));
            self.name(&at, "name", &seq.name);
            self.check_opt(&at, "options.data_type", seq.options.data_type.as_ref(), Rule::Type);
            if let Some((table, column)) = &seq.owned_by {
                self.name(&at, "owned_by.table", table);
                self.check(&at, "owned_by.column", column, Rule::Quoted);
            }
            self.owned(&at, seq.owner.as_ref(), &seq.grants, seq.comment.as_ref());
        }
        for table in schema.tables.values() {
            self.table(table);
        }
        self.views(schema);
        self.programs(schema);
    }

    fn type_kind(&mut self, at: &str, kind: &TypeKind) {
        match kind {
            TypeKind::Enum { labels } => self.check_all(at, "kind.labels", labels, Rule::Quoted),
            TypeKind::Composite { attributes } => {
                for a in attributes {
                    let at = format!("{at}.kind.attributes[{:?}]", a.name);
                    self.check(&at, "name", &a.name, Rule::Quoted);
                    self.check(&at, "data_type", &a.data_type, Rule::Type);
                    self.check_opt(&at, "collation", a.collation.as_ref(), Rule::Collation);
                }
            }
            TypeKind::Range { subtype, subtype_opclass, collation, canonical, subtype_diff, multirange } => {
                self.check(at, "kind.subtype", subtype, Rule::Type);
                self.check_opt(at, "kind.subtype_opclass", subtype_opclass.as_ref(), Rule::QualifiedName);
                self.check_opt(at, "kind.collation", collation.as_ref(), Rule::Collation);
                self.check_opt(at, "kind.canonical", canonical.as_ref(), Rule::QualifiedName);
                self.check_opt(at, "kind.subtype_diff", subtype_diff.as_ref(), Rule::QualifiedName);
                self.check_opt(at, "kind.multirange", multirange.as_ref(), Rule::QualifiedName);
            }
            TypeKind::Domain { base_type, default, collation, checks, .. } => {
                self.check(at, "kind.base_type", base_type, Rule::Type);
                self.check_opt(at, "kind.default", default.as_ref(), Rule::Expr);
                self.check_opt(at, "kind.collation", collation.as_ref(), Rule::Collation);
                self.checks(&format!("{at}.kind"), checks);
            }
            // A kind added to the model later is refused until it has rules.
            _ => self.problems.push(Problem::new(format!("{at}.kind"), "this kind of type has no validation rules")),
        }
    }

    fn checks(&mut self, at: &str, checks: &[CheckConstraint]) {
        for (i, check) in checks.iter().enumerate() {
            let at =
                format!("{at}.checks[{}]", check.name.as_ref().map_or_else(|| i.to_string(), |n| format!("{n:?}")));
            self.check_opt(&at, "name", check.name.as_ref(), Rule::Quoted);
            self.check(&at, "expr", &check.expr, Rule::Expr);
            self.check_opt(&at, "comment", check.comment.as_ref(), Rule::Quoted);
        }
    }

    fn table(&mut self, table: &Table) {
        let at = format!("tables[{}]", qualified(&table.name));
        self.name(&at, "name", &table.name);
        for column in &table.columns {
            let at = format!("{at}.columns[{:?}]", column.name);
            self.check(&at, "name", &column.name, Rule::Quoted);
            self.check(&at, "data_type", &column.data_type, Rule::Type);
            self.check_opt(&at, "default", column.default.as_ref(), Rule::Expr);
            self.check_opt(&at, "collation", column.collation.as_ref(), Rule::Collation);
            self.check_opt(&at, "charset", column.charset.as_ref(), Rule::Word);
            if let Some(identity) = &column.identity {
                self.check_opt(&at, "identity.sequence.data_type", identity.sequence.data_type.as_ref(), Rule::Type);
            }
            if let Some(generated) = &column.generated {
                self.check(&at, "generated.expr", &generated.expr, Rule::Expr);
            }
            self.check_opt(&at, "on_update", column.on_update.as_ref(), Rule::Expr);
            self.check_opt(&at, "comment", column.comment.as_ref(), Rule::Quoted);
        }
        if let Some(pk) = &table.primary_key {
            self.check_opt(&at, "primary_key.name", pk.name.as_ref(), Rule::Quoted);
            self.check_all(&at, "primary_key.columns", &pk.columns, Rule::Quoted);
        }
        for (i, u) in table.uniques.iter().enumerate() {
            let at = format!("{at}.uniques[{i}]");
            self.check_opt(&at, "name", u.name.as_ref(), Rule::Quoted);
            self.check_all(&at, "columns", &u.columns, Rule::Quoted);
            self.check_opt(&at, "comment", u.comment.as_ref(), Rule::Quoted);
        }
        self.checks(&at, &table.checks);
        for (i, fk) in table.foreign_keys.iter().enumerate() {
            let at = format!("{at}.foreign_keys[{i}]");
            self.check_opt(&at, "name", fk.name.as_ref(), Rule::Quoted);
            self.check_all(&at, "columns", &fk.columns, Rule::Quoted);
            self.name(&at, "ref_table", &fk.ref_table);
            self.check_all(&at, "ref_columns", &fk.ref_columns, Rule::Quoted);
            self.check_opt(&at, "comment", fk.comment.as_ref(), Rule::Quoted);
        }
        for x in &table.exclusions {
            let at = format!("{at}.exclusions[{:?}]", x.name);
            self.check(&at, "name", &x.name, Rule::Quoted);
            self.check(&at, "method", &x.method, Rule::Word);
            for (i, element) in x.elements.iter().enumerate() {
                let at = format!("{at}.elements[{i}]");
                self.part(&format!("{at}.part"), &element.part);
                self.check(&at, "operator", &element.operator, Rule::Operator);
            }
            self.check_all(&at, "include", &x.include, Rule::Quoted);
            self.check_opt(&at, "predicate", x.predicate.as_ref(), Rule::Expr);
            self.check_opt(&at, "comment", x.comment.as_ref(), Rule::Quoted);
        }
        for index in table.indexes.values() {
            self.index(&at, index);
        }
        self.table_options(&at, &table.options);
        if let Some(p) = &table.partitioning {
            self.partitioning(&format!("{at}.partitioning"), p);
        }
        if let Some(of) = &table.partition_of {
            self.name(&at, "partition_of.parent", &of.parent);
            self.check(&at, "partition_of.bound", &of.bound, Rule::Expr);
        }
        for policy in table.policies.values() {
            let at = format!("{at}.policies[{:?}]", policy.name);
            self.check(&at, "name", &policy.name, Rule::Quoted);
            self.check_all(&at, "roles", &policy.roles, Rule::Quoted);
            self.check_opt(&at, "using", policy.using.as_ref(), Rule::Expr);
            self.check_opt(&at, "with_check", policy.with_check.as_ref(), Rule::Expr);
            self.check_opt(&at, "comment", policy.comment.as_ref(), Rule::Quoted);
        }
        self.owned(&at, table.owner.as_ref(), &table.grants, table.comment.as_ref());
    }

    fn index(&mut self, base: &str, index: &Index) {
        let at = format!("{base}.indexes[{:?}]", index.name);
        self.check(&at, "name", &index.name, Rule::Quoted);
        self.check_opt(&at, "method", index.method.as_ref(), Rule::Word);
        if let IndexKind::Fulltext { parser } = &index.kind {
            self.check_opt(&at, "kind.fulltext.parser", parser.as_ref(), Rule::Word);
        }
        for (i, part) in index.parts.iter().enumerate() {
            self.part(&format!("{at}.parts[{i}]"), part);
        }
        self.check_all(&at, "include", &index.include, Rule::Quoted);
        self.check_opt(&at, "predicate", index.predicate.as_ref(), Rule::Expr);
        // MySQL emit accepts only its own list of index options.
        let option_rule = if self.dialect == Dialect::MySql { Rule::Quoted } else { Rule::Option };
        self.check_all(&at, "options", &index.options, option_rule);
        self.check_opt(&at, "comment", index.comment.as_ref(), Rule::Quoted);
    }

    fn part(&mut self, at: &str, part: &IndexPart) {
        match &part.target {
            IndexTarget::Column(column) => self.check(at, "target.column", column, Rule::Quoted),
            IndexTarget::Expression(expr) => self.check(at, "target.expression", expr, Rule::Expr),
        }
        self.check_opt(at, "collation", part.collation.as_ref(), Rule::Collation);
        self.check_opt(at, "opclass", part.opclass.as_ref(), Rule::Opclass);
    }

    fn table_options(&mut self, at: &str, options: &TableOptions) {
        match options {
            TableOptions::Sqlite { virtual_using, .. } => {
                self.check_opt(at, "options.virtual_using", virtual_using.as_ref(), Rule::SqliteModule);
            }
            TableOptions::MySql { engine, charset, collation, row_format } => {
                // Quoted by emit when odd, but real ones are plain words.
                self.check_opt(at, "options.engine", engine.as_ref(), Rule::Word);
                self.check_opt(at, "options.charset", charset.as_ref(), Rule::Word);
                self.check_opt(at, "options.collation", collation.as_ref(), Rule::Collation);
                self.check_opt(at, "options.row_format", row_format.as_ref(), Rule::Word);
            }
            TableOptions::Postgres { storage, .. } => self.check_all(at, "options.storage", storage, Rule::Option),
            _ => {}
        }
    }

    fn partitioning(&mut self, at: &str, p: &Partitioning) {
        self.check_all(at, "key", &p.key, Rule::Expr);
        for partition in &p.partitions {
            let at = format!("{at}.partitions[{:?}]", partition.name);
            self.check(&at, "name", &partition.name, Rule::Quoted);
            self.check(&at, "bound", &partition.bound, Rule::Expr);
            self.check_all(&at, "subpartitions", &partition.subpartitions, Rule::Quoted);
            self.check_opt(&at, "comment", partition.comment.as_ref(), Rule::Quoted);
        }
        if let Some(sub) = &p.subpartitioning {
            self.partitioning(&format!("{at}.subpartitioning"), sub);
        }
    }

    fn views(&mut self, schema: &Schema) {
        for view in schema.views.values() {
            let at = format!("views[{}]", qualified(&view.name));
            self.name(&at, "name", &view.name);
            self.check(&at, "definition", &view.definition, Rule::ViewDefinition);
            self.check_all(&at, "columns", &view.columns, Rule::Quoted);
            self.check_all(&at, "options", &view.options, Rule::Option);
            if let Some(m) = &view.mysql {
                self.check_opt(&at, "mysql.algorithm", m.algorithm.as_ref(), Rule::Word);
                self.check_opt(&at, "mysql.security", m.security.as_ref(), Rule::Word);
                self.check_opt(&at, "mysql.definer", m.definer.as_ref(), Rule::Account);
            }
            for index in view.indexes.values() {
                self.index(&at, index);
            }
            self.owned(&at, view.owner.as_ref(), &view.grants, view.comment.as_ref());
        }
    }

    fn programs(&mut self, schema: &Schema) {
        for routine in schema.routines.values() {
            let at = format!("routines[{}({})]", qualified(&routine.name), routine.signature);
            self.name(&at, "name", &routine.name);
            let signature = if self.dialect == Dialect::Postgres { Rule::TypeList } else { Rule::Quoted };
            self.check(&at, "signature", &routine.signature, signature);
            // Not written by emit: the definition carries them.
            self.check(&at, "arguments", &routine.arguments, Rule::Quoted);
            self.check_opt(&at, "returns", routine.returns.as_ref(), Rule::Quoted);
            self.check_opt(&at, "language", routine.language.as_ref(), Rule::Quoted);
            self.check_opt(&at, "sql_mode", routine.sql_mode.as_ref(), Rule::Quoted);
            if let Some(lexing) = self.mysql_lexing(&at, routine.sql_mode.as_deref()) {
                self.check(&at, "definition", &routine.definition, Rule::MySqlRoutine(lexing));
            } else if self.dialect != Dialect::MySql {
                self.check(&at, "definition", &routine.definition, Rule::Routine);
            }
            self.owned(&at, routine.owner.as_ref(), &routine.grants, routine.comment.as_ref());
        }
        for trigger in schema.triggers.values() {
            let at = format!("triggers[{}][{:?}]", qualified(&trigger.table), trigger.name);
            self.name(&at, "table", &trigger.table);
            self.check(&at, "name", &trigger.name, Rule::Quoted);
            self.check_all(&at, "update_columns", &trigger.update_columns, Rule::Quoted);
            self.check_opt(&at, "when", trigger.when.as_ref(), Rule::Expr);
            self.check_opt(&at, "comment", trigger.comment.as_ref(), Rule::Quoted);
            self.check_opt(&at, "sql_mode", trigger.sql_mode.as_ref(), Rule::Quoted);
            if let Some(lexing) = self.mysql_lexing(&at, trigger.sql_mode.as_deref()) {
                self.check(&at, "body", &trigger.body, Rule::MySqlBody(lexing));
            } else if self.dialect != Dialect::MySql {
                self.check(&at, "body", &trigger.body, Rule::TriggerBody);
            }
        }
        for rule in schema.rules.values() {
            let at = format!("rules[{}][{:?}]", qualified(&rule.table), rule.name);
            self.name(&at, "table", &rule.table);
            self.check(&at, "name", &rule.name, Rule::Quoted);
            self.check(&at, "definition", &rule.definition, Rule::PgCreate("RULE"));
            self.check_opt(&at, "comment", rule.comment.as_ref(), Rule::Quoted);
        }
        for stats in schema.statistics.values() {
            let at = format!("statistics[{}]", qualified(&stats.name));
            self.name(&at, "name", &stats.name);
            self.name(&at, "table", &stats.table);
            self.check(&at, "definition", &stats.definition, Rule::PgCreate("STATISTICS"));
            self.check_opt(&at, "comment", stats.comment.as_ref(), Rule::Quoted);
        }
        for event in schema.events.values() {
            let at = format!("events[{}]", qualified(&event.name));
            self.name(&at, "name", &event.name);
            self.check_opt(&at, "comment", event.comment.as_ref(), Rule::Quoted);
            self.check_opt(&at, "sql_mode", event.sql_mode.as_ref(), Rule::Quoted);
            // Events exist only in MySQL; another dialect's emit refuses them.
            let lexing = if self.dialect == Dialect::MySql {
                self.mysql_lexing(&at, event.sql_mode.as_deref())
            } else {
                Some(MySqlLexing::default())
            };
            if let Some(lexing) = lexing {
                self.check(&at, "schedule", &event.schedule, Rule::Schedule(lexing));
                self.check(&at, "body", &event.body, Rule::MySqlBody(lexing));
            }
        }
    }
}
