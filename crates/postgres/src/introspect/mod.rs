//! Reading a database's schema into the model: one catalog query per object
//! kind across the whole database, all sent at once on the one connection
//! (tokio-postgres pipelines them), so the cost does not grow with the
//! number of tables.
//!
//! Queries run with an empty `search_path`, so every deparsed text
//! (`format_type`, `pg_get_expr`, `pg_get_viewdef`, ...) names objects
//! outside `pg_catalog` with their schema, whatever the session's path.

mod collations;
mod constraints;
mod indexes;
mod namespaces;
mod privileges;
mod routines;
mod row;
mod rules;
mod sequences;
mod tables;
pub(crate) mod text;
mod triggers;
mod types;
mod views;

use std::collections::HashMap;

use schemasync_model::{Dialect, QualifiedName, RoutineKey, Schema};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::{PgConnection, PostgresError};

/// Schemas never read: the system's own.
const SYSTEM_SCHEMAS: [&str; 3] = ["pg_catalog", "information_schema", "pg_toast"];

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntrospectOptions {
    /// Only these schemas (empty: all but the system's).
    pub include_schemas: Vec<String>,
    /// Never these schemas.
    pub exclude_schemas: Vec<String>,
    /// Read owners and grants too (off by default: roles differ between environments).
    pub privileges: bool,
}

/// The schema read from a database, and the objects deliberately left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introspection {
    /// The schema (dialect PostgreSQL, every name schema-qualified), normalized.
    pub schema: Schema,
    /// Objects not modelled, with the reason.
    pub skipped: Vec<SkippedObject>,
}

/// An object present in the database but not (fully) in the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedObject {
    /// Its name (`public.my_agg(integer)`).
    pub name: String,
    /// Why it is not modelled.
    pub reason: String,
}

impl PgConnection {
    /// Read the schema of the connected database, in one read-only
    /// REPEATABLE READ transaction so every query sees the same state.
    pub async fn introspect(&self, options: &IntrospectOptions) -> Result<Introspection, PostgresError> {
        use tracing::Instrument;
        let started = std::time::Instant::now();
        let found =
            self.read_schema(options).instrument(tracing::info_span!("introspect", engine = "postgres")).await?;
        crate::observe::introspected(&found.schema, found.skipped.len(), started);
        Ok(found)
    }

    async fn read_schema(&self, options: &IntrospectOptions) -> Result<Introspection, PostgresError> {
        self.control("starting the introspection transaction", "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let result = async {
            self.control("clearing search_path", "SET LOCAL search_path = ''").await?;
            // Catalog queries are many small lookups: compiling them costs
            // more than it saves.
            self.control("switching JIT off", "SET LOCAL jit = off").await?;
            read_catalog(self, options).await
        }
        .await;
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self.control("ending the introspection transaction", end).await;
        let catalog = result?;
        ended?;
        build(catalog, options)
    }

    /// Introspect inside a transaction the caller already opened (apply's
    /// drift check): the session's `search_path` is put back afterwards.
    pub(crate) async fn introspect_in_transaction(
        &self,
        options: &IntrospectOptions,
    ) -> Result<Introspection, PostgresError> {
        let rows = self.query("reading search_path", "SELECT current_setting('search_path') AS path", &[]).await?;
        let saved: String =
            rows.first().map(|r| row::Fields::new(r, "search_path").get("path")).transpose()?.unwrap_or_default();
        self.control("clearing search_path", "SET LOCAL search_path = ''").await?;
        let catalog = read_catalog(self, options).await?;
        self.query("restoring search_path", "SELECT set_config('search_path', $1, true)", &[&saved]).await?;
        build(catalog, options)
    }
}

/// The rows of every catalog query.
pub(crate) struct Catalog {
    namespaces: Vec<Row>,
    extensions: Vec<Row>,
    collations: Vec<Row>,
    rules: Vec<Row>,
    statistics: Vec<Row>,
    enums: Vec<Row>,
    composites: Vec<Row>,
    ranges: Vec<Row>,
    domains: Vec<Row>,
    sequences: Vec<Row>,
    tables: Vec<Row>,
    columns: Vec<Row>,
    constraints: Vec<Row>,
    indexes: Vec<Row>,
    policies: Vec<Row>,
    views: Vec<Row>,
    routines: Vec<Row>,
    aggregates: Vec<Row>,
    dependencies: Vec<Row>,
    triggers: Vec<Row>,
    unmodelled: Vec<Row>,
    grants: Vec<Row>,
}

