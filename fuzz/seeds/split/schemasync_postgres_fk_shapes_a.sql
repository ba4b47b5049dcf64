CREATE TABLE region (code text NOT NULL, country text NOT NULL);
CREATE UNIQUE INDEX region_key ON region (country, code);
CREATE TABLE office (id int PRIMARY KEY, country text, code text,
  FOREIGN KEY (country, code) REFERENCES region (country, code));
CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node (id) ON DELETE CASCADE);
CREATE TABLE a (id int PRIMARY KEY, b_id int);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));
ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id) DEFERRABLE INITIALLY DEFERRED;
