//! The walker, field by field: a schema of every object kind passes as it
//! is, and a hostile text put in any one field is refused naming that field.

use schemasync_model::Schema;

use super::schema_problems;

/// One text field of a template: its marker, a value that passes, the path
/// a problem in it is reported at, and the hostile text to try (the
/// default breaks out of any clause).
struct Field {
    id: &'static str,
    valid: &'static str,
    path: &'static str,
    hostile: Option<&'static str>,
}

const BREAKOUT: &str = "integer); DROP TABLE victim; CREATE TABLE zz (id integer";
const NUL: &str = "a\u{0}b";

const fn f(id: &'static str, valid: &'static str, path: &'static str) -> Field {
    Field { id, valid, path, hostile: None }
}

const fn h(id: &'static str, valid: &'static str, path: &'static str, hostile: &'static str) -> Field {
    Field { id, valid, path, hostile: Some(hostile) }
}

fn escape_json(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn fill(template: &str, fields: &[Field], hostile: Option<(&str, &str)>) -> Schema {
    let mut json = template.to_owned();
    for field in fields {
        let value = match hostile {
            Some((id, text)) if id == field.id => text,
            _ => field.valid,
        };
        json = json.replace(&format!("⟦{}⟧", field.id), &escape_json(value));
    }
    assert!(!json.contains('⟦'), "a marker has no field: {json}");
    Schema::from_json(&json).unwrap_or_else(|e| panic!("template does not parse: {e}\n{json}"))
}

fn every_field_is_checked(template: &str, fields: &[Field]) {
    let base = fill(template, fields, None);
    assert_eq!(schema_problems(&base), [], "the valid schema is refused");
    for field in fields {
        let hostile = field.hostile.unwrap_or(BREAKOUT);
        let schema = fill(template, fields, Some((field.id, hostile)));
        let problems = schema_problems(&schema);
        assert!(
            problems.iter().any(|p| p.path == field.path),
            "{}: {hostile:?} was not refused at {}; problems: {problems:?}",
            field.id,
            field.path
        );
    }
}

const POSTGRES: &str = r#"{"dialect":"postgres",
 "namespaces":[{"name":"app","comment":"⟦ns_comment⟧"}],
 "types":[
  {"name":{"schema":"app","name":"comp"},"kind":{"type":"composite","attributes":[{"name":"a","data_type":"⟦attr_type⟧","collation":"⟦attr_coll⟧"}]}},
  {"name":{"schema":"app","name":"dom"},"kind":{"type":"domain","base_type":"⟦dom_base⟧","not_null":true,"default":"⟦dom_default⟧","checks":[{"name":"d","expr":"⟦dom_check⟧"}]}},
  {"name":{"schema":"app","name":"mood"},"kind":{"type":"enum","labels":["⟦label⟧"]}},
  {"name":{"schema":"app","name":"rng"},"kind":{"type":"range","subtype":"⟦rng_sub⟧","subtype_opclass":"⟦rng_opc⟧","canonical":"⟦rng_canon⟧","subtype_diff":"⟦rng_diff⟧","multirange":"⟦rng_multi⟧"}}],
 "sequences":[{"name":{"schema":"app","name":"s"},"options":{"data_type":"⟦seq_type⟧"}}],
 "tables":[
  {"name":{"schema":"app","name":"p"},"columns":[{"name":"id","data_type":"integer","nullable":false}],"partitioning":{"strategy":"range","key":["⟦part_key⟧"]}},
  {"name":{"schema":"app","name":"p1"},"columns":[],"partition_of":{"parent":{"schema":"app","name":"p"},"bound":"⟦part_bound⟧"}},
  {"name":{"schema":"app","name":"t"},"columns":[
     {"name":"id","data_type":"⟦col_type⟧","nullable":false,"default":"⟦col_default⟧","collation":"⟦col_coll⟧"},
     {"name":"g","data_type":"integer","nullable":true,"generated":{"expr":"⟦col_gen⟧","stored":true}},
     {"name":"i","data_type":"bigint","nullable":false,"identity":{"always":true,"sequence":{"data_type":"⟦ident_type⟧"}}}],
   "checks":[{"name":"c","expr":"⟦check⟧"}],
   "exclusions":[{"name":"x","method":"⟦excl_method⟧","elements":[{"part":{"target":{"expression":"⟦excl_expr⟧"},"opclass":"⟦excl_opc⟧"},"operator":"⟦excl_op⟧"}],"predicate":"⟦excl_pred⟧"}],
   "indexes":[{"name":"ix","method":"⟦ix_method⟧","parts":[{"target":{"expression":"⟦ix_expr⟧"},"collation":"⟦ix_coll⟧","opclass":"⟦ix_opc⟧"}],"predicate":"⟦ix_pred⟧","options":["⟦ix_opt⟧"]}],
   "options":{"dialect":"postgres","storage":["⟦storage⟧"]},
   "policies":[{"name":"pol","permissive":true,"command":"all","using":"⟦pol_using⟧","with_check":"⟦pol_check⟧"}],
   "comment":"⟦table_comment⟧"}],
 "views":[{"name":{"schema":"app","name":"v"},"definition":"⟦view_def⟧","options":["⟦view_opt⟧"]}],
 "routines":[{"kind":"function","name":{"schema":"app","name":"f"},"signature":"⟦sig⟧","arguments":"x integer","definition":"⟦routine_def⟧"}],
 "triggers":[{"table":{"schema":"app","name":"t"},"name":"tr","timing":"before","events":["insert"],"for_each_row":true,"when":"⟦trg_when⟧","body":"⟦trg_body⟧"}],
 "rules":[{"table":{"schema":"app","name":"t"},"name":"r","definition":"⟦rule_def⟧"}],
 "statistics":[{"name":{"schema":"app","name":"st"},"table":{"schema":"app","name":"t"},"definition":"⟦stats_def⟧"}]
}"#;

