CREATE SCHEMA "a""b; DROP TABLE x";
CREATE TYPE "a""b; DROP TABLE x"."é moods" AS ENUM ('it''s', 'back\slash');
CREATE TABLE "a""b; DROP TABLE x"."t; --" ("id ""x""" int PRIMARY KEY, "m ü" "a""b; DROP TABLE x"."é moods",
  "Mixed Case" text CONSTRAINT "chk ""q""" CHECK ("Mixed Case" <> ''));
CREATE INDEX "idx; DROP" ON "a""b; DROP TABLE x"."t; --" ("Mixed Case");
CREATE VIEW "a""b; DROP TABLE x"."v ""1""" AS SELECT "id ""x""" FROM "a""b; DROP TABLE x"."t; --";
COMMENT ON TABLE "a""b; DROP TABLE x"."t; --" IS 'it''s $$ tricky';
CREATE FUNCTION "a""b; DROP TABLE x"."f ""1"""(x int) RETURNS int LANGUAGE sql AS $q$SELECT x + 1$q$;
