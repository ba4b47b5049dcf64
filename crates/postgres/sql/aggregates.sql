-- Aggregates, with what CREATE AGGREGATE needs to make them again. Support
-- functions are printed as regproc (qualified unless in pg_catalog, since
-- introspection runs with an empty search_path), types with format_type,
-- the sort operator as OPERATOR(schema.op). NULL means "not set / default".
SELECT p.oid,
       n.nspname::text AS schema,
       p.proname::text AS name,
       pg_get_function_identity_arguments(p.oid) AS signature,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       a.aggkind::text AS aggkind,
       a.aggtransfn::regproc::text AS sfunc,
       format_type(a.aggtranstype, NULL) AS stype,
       NULLIF(a.aggtransspace, 0) AS sspace,
       CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::regproc::text END AS finalfunc,
       a.aggfinalextra AS finalfunc_extra,
       CASE WHEN a.aggfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
            THEN a.aggfinalmodify::text END AS finalfunc_modify,
       CASE WHEN a.aggcombinefn <> 0 THEN a.aggcombinefn::regproc::text END AS combinefunc,
       CASE WHEN a.aggserialfn <> 0 THEN a.aggserialfn::regproc::text END AS serialfunc,
       CASE WHEN a.aggdeserialfn <> 0 THEN a.aggdeserialfn::regproc::text END AS deserialfunc,
       a.agginitval AS initcond,
       CASE WHEN a.aggmtransfn <> 0 THEN a.aggmtransfn::regproc::text END AS msfunc,
       CASE WHEN a.aggminvtransfn <> 0 THEN a.aggminvtransfn::regproc::text END AS minvfunc,
       CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END AS mstype,
       NULLIF(a.aggmtransspace, 0) AS msspace,
       CASE WHEN a.aggmfinalfn <> 0 THEN a.aggmfinalfn::regproc::text END AS mfinalfunc,
       a.aggmfinalextra AS mfinalfunc_extra,
       CASE WHEN a.aggmtransfn <> 0
             AND a.aggmfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
            THEN a.aggmfinalmodify::text END AS mfinalfunc_modify,
       a.aggminitval AS minitcond,
       CASE WHEN a.aggsortop <> 0 THEN
            (SELECT 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')'
             FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace
             WHERE o.oid = a.aggsortop) END AS sortop,
       p.proparallel::text AS parallel,
       pg_get_userbyid(p.proowner)::text AS owner,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_aggregate a ON a.aggfnoid = p.oid
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind = 'a'
  AND n.nspname <> ALL ($2::text[])
  AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
  AND n.nspname !~ '^pg_(toast_)?temp_'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
