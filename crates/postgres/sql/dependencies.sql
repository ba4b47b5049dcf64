-- What views (through their rewrite rules) and routines depend on, resolved
-- to modelled objects: array types to their element type, multiranges to
-- their range, row types to their relation, and members of an extension to
-- the extension. References outside the selected schemas are left out.
WITH raw AS (
    SELECT 'view'::text AS dependent, r.ev_class AS dependent_oid, d.refclassid, d.refobjid
    FROM pg_rewrite r
    JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.deptype = 'n'
    WHERE d.refobjid <> r.ev_class
    UNION
    SELECT 'routine', d.objid, d.refclassid, d.refobjid
    FROM pg_depend d
    WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'n'
      AND d.refclassid IN ('pg_type'::regclass, 'pg_class'::regclass, 'pg_proc'::regclass)
),
types_resolved AS (
    -- An array type stands for its element type, a multirange for its range.
    SELECT raw.dependent, raw.dependent_oid, raw.refclassid,
           CASE WHEN raw.refclassid = 'pg_type'::regclass THEN
                COALESCE((SELECT t.typelem FROM pg_type t
                          WHERE t.oid = raw.refobjid AND t.typelem <> 0
                            AND t.typsubscript = 'array_subscript_handler'::regproc),
                         (SELECT g.rngtypid FROM pg_range g WHERE g.rngmultitypid = raw.refobjid),
                         raw.refobjid)
                ELSE raw.refobjid END AS refobjid
    FROM raw
),
rows_resolved AS (
    -- The row type of a table or view stands for the relation.
    SELECT tr.dependent, tr.dependent_oid,
           CASE WHEN tr.refclassid = 'pg_type'::regclass AND rel.oid IS NOT NULL AND rel.relkind <> 'c'
                THEN 'pg_class'::regclass ELSE tr.refclassid END AS refclassid,
           CASE WHEN tr.refclassid = 'pg_type'::regclass AND rel.oid IS NOT NULL AND rel.relkind <> 'c'
                THEN rel.oid ELSE tr.refobjid END AS refobjid
    FROM types_resolved tr
    LEFT JOIN pg_type t ON tr.refclassid = 'pg_type'::regclass AND t.oid = tr.refobjid
    LEFT JOIN pg_class rel ON rel.oid = t.typrelid
),
described AS (
    SELECT rr.dependent, rr.dependent_oid,
           CASE
               WHEN ext.extname IS NOT NULL THEN 'extension'
               WHEN rr.refclassid = 'pg_class'::regclass THEN
                   CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                                  WHEN 'm' THEN 'view' WHEN 'S' THEN 'sequence' END
               WHEN rr.refclassid = 'pg_type'::regclass AND t.typtype IN ('e', 'r', 'd') THEN 'type'
               WHEN rr.refclassid = 'pg_type'::regclass AND t.typtype = 'c' THEN 'type'
               WHEN rr.refclassid = 'pg_proc'::regclass THEN
                   CASE p.prokind WHEN 'f' THEN 'function' WHEN 'p' THEN 'procedure'
                                 WHEN 'a' THEN 'aggregate' END
           END AS ref_kind,
           COALESCE(extn.nspname, cn.nspname, tn.nspname, pn.nspname)::text AS ref_schema,
           COALESCE(ext.extname, c.relname, t.typname, p.proname)::text AS ref_name,
           CASE WHEN p.oid IS NOT NULL THEN pg_get_function_identity_arguments(p.oid) END AS ref_signature
    FROM rows_resolved rr
    LEFT JOIN pg_class c ON rr.refclassid = 'pg_class'::regclass AND c.oid = rr.refobjid
    LEFT JOIN pg_namespace cn ON cn.oid = c.relnamespace
    LEFT JOIN pg_type t ON rr.refclassid = 'pg_type'::regclass AND t.oid = rr.refobjid
    LEFT JOIN pg_namespace tn ON tn.oid = t.typnamespace
    LEFT JOIN pg_proc p ON rr.refclassid = 'pg_proc'::regclass AND p.oid = rr.refobjid
    LEFT JOIN pg_namespace pn ON pn.oid = p.pronamespace
    LEFT JOIN pg_depend e ON e.classid = rr.refclassid AND e.objid = rr.refobjid AND e.deptype = 'e'
    LEFT JOIN pg_extension ext ON ext.oid = e.refobjid
    LEFT JOIN pg_namespace extn ON extn.oid = ext.extnamespace
)
SELECT DISTINCT dependent, dependent_oid, ref_kind, ref_schema, ref_name, ref_signature
FROM described
WHERE ref_kind IS NOT NULL
  AND ref_schema <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR ref_schema = ANY ($1::text[]))
  AND ref_schema !~ '^pg_(toast_)?temp_'
