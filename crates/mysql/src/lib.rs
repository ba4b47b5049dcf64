//! MySQL/MariaDB engine for schemasync: introspection, resumable apply, database creation (under construction).
