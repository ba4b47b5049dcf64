-- Rewrite rules on selected tables and views, except a view's own _RETURN
-- rule (that is the view).
SELECT r.ev_class AS relation_oid,
       r.rulename::text AS name,
       pg_get_ruledef(r.oid) AS definition,
       obj_description(r.oid, 'pg_rewrite') AS comment
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.rulename <> '_RETURN'
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
ORDER BY 1, 2
