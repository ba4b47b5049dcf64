//! Tests of the whole differ: one module per area.

mod column_options;
mod helpers;
mod lossy;
mod mysql;
mod mysql_fk;
mod normalized;
mod objects;
mod ordering;
mod postgres;
mod postgres_phases;
mod props;
mod sqlite;
