//! The `tracing` events of this engine. The library never prints: a
//! program sees them by installing a subscriber (the CLI's `-v`).

schemasync_sql::engine_events!("mysql", [tables, views, routines, indexes, triggers, sequences, types]);
