CREATE TABLE t (
  id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name varchar(50) NOT NULL DEFAULT '',
  code char(3) CHARACTER SET ascii COLLATE ascii_bin,
  price decimal(10,2) DEFAULT 0.00,
  qty smallint(5) unsigned zerofill,
  kind enum('a','b','c') DEFAULT 'a',
  flags set('x','y') DEFAULT 'x,y',
  note text COMMENT 'free text',
  updated timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  total decimal(12,2) AS (price * 2) VIRTUAL,
  `weird ``col``; x` int
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
