-- Stored functions and procedures. DATABASE_COLLATION tells which character
-- sets of parameters and return values were defaults at creation; SQL_MODE is
-- the sql_mode the routine was created under.
SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, CHARACTER_SET_NAME, COLLATION_NAME, ROUTINE_BODY,
       ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT,
       DATABASE_COLLATION, SQL_MODE
FROM information_schema.ROUTINES
WHERE ROUTINE_SCHEMA = DATABASE()
ORDER BY ROUTINE_TYPE, ROUTINE_NAME
