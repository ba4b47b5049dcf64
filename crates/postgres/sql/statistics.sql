-- Extended statistics in the selected schemas (not those an extension owns).
-- stxstattarget is -1 for the default target (NULL on later versions).
SELECT n.nspname::text AS schema,
       x.stxname::text AS name,
       x.stxrelid AS table_oid,
       pg_get_statisticsobjdef(x.oid) AS definition,
       CASE WHEN x.stxstattarget >= 0 THEN x.stxstattarget::int4 END AS target,
       obj_description(x.oid, 'pg_statistic_ext') AS comment
FROM pg_statistic_ext x
JOIN pg_namespace n ON n.oid = x.stxnamespace
WHERE n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT FROM pg_depend d
                  WHERE d.classid = 'pg_statistic_ext'::regclass AND d.objid = x.oid AND d.deptype = 'e')
ORDER BY 1, 2
