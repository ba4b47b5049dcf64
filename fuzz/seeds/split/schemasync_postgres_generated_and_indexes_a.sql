CREATE TABLE item (id int PRIMARY KEY, price numeric NOT NULL, qty int NOT NULL,
  total numeric GENERATED ALWAYS AS (price * qty) STORED,
  label text);
CREATE INDEX item_total ON item (total);
CREATE INDEX item_total_label ON item (label, total) WHERE total > 0;
ALTER TABLE item ADD CONSTRAINT total_cap CHECK (total < 1000000);
CREATE VIEW big_items AS SELECT id, total FROM item WHERE total > 100;
