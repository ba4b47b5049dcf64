CREATE TABLE t (a, b, c);
CREATE UNIQUE INDEX i ON t ((a) COLLATE nocase DESC, b) WHERE /* c */ a > x'00';
CREATE INDEX IF NOT EXISTS "j k" ON t (lower(c), a + b);
