CREATE TABLE `a``b; DROP TABLE x` (`id "x"` int NOT NULL PRIMARY KEY, `m ü` enum('it''s','back\\slash') DEFAULT 'it''s',
  `Mixed Case` varchar(20) COMMENT 'it''s `here`', KEY `idx; DROP` (`Mixed Case`)) COMMENT='t''s';
CREATE VIEW `v "1"` AS SELECT `id "x"` FROM `a``b; DROP TABLE x`;
