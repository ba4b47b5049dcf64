//! Reading a database's schema into the model: one catalog query per object
//! kind for the whole database, so the number of queries does not grow with
//! the number of tables. Each submodule turns one query's rows into model
//! objects; this module runs the queries and assembles the schema.

mod columns;
mod constraints;
mod defaults;
mod events;
mod fulltext;
mod indexes;
mod partitions;
mod raw_bodies;
mod routines;
mod tables;
mod triggers;
mod views;

use std::collections::BTreeMap;

use schemasync_model::{Dialect, Schema};

use crate::{Flavor, MySqlConnection, MySqlError};

/// What to keep that is usually normalized away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntrospectOptions {
    /// Keep view definers (`'user'@'host'`) instead of dropping them.
    pub keep_definers: bool,
}

/// A schema read from a database, and what could not be read into the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introspection {
    /// The schema (`Dialect::MySql`, names unqualified: the database is the namespace).
    pub schema: Schema,
    /// Objects left out, with the reason.
    pub skipped: Vec<SkippedObject>,
}

/// An object the model cannot hold (a MariaDB sequence, a system-versioned
/// table, a package, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedObject {
    /// `table t`, `routine p`.
    pub name: String,
    /// Why it was left out.
    pub reason: String,
}

impl SkippedObject {
    pub(crate) fn new(name: impl Into<String>, reason: impl Into<String>) -> Self {
        SkippedObject { name: name.into(), reason: reason.into() }
    }
}

/// The catalog queries of one server flavour.
struct Catalog {
    statistics: &'static str,
    checks: Option<&'static str>,
    views: &'static str,
}

impl Catalog {
    fn for_flavor(flavor: Flavor) -> Catalog {
        let statistics = if flavor.mariadb_at_least((10, 6, 0)) {
            include_str!("../../sql/statistics_mariadb.sql")
        } else if flavor.mysql_at_least((8, 0, 13)) {
            include_str!("../../sql/statistics_mysql8.sql")
        } else {
            include_str!("../../sql/statistics_basic.sql")
        };
        // CHECK constraints are kept (and listed) from MariaDB 10.2.22 / 10.3.10 and MySQL 8.0.16.
        let (major, minor, _) = flavor.version;
        let mariadb_checks =
            flavor.mariadb_at_least((10, 3, 10)) || flavor.mariadb_at_least((10, 2, 22)) && (major, minor) == (10, 2);
        let checks = if mariadb_checks {
            Some(include_str!("../../sql/checks_mariadb.sql"))
        } else if flavor.mysql_at_least((8, 0, 16)) {
            Some(include_str!("../../sql/checks_mysql.sql"))
        } else {
            None
        };
        let views = if flavor.mariadb {
            include_str!("../../sql/views_mariadb.sql")
        } else {
            include_str!("../../sql/views_mysql.sql")
        };
        Catalog { statistics, checks, views }
    }
}

impl MySqlConnection {
    /// Read the schema of the connection's database.
    pub async fn introspect(&mut self, options: &IntrospectOptions) -> Result<Introspection, MySqlError> {
        use tracing::Instrument;
        let started = std::time::Instant::now();
        let found = self.read_schema(options).instrument(tracing::info_span!("introspect", engine = "mysql")).await?;
        crate::observe::introspected(&found.schema, found.skipped.len(), started);
        Ok(found)
    }

