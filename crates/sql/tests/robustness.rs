//! Every prefix of awkward scripts, in every dialect, must give an answer
//! (statements or an error), never a panic.

use schemasync_model::Dialect;
use schemasync_sql::{normalize_whitespace, normalize_whitespace_in, split_statements};

const SCRIPTS: &[&str] = &[
    "DELIMITER $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\nDELIMITER ;\nSELECT 'a\\'b', \"c\\\"d\", `e``f` # x\n;",
    "CREATE FUNCTION f() AS $body$ SELECT 'x;'; $body$ LANGUAGE sql; SELECT E'\\'' /* a /* b */ c */; \\connect db\n",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 'é' END; END; SELECT [a b] -- c\n.mode x\n",
    "$1 $$ $a $a$ $9$ -- é名\r\n/*! exec */ /*M! maria */ DELIMITER\nDELIMITER ;;",
];

#[test]
fn every_prefix_is_handled() {
    for script in SCRIPTS {
        for end in (0..=script.len()).filter(|&i| script.is_char_boundary(i)) {
            let prefix = &script[..end];
            for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
                if let Ok(statements) = split_statements(prefix, dialect) {
                    assert!(statements.iter().all(|s| !s.is_empty() && s.trim() == s), "{prefix:?}");
                }
                let normalized = normalize_whitespace_in(prefix, dialect);
                assert!(normalized.len() <= prefix.len());
            }
            assert!(normalize_whitespace(prefix).len() <= prefix.len());
        }
    }
}
