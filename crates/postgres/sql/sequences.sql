-- Sequences, except those of identity columns (deptype 'i'), with the
-- table column that owns them (OWNED BY, deptype 'a').
SELECT c.oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       pg_get_userbyid(c.relowner)::text AS owner,
       obj_description(c.oid, 'pg_class') AS comment,
       format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart AS start_value,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       owner_ns.nspname::text AS owned_schema,
       owner_rel.relname::text AS owned_table,
       owner_col.attname::text AS owned_column
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype = 'a'
LEFT JOIN pg_class owner_rel ON owner_rel.oid = d.refobjid
LEFT JOIN pg_namespace owner_ns ON owner_ns.oid = owner_rel.relnamespace
LEFT JOIN pg_attribute owner_col ON owner_col.attrelid = d.refobjid AND owner_col.attnum = d.refobjsubid
WHERE c.relkind = 'S'
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype IN ('e', 'i'))
