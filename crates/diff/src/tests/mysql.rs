//! MySQL: column order kept with FIRST / AFTER.

use proptest::prelude::*;

use super::helpers::*;

fn table(columns: &[(&str, &str)]) -> Table {
    let mut t = Table::new("t");
    for (name, ty) in columns {
        t = t.with_column(Column::new(*name, *ty));
    }
    t
}

fn ints(names: &[&str]) -> Table {
    table(&names.iter().map(|n| (*n, "int")).collect::<Vec<_>>())
}

fn ops(plan: &Plan) -> &[TableOp] {
    match plan.changes.as_slice() {
        [only] => match &only.change {
            Change::AlterTable { ops, .. } => ops,
            other => panic!("expected one ALTER TABLE, got {}", other.describe()),
        },
        _ => panic!("expected one ALTER TABLE, got {:#?}", described(plan)),
    }
}

fn moved(column: &str, ty: &str, position: ColumnPosition) -> TableOp {
    TableOp::MoveColumn { column: Column::new(column, ty), position }
}

fn after(column: &str) -> ColumnPosition {
    ColumnPosition::After(column.into())
}

#[test]
fn a_reordered_column_is_moved_and_the_rest_stay() {
    let from = schema(Dialect::MySql, vec![ints(&["a", "b", "c", "d"])]);
    let to = schema(Dialect::MySql, vec![ints(&["d", "a", "b", "c"])]);
    let first = plan(&from, &to);
    assert_eq!(ops(&first), [moved("d", "int", ColumnPosition::First)]);
    converges(&from, &to, &first).unwrap();

    let to = schema(Dialect::MySql, vec![ints(&["a", "c", "b", "d"])]);
    let swap = plan(&from, &to);
    assert_eq!(ops(&swap), [moved("c", "int", after("a"))]);
    converges(&from, &to, &swap).unwrap();
    assert!(plan(&to, &to).is_empty());
}

#[test]
fn a_moved_column_that_also_changes_has_both_operations() {
    let from = schema(Dialect::MySql, vec![table(&[("a", "int"), ("b", "int")])]);
    let to = schema(Dialect::MySql, vec![table(&[("b", "bigint"), ("a", "int")])]);
    let both = plan(&from, &to);
    assert_eq!(
        ops(&both),
        [
            TableOp::AlterColumn { from: Column::new("b", "int"), to: Column::new("b", "bigint") },
            moved("b", "bigint", ColumnPosition::First),
        ]
    );
    // The type change keeps its hazard.
    assert!(has_hazard(&both, HazardKind::TableCopy));
    converges(&from, &to, &both).unwrap();
}

#[test]
fn moves_and_adds_come_in_wanted_order_after_drops_and_renames() {
    let from = schema(Dialect::MySql, vec![ints(&["a", "b", "old", "c", "gone"])]);
    let to = schema(Dialect::MySql, vec![ints(&["c", "new1", "a", "renamed", "b", "new2"])]);
    let options =
        DiffOptions { column_renames: vec![("t".into(), "old".into(), "renamed".into())], ..Default::default() };
    let plan = diff(&from, &to, &options).unwrap();
    assert_eq!(
        ops(&plan),
        [
            TableOp::RenameColumn { from: "old".into(), to: "renamed".into() },
            TableOp::DropColumn(Column::new("gone", "int")),
            moved("c", "int", ColumnPosition::First),
            TableOp::AddColumn { column: Column::new("new1", "int"), position: after("c") },
            moved("renamed", "int", after("a")),
            TableOp::AddColumn { column: Column::new("new2", "int"), position: after("b") },
        ]
    );
    converges(&from, &to, &plan).unwrap();
}

#[test]
fn other_dialects_keep_their_column_order_rules() {
    // PostgreSQL cannot reorder columns: an order-only difference plans nothing.
    let pg = |names: &[&str]| {
        let mut t = Table::new(q("t"));
        for n in names {
            t = t.with_column(Column::new(*n, "integer"));
        }
        schema(Dialect::Postgres, vec![t])
    };
    assert!(plan(&pg(&["a", "b"]), &pg(&["b", "a"])).is_empty());
    let added = plan(&pg(&["a", "b"]), &pg(&["c", "b", "a"]));
    let Change::AlterTable { ops, .. } = &added.changes[0].change else { panic!("{:#?}", described(&added)) };
    assert_eq!(ops, &[TableOp::AddColumn { column: Column::new("c", "integer"), position: ColumnPosition::Last }]);

    // SQLite rebuilds the table.
    let sqlite = |names: &[&str]| schema(Dialect::Sqlite, vec![ints(names)]);
    let rebuilt = plan(&sqlite(&["a", "b"]), &sqlite(&["b", "a"]));
    assert_eq!(described(&rebuilt), ["rebuild table t"]);
}

