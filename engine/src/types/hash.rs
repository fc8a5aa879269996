//! A hash: fields and their values.

/// A hash: fields and their values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hash {}

impl Hash {
    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
