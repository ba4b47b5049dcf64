//! PostgreSQL types that columns use but that cannot be changed in place:
//! an enum whose labels are removed or reordered (`ALTER TYPE` can only add
//! labels), and a composite type whose attributes change type (`ALTER
//! ATTRIBUTE ... TYPE` is refused while a column uses the type). Such a
//! diff goes through an intermediate schema in which those columns are
//! `text` and everything that would stand in the way is gone: the plan is
//! `from → intermediate` (columns become text; dependent checks, indexes,
//! views, routines, triggers and policies are dropped) followed by
//! `intermediate → to` (the type is changed or recreated, the columns cast
//! back with `USING CAST(... AS type)`, the dependents created again). All in
//! the one transaction, so a value that no longer fits (a removed label)
//! makes the whole apply fail and change nothing.
//!
//! A composite type whose attributes are also added, dropped or reordered
//! is left to the plain path: its text form would not cast back. So is a
//! type that other types build on, or one a generated column reads.

use std::collections::BTreeSet;

use schemasync_model::{
    Column, CompositeAttribute, IndexPart, IndexTarget, ObjectKey, QualifiedName, Schema, TypeKind, UserType,
};

use crate::objects::is_subsequence;
use crate::tokens::identifiers;

/// The intermediate schema, when `from → to` changes a type that columns
/// of kept tables use in a way PostgreSQL cannot apply under them.
pub(crate) fn intermediate(from: &Schema, to: &Schema) -> Option<Schema> {
    let relabelled: Vec<&UserType> = from
        .types
        .values()
        .filter(|old| match (&old.kind, to.types.get(&old.name).map(|t| &t.kind)) {
            (TypeKind::Enum { labels: a }, Some(TypeKind::Enum { labels: b })) => !is_subsequence(a, b),
            (TypeKind::Composite { attributes: a }, Some(TypeKind::Composite { attributes: b })) => {
                let names = |list: &[CompositeAttribute]| list.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
                names(a) == names(b) && a != b
            }
            _ => false,
        })
        .collect();
    if relabelled.is_empty() {
        return None;
    }
    let names: BTreeSet<String> = relabelled.iter().map(|t| t.name.name.to_lowercase()).collect();
    let mentions = |text: &str| identifiers(text).iter().any(|id| names.contains(id));
    let uses = |column: &Column| relabelled.iter().any(|t| refers_to(&column.data_type, &t.name));

    // Other types built on the enum would need the same treatment: not done.
    let blocked_by_types = from.types.values().any(|t| match &t.kind {
        TypeKind::Domain { base_type, .. } => relabelled.iter().any(|e| refers_to(base_type, &e.name)),
        TypeKind::Composite { attributes } => {
            attributes.iter().any(|a| relabelled.iter().any(|e| refers_to(&a.data_type, &e.name)))
        }
        _ => false,
    });
    if blocked_by_types {
        return None;
    }

    let mut mid = from.clone();
    let mut affected: BTreeSet<QualifiedName> = BTreeSet::new();
    for table in mid.tables.values_mut() {
        if !to.tables.contains_key(&table.name) || !table.columns.iter().any(&uses) {
            continue;
        }
        let retyped: BTreeSet<String> =
            table.columns.iter().filter(|c| uses(c)).map(|c| c.name.to_lowercase()).collect();
        let reads_retyped = |text: &str| mentions(text) || identifiers(text).iter().any(|id| retyped.contains(id));
        if table.columns.iter().any(|c| c.generated.as_ref().is_some_and(|g| reads_retyped(&g.expr))) {
            return None;
        }
        affected.insert(table.name.clone());
        for column in table.columns.iter_mut().filter(|c| uses(c)) {
            let arrays = column.data_type.matches("[]").count();
            column.data_type = format!("text{}", "[]".repeat(arrays));
            column.default = None;
        }
        table.checks.retain(|c| !reads_retyped(&c.expr));
        // An exclusion constraint keeps the enum's operators: it goes even
        // when it names a retyped column plainly.
        let part_reads = |part: &IndexPart, plain_too: bool| match &part.target {
            IndexTarget::Expression(expr) => reads_retyped(expr),
            IndexTarget::Column(column) => plain_too && retyped.contains(&column.to_lowercase()),
        };
        table.exclusions.retain(|x| {
            !x.elements.iter().any(|e| part_reads(&e.part, true)) && !x.predicate.as_deref().is_some_and(&reads_retyped)
        });
        table.indexes.retain(|_, index| {
            !index.parts.iter().any(|p| part_reads(p, false)) && !index.predicate.as_deref().is_some_and(&reads_retyped)
        });
        table.policies.retain(|_, p| !p.using.iter().chain(p.with_check.iter()).any(|e| reads_retyped(e)));
    }
    if affected.is_empty() {
        return None;
    }

    // Routines that mention the type (arguments, result, body) go, and
    // with them the triggers that call them.
    let gone_routines: BTreeSet<String> = mid
        .routines
        .values()
        .filter(|r| {
            mentions(&r.signature)
                || mentions(&r.arguments)
                || r.returns.as_deref().is_some_and(&mentions)
                || mentions(&r.definition)
        })
        .map(|r| r.name.name.to_lowercase())
        .collect();
    mid.routines.retain(|_, r| !gone_routines.contains(&r.name.name.to_lowercase()));

    // Views reading affected tables, or other views that go, or the type.
    let mut gone_views: BTreeSet<QualifiedName> = BTreeSet::new();
    loop {
        let before = gone_views.len();
        for view in mid.views.values() {
            if gone_views.contains(&view.name) {
                continue;
            }
            let reads = view.depends_on.iter().any(|key| match key {
                ObjectKey::Table { name } | ObjectKey::View { name } | ObjectKey::MaterializedView { name } => {
                    affected.contains(name) || gone_views.contains(name)
                }
                ObjectKey::Column { table, .. } => affected.contains(table) || gone_views.contains(table),
                _ => false,
            });
            let by_text = identifiers(&view.definition).iter().any(|id| {
                names.contains(id)
                    || gone_routines.contains(id)
                    || affected.iter().chain(gone_views.iter()).any(|n| n.name.to_lowercase() == *id)
            });
            if reads || by_text {
                gone_views.insert(view.name.clone());
            }
        }
        if gone_views.len() == before {
            break;
        }
    }
    mid.views.retain(|name, _| !gone_views.contains(name));
    mid.triggers.retain(|_, t| {
        let texts = std::iter::once(t.body.as_str()).chain(t.when.as_deref());
        !gone_views.contains(&t.table)
            && !texts
                .into_iter()
                .any(|text| identifiers(text).iter().any(|id| names.contains(id) || gone_routines.contains(id)))
    });
    mid.normalize();
    Some(mid)
}

/// Whether a column type as PostgreSQL prints it (`mood`, `app.mood`,
/// `"Mood"[]`) is the type `name`.
pub(crate) fn refers_to(data_type: &str, name: &QualifiedName) -> bool {
    let mut base = data_type.trim();
    while let Some(rest) = base.strip_suffix("[]") {
        base = rest.trim_end();
    }
    let parts = crate::tokens::split_qualified(base);
    match parts.as_slice() {
        [bare] => *bare == name.name,
        [schema, bare] => *bare == name.name && name.schema.as_deref() == Some(schema.as_str()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_references_as_postgres_prints_them() {
        let mood = QualifiedName { schema: Some("public".into()), name: "mood".into() };
        let odd = QualifiedName { schema: Some("App".into()), name: "My \"Mood\"".into() };
        assert!(refers_to("mood", &mood));
        assert!(refers_to("mood[]", &mood));
        assert!(refers_to("public.mood[][]", &mood));
        assert!(!refers_to("moods", &mood));
        assert!(!refers_to("other.mood", &mood));
        assert!(!refers_to("character varying(20)", &mood));
        assert!(refers_to("\"App\".\"My \"\"Mood\"\"\"[]", &odd));
    }
}
