//! Splitting a script that is too large for one transaction into batches.
//!
//! PostgreSQL keeps every lock a transaction takes until it ends, in a lock
//! table of fixed size shared by all sessions (`max_locks_per_transaction`
//! × (`max_connections` + `max_prepared_transactions`) entries). A plan
//! that creates thousands of tables and indexes needs more entries than
//! that and fails with "out of shared memory" whatever is done; run in
//! several transactions it fits.

use std::ops::Range;

use crate::{Hazard, HazardKind, Script};

impl Script {
    /// The relation locks the transactional statements need, summed (an
    /// upper bound: a relation locked twice is counted twice).
    pub fn relations_locked(&self) -> u64 {
        self.statements.iter().filter(|s| s.transactional).map(|s| u64::from(s.relations.max(1))).sum()
    }

    /// Split the transactional statements into consecutive batches of at
    /// most `budget` relation locks each (a single statement over the
    /// budget gets a batch of its own), record where each batch starts in
    /// [`Script::transaction_starts`], and put a [`HazardKind::NotAtomic`]
    /// hazard on the first statement. Returns the number of transactions;
    /// a script that fits (or has nothing transactional) is left as it is
    /// and gives 1 (or 0).
    pub fn split_transactions(&mut self, budget: u64) -> usize {
        self.transaction_starts.clear();
        if let Some(statement) = self.statements.first_mut() {
            statement.hazards.retain(|h| h.kind != HazardKind::NotAtomic);
        }
        let budget = budget.max(1);
        let needed = self.relations_locked();
        let transactional = self.statements.iter().filter(|s| s.transactional).count();
        if transactional == 0 {
            return 0;
        }
        if needed <= budget {
            return 1;
        }
        let mut in_batch = 0u64;
        let mut first = true;
        for (index, statement) in self.statements.iter().enumerate().filter(|(_, s)| s.transactional) {
            let cost = u64::from(statement.relations.max(1));
            if !first && in_batch + cost > budget {
                self.transaction_starts.push(index);
                in_batch = 0;
            }
            first = false;
            in_batch += cost;
        }
        let batches = self.transaction_starts.len() + 1;
        let hazard = Hazard::new(
            HazardKind::NotAtomic,
            format!(
                "the plan locks about {needed} relations, more than the target allows one transaction \
                 ({budget}): it runs in {batches} transactions; if one fails, the earlier ones stay \
                 committed and the next sync continues from there"
            ),
        );
        if let Some(statement) = self.statements.first_mut() {
            statement.hazards.insert(0, hazard);
        }
        batches
    }

    /// The transactional statements grouped by transaction, in order: each
    /// range holds statement indices, some of which may be
    /// non-transactional (they run outside, before or after).
    pub fn transaction_batches(&self) -> Vec<Range<usize>> {
        let Some(first) = self.statements.iter().position(|s| s.transactional) else {
            return Vec::new();
        };
        let last = self.statements.iter().rposition(|s| s.transactional).map_or(first, |i| i + 1);
        let mut starts: Vec<usize> =
            self.transaction_starts.iter().copied().filter(|&i| i > first && i < last).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut batches = Vec::with_capacity(starts.len() + 1);
        let mut begin = first;
        for start in starts {
            batches.push(begin..start);
            begin = start;
        }
        batches.push(begin..last);
        batches
    }
}

#[cfg(test)]
mod tests {
    use crate::{Dialect, HazardKind, Script, Statement};

    fn script(costs: &[(u32, bool)]) -> Script {
        let mut script = Script::new(Dialect::Postgres);
        for (i, &(relations, transactional)) in costs.iter().enumerate() {
            script.statements.push(Statement { relations, transactional, ..Statement::new(format!("s{i}")) });
        }
        script
    }

    #[test]
    fn a_script_that_fits_is_left_as_it_is() {
        let mut s = script(&[(3, true), (4, true)]);
        assert_eq!(s.split_transactions(7), 1);
        assert!(s.transaction_starts.is_empty());
        assert!(s.statements[0].hazards.is_empty());
        assert_eq!(s.transaction_batches(), vec![0..2]);
    }

    #[test]
    fn batches_hold_at_most_the_budget_and_keep_the_order() {
        let mut s = script(&[(3, true), (3, true), (3, true), (0, true), (9, true), (1, true)]);
        assert_eq!(s.split_transactions(6), 4);
        assert_eq!(s.transaction_starts, vec![2, 4, 5]);
        assert_eq!(s.transaction_batches(), vec![0..2, 2..4, 4..5, 5..6]);
        assert_eq!(s.statements[0].hazards[0].kind, HazardKind::NotAtomic);
        assert!(s.statements[0].hazards[0].message.contains("4 transactions"), "{}", s.statements[0].hazards[0]);
    }

    #[test]
    fn statements_outside_the_transaction_do_not_count() {
        // An enum label committed before, a concurrent index after.
        let mut s = script(&[(5, false), (2, true), (2, true), (2, true), (7, false)]);
        assert_eq!(s.relations_locked(), 6);
        assert_eq!(s.split_transactions(4), 2);
        assert_eq!(s.transaction_batches(), vec![1..3, 3..4]);
        let mut none = script(&[(5, false)]);
        assert_eq!(none.split_transactions(1), 0);
        assert!(none.transaction_batches().is_empty());
    }

    #[test]
    fn splitting_again_replaces_the_earlier_split() {
        let mut s = script(&[(2, true), (2, true), (2, true)]);
        s.split_transactions(2);
        assert_eq!(s.split_transactions(100), 1);
        assert!(s.transaction_starts.is_empty());
        assert!(s.statements[0].hazards.is_empty());
    }

    #[test]
    fn batches_survive_json() {
        let mut s = script(&[(2, true), (2, true)]);
        s.split_transactions(2);
        let json = serde_json::to_string(&s).unwrap();
        let back: Script = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.transaction_batches(), vec![0..1, 1..2]);
    }
}
