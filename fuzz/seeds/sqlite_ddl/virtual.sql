CREATE VIRTUAL TABLE d USING fts5(a, tokenize='porter unicode61');
CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx);
