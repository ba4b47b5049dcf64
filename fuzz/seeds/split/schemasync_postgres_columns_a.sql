CREATE TABLE t (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2) PRIMARY KEY,
  name varchar(50) NOT NULL,
  price numeric(10,2) DEFAULT 0,
  tags text[] DEFAULT '{}',
  title text COLLATE "C",
  doubled numeric GENERATED ALWAYS AS (price * 2) STORED,
  created timestamptz DEFAULT now(),
  "weird ""col""; x" int
);
