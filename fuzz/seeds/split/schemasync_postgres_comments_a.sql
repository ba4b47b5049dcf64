CREATE TABLE t (id int PRIMARY KEY, a text CONSTRAINT a_nonempty CHECK (a <> ''));
CREATE INDEX t_a ON t (a);
COMMENT ON TABLE t IS 'things';
COMMENT ON COLUMN t.a IS 'it''s a';
COMMENT ON INDEX t_a IS 'by a';
COMMENT ON CONSTRAINT a_nonempty ON t IS 'no empties';
