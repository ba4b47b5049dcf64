//! Tests of the whole differ: one module per area.

mod helpers;
mod normalized;
mod objects;
mod ordering;
mod postgres;
mod props;
mod sqlite;
