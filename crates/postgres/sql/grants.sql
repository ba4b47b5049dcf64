-- Privileges beyond the defaults every object gets (acldefault), so that an
-- object nobody granted anything on has none. Column grants carry attnum.
WITH objects AS (
    SELECT 'relation'::text AS object_kind, c.oid, 0::int2 AS attnum, c.relacl AS acl,
           acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner) AS default_acl
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relacl IS NOT NULL
      AND n.nspname <> ALL ($2::text[]) AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
    UNION ALL
    SELECT 'column', c.oid, a.attnum, a.attacl, acldefault('c', c.relowner)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
      AND n.nspname <> ALL ($2::text[]) AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
    UNION ALL
    SELECT 'namespace', n.oid, 0, n.nspacl, acldefault('n', n.nspowner)
    FROM pg_namespace n
    WHERE n.nspacl IS NOT NULL
      AND n.nspname <> ALL ($2::text[]) AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
    UNION ALL
    SELECT 'type', t.oid, 0, t.typacl, acldefault('T', t.typowner)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typacl IS NOT NULL
      AND n.nspname <> ALL ($2::text[]) AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
    UNION ALL
    SELECT 'routine', p.oid, 0, p.proacl, acldefault('f', p.proowner)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proacl IS NOT NULL
      AND n.nspname <> ALL ($2::text[]) AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
),
granted AS (
    SELECT o.object_kind, o.oid, o.attnum, x.grantee, x.privilege_type, x.is_grantable
    FROM objects o CROSS JOIN LATERAL aclexplode(o.acl) x
    EXCEPT
    SELECT o.object_kind, o.oid, o.attnum, x.grantee, x.privilege_type, x.is_grantable
    FROM objects o CROSS JOIN LATERAL aclexplode(o.default_acl) x
)
SELECT g.object_kind,
       g.oid,
       g.attnum::int4 AS attnum,
       a.attname::text AS column_name,
       CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END AS grantee,
       g.privilege_type::text AS privilege,
       g.is_grantable AS grantable
FROM granted g
LEFT JOIN pg_attribute a ON g.object_kind = 'column' AND a.attrelid = g.oid AND a.attnum = g.attnum
ORDER BY g.object_kind, g.oid, g.attnum, 5, 6
