//! Matching constraints between two versions of a table. Named constraints
//! match by name (a changed definition is a drop + add); unnamed ones, which
//! only SQLite has, match by their whole definition.

/// The constraints of `from` that go away and those of `to` that are new.
pub(crate) fn changed<T, F>(from: &[T], to: &[T], name: F) -> (Vec<T>, Vec<T>)
where
    T: Clone + PartialEq,
    F: Fn(&T) -> Option<&str>,
{
    let mut used = vec![false; to.len()];
    let mut removed = Vec::new();
    for old in from {
        let kept = match name(old) {
            Some(n) => to.iter().find(|t| name(t) == Some(n)).is_some_and(|t| t == old),
            None => {
                let slot = to.iter().zip(used.iter()).position(|(t, u)| !*u && name(t).is_none() && t == old);
                if let Some(flag) = slot.and_then(|i| used.get_mut(i)) {
                    *flag = true;
                }
                slot.is_some()
            }
        };
        if !kept {
            removed.push(old.clone());
        }
    }
    let added = to
        .iter()
        .zip(used.iter())
        .filter(|(new, used)| match name(new) {
            Some(n) => !from.iter().find(|f| name(f) == Some(n)).is_some_and(|f| f == *new),
            None => !**used,
        })
        .map(|(new, _)| new.clone())
        .collect();
    (removed, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct C(Option<&'static str>, &'static str);

    fn name(c: &C) -> Option<&str> {
        c.0
    }

    #[test]
    fn named_by_name_unnamed_by_value() {
        let from = vec![C(Some("a"), "x"), C(Some("b"), "y"), C(None, "z"), C(None, "z"), C(None, "w")];
        let to = vec![C(Some("a"), "x"), C(Some("b"), "y2"), C(None, "z"), C(None, "v")];
        let (removed, added) = changed(&from, &to, name);
        assert_eq!(removed, vec![C(Some("b"), "y"), C(None, "z"), C(None, "w")]);
        assert_eq!(added, vec![C(Some("b"), "y2"), C(None, "v")]);
    }
}
