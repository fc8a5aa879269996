//! The console's command history and the Up/Down walk through it, as a
//! shell does: Up from the draft keeps the draft, Down past the newest
//! entry gives it back.

/// How many commands the history keeps.
pub const MAX_ENTRIES: usize = 500;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// Which entry Up/Down shows; `None` while editing the draft.
    cursor: Option<usize>,
    /// What was being typed before walking into the history.
    draft: String,
}

impl History {
    pub fn from_entries(mut entries: Vec<String>) -> History {
        if entries.len() > MAX_ENTRIES {
            entries.drain(..entries.len() - MAX_ENTRIES);
        }
        History {
            entries,
            ..History::default()
        }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Records a submitted line (not blank, not a repeat of the last one)
    /// and returns to the draft.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.entries.last().is_some_and(|l| l == line) {
            return;
        }
        if self.entries.len() == MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(line.to_string());
    }

    /// The older entry to show, given what the input holds now; `None` when
    /// there is nothing older.
    pub fn up(&mut self, current: &str) -> Option<String> {
        let next = match self.cursor {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.cursor = Some(next);
        Some(self.entries[next].clone())
    }

    /// The newer entry to show, or the draft after the newest; `None` when
    /// already at the draft.
    pub fn down(&mut self) -> Option<String> {
        let i = self.cursor?;
        if i + 1 < self.entries.len() {
            self.cursor = Some(i + 1);
            Some(self.entries[i + 1].clone())
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_walk_and_keep_the_draft() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        h.push("SET a 1");
        h.push("GET a");
        assert_eq!(h.up("GE"), Some("GET a".into()));
        assert_eq!(h.up("GET a"), Some("SET a 1".into()));
        assert_eq!(h.up("SET a 1"), None, "stops at the oldest");
        assert_eq!(h.down(), Some("GET a".into()));
        assert_eq!(h.down(), Some("GE".into()), "the draft comes back");
        assert_eq!(h.down(), None);
    }

    #[test]
    fn blanks_and_repeats_are_not_recorded() {
        let mut h = History::default();
        h.push("PING");
        h.push("PING");
        h.push("   ");
        assert_eq!(h.entries(), ["PING"]);
    }

    #[test]
    fn the_oldest_entries_go_first() {
        let mut h = History::from_entries((0..MAX_ENTRIES + 3).map(|i| i.to_string()).collect());
        assert_eq!(h.entries().len(), MAX_ENTRIES);
        assert_eq!(h.entries()[0], "3");
        h.push("new");
        assert_eq!(h.entries()[0], "4");
        assert_eq!(h.entries().last().unwrap(), "new");
    }
}
