-- CHECK constraints, table and column level (MariaDB always enforces them).
-- LEVEL tells a column's own CHECK (named like the column) from a table's.
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, 'YES' AS ENFORCED, LEVEL
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, CONSTRAINT_NAME
