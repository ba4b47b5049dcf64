CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE FUNCTION add(a text, b text) RETURNS text LANGUAGE sql AS $$SELECT a || b$$;
CREATE PROCEDURE bump(n int) LANGUAGE plpgsql AS $$BEGIN PERFORM n + 1; END$$;
CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int, INITCOND = '0');
CREATE TABLE t (id int PRIMARY KEY, s int DEFAULT add(1, 2) CHECK (add(s, 0) >= 0));
