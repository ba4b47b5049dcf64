CREATE TABLE dyn (id int PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci ROW_FORMAT=COMPACT COMMENT='it''s a table';
CREATE TABLE plain (id int);
CREATE TABLE mya (id int) ENGINE=Aria;
