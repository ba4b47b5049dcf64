-- Functions, procedures, and (to report them as skipped) window functions;
-- aggregates are read by aggregates.sql. Argument and result types are printed qualified unless
-- in pg_catalog, since introspection runs with an empty search_path.
SELECT p.oid,
       n.nspname::text AS schema,
       p.proname::text AS name,
       p.prokind::text AS kind,
       pg_get_function_identity_arguments(p.oid) AS signature,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       l.lanname::text AS language,
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END AS definition,
       pg_get_userbyid(p.proowner)::text AS owner,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind <> 'a'
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
