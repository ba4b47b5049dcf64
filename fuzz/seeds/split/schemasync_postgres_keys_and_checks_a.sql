CREATE TABLE parent (id int PRIMARY KEY, code text UNIQUE, a int, b int, CONSTRAINT ab UNIQUE NULLS NOT DISTINCT (a, b));
CREATE TABLE child (
  id int PRIMARY KEY,
  parent_id int REFERENCES parent (id) ON DELETE CASCADE,
  code text,
  qty int CONSTRAINT qty_positive CHECK (qty > 0),
  CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES parent (code) MATCH FULL DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE child ADD CONSTRAINT loose CHECK (qty < 1000) NOT VALID;
