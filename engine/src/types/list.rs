//! A list: O(1) at both ends (a `VecDeque`, where Redis 7.0 keeps a
//! quicklist: a linked list of listpacks).

use std::collections::VecDeque;

/// One end of a list: Redis's `LIST_HEAD` (LEFT) and `LIST_TAIL` (RIGHT).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

/// A list of byte strings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct List {
    items: VecDeque<Vec<u8>>,
}

impl List {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// What OBJECT ENCODING answers: Redis 7.0 keeps every list, however
    /// small, in a quicklist (listpack lists came with 7.2).
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Adds one element at `end`, in O(1).
    pub fn push(&mut self, end: End, value: Vec<u8>) {
        match end {
            End::Left => self.items.push_front(value),
            End::Right => self.items.push_back(value),
        }
    }

    /// Takes one element from `end`, in O(1).
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        match end {
            End::Left => self.items.pop_front(),
            End::Right => self.items.pop_back(),
        }
    }

    /// Takes up to `count` elements from `end`, in the order they leave
    /// it (so from the right, the last element first).
    pub fn pop_many(&mut self, end: End, count: usize) -> Vec<Vec<u8>> {
        let n = count.min(self.items.len());
        match end {
            End::Left => self.items.drain(..n).collect(),
            End::Right => {
                let start = self.items.len() - n;
                self.items.drain(start..).rev().collect()
            }
        }
    }

    /// The element at `index` (0 is the leftmost).
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        self.items.get(index).map(Vec::as_slice)
    }

    /// Replaces the element at `index`; false if there is none.
    pub fn set(&mut self, index: usize, value: Vec<u8>) -> bool {
        match self.items.get_mut(index) {
            Some(item) => {
                *item = value;
                true
            }
            None => false,
        }
    }

    /// The elements from `start` to `end` inclusive (both within the list).
    pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &[u8]> {
        self.items.range(start..=end).map(Vec::as_slice)
    }

    /// The index of the first element equal to `value`, from the left.
    pub fn find(&self, value: &[u8]) -> Option<usize> {
        self.items.iter().position(|item| item == value)
    }

    /// Inserts `value` so that it ends up at `index` (at most the length).
    pub fn insert(&mut self, index: usize, value: Vec<u8>) {
        self.items.insert(index, value);
    }

    /// Removes up to `limit` elements equal to `value` (all of them with
    /// `None`), scanning from `from` end; answers how many went. O(N).
    pub fn remove(&mut self, value: &[u8], limit: Option<u64>, from: End) -> u64 {
        let mut removed = 0u64;
        let mut take = |item: &Vec<u8>| {
            let hit = item == value && limit.is_none_or(|l| removed < l);
            removed += u64::from(hit);
            hit
        };
        let mut kept = VecDeque::with_capacity(self.items.len());
        match from {
            End::Left => {
                for item in self.items.drain(..) {
                    if !take(&item) {
                        kept.push_back(item);
                    }
                }
            }
            End::Right => {
                for item in self.items.drain(..).rev() {
                    if !take(&item) {
                        kept.push_front(item);
                    }
                }
            }
        }
        self.items = kept;
        removed
    }

    /// Drops `left` elements from the left end and `right` from the right.
    pub fn trim(&mut self, left: usize, right: usize) {
        let left = left.min(self.items.len());
        self.items.drain(..left);
        let keep = self.items.len().saturating_sub(right);
        self.items.truncate(keep);
    }
}
