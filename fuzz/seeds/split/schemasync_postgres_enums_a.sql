CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE "it's" AS ENUM ('a''b', 'c"d');
CREATE TABLE person (id int PRIMARY KEY, m mood DEFAULT 'ok', t "it's");
