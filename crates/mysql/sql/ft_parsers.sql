-- Full-text parser plugins that are loaded. An index can only use a loaded
-- parser, so when there is none no index has one and SHOW CREATE TABLE (the
-- only place a FULLTEXT index's parser is printed) is not needed.
SELECT PLUGIN_NAME
FROM information_schema.PLUGINS
WHERE PLUGIN_TYPE = 'FTPARSER' AND PLUGIN_STATUS = 'ACTIVE'
