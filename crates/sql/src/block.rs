//! Statements whose bodies contain semicolons that do not end them: SQLite
//! `CREATE TRIGGER ... BEGIN ... END` and PostgreSQL SQL-standard function
//! bodies (`BEGIN ATOMIC ... END`). psql and the sqlite3 shell both count
//! `BEGIN`/`CASE` against `END` in these statements; so does this.

use schemasync_model::Dialect;

const SQLITE_LEADS: &[&[&str]] =
    &[&["CREATE", "TRIGGER"], &["CREATE", "TEMP", "TRIGGER"], &["CREATE", "TEMPORARY", "TRIGGER"]];

const POSTGRES_LEADS: &[&[&str]] = &[
    &["CREATE", "FUNCTION"],
    &["CREATE", "PROCEDURE"],
    &["CREATE", "OR", "REPLACE", "FUNCTION"],
    &["CREATE", "OR", "REPLACE", "PROCEDURE"],
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// Still reading the first words of the statement.
    Leading(Vec<String>),
    Compound {
        depth: usize,
    },
    Plain,
}

/// Tracks one statement's nesting of `BEGIN`/`CASE` ... `END`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BlockTracker {
    leads: &'static [&'static [&'static str]],
    state: State,
    /// Byte offset of the outermost open `BEGIN`/`CASE`, for error messages.
    opened_at: Option<usize>,
}

impl BlockTracker {
    pub(crate) fn new(dialect: Option<Dialect>) -> Self {
        let leads = match dialect {
            Some(Dialect::Sqlite) => SQLITE_LEADS,
            Some(Dialect::Postgres) => POSTGRES_LEADS,
            _ => &[],
        };
        let state = if leads.is_empty() { State::Plain } else { State::Leading(Vec::new()) };
        BlockTracker { leads, state, opened_at: None }
    }

    /// Feed the next significant token of the statement; `word` is its text if
    /// it is a word.
    pub(crate) fn observe(&mut self, word: Option<&str>, offset: usize) {
        match &mut self.state {
            State::Plain => {}
            State::Leading(words) => {
                let Some(word) = word else {
                    self.state = State::Plain;
                    return;
                };
                words.push(word.to_ascii_uppercase());
                let is_prefix =
                    |lead: &&[&str]| lead.len() >= words.len() && lead.iter().zip(words.iter()).all(|(a, b)| a == b);
                if self.leads.iter().any(|lead| is_prefix(lead) && lead.len() == words.len()) {
                    self.state = State::Compound { depth: 0 };
                } else if !self.leads.iter().any(is_prefix) {
                    self.state = State::Plain;
                }
            }
            State::Compound { depth } => {
                let Some(word) = word else { return };
                if word.eq_ignore_ascii_case("BEGIN") || word.eq_ignore_ascii_case("CASE") {
                    if *depth == 0 {
                        self.opened_at = Some(offset);
                    }
                    *depth += 1;
                } else if word.eq_ignore_ascii_case("END") {
                    *depth = depth.saturating_sub(1);
                    if *depth == 0 {
                        self.opened_at = None;
                    }
                }
            }
        }
    }

    /// The byte offset of the unclosed `BEGIN`/`CASE`, if the statement is
    /// inside a body where `;` does not end it.
    pub(crate) fn open_block(&self) -> Option<usize> {
        match self.state {
            State::Compound { depth } if depth > 0 => self.opened_at,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(tracker: &mut BlockTracker, words: &str) {
        for w in words.split_whitespace() {
            tracker.observe(Some(w), 0);
        }
    }

    #[test]
    fn sqlite_trigger_body_is_open_until_end() {
        let mut t = BlockTracker::new(Some(Dialect::Sqlite));
        feed(&mut t, "create temp trigger t after insert on x begin select case when 1 then 2 end");
        assert!(t.open_block().is_some());
        feed(&mut t, "end");
        assert!(t.open_block().is_none());
    }

    #[test]
    fn other_statements_are_plain() {
        let mut t = BlockTracker::new(Some(Dialect::Sqlite));
        feed(&mut t, "create table begin");
        assert!(t.open_block().is_none());
        let mut t = BlockTracker::new(Some(Dialect::MySql));
        feed(&mut t, "create trigger t begin");
        assert!(t.open_block().is_none());
    }
}
