CREATE TABLE t (id int PRIMARY KEY, a text, b int, c jsonb);
CREATE INDEX t_a ON t (a);
CREATE UNIQUE INDEX t_lower_a ON t (lower(a)) WHERE b > 0;
CREATE INDEX t_b_desc ON t (b DESC NULLS LAST) INCLUDE (a);
CREATE INDEX t_c ON t USING gin (c jsonb_path_ops);
CREATE INDEX t_a_pattern ON t (a text_pattern_ops);
