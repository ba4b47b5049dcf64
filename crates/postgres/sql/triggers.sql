-- User triggers (not the internal ones behind foreign keys, nor the clones a
-- partition receives from its parent's trigger), with the trigger function.
SELECT t.oid,
       t.tgrelid AS table_oid,
       t.tgname::text AS name,
       t.tgtype::int4 AS trigger_type,
       t.tgenabled::text AS enabled,
       t.tgconstraint <> 0 AS is_constraint,
       t.tgdeferrable AS deferrable,
       t.tginitdeferred AS deferred,
       t.tgconstrrelid <> 0 AS has_from,
       (t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL) AS has_transition_tables,
       ARRAY(SELECT a.attname::text FROM unnest(t.tgattr::int2[]) WITH ORDINALITY u(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = u.attnum
             ORDER BY u.ord) AS update_columns,
       pg_get_triggerdef(t.oid) AS definition,
       fn.nspname::text AS function_schema,
       f.proname::text AS function_name,
       pg_get_function_identity_arguments(f.oid) AS function_signature,
       obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT t.tgisinternal
  AND t.tgparentid = 0
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
