-- Columns of all selected tables in attribute order, with the options of
-- the sequence behind an identity column and the per-column settings
-- pg_dump writes as ALTER COLUMN: a statistics target (NULL: the default,
-- stored as -1), a storage other than the type's, a compression method,
-- and the n_distinct options (others, like an extension's, are not ALTER
-- COLUMN SET options of a table).
SELECT a.attrelid AS table_oid,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
            THEN (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                               ELSE '"' || replace(cn.nspname, '"', '""') || '"."' || replace(co.collname, '"', '""') || '"' END
                  FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation,
       dsc.description AS comment,
       CASE WHEN a.attstattarget >= 0 THEN a.attstattarget::int4 END AS statistics,
       CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
       a.attcompression::text AS compression,
       ARRAY(SELECT opt FROM unnest(a.attoptions) AS opt WHERE opt ~ '^n_distinct(_inherited)?=') AS attribute_options,
       seq.start_value,
       seq.increment,
       seq.min_value,
       seq.max_value,
       seq.cache,
       seq.cycle
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
-- A join, not col_description(): one lookup per row is much slower.
LEFT JOIN pg_description dsc
       ON dsc.objoid = a.attrelid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = a.attnum
LEFT JOIN LATERAL (
    SELECT s.seqstart AS start_value, s.seqincrement AS increment, s.seqmin AS min_value,
           s.seqmax AS max_value, s.seqcache AS cache, s.seqcycle AS cycle
    FROM pg_depend d
    JOIN pg_sequence s ON s.seqrelid = d.objid
    WHERE a.attidentity <> '' AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid = a.attrelid AND d.refobjsubid = a.attnum AND d.deptype = 'i'
    LIMIT 1
) seq ON true
WHERE c.relkind IN ('r', 'p')
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
ORDER BY a.attrelid, a.attnum
