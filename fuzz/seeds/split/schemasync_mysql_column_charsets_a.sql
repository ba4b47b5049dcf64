CREATE TABLE t (id int NOT NULL PRIMARY KEY, a varchar(20) CHARACTER SET latin1, b text, c varchar(10) COLLATE utf8mb4_bin,
  g int AS (id * 2) VIRTUAL, KEY t_g (g), KEY t_ag (a, g)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
