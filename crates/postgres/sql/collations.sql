-- Collations created in the selected schemas (not those an extension owns).
-- PostgreSQL 15 keeps the ICU locale in colliculocale; libc collations use
-- collcollate / collctype.
SELECT n.nspname::text AS schema,
       c.collname::text AS name,
       CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END AS provider,
       c.colliculocale::text AS locale,
       c.collcollate::text AS lc_collate,
       c.collctype::text AS lc_ctype,
       NOT c.collisdeterministic AS nondeterministic,
       obj_description(c.oid, 'pg_collation') AS comment
FROM pg_collation c
JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT FROM pg_depend d
                  WHERE d.classid = 'pg_collation'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
