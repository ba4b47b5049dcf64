-- Collations are given by bare name when in pg_catalog, else as the quoted
-- SQL text "schema"."name" (see CONVENTIONS.md).
-- Stand-alone composite types (not the row types of tables and views), one
-- array entry per attribute in attribute order. A collation is given only
-- when it differs from the attribute type's default.
SELECT t.oid,
       n.nspname::text AS schema,
       t.typname::text AS name,
       pg_get_userbyid(t.typowner)::text AS owner,
       obj_description(t.oid, 'pg_type') AS comment,
       attrs.names,
       attrs.types,
       attrs.collations
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
CROSS JOIN LATERAL (
    SELECT COALESCE(array_agg(a.attname::text ORDER BY a.attnum), '{}') AS names,
           COALESCE(array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum), '{}') AS types,
           COALESCE(array_agg(CASE WHEN a.attcollation <> 0 AND a.attcollation <> at.typcollation
                                   THEN (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                               ELSE '"' || replace(cn.nspname, '"', '""') || '"."' || replace(co.collname, '"', '""') || '"' END
                  FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END ORDER BY a.attnum), '{}') AS collations
    FROM pg_attribute a
    JOIN pg_type at ON at.oid = a.atttypid
    WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
) attrs
WHERE t.typtype = 'c'
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
