//! Column type changes through the whole differ: the hazards the lossy
//! tables give, per engine (the tables themselves are tested in `lossy`).

use super::helpers::*;

/// (data loss, fails on rows) of the plan turning column `c` from `from`
/// into `to` in a table of `dialect`.
fn verdict(dialect: Dialect, from: Table, to: Table, extra: impl Fn(&mut Schema)) -> (bool, bool) {
    let make = |table: Table| match dialect {
        Dialect::Postgres => pg_schema(vec![table]),
        _ => schema(dialect, vec![table]),
    };
    let (mut a, mut b) = (make(from), make(to));
    extra(&mut a);
    extra(&mut b);
    let plan = plan(&a, &b);
    assert!(!plan.is_empty(), "nothing planned");
    (has_hazard(&plan, HazardKind::DataLoss), has_hazard(&plan, HazardKind::FailsOnExistingRows))
}

fn one(dialect: Dialect, data_type: &str) -> Table {
    let name = if dialect == Dialect::Postgres { q("t") } else { QualifiedName::new(None::<&str>, "t") };
    Table::new(name).with_column(Column::new("c", data_type))
}

fn retyped(dialect: Dialect, from: &str, to: &str) -> (bool, bool) {
    verdict(dialect, one(dialect, from), one(dialect, to), |_| {})
}

const SAFE: (bool, bool) = (false, false);
const LOSS: (bool, bool) = (true, false);
const FAILS: (bool, bool) = (false, true);
const BOTH: (bool, bool) = (true, true);

#[test]
fn postgres_type_changes() {
    let pg = |a, b| retyped(Dialect::Postgres, a, b);
    assert_eq!(pg("integer", "bigint"), SAFE);
    assert_eq!(pg("character varying(10)", "character varying(20)"), SAFE);
    assert_eq!(pg("numeric(10,2)", "numeric(12,2)"), SAFE);
    assert_eq!(pg("character varying(20)", "character varying(10)"), FAILS);
    assert_eq!(pg("numeric(10,2)", "integer"), LOSS);
    assert_eq!(pg("numeric(10,2)", "numeric(10,1)"), LOSS);
    assert_eq!(pg("text", "integer"), BOTH);
    assert_eq!(pg("timestamp without time zone", "timestamp with time zone"), LOSS);
    // No cast: the values are replaced by NULL.
    assert_eq!(pg("integer", "timestamp with time zone"), LOSS);
}

#[test]
fn postgres_domains_count_as_their_base_types() {
    let domain = |name: &str, base: &str, checked: bool| UserType {
        name: q(name),
        kind: TypeKind::Domain {
            base_type: base.into(),
            not_null: false,
            default: None,
            collation: None,
            checks: if checked {
                vec![CheckConstraint {
                    name: Some(format!("{name}_check")),
                    expr: "VALUE <> ''".into(),
                    not_valid: false,
                    no_inherit: false,
                    not_enforced: false,
                    comment: None,
                }]
            } else {
                vec![]
            },
        },
        owner: None,
        grants: vec![],
        comment: None,
    };
    let with_domains = |s: &mut Schema| {
        for d in [domain("d5", "character varying(5)", false), domain("checked", "text", true)] {
            s.types.insert(d.name.clone(), d);
        }
    };
    let pg = |from: &str, to: &str| {
        verdict(Dialect::Postgres, one(Dialect::Postgres, from), one(Dialect::Postgres, to), with_domains)
    };
    // USING CAST into a domain over varchar(5) cuts overlong values.
    assert_eq!(pg("text", "public.d5"), LOSS);
    assert_eq!(pg("text", "public.checked"), FAILS);
    assert_eq!(pg("public.d5", "character varying(10)"), SAFE);
    assert_eq!(pg("public.d5", "character varying(3)"), FAILS);
    assert_eq!(pg("public.checked", "integer"), BOTH);
}

#[test]
fn mysql_type_changes() {
    let my = |a, b| retyped(Dialect::MySql, a, b);
    assert_eq!(my("int(11)", "bigint(20)"), SAFE);
    assert_eq!(my("varchar(10)", "varchar(20)"), SAFE);
    assert_eq!(my("decimal(10,2)", "decimal(12,2)"), SAFE);
    assert_eq!(my("varchar(20)", "varchar(10)"), FAILS);
    assert_eq!(my("decimal(10,2)", "int(11)"), LOSS);
    assert_eq!(my("decimal(10,2)", "decimal(10,1)"), LOSS);
    assert_eq!(my("double", "int(11)"), BOTH);
    assert_eq!(my("varchar(20)", "int(11)"), BOTH);
    assert_eq!(my("datetime", "timestamp"), BOTH);
}

#[test]
fn mysql_table_character_set_reaches_inheriting_columns() {
    let table = |charset: &str| {
        let mut t = Table::new("t").with_column(Column::new("c", "varchar(10)"));
        t.options = TableOptions::MySql {
            engine: Some("InnoDB".into()),
            charset: Some(charset.into()),
            collation: None,
            row_format: None,
        };
        t
    };
    let (a, b) = (schema(Dialect::MySql, vec![table("utf8mb4")]), schema(Dialect::MySql, vec![table("latin1")]));
    let plan = plan(&a, &b);
    assert!(
        plan.hazards().any(|h| h.kind == HazardKind::FailsOnExistingRows && h.message.contains("character set")),
        "{:#?}",
        plan.hazards().collect::<Vec<_>>()
    );
    assert!(!has_hazard(&plan, HazardKind::DataLoss));
    let back = super::helpers::plan(&b, &a);
    assert!(!back.hazards().any(|h| h.message.contains("character set")));
}

#[test]
fn sqlite_affinity_changes() {
    let lite = |a, b| retyped(Dialect::Sqlite, a, b);
    assert_eq!(lite("TEXT", "INTEGER"), LOSS);
    assert_eq!(lite("INTEGER", "TEXT"), LOSS);
    assert_eq!(lite("REAL", "INTEGER"), LOSS);
    // Declared lengths are not enforced, and the affinity stays.
    assert_eq!(lite("VARCHAR(20)", "VARCHAR(10)"), SAFE);
    assert_eq!(lite("INT", "BIGINT"), SAFE);
    let strict = |ty: &str| {
        let mut t = Table::new("t").with_column(Column::new("c", ty));
        t.options = TableOptions::Sqlite { strict: true, without_rowid: false, virtual_using: None };
        t
    };
    assert_eq!(verdict(Dialect::Sqlite, strict("TEXT"), strict("BLOB"), |_| {}), FAILS);
    assert_eq!(verdict(Dialect::Sqlite, strict("TEXT"), strict("INTEGER"), |_| {}), BOTH);
    assert_eq!(verdict(Dialect::Sqlite, strict("INTEGER"), strict("ANY"), |_| {}), SAFE);
}