    async fn read_schema(&mut self, options: &IntrospectOptions) -> Result<Introspection, MySqlError> {
        let flavor = self.flavor();
        let catalog = Catalog::for_flavor(flavor);
        let database = self.database.clone();
        let mut skipped = Vec::new();

        let table_rows = self.rows("tables", include_str!("../../sql/tables.sql")).await?;
        let mut tables = tables::read(&table_rows, &mut skipped)?;
        let column_rows = self.rows("columns", include_str!("../../sql/columns.sql")).await?;
        columns::read(&column_rows, flavor, &mut tables)?;
        let index_rows = self.rows("statistics", catalog.statistics).await?;
        indexes::read(&index_rows, flavor, &mut tables)?;
        let with_fulltext = fulltext::tables_with_fulltext(&tables);
        if !with_fulltext.is_empty() {
            let parsers = self.rows("full-text parsers", include_str!("../../sql/ft_parsers.sql")).await?;
            if !parsers.is_empty() {
                for table in with_fulltext {
                    let sql = format!("SHOW CREATE TABLE {}", Dialect::MySql.quote_ident(&table));
                    let rows = self.rows("SHOW CREATE TABLE", &sql).await?;
                    if let Some(row) = rows.first() {
                        fulltext::apply_parsers(&mut tables, &table, &row.text(1)?);
                    }
                }
            }
        }
        let fk_rows = self.rows("foreign keys", include_str!("../../sql/foreign_keys.sql")).await?;
        let fk_rules = self.rows("foreign key actions", include_str!("../../sql/fk_rules.sql")).await?;
        constraints::read_foreign_keys(&fk_rows, &fk_rules, &database, &mut tables)?;
        if let Some(sql) = catalog.checks {
            let check_rows = self.rows("check constraints", sql).await?;
            constraints::read_checks(&check_rows, flavor, &mut tables)?;
        }
        let partition_rows = self.rows("partitions", include_str!("../../sql/partitions.sql")).await?;
        partitions::read(&partition_rows, &mut tables)?;

        let mut schema = Schema::new(Dialect::MySql);
        for table in tables.into_values() {
            schema.tables.insert(table.name.clone(), table);
        }
        let view_rows = self.rows("views", catalog.views).await?;
        for view in views::read(&view_rows, &database, options)? {
            schema.views.insert(view.name.clone(), view);
        }
        let trigger_rows = self.rows("triggers", include_str!("../../sql/triggers.sql")).await?;
        let mut show_triggers = BTreeMap::new();
        for row in &trigger_rows {
            let name = row.text(1)?;
            if !raw_bodies::may_be_decoded(&row.text_or_empty(5)?) {
                continue;
            }
            let sql = format!("SHOW CREATE TRIGGER {}", Dialect::MySql.quote_ident(&name));
            if let Some(statement) = self.show_create("SHOW CREATE TRIGGER", &sql, 2).await? {
                show_triggers.insert(name, statement);
            }
        }
        for trigger in triggers::read(&trigger_rows, &show_triggers, &mut skipped)? {
            schema.triggers.insert((trigger.table.clone(), trigger.name.clone()), trigger);
        }
        let routine_rows = self.rows("routines", include_str!("../../sql/routines.sql")).await?;
        let parameter_rows = self.rows("parameters", include_str!("../../sql/parameters.sql")).await?;
        let mut show_routines = BTreeMap::new();
        for row in &routine_rows {
            let (name, kind) = (row.text(0)?, row.text(1)?);
            if kind != "FUNCTION" && kind != "PROCEDURE" || !raw_bodies::may_be_decoded(&row.text_or_empty(6)?) {
                continue;
            }
            let sql = format!("SHOW CREATE {kind} {}", Dialect::MySql.quote_ident(&name));
            if let Some(statement) = self.show_create("SHOW CREATE FUNCTION|PROCEDURE", &sql, 2).await? {
                show_routines.insert((kind, name), statement);
            }
        }
        for routine in routines::read(&routine_rows, &parameter_rows, &show_routines, &mut skipped)? {
            schema.routines.insert(routine.routine_key(), routine);
        }
        let event_rows = self.rows("events", include_str!("../../sql/events.sql")).await?;
        let mut show_events = BTreeMap::new();
        for row in &event_rows {
            let name = row.text(0)?;
            if !raw_bodies::may_be_decoded(&row.text_or_empty(9)?) {
                continue;
            }
            let sql = format!("SHOW CREATE EVENT {}", Dialect::MySql.quote_ident(&name));
            if let Some(statement) = self.show_create("SHOW CREATE EVENT", &sql, 3).await? {
                show_events.insert(name, statement);
            }
        }
        for event in events::read(&event_rows, &show_events)? {
            schema.events.insert(event.name.clone(), event);
        }
        schema.normalize();
        Ok(Introspection { schema, skipped })
    }

    /// The statement column of a `SHOW CREATE ...` row; `None` when the
    /// server hides it (a user without the privilege to see the body).
    async fn show_create(
        &mut self,
        context: &'static str,
        sql: &str,
        column: usize,
    ) -> Result<Option<String>, MySqlError> {
        let rows = self.rows(context, sql).await?;
        match rows.first() {
            Some(row) => row.opt_text(column),
            None => Ok(None),
        }
    }
}
