-- Indexes of tables and materialized views, including those backing
-- constraints (exclusion constraints take their elements from them), with
-- one array entry per index column: the column name (NULL for expressions),
-- the deparsed column or expression, a collation and an operator class only
-- when not the defaults, and the indoption bits (1 = DESC, 2 = NULLS FIRST).
SELECT i.indexrelid AS oid,
       i.indrelid AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       i.indisvalid AS is_valid,
       am.amname::text AS method,
       i.indnkeyatts::int4 AS key_count,
       parts.columns,
       parts.definitions,
       parts.collations,
       parts.opclasses,
       parts.options,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indnullsnotdistinct AS nulls_not_distinct,
       COALESCE(ic.reloptions, '{}')::text[] AS reloptions,
       dsc.description AS comment,
       EXISTS (SELECT FROM pg_constraint k
               WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                 AND k.contype IN ('p', 'u', 'x')) AS backs_constraint,
       EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS inherited
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
-- A join, not obj_description(): one lookup per row is much slower.
LEFT JOIN pg_description dsc
       ON dsc.objoid = i.indexrelid AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0
CROSS JOIN LATERAL (
    SELECT array_agg(ta.attname::text ORDER BY k) AS columns,
           -- Deparsing is costly: only expression columns need it.
           array_agg(CASE WHEN i.indkey[k] = 0 THEN pg_get_indexdef(i.indexrelid, k + 1, true) END ORDER BY k) AS definitions,
           array_agg(CASE WHEN i.indcollation[k] <> 0
                           AND i.indcollation[k] <> COALESCE(ta.attcollation, it.typcollation)
                          THEN (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text
                               ELSE '"' || replace(cn.nspname, '"', '""') || '"."' || replace(co.collname, '"', '""') || '"' END
                  FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = i.indcollation[k]) END ORDER BY k) AS collations,
           array_agg(CASE WHEN NOT oc.opcdefault THEN
                         CASE WHEN ocn.nspname = 'pg_catalog' THEN quote_ident(oc.opcname)
                              ELSE quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END
                     END ORDER BY k) AS opclasses,
           array_agg(i.indoption[k] ORDER BY k) AS options
    FROM generate_series(0, i.indnatts - 1) AS k
    JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k + 1
    JOIN pg_type it ON it.oid = ia.atttypid
    LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k]
    LEFT JOIN pg_opclass oc ON k < i.indnkeyatts AND oc.oid = i.indclass[k]
    LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
) parts
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
