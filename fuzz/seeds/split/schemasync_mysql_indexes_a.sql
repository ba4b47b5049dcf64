CREATE TABLE t (
  id int NOT NULL PRIMARY KEY,
  a varchar(100),
  b int,
  body text,
  g geometry NOT NULL,
  KEY t_a (a),
  KEY t_ab (a(10), b),
  FULLTEXT KEY t_body (body),
  SPATIAL KEY t_g (g)
) ENGINE=InnoDB;
