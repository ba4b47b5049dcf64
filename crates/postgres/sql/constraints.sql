-- PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY and EXCLUDE constraints declared on
-- the selected tables themselves: copies a partition or child table received
-- from its parent (conparentid set, or not conislocal) are left out, since
-- creating the parent's constraint creates them.
SELECT k.oid,
       k.conrelid AS table_oid,
       k.conname::text AS name,
       k.contype::text AS kind,
       k.condeferrable AS deferrable,
       k.condeferred AS deferred,
       k.convalidated AS validated,
       k.connoinherit AS no_inherit,
       pg_get_constraintdef(k.oid) AS definition,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS columns,
       rn.nspname::text AS ref_schema,
       rc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS ref_columns,
       k.confupdtype::text AS on_update,
       k.confdeltype::text AS on_delete,
       k.confmatchtype::text AS match_type,
       k.confdelsetcols IS NOT NULL AS has_delete_set_columns,
       k.conindid AS index_oid,
       ARRAY(SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN o.oprname::text
                         ELSE 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')' END
             FROM unnest(k.conexclop) WITH ORDINALITY u(opr, ord)
             JOIN pg_operator o ON o.oid = u.opr
             JOIN pg_namespace opn ON opn.oid = o.oprnamespace
             ORDER BY u.ord) AS operators,
       COALESCE(ix.indnullsnotdistinct, false) AS nulls_not_distinct,
       dsc.description AS comment
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = k.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_index ix ON ix.indexrelid = k.conindid AND k.contype IN ('p', 'u', 'x')
-- A join, not obj_description(): one lookup per row is much slower.
LEFT JOIN pg_description dsc
       ON dsc.objoid = k.oid AND dsc.classoid = 'pg_constraint'::regclass AND dsc.objsubid = 0
WHERE k.contype IN ('p', 'u', 'c', 'f', 'x')
  AND k.conparentid = 0
  AND k.conislocal
  AND c.relkind IN ('r', 'p')
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