const POSTGRES_FIELDS: &[Field] = &[
    h("ns_comment", "it's", r#"namespaces["app"].comment"#, NUL),
    f("attr_type", "character varying(10)", r#"types["app"."comp"].kind.attributes["a"].data_type"#),
    h(
        "attr_coll",
        "\"app\".\"c\"",
        r#"types["app"."comp"].kind.attributes["a"].collation"#,
        "\"C\"); DROP TABLE victim; --",
    ),
    f("dom_base", "numeric(10,2)", r#"types["app"."dom"].kind.base_type"#),
    f("dom_default", "0", r#"types["app"."dom"].kind.default"#),
    f("dom_check", "VALUE > 0", r#"types["app"."dom"].kind.checks["d"].expr"#),
    h("label", "h\\appy", r#"types["app"."mood"].kind.labels[0]"#, NUL),
    f("rng_sub", "integer", r#"types["app"."rng"].kind.subtype"#),
    f("rng_opc", "int4_ops", r#"types["app"."rng"].kind.subtype_opclass"#),
    f("rng_canon", "app.canon", r#"types["app"."rng"].kind.canonical"#),
    f("rng_diff", "\"app\".\"diff\"", r#"types["app"."rng"].kind.subtype_diff"#),
    f("rng_multi", "app.rngs", r#"types["app"."rng"].kind.multirange"#),
    f("seq_type", "bigint", r#"sequences["app"."s"].options.data_type"#),
    f("part_key", "id", r#"tables["app"."p"].partitioning.key[0]"#),
    f("part_bound", "FOR VALUES FROM (MINVALUE) TO (10)", r#"tables["app"."p1"].partition_of.bound"#),
    f("col_type", "timestamp(3) with time zone", r#"tables["app"."t"].columns["id"].data_type"#),
    f("col_default", "(now() + '1 day'::interval)", r#"tables["app"."t"].columns["id"].default"#),
    h("col_coll", "\"app\".\"c\"", r#"tables["app"."t"].columns["id"].collation"#, "\"C\" ; DROP TABLE victim; --"),
    f("col_gen", "(g * 2)", r#"tables["app"."t"].columns["g"].generated.expr"#),
    f("ident_type", "bigint", r#"tables["app"."t"].columns["i"].identity.sequence.data_type"#),
    f("check", "g > 0", r#"tables["app"."t"].checks["c"].expr"#),
    f("excl_method", "gist", r#"tables["app"."t"].exclusions["x"].method"#),
    f("excl_expr", "box(g, g)", r#"tables["app"."t"].exclusions["x"].elements[0].part.target.expression"#),
    f("excl_opc", "public.gist_trgm_ops(siglen=32)", r#"tables["app"."t"].exclusions["x"].elements[0].part.opclass"#),
    f("excl_op", "&&", r#"tables["app"."t"].exclusions["x"].elements[0].operator"#),
    f("excl_pred", "g > 1", r#"tables["app"."t"].exclusions["x"].predicate"#),
    f("ix_method", "btree", r#"tables["app"."t"].indexes["ix"].method"#),
    f("ix_expr", "lower((id)::text)", r#"tables["app"."t"].indexes["ix"].parts[0].target.expression"#),
    h("ix_coll", "C", r#"tables["app"."t"].indexes["ix"].parts[0].collation"#, NUL),
    f("ix_opc", "text_pattern_ops", r#"tables["app"."t"].indexes["ix"].parts[0].opclass"#),
    f("ix_pred", "g IS NOT NULL", r#"tables["app"."t"].indexes["ix"].predicate"#),
    f("ix_opt", "fillfactor=70", r#"tables["app"."t"].indexes["ix"].options[0]"#),
    h("storage", "fillfactor=70", r#"tables["app"."t"].options.storage[0]"#, "fillfactor=70); DROP TABLE victim; --"),
    f("pol_using", "(g > 0)", r#"tables["app"."t"].policies["pol"].using"#),
    f("pol_check", "true", r#"tables["app"."t"].policies["pol"].with_check"#),
    h("table_comment", "t\ttab", r#"tables["app"."t"].comment"#, NUL),
    h("view_def", " SELECT t.id\n   FROM app.t;", r#"views["app"."v"].definition"#, "SELECT 1; DROP TABLE victim"),
    f("view_opt", "security_barrier=true", r#"views["app"."v"].options[0]"#),
    h("sig", "x integer", r#"routines["app"."f"(integer)--)].signature"#, "integer)--"),
    h(
        "routine_def",
        "CREATE OR REPLACE FUNCTION app.f(x integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT x; SELECT 1$function$\n",
        r#"routines["app"."f"(x integer)].definition"#,
        "CREATE FUNCTION app.f(x integer) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; DROP TABLE victim",
    ),
    f("trg_when", "(new.g > 0)", r#"triggers["app"."t"]["tr"].when"#),
    h(
        "trg_body",
        "EXECUTE FUNCTION app.f()",
        r#"triggers["app"."t"]["tr"].body"#,
        "EXECUTE FUNCTION app.f(); DROP TABLE victim",
    ),
    h(
        "rule_def",
        "CREATE RULE r AS\n    ON INSERT TO app.t DO INSTEAD ( INSERT INTO app.p (id) VALUES (1);\n INSERT INTO app.p (id) VALUES (2);\n);",
        r#"rules["app"."t"]["r"].definition"#,
        "CREATE RULE r AS ON INSERT TO app.t DO NOTHING; DROP TABLE victim",
    ),
    h(
        "stats_def",
        "CREATE STATISTICS app.st (ndistinct) ON g, i FROM app.t",
        r#"statistics["app"."st"].definition"#,
        "CREATE STATISTICS app.st ON g, i FROM app.t; DROP TABLE victim",
    ),
];

#[test]
fn postgres_every_field() {
    every_field_is_checked(POSTGRES, POSTGRES_FIELDS);
}

const MYSQL: &str = r#"{"dialect":"mysql",
 "tables":[
  {"name":{"name":"t"},"columns":[
     {"name":"id","data_type":"⟦col_type⟧","nullable":false,"default":"⟦col_default⟧","on_update":"⟦col_on_update⟧","charset":"⟦col_charset⟧"},
     {"name":"g","data_type":"int(11)","nullable":true,"generated":{"expr":"⟦col_gen⟧","stored":false}}],
   "checks":[{"name":"c","expr":"⟦check⟧"}],
   "indexes":[{"name":"ix","method":"⟦ix_method⟧","parts":[{"target":{"expression":"⟦ix_expr⟧"}}]}],
   "options":{"dialect":"mysql","engine":"⟦engine⟧","collation":"⟦tab_coll⟧","row_format":"⟦row_format⟧"},
   "partitioning":{"strategy":"range","key":["⟦part_key⟧"],"partitions":[{"name":"p0","bound":"⟦part_bound⟧"}]}}],
 "views":[{"name":{"name":"v"},"definition":"⟦view_def⟧","mysql":{"algorithm":"⟦view_alg⟧","security":"DEFINER","definer":"⟦definer⟧"}}],
 "routines":[{"kind":"procedure","name":{"name":"p"},"signature":"","arguments":"","definition":"⟦routine_def⟧"}],
 "triggers":[{"table":{"name":"t"},"name":"tr","timing":"before","events":["insert"],"for_each_row":true,"body":"⟦trg_body⟧"}],
 "events":[{"name":{"name":"ev"},"schedule":"⟦schedule⟧","enabled":true,"body":"⟦event_body⟧"}]
}"#;

const MYSQL_FIELDS: &[Field] = &[
    f("col_type", "enum('a','b''c')", r#"tables["t"].columns["id"].data_type"#),
    f("col_default", "current_timestamp(6)", r#"tables["t"].columns["id"].default"#),
    f("col_on_update", "current_timestamp(6)", r#"tables["t"].columns["id"].on_update"#),
    f("col_charset", "utf8mb4", r#"tables["t"].columns["id"].charset"#),
    f("col_gen", "json_array()", r#"tables["t"].columns["g"].generated.expr"#),
    f("check", "`g` > 0", r#"tables["t"].checks["c"].expr"#),
    f("ix_method", "BTREE", r#"tables["t"].indexes["ix"].method"#),
    f("ix_expr", "lower(`id`)", r#"tables["t"].indexes["ix"].parts[0].target.expression"#),
    f("row_format", "DYNAMIC", r#"tables["t"].options.row_format"#),
    f("engine", "InnoDB", r#"tables["t"].options.engine"#),
    f("tab_coll", "utf8mb4_0900_ai_ci", r#"tables["t"].options.collation"#),
    f("part_key", "`g`", r#"tables["t"].partitioning.key[0]"#),
    f("part_bound", "VALUES LESS THAN (10)", r#"tables["t"].partitioning.partitions["p0"].bound"#),
    h("view_def", "select `t`.`id` AS `id` from `t`", r#"views["v"].definition"#, "select 1; DROP TABLE victim"),
    f("view_alg", "MERGE", r#"views["v"].mysql.algorithm"#),
    f("definer", "`root`@`localhost`", r#"views["v"].mysql.definer"#),
    h(
        "routine_def",
        "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nBEGIN\n  IF 1 THEN SELECT 'a;'; END IF;\nEND",
        r#"routines["p"()].definition"#,
        "CREATE PROCEDURE `p`() BEGIN SELECT 1; END; DROP TABLE victim",
    ),
    h("trg_body", "BEGIN SET NEW.g = 1; END", r#"triggers["t"]["tr"].body"#, "SET NEW.g = 1; DROP TABLE victim"),
    h("schedule", "EVERY 1 DAY", r#"events["ev"].schedule"#, "EVERY 1 DAY DO DROP TABLE victim; --"),
    h("event_body", "DELETE FROM t", r#"events["ev"].body"#, "DELETE FROM t; DROP TABLE victim"),
];

#[test]
fn mysql_every_field() {
    every_field_is_checked(MYSQL, MYSQL_FIELDS);
}

const SQLITE: &str = r#"{"dialect":"sqlite",
 "tables":[
  {"name":{"name":"t"},"columns":[
     {"name":"id","data_type":"⟦col_type⟧","nullable":false,"default":"⟦col_default⟧","collation":"⟦col_coll⟧"},
     {"name":"g","data_type":"INTEGER","nullable":true,"generated":{"expr":"⟦col_gen⟧","stored":false}}],
   "checks":[{"expr":"⟦check⟧"}],
   "indexes":[{"name":"ix","parts":[{"target":{"expression":"⟦ix_expr⟧"}}],"predicate":"⟦ix_pred⟧"}]},
  {"name":{"name":"ft"},"columns":[],"options":{"dialect":"sqlite","virtual_using":"⟦module⟧"}}],
 "views":[{"name":{"name":"v"},"definition":"⟦view_def⟧"}],
 "triggers":[{"table":{"name":"t"},"name":"tr","timing":"after","events":["insert"],"for_each_row":true,"when":"⟦trg_when⟧","body":"⟦trg_body⟧"}]
}"#;

const SQLITE_FIELDS: &[Field] = &[
    f("col_type", "VARCHAR(255)", r#"tables["t"].columns["id"].data_type"#),
    f("col_default", "datetime('now')", r#"tables["t"].columns["id"].default"#),
    f("col_coll", "NOCASE", r#"tables["t"].columns["id"].collation"#),
    f("col_gen", "g * 2", r#"tables["t"].columns["g"].generated.expr"#),
    f("check", "g > 0", r#"tables["t"].checks[0].expr"#),
    f("ix_expr", "lower(id)", r#"tables["t"].indexes["ix"].parts[0].target.expression"#),
    f("ix_pred", "g IS NOT NULL", r#"tables["t"].indexes["ix"].predicate"#),
    f("module", "fts5(a, b, tokenize = 'porter')", r#"tables["ft"].options.virtual_using"#),
    h("view_def", "SELECT id FROM t", r#"views["v"].definition"#, "SELECT 1; DROP TABLE victim"),
    f("trg_when", "new.g > 0", r#"triggers["t"]["tr"].when"#),
    h(
        "trg_body",
        "BEGIN SELECT RAISE(ABORT, 'no;'); END",
        r#"triggers["t"]["tr"].body"#,
        "BEGIN SELECT 1; END; DROP TABLE victim; CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END",
    ),
];

#[test]
fn sqlite_every_field() {
    every_field_is_checked(SQLITE, SQLITE_FIELDS);
}

#[test]
fn shape_problems_name_the_field() {
    let json = r#"{"dialect":"sqlite","tables":[
      {"name":{"name":"t"},"columns":[{"name":"a","data_type":"int","nullable":true},{"name":"A","data_type":"int","nullable":true}],
       "primary_key":{"columns":["nope"]},
       "indexes":[{"name":"i","parts":[{"target":{"column":"gone"}}]}],
       "foreign_keys":[{"columns":["a"],"ref_table":{"name":"u"},"ref_columns":["missing"]}]},
      {"name":{"name":"u"},"columns":[{"name":"id","data_type":"int","nullable":true}]}]}"#;
    let problems = schema_problems(&Schema::from_json(json).unwrap());
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            r#"tables["t"].columns["A"]"#,
            r#"tables["t"].primary_key.columns[0]"#,
            r#"tables["t"].indexes["i"].parts[0].target.column"#,
            r#"tables["t"].foreign_keys[0].ref_columns[0]"#,
        ],
        "{problems:?}"
    );
    let pg = r#"{"dialect":"postgres","tables":[{"name":{"schema":"s","name":"t"},
      "columns":[{"name":"a","data_type":"int","nullable":true}],
      "uniques":[{"name":"k","columns":["a"]}],"checks":[{"name":"k","expr":"a > 0"}],
      "partitioning":{"strategy":"range","key":["b"]}}]}"#;
    let problems = schema_problems(&Schema::from_json(pg).unwrap());
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [r#"tables["s"."t"].partitioning.key[0]"#, r#"tables["s"."t"].checks["k"].name"#],
        "{problems:?}"
    );
}

#[test]
fn the_error_names_the_first_field() {
    let json = r#"{"dialect":"sqlite","tables":[{"name":{"name":"t"},"columns":[
      {"name":"id","data_type":"integer); DROP TABLE victim; CREATE TABLE zz (id integer","nullable":true}]}]}"#;
    let err = super::validate_schema(&Schema::from_json(json).unwrap()).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with(r#"invalid schema: tables["t"].columns["id"].data_type: "#), "{text}");
}