/// Length of a longest increasing subsequence, the slow and obvious way.
fn lis_length(values: &[usize]) -> usize {
    let mut best = vec![1usize; values.len()];
    for i in 0..values.len() {
        for j in 0..i {
            if values[j] < values[i] {
                best[i] = best[i].max(best[j] + 1);
            }
        }
    }
    best.into_iter().max().unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any reorder with drops and adds converges, and moves as few columns
    /// as the order allows.
    #[test]
    fn any_reorder_converges_with_fewest_moves(
        keys in prop::collection::vec((any::<u16>(), any::<bool>(), any::<bool>()), 1..12),
        added in prop::collection::vec(any::<u16>(), 0..4),
    ) {
        let from_names: Vec<String> = (0..keys.len()).map(|i| format!("c{i}")).collect();
        // Kept columns in an order given by the random keys; added columns
        // slotted in by theirs.
        let mut wanted: Vec<(u16, String)> = keys
            .iter()
            .enumerate()
            .filter(|(_, (_, dropped, _))| !dropped)
            .map(|(i, (key, _, _))| (*key, from_names[i].clone()))
            .collect();
        wanted.extend(added.iter().enumerate().map(|(i, key)| (*key, format!("n{i}"))));
        wanted.sort();
        let mut from_table = Table::new("t");
        for name in &from_names {
            from_table = from_table.with_column(Column::new(name.as_str(), "int"));
        }
        // Some kept columns also change type.
        let mut to_table = Table::new("t");
        for (_, name) in &wanted {
            let index = from_names.iter().position(|n| n == name);
            let retyped = index.is_some_and(|i| keys[i].2);
            to_table = to_table.with_column(Column::new(name.as_str(), if retyped { "bigint" } else { "int" }));
        }
        let from = schema(Dialect::MySql, vec![from_table]);
        let to = schema(Dialect::MySql, vec![to_table]);
        let planned = plan(&from, &to);
        if let Err(e) = converges(&from, &to, &planned) {
            return Err(TestCaseError::fail(format!("{e}\nplan: {:#?}", planned.changes)));
        }
        let positions: Vec<usize> = wanted
            .iter()
            .filter_map(|(_, name)| from_names.iter().position(|n| n == name))
            .collect();
        let moves = planned
            .changes
            .iter()
            .flat_map(|c| match &c.change {
                Change::AlterTable { ops, .. } => ops.clone(),
                _ => Vec::new(),
            })
            .filter(|op| matches!(op, TableOp::MoveColumn { .. }))
            .count();
        prop_assert_eq!(moves, positions.len() - lis_length(&positions));
    }
}

// ---------------------------------------------------------------- triggers

fn before_insert(name: &str, order: Option<u32>, body: &str) -> Trigger {
    let mut t = trigger("t", name, body);
    t.timing = TriggerTiming::Before;
    t.order = order;
    t
}

/// `t` with the given BEFORE INSERT triggers, in firing order (bodies by name
/// unless given as `name=body`).
fn with_triggers(names: &[&str]) -> Schema {
    let mut s = schema(Dialect::MySql, vec![ints(&["a"])]);
    let many = names.len() > 1;
    for (i, spec) in names.iter().enumerate() {
        let (name, body) = spec.split_once('=').unwrap_or((spec, spec));
        let order = many.then(|| u32::try_from(i + 1).unwrap());
        s.add_trigger(before_insert(name, order, &format!("SET @{body} = 1"))).unwrap();
    }
    s
}

