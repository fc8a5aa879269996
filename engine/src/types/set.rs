//! A set of distinct members.

/// A set of distinct members.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Set {}

impl Set {
    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
