use schemasync_model::{Column, Dialect, Index, IndexPart, QualifiedName, Schema, Table, TableOptions};

use super::{check_limits, enforce_limits, split_account};
use crate::SqlError;

fn paths(schema: &Schema) -> Vec<String> {
    check_limits(schema, schema.dialect).into_iter().map(|p| p.path).collect()
}

#[test]
fn postgres_names_over_63_bytes() {
    let mut schema = Schema::new(Dialect::Postgres);
    let long = "x".repeat(80);
    let table = Table::new(QualifiedName::new(Some("public"), long.clone()))
        .with_column(Column::new("é".repeat(32), "integer"))
        .with_column(Column::new("y".repeat(63), "integer"));
    schema.add_table(table).unwrap();
    let problems = check_limits(&schema, Dialect::Postgres);
    let found: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        found,
        [
            format!(r#"tables["public"."{long}"].name.name"#),
            format!(r#"tables["public"."{long}"].columns["{}"].name"#, "é".repeat(32)),
        ]
    );
    assert!(problems[0].message.contains("80 bytes") && problems[0].message.contains("63"), "{}", problems[0]);
    // Two-byte characters: 32 of them are 64 bytes.
    assert!(problems[1].message.contains("64 bytes"));
    assert!(matches!(enforce_limits(&schema, Dialect::Postgres), Err(SqlError::OverLimit { .. })));
}

#[test]
fn mysql_names_over_64_characters() {
    let mut schema = Schema::new(Dialect::MySql);
    let table = Table::new(QualifiedName::bare("t".repeat(65)))
        .with_column(Column::new("é".repeat(64), "int"))
        .with_index(Index::on_columns("i".repeat(65), ["é".repeat(64)]));
    schema.add_table(table).unwrap();
    let found = paths(&schema);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].ends_with(".name.name"));
    assert!(found[1].contains(".indexes[") && found[1].ends_with(".name"));
    assert_eq!(split_account("`root`@`local@host`"), Some(("root".into(), "local@host".into())));
    assert_eq!(split_account("'a@b'@'%'"), Some(("a@b".into(), "%".into())));
}

#[test]
fn column_and_index_counts() {
    let mut pg = Schema::new(Dialect::Postgres);
    let mut wide = Table::new(QualifiedName::new(Some("s"), "wide"));
    for i in 0..1601 {
        wide = wide.with_column(Column::new(format!("c{i}"), "integer"));
    }
    let names: Vec<String> = (0..33).map(|i| format!("c{i}")).collect();
    wide = wide.with_index(Index::on_columns("many", names));
    pg.add_table(wide).unwrap();
    assert_eq!(paths(&pg), [r#"tables["s"."wide"].columns"#, r#"tables["s"."wide"].indexes["many"].parts"#]);

    let mut my = Schema::new(Dialect::MySql);
    let mut t = Table::new("t");
    for i in 0..1018 {
        t = t.with_column(Column::new(format!("c{i}"), "int"));
    }
    for i in 0..65 {
        t = t.with_index(Index::on_columns(format!("i{i}"), [format!("c{i}")]));
    }
    t = t.with_index(Index::on_columns("wide", (0..17).map(|i| format!("c{i}"))));
    my.add_table(t.clone()).unwrap();
    let found = paths(&my);
    assert!(found.contains(&r#"tables["t"].columns"#.to_owned()), "{found:?}");
    assert!(found.contains(&r#"tables["t"].indexes"#.to_owned()), "{found:?}");
    assert!(found.contains(&r#"tables["t"].indexes["wide"].parts"#.to_owned()), "{found:?}");
    // Another engine than InnoDB takes up to 4096 columns and more indexes.
    t.options = TableOptions::MySql { engine: Some("Aria".into()), charset: None, collation: None, row_format: None };
    let mut aria = Schema::new(Dialect::MySql);
    aria.add_table(t).unwrap();
    assert_eq!(paths(&aria), [r#"tables["t"].indexes["wide"].parts"#]);
}

fn mysql_table(columns: &[(&str, &str, Option<&str>)], index: Index, row_format: Option<&str>) -> Schema {
    let mut t = Table::new("t");
    for (name, ty, charset) in columns {
        let mut c = Column::new(*name, *ty);
        c.charset = charset.map(str::to_owned);
        t = t.with_column(c);
    }
    t.options =
        TableOptions::MySql { engine: None, charset: None, collation: None, row_format: row_format.map(str::to_owned) };
    let mut schema = Schema::new(Dialect::MySql);
    schema.add_table(t.with_index(index)).unwrap();
    schema
}

#[test]
fn innodb_key_length() {
    let long = mysql_table(&[("a", "varchar(1000)", Some("utf8mb4"))], Index::on_columns("i", ["a"]), None);
    let problems = check_limits(&long, Dialect::MySql);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, r#"tables["t"].indexes["i"]"#);
    assert!(problems[0].message.contains("4000 bytes") && problems[0].message.contains("3072"), "{}", problems[0]);
    // latin1 takes one byte a character; a prefix makes utf8mb4 fit.
    assert!(
        paths(&mysql_table(&[("a", "varchar(1000)", Some("latin1"))], Index::on_columns("i", ["a"]), None)).is_empty()
    );
    let mut prefixed = Index::on_columns("i", ["a"]);
    prefixed.parts[0].prefix_length = Some(768);
    assert!(paths(&mysql_table(&[("a", "varchar(1000)", None)], prefixed.clone(), None)).is_empty());
    prefixed.parts[0].prefix_length = Some(769);
    assert_eq!(paths(&mysql_table(&[("a", "varchar(1000)", None)], prefixed, None)).len(), 1);
    // The parts add up; COMPACT allows 767 bytes.
    let two = Index { parts: vec![IndexPart::column("a"), IndexPart::column("b")], ..Index::on_columns("i", ["a"]) };
    let cols = [("a", "varchar(400)", Some("utf8mb4")), ("b", "varchar(400)", Some("utf8mb4"))];
    assert_eq!(paths(&mysql_table(&cols, two.clone(), None)).len(), 1);
    let small = [("a", "varchar(100)", Some("utf8mb3")), ("b", "int", None)];
    assert!(paths(&mysql_table(&small, two.clone(), None)).is_empty());
    let compact = [("a", "varchar(300)", Some("utf8mb3")), ("b", "int", None)];
    assert_eq!(paths(&mysql_table(&compact, two, Some("COMPACT"))).len(), 1);
}
