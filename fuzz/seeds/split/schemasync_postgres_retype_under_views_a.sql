CREATE TABLE account (id int PRIMARY KEY, balance numeric(10,2) NOT NULL DEFAULT 0, code varchar(10));
CREATE VIEW rich AS SELECT id, balance FROM account WHERE balance > 1000;
CREATE VIEW richest AS SELECT max(balance) AS top FROM rich;
CREATE INDEX account_code ON account (code);
CREATE TABLE movement (id bigserial PRIMARY KEY, account_id int NOT NULL REFERENCES account (id), amount numeric(10,2));
