-- Extensions installed in the selected schemas.
SELECT x.extname::text AS name,
       n.nspname::text AS schema,
       x.extversion AS version,
       obj_description(x.oid, 'pg_extension') AS comment
FROM pg_extension x
JOIN pg_namespace n ON n.oid = x.extnamespace
WHERE n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
ORDER BY x.extname
