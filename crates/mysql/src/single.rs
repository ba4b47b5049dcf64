//! Whether a text is one statement, for DDL that must be sent as text
//! (MySQL 8 cannot prepare stored-program definitions). The server runs every
//! statement of a multi-statement text, so a text that would run more than
//! the one statement it was meant to be is refused before it is sent.
//!
//! The check is the validator's own ([`schemasync_sql::check_mysql_statement`]):
//! a `;` is accepted only where the compound-statement grammar of a stored
//! program's body puts it (`BEGIN ... END`, but also a trigger's `IF ... END
//! IF` or a procedure's `LOOP ... END LOOP` without BEGIN), and executable
//! comments (`/*! ... */`), whose contents the server runs, are refused.
//!
//! The text is read as a session under [`APPLY_SQL_MODE`] reads it (no
//! ANSI_QUOTES, backslash escapes on). A routine, trigger or event created
//! under a `sql_mode` of its own runs under that mode instead (emit sets it
//! just before); the validator has already read its text under that mode
//! before emit wrote the statement, so this check is the second reading.

use crate::APPLY_SQL_MODE;

/// `Ok` when `sql` holds exactly one statement; else why not.
pub(crate) fn check_single_statement(sql: &str) -> Result<(), String> {
    schemasync_sql::check_mysql_statement(sql, Some(APPLY_SQL_MODE)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::check_single_statement as check;

    #[test]
    fn stored_programs_with_bodies_are_one_statement() {
        assert!(check("CREATE PROCEDURE `p`()\nBEGIN SELECT 1; IF a THEN SELECT 2; END IF; END").is_ok());
        assert!(check("CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = 'a;b'").is_ok());
        assert!(check("CREATE FUNCTION `f`() RETURNS int RETURN IF(1, 2, 3)").is_ok());
        assert!(check("CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END").is_ok());
        assert!(check("ALTER TABLE `t` ADD COLUMN `a;` int -- x;\n").is_ok());
    }

    #[test]
    fn compound_bodies_without_begin_are_one_statement() {
        let trigger = "CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW IF NEW.x < 0 THEN SET NEW.x = 0; END IF";
        assert!(check(trigger).is_ok());
        let follows = "CREATE TRIGGER `t2` BEFORE INSERT ON `x` FOR EACH ROW FOLLOWS `t` \
                       CASE WHEN NEW.x IS NULL THEN SET NEW.x = 1; ELSE SET NEW.y = 2; END CASE";
        assert!(check(follows).is_ok());
        let procedure = "CREATE DEFINER=`root`@`%` PROCEDURE `p`(IN n INT)\nl: LOOP SET n = n - 1; \
                         IF n < 0 THEN LEAVE l; END IF; END LOOP l";
        assert!(check(procedure).is_ok());
        let event = "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY ON COMPLETION PRESERVE ENABLE COMMENT 'do; it' \
                     DO WHILE @n > 0 DO SET @n = @n - 1; END WHILE";
        assert!(check(event).is_ok());
    }

    #[test]
    fn a_second_statement_is_refused() {
        assert!(
            check("CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = 'x\\''; DROP TABLE v").is_err()
        );
        assert!(check("CREATE PROCEDURE p() BEGIN SELECT 1; END; DROP TABLE v").is_err());
        assert!(check("SELECT 1 /*! ; DROP TABLE v */").is_err());
        assert!(check("SELECT 'unterminated").is_err());
        assert!(check("SELECT 1;").is_err());
        // A compound statement closed early, or one the server does not
        // read as one (a top-level BEGIN starts a transaction).
        let closed =
            "CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW IF 1 THEN SET NEW.a = 1; END IF; DROP TABLE v";
        assert!(check(closed).is_err());
        assert!(check("CREATE PROCEDURE p() LOOP SELECT 1; END WHILE; DROP TABLE v").is_err());
        assert!(check("BEGIN; DROP TABLE v; END").is_err());
        // A CASE expression's `;` ends the statement: the old word counter
        // took the CASE for a compound statement.
        assert!(
            check(
                "CREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = CASE WHEN 1 THEN 2; DROP TABLE v; END"
            )
            .is_err()
        );
        assert!(check("ALTER TABLE `t` COMMENT 'a'; DROP TABLE v").is_err());
    }

    #[test]
    fn refusals_say_why() {
        let reason = check("ALTER TABLE `t` COMMENT 'a'; DROP TABLE v").unwrap_err();
        assert!(reason.starts_with("not exactly one statement: "), "{reason}");
        assert!(check("CREATE PROCEDURE p() BEGIN SELECT 1; /*! SELECT 2; */ END").unwrap_err().contains("executable"));
    }
}
