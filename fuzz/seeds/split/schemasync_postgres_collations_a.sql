CREATE SCHEMA app;
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION app.german (provider = libc, lc_collate = 'C', lc_ctype = 'C');
CREATE DOMAIN app.ci_text AS text COLLATE app.ci;
CREATE TABLE app.users (id int PRIMARY KEY, email text COLLATE app.ci UNIQUE, name app.ci_text, city text COLLATE app.german);
COMMENT ON COLLATION app.ci IS 'case-insensitive';
