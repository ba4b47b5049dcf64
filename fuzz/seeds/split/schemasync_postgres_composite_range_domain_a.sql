CREATE TYPE pair AS (x int, y text);
CREATE TYPE trio AS (a int);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE DOMAIN email AS text NOT NULL DEFAULT '' CONSTRAINT has_at CHECK (VALUE LIKE '%@%' OR VALUE = '');
CREATE TABLE t (id positive PRIMARY KEY, p pair, q trio, r floatrange, e email);
