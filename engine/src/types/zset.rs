//! A sorted set: members ordered by score, then by member.

/// A sorted set: members ordered by score, then by member.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZSet {}

impl ZSet {
    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What OBJECT ENCODING answers (a placeholder until the sorted set
    /// lands; replaced at merge).
    pub fn encoding(&self) -> &'static str {
        "listpack"
    }
}
