//! PostgreSQL engine for schemasync: introspection, transactional apply, database creation (under construction).
