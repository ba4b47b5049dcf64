-- Objects and settings the model does not hold, to report them in
-- Introspection::skipped: one row (name, reason) each. Objects that belong
-- to an extension are left out (the extension stands for them); objects
-- without a schema (casts, languages, event triggers, foreign-data wrappers
-- and servers, publications) are listed only when all schemas are selected
-- and they were created by a user (oid >= 16384, FirstNormalObjectId).
WITH sel AS (
    SELECT n.oid, n.nspname::text AS nspname
    FROM pg_namespace n
    WHERE n.nspname <> ALL ($2::text[])
      AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
      AND n.nspname !~ '^pg_(toast_)?temp_'
),
ext AS (
    SELECT e.classid, e.objid FROM pg_depend e WHERE e.deptype = 'e'
),
everything AS (
    SELECT 'operator ' || s.nspname || '.' || o.oprname || '(' || format_type(o.oprleft, NULL) || ', '
               || format_type(o.oprright, NULL) || ')' AS name,
           'operators are not modelled' AS reason
    FROM pg_operator o JOIN sel s ON s.oid = o.oprnamespace
    WHERE (('pg_operator'::regclass, o.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'operator class ' || s.nspname || '.' || oc.opcname || ' USING ' || am.amname,
           'operator classes are not modelled'
    FROM pg_opclass oc JOIN sel s ON s.oid = oc.opcnamespace JOIN pg_am am ON am.oid = oc.opcmethod
    WHERE (('pg_opclass'::regclass, oc.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'operator family ' || s.nspname || '.' || f.opfname || ' USING ' || am.amname,
           'operator families are not modelled'
    FROM pg_opfamily f JOIN sel s ON s.oid = f.opfnamespace JOIN pg_am am ON am.oid = f.opfmethod
    WHERE (('pg_opfamily'::regclass, f.oid)) NOT IN (SELECT classid, objid FROM ext)
      -- CREATE OPERATOR CLASS makes a family of the same name: one entry is enough.
      AND NOT EXISTS (SELECT FROM pg_opclass oc WHERE oc.opcfamily = f.oid AND oc.opcname = f.opfname)
    UNION ALL
    SELECT 'text search configuration ' || s.nspname || '.' || t.cfgname, 'text search configurations are not modelled'
    FROM pg_ts_config t JOIN sel s ON s.oid = t.cfgnamespace
    WHERE (('pg_ts_config'::regclass, t.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'text search dictionary ' || s.nspname || '.' || t.dictname, 'text search dictionaries are not modelled'
    FROM pg_ts_dict t JOIN sel s ON s.oid = t.dictnamespace
    WHERE (('pg_ts_dict'::regclass, t.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'conversion ' || s.nspname || '.' || c.conname, 'conversions are not modelled'
    FROM pg_conversion c JOIN sel s ON s.oid = c.connamespace
    WHERE (('pg_conversion'::regclass, c.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    -- Per-relation settings of tables, materialized views and indexes.
    SELECT s.nspname || '.' || c.relname,
           x.what || ' is not modelled'
    FROM pg_class c JOIN sel s ON s.oid = c.relnamespace
    CROSS JOIN LATERAL (
        SELECT 'tablespace ' || quote_ident(ts.spcname) AS what
        FROM pg_tablespace ts WHERE ts.oid = c.reltablespace
        UNION ALL
        SELECT 'table access method ' || am.amname
        FROM pg_am am WHERE am.oid = c.relam AND c.relkind IN ('r', 'm') AND am.amname <> 'heap'
        UNION ALL
        SELECT 'REPLICA IDENTITY ' || CASE c.relreplident WHEN 'n' THEN 'NOTHING' WHEN 'f' THEN 'FULL' ELSE 'USING INDEX' END
        WHERE c.relkind IN ('r', 'p') AND c.relreplident <> 'd'
        UNION ALL
        SELECT 'CLUSTER ON ' || quote_ident(ic.relname)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisclustered
        UNION ALL
        SELECT 'TOAST storage parameters (' || array_to_string(t.reloptions, ', ') || ')'
        FROM pg_class t WHERE t.oid = c.reltoastrelid AND t.reloptions IS NOT NULL
    ) x
    WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
      AND (('pg_class'::regclass, c.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    -- Per-column settings of materialized views and indexes (the columns
    -- of an index are numbered); those of tables are modelled (columns.sql).
    SELECT s.nspname || '.' || c.relname || '.'
               || CASE WHEN c.relkind IN ('i', 'I') THEN a.attnum::text ELSE a.attname::text END,
           x.what || ' is not modelled'
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN sel s ON s.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    CROSS JOIN LATERAL (
        SELECT 'SET STATISTICS ' || a.attstattarget AS what WHERE a.attstattarget >= 0
        UNION ALL
        SELECT 'SET STORAGE ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL'
                                                   WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END
        WHERE a.attstorage <> t.typstorage AND c.relkind = 'm'
        UNION ALL
        SELECT 'SET COMPRESSION ' || CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END
        WHERE a.attcompression <> '' AND c.relkind = 'm'
        UNION ALL
        -- Only the options ALTER COLUMN SET (...) documents.
        SELECT 'column options (' || array_to_string(o.opts, ', ') || ')'
        FROM (SELECT array_agg(opt ORDER BY opt) AS opts FROM unnest(a.attoptions) AS opt
              WHERE opt ~ '^n_distinct(_inherited)?=') o
        WHERE o.opts IS NOT NULL
    ) x
    WHERE a.attnum > 0 AND NOT a.attisdropped
      AND c.relkind IN ('m', 'i', 'I')
      AND (('pg_class'::regclass, c.oid)) NOT IN (SELECT classid, objid FROM ext)
      -- A partition copies these from its parent when it is attached: its own are reported there.
      AND NOT c.relispartition
    UNION ALL
    SELECT 'cast (' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')',
           'casts are not modelled'
    FROM pg_cast c
    WHERE c.oid >= 16384 AND cardinality($1::text[]) = 0
      AND (('pg_cast'::regclass, c.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'language ' || l.lanname, 'procedural languages are not modelled'
    FROM pg_language l
    WHERE l.oid >= 16384 AND cardinality($1::text[]) = 0
      AND (('pg_language'::regclass, l.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'event trigger ' || t.evtname, 'event triggers are not modelled'
    FROM pg_event_trigger t
    WHERE cardinality($1::text[]) = 0
      AND (('pg_event_trigger'::regclass, t.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'foreign-data wrapper ' || w.fdwname, 'foreign-data wrappers are not modelled'
    FROM pg_foreign_data_wrapper w
    WHERE cardinality($1::text[]) = 0
      AND (('pg_foreign_data_wrapper'::regclass, w.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'server ' || fs.srvname, 'foreign servers are not modelled'
    FROM pg_foreign_server fs
    WHERE cardinality($1::text[]) = 0
      AND (('pg_foreign_server'::regclass, fs.oid)) NOT IN (SELECT classid, objid FROM ext)
    UNION ALL
    SELECT 'publication ' || p.pubname, 'publications are not modelled'
    FROM pg_publication p
    WHERE cardinality($1::text[]) = 0
)
SELECT name, reason FROM everything
