-- Domains with their CHECK constraints (parallel arrays, by name).
SELECT t.oid,
       n.nspname::text AS schema,
       t.typname::text AS name,
       pg_get_userbyid(t.typowner)::text AS owner,
       obj_description(t.oid, 'pg_type') AS comment,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       t.typnotnull AS not_null,
       t.typdefault AS default_expr,
       CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation
            THEN (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                               ELSE '"' || replace(cn.nspname, '"', '""') || '"."' || replace(co.collname, '"', '""') || '"' END
                  FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END AS collation,
       checks.names AS check_names,
       checks.defs AS check_defs,
       checks.validated AS check_validated,
       checks.comments AS check_comments
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
CROSS JOIN LATERAL (
    SELECT COALESCE(array_agg(k.conname::text ORDER BY k.conname), '{}') AS names,
           COALESCE(array_agg(pg_get_constraintdef(k.oid) ORDER BY k.conname), '{}') AS defs,
           COALESCE(array_agg(k.convalidated ORDER BY k.conname), '{}') AS validated,
           COALESCE(array_agg(obj_description(k.oid, 'pg_constraint') ORDER BY k.conname), '{}') AS comments
    FROM pg_constraint k
    WHERE k.contypid = t.oid AND k.contype = 'c'
) checks
WHERE t.typtype = 'd'
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
