CREATE TABLE parent (id int NOT NULL PRIMARY KEY, code varchar(20) NOT NULL, UNIQUE KEY parent_code (code)) ENGINE=InnoDB;
CREATE TABLE child (
  id int NOT NULL,
  parent_id int,
  code varchar(20),
  qty int,
  PRIMARY KEY (id),
  KEY child_parent (parent_id),
  CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE,
  CONSTRAINT qty_positive CHECK (qty > 0)
) ENGINE=InnoDB;