async fn read_catalog(conn: &PgConnection, options: &IntrospectOptions) -> Result<Catalog, PostgresError> {
    let include: Vec<String> = options.include_schemas.clone();
    let mut exclude: Vec<String> = options.exclude_schemas.clone();
    exclude.extend(SYSTEM_SCHEMAS.iter().map(|s| (*s).to_owned()));
    let params: &[&(dyn ToSql + Sync)] = &[&include, &exclude];
    let q = |what: &'static str, sql: &'static str| conn.query(what, sql, params);
    let grants = async {
        if options.privileges {
            q("reading privileges", include_str!("../../sql/grants.sql")).await
        } else {
            Ok(Vec::new())
        }
    };
    let (namespaces, extensions, enums, composites, ranges, domains, sequences, tables, columns) = tokio::join!(
        q("reading schemas", include_str!("../../sql/namespaces.sql")),
        q("reading extensions", include_str!("../../sql/extensions.sql")),
        q("reading enum types", include_str!("../../sql/enums.sql")),
        q("reading composite types", include_str!("../../sql/composites.sql")),
        q("reading range types", include_str!("../../sql/ranges.sql")),
        q("reading domains", include_str!("../../sql/domains.sql")),
        q("reading sequences", include_str!("../../sql/sequences.sql")),
        q("reading tables", include_str!("../../sql/tables.sql")),
        q("reading columns", include_str!("../../sql/columns.sql")),
    );
    let (
        rules,
        statistics,
        collations,
        constraints,
        indexes,
        policies,
        views,
        routines,
        aggregates,
        dependencies,
        triggers,
        unmodelled,
        grants,
    ) = tokio::join!(
        q("reading rules", include_str!("../../sql/rules.sql")),
        q("reading extended statistics", include_str!("../../sql/statistics.sql")),
        q("reading collations", include_str!("../../sql/collations.sql")),
        q("reading constraints", include_str!("../../sql/constraints.sql")),
        q("reading indexes", include_str!("../../sql/indexes.sql")),
        q("reading policies", include_str!("../../sql/policies.sql")),
        q("reading views", include_str!("../../sql/views.sql")),
        q("reading routines", include_str!("../../sql/routines.sql")),
        q("reading aggregates", include_str!("../../sql/aggregates.sql")),
        q("reading dependencies", include_str!("../../sql/dependencies.sql")),
        q("reading triggers", include_str!("../../sql/triggers.sql")),
        q("listing what is not modelled", include_str!("../../sql/unmodelled.sql")),
        grants,
    );
    Ok(Catalog {
        namespaces: namespaces?,
        extensions: extensions?,
        collations: collations?,
        rules: rules?,
        statistics: statistics?,
        enums: enums?,
        composites: composites?,
        ranges: ranges?,
        domains: domains?,
        sequences: sequences?,
        tables: tables?,
        columns: columns?,
        constraints: constraints?,
        indexes: indexes?,
        policies: policies?,
        views: views?,
        routines: routines?,
        aggregates: aggregates?,
        dependencies: dependencies?,
        triggers: triggers?,
        unmodelled: unmodelled?,
        grants: grants?,
    })
}

/// Catalog ids of the objects read, to attach the rows that refer to them.
/// They never leave this module: the model knows objects by name only.
#[derive(Default)]
pub(crate) struct Oids {
    pub(crate) namespaces: HashMap<u32, String>,
    pub(crate) types: HashMap<u32, QualifiedName>,
    pub(crate) sequences: HashMap<u32, QualifiedName>,
    pub(crate) tables: HashMap<u32, QualifiedName>,
    pub(crate) views: HashMap<u32, QualifiedName>,
    pub(crate) routines: HashMap<u32, RoutineKey>,
}

/// The schema being filled, what was left out, and the ids seen so far.
pub(crate) struct Builder {
    pub(crate) schema: Schema,
    pub(crate) skipped: Vec<SkippedObject>,
    pub(crate) oids: Oids,
    pub(crate) privileges: bool,
}

impl Builder {
    pub(crate) fn skip(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(SkippedObject { name: name.into(), reason: reason.into() });
    }

    /// The owner to store: only when privileges were asked for.
    pub(crate) fn owner(&self, owner: Option<String>) -> Option<String> {
        if self.privileges { owner } else { None }
    }
}

fn build(catalog: Catalog, options: &IntrospectOptions) -> Result<Introspection, PostgresError> {
    let mut b = Builder {
        schema: Schema::new(Dialect::Postgres),
        skipped: Vec::new(),
        oids: Oids::default(),
        privileges: options.privileges,
    };
    namespaces::read_namespaces(&mut b, &catalog.namespaces)?;
    namespaces::read_extensions(&mut b, &catalog.extensions)?;
    collations::read_collations(&mut b, &catalog.collations)?;
    types::read_enums(&mut b, &catalog.enums)?;
    types::read_composites(&mut b, &catalog.composites)?;
    types::read_ranges(&mut b, &catalog.ranges)?;
    types::read_domains(&mut b, &catalog.domains)?;
    sequences::read_sequences(&mut b, &catalog.sequences)?;
    tables::read_tables(&mut b, &catalog.tables)?;
    tables::read_columns(&mut b, &catalog.columns)?;
    views::read_views(&mut b, &catalog.views)?;
    let index_parts = indexes::read_indexes(&mut b, &catalog.indexes)?;
    constraints::read_constraints(&mut b, &catalog.constraints, &index_parts)?;
    tables::read_policies(&mut b, &catalog.policies)?;
    routines::read_routines(&mut b, &catalog.routines)?;
    routines::read_aggregates(&mut b, &catalog.aggregates)?;
    routines::read_dependencies(&mut b, &catalog.dependencies)?;
    triggers::read_triggers(&mut b, &catalog.triggers)?;
    rules::read_rules(&mut b, &catalog.rules)?;
    rules::read_statistics(&mut b, &catalog.statistics)?;
    if options.privileges {
        privileges::read_grants(&mut b, &catalog.grants)?;
    }
    for row in &catalog.unmodelled {
        let f = row::Fields::new(row, "objects not modelled");
        b.skip(f.get::<String>("name")?, f.get::<String>("reason")?);
    }
    b.schema.normalize();
    b.skipped.sort_by(|x, y| (&x.name, &x.reason).cmp(&(&y.name, &y.reason)));
    Ok(Introspection { schema: b.schema, skipped: b.skipped })
}

/// `schema.name` for messages and skipped entries.
pub(crate) fn display_name(schema: &str, name: &str) -> String {
    format!("{schema}.{name}")
}
