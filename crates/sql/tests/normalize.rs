use schemasync_model::Dialect;
use schemasync_sql::{normalize_whitespace, normalize_whitespace_in};

#[test]
fn collapses_whitespace_and_comments() {
    assert_eq!(normalize_whitespace("  SELECT\n\ta ,\r\n  b  FROM   t  "), "SELECT a , b FROM t");
    assert_eq!(normalize_whitespace("a/* c */b -- tail\n"), "a b");
    assert_eq!(normalize_whitespace("-- only\n/* comments */"), "");
    assert_eq!(normalize_whitespace("(a+b)"), "(a+b)");
}

#[test]
fn leaves_quoted_text_alone() {
    assert_eq!(normalize_whitespace("x = '  two  spaces -- not a comment '"), "x = '  two  spaces -- not a comment '");
    assert_eq!(normalize_whitespace("SELECT  \"my   col\" ,  `other  col`"), "SELECT \"my   col\" , `other  col`");
    assert_eq!(normalize_whitespace("AS  $$  SELECT   1;  $$  LANGUAGE sql"), "AS $$  SELECT   1;  $$ LANGUAGE sql");
    assert_eq!(normalize_whitespace("$fn$ a  /* b */ $fn$"), "$fn$ a  /* b */ $fn$");
    assert_eq!(normalize_whitespace("E'a\\'  b'   x"), "E'a\\'  b' x");
}

#[test]
fn dialect_rules() {
    let mysql = "DEFAULT  'it\\'s  here'  # note\n";
    assert_eq!(normalize_whitespace_in(mysql, Dialect::MySql), "DEFAULT 'it\\'s  here'");
    assert_eq!(normalize_whitespace_in("a  #  b", Dialect::Postgres), "a # b");
    assert_eq!(normalize_whitespace_in("1--1  +  2", Dialect::MySql), "1--1 + 2");
    assert_eq!(normalize_whitespace_in("/*!40101  SET  x */  ;", Dialect::MySql), "/*!40101  SET  x */ ;");
    assert_eq!(normalize_whitespace_in("[a  b]   c", Dialect::Sqlite), "[a  b] c");
}

#[test]
fn unterminated_text_is_copied_verbatim() {
    assert_eq!(normalize_whitespace("a   'b   c"), "a 'b   c");
    assert_eq!(normalize_whitespace("a  /* b  "), "a /* b  ");
    assert_eq!(normalize_whitespace("$1  +  $2"), "$1 + $2");
}