/// The trigger changes of a plan: `drop x`, `create x`, `create x precedes y`,
/// `create x follows y` (as the emitter would write them).
fn trigger_steps(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .filter_map(|c| match &c.change {
            Change::DropTrigger(t) => Some(format!("drop {}", t.name)),
            Change::CreateTrigger(t) => {
                let neighbour = t.depends_on.iter().find_map(|k| match k {
                    ObjectKey::Trigger { name, .. } => Some(name.clone()),
                    _ => None,
                });
                Some(match neighbour {
                    Some(n) if t.order == Some(1) => format!("create {} precedes {n}", t.name),
                    Some(n) => format!("create {} follows {n}", t.name),
                    None => format!("create {}", t.name),
                })
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_new_trigger_is_placed_without_touching_the_others() {
    let steps = trigger_steps(&plan(&with_triggers(&["a", "c"]), &with_triggers(&["a", "b", "c"])));
    assert_eq!(steps, ["create b follows a"]);
    let steps = trigger_steps(&plan(&with_triggers(&["a"]), &with_triggers(&["n", "a"])));
    assert_eq!(steps, ["create n precedes a"]);
    let steps = trigger_steps(&plan(&with_triggers(&["a", "b", "c"]), &with_triggers(&["a", "c"])));
    assert_eq!(steps, ["drop b"]);
    // Renumbering alone is no change.
    assert!(plan(&with_triggers(&["a", "b"]), &with_triggers(&["a", "b"])).is_empty());
}

#[test]
fn only_triggers_out_of_order_are_recreated() {
    let steps = trigger_steps(&plan(&with_triggers(&["a", "b", "c"]), &with_triggers(&["b", "a", "c"])));
    assert_eq!(steps, ["drop b", "create b precedes a"]);
    let steps = trigger_steps(&plan(&with_triggers(&["a", "b", "c", "d"]), &with_triggers(&["d", "c", "b", "a"])));
    assert_eq!(steps.len(), 6, "three of four move: {steps:?}");
    // A changed trigger is recreated in its place.
    let steps = trigger_steps(&plan(&with_triggers(&["a", "b", "c"]), &with_triggers(&["a", "b=new", "c"])));
    assert_eq!(steps, ["drop b", "create b follows a"]);
}

/// Firing order per BEFORE INSERT group after running a plan's trigger
/// changes the way MySQL does: a new trigger goes last unless placed.
fn fire_order(from: &Schema, plan: &Plan) -> Result<Vec<String>, String> {
    let mut order: Vec<String> = {
        let mut current: Vec<&Trigger> = from.triggers.values().collect();
        current.sort_by_key(|t| (t.order, t.name.clone()));
        current.iter().map(|t| t.name.clone()).collect()
    };
    for step in trigger_steps(plan) {
        let words: Vec<&str> = step.split(' ').collect();
        match words.as_slice() {
            ["drop", name] => order.retain(|n| n != name),
            ["create", name] => order.push((*name).to_owned()),
            ["create", name, how, neighbour] => {
                let at = order.iter().position(|n| n == neighbour).ok_or(format!("{step}: no {neighbour} yet"))?;
                order.insert(if *how == "precedes" { at } else { at + 1 }, (*name).to_owned());
            }
            _ => return Err(format!("unreadable step {step}")),
        }
    }
    Ok(order)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any reorder, with new, dropped and changed triggers, fires in the
    /// wanted order after the plan, and recreates as few as possible.
    #[test]
    fn trigger_order_converges(
        keys in prop::collection::vec((any::<u16>(), any::<bool>(), prop::bool::weighted(0.2)), 0..8),
        added in prop::collection::vec(any::<u16>(), 0..3),
    ) {
        let old_names: Vec<String> = (0..keys.len()).map(|i| format!("t{i}")).collect();
        let mut wanted: Vec<(u16, String)> = keys
            .iter()
            .enumerate()
            .filter(|(_, (_, dropped, _))| !dropped)
            .map(|(i, (key, _, changed))| (*key, if *changed { format!("t{i}=x{i}") } else { old_names[i].clone() }))
            .collect();
        wanted.extend(added.iter().enumerate().map(|(i, key)| (*key, format!("n{i}"))));
        wanted.sort();
        let from = with_triggers(&old_names.iter().map(String::as_str).collect::<Vec<_>>());
        let to = with_triggers(&wanted.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>());
        let planned = plan(&from, &to);
        let got = fire_order(&from, &planned).map_err(TestCaseError::fail)?;
        let want: Vec<String> =
            wanted.iter().map(|(_, s)| s.split_once('=').map_or(s.as_str(), |(n, _)| n).to_owned()).collect();
        prop_assert_eq!(&got, &want, "steps {:?}", trigger_steps(&planned));
        // Unchanged triggers already in a right relative order stay.
        let kept: Vec<usize> = wanted
            .iter()
            .filter(|(_, s)| !s.contains('='))
            .filter_map(|(_, s)| old_names.iter().position(|n| n == s))
            .collect();
        let recreated = trigger_steps(&planned).iter().filter(|s| s.starts_with("drop ")).count();
        let dropped_for_good = keys.iter().filter(|(_, dropped, _)| *dropped).count();
        let changed = wanted.iter().filter(|(_, s)| s.contains('=')).count();
        prop_assert_eq!(recreated, dropped_for_good + changed + kept.len() - lis_length(&kept));
    }
}

#[test]
fn a_virtual_column_becoming_regular_is_dropped_and_added_a_stored_one_is_altered() {
    let from = schema(
        Dialect::MySql,
        vec![
            ints(&["id"])
                .with_column(Column::new("v", "int").generated_as("id + 1", false))
                .with_column(Column::new("s", "int").generated_as("id * 2", true)),
        ],
    );
    let to = schema(Dialect::MySql, vec![ints(&["id", "v", "s"])]);
    let p = plan(&from, &to);
    let ops: Vec<&TableOp> = p
        .changes
        .iter()
        .flat_map(|c| match &c.change {
            Change::AlterTable { ops, .. } => ops.iter(),
            _ => [].iter(),
        })
        .collect();
    assert!(matches!(ops.first(), Some(TableOp::DropColumn(c)) if c.name == "v"), "{ops:#?}");
    assert!(ops.iter().any(|op| matches!(op, TableOp::AddColumn { column, .. } if column.name == "v")), "{ops:#?}");
    assert!(ops.iter().any(|op| matches!(op, TableOp::AlterColumn { to, .. } if to.name == "s")), "{ops:#?}");
    let data_loss: Vec<&str> =
        p.hazards().filter(|h| h.kind == HazardKind::DataLoss).map(|h| h.message.as_str()).collect();
    assert_eq!(data_loss.len(), 1, "{data_loss:?}");
    assert!(data_loss[0].contains("t.v") && data_loss[0].contains("VIRTUAL"), "{data_loss:?}");
    converges(&from, &to, &p).unwrap();
}
