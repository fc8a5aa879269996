//! A set of distinct members, in Redis 7.0's two encodings.
//!
//! - `intset`: while every member is an integer as Redis's `string2ll`
//!   reads it (so the text is the canonical decimal form and converts both
//!   ways) and there are at most [`MAX_INTSET_ENTRIES`] members. The members
//!   are kept in ascending numeric order, the order Redis lists them in.
//! - `hashtable`: otherwise; a set never converts back. Members live in a
//!   vector (for O(1) random picks and a cursor that survives changes)
//!   indexed by a hash map; removal swaps the last member into the hole.
//!   Its order is arbitrary, as Redis's dict order is.
//!
//! 7.0 has no listpack sets (they came in 7.2).

use rustc_hash::FxHashMap;

use crate::commands::num;
use crate::rng::Rng;

/// Redis's default `set-max-intset-entries`.
pub const MAX_INTSET_ENTRIES: usize = 512;

/// A set of distinct members.
#[derive(Clone, Debug)]
pub enum Set {
    /// Ascending integers.
    Ints(Vec<i64>),
    /// Members, and each member's index in the vector (a `u64`: the map
    /// type pub/sub's counts use, its hash table code is in the wasm once).
    Table {
        members: Vec<Vec<u8>>,
        index: FxHashMap<Vec<u8>, u64>,
    },
}

impl Default for Set {
    fn default() -> Set {
        Set::Ints(Vec::new())
    }
}

/// Two sets are equal when they hold the same members, whatever the order.
impl PartialEq for Set {
    fn eq(&self, other: &Set) -> bool {
        self.len() == other.len() && self.iter().all(|m| other.contains(&m))
    }
}

impl Set {
    pub fn len(&self) -> usize {
        match self {
            Set::Ints(v) => v.len(),
            Set::Table { members, .. } => members.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What OBJECT ENCODING answers.
    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Table { .. } => "hashtable",
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            Set::Ints(v) => num::parse_i64(member).is_some_and(|n| v.binary_search(&n).is_ok()),
            Set::Table { index, .. } => index.contains_key(member),
        }
    }

    /// Adds a member; true if it was not there. An intset turns into a
    /// hashtable when the member is not an integer or the set grows past
    /// [`MAX_INTSET_ENTRIES`] (Redis's `setTypeAdd`).
    pub fn insert(&mut self, member: &[u8]) -> bool {
        self.insert_within(member, MAX_INTSET_ENTRIES)
    }

    /// [`insert`](Self::insert) with `set-max-intset-entries` as configured.
    pub fn insert_within(&mut self, member: &[u8], max_intset: usize) -> bool {
        if let Set::Ints(v) = self {
            if let Some(n) = num::parse_i64(member) {
                let Err(at) = v.binary_search(&n) else {
                    return false;
                };
                v.insert(at, n);
                if v.len() > max_intset {
                    self.convert();
                }
                return true;
            }
            self.convert();
        }
        match self {
            Set::Table { members, index } => {
                if index.contains_key(member) {
                    return false;
                }
                index.insert(member.to_vec(), members.len() as u64);
                members.push(member.to_vec());
                true
            }
            Set::Ints(_) => false, // converted above: not reached
        }
    }

    /// Removes a member; true if it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Ints(v) => match num::parse_i64(member).map(|n| v.binary_search(&n)) {
                Some(Ok(at)) => {
                    v.remove(at);
                    true
                }
                _ => false,
            },
            Set::Table { .. } => self.remove_table(member).is_some(),
        }
    }

    /// Removes a member of a hashtable set, swapping the last one into its
    /// slot; its former index.
    fn remove_table(&mut self, member: &[u8]) -> Option<usize> {
        let Set::Table { members, index } = self else {
            return None;
        };
        let at = index.remove(member)? as usize;
        members.swap_remove(at);
        if let Some(moved) = members.get(at) {
            index.insert(moved.clone(), at as u64);
        }
        Some(at)
    }

    /// The member at position `i` in the set's order (`i < len`).
    pub fn get(&self, i: usize) -> Option<Vec<u8>> {
        match self {
            Set::Ints(v) => v.get(i).map(|&n| num::i64_bytes(n)),
            Set::Table { members, .. } => members.get(i).cloned(),
        }
    }

    /// The members in the set's order: ascending for an intset.
    pub fn iter(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// A member picked uniformly at random.
    pub fn random(&self, rng: &mut Rng) -> Option<Vec<u8>> {
        if self.is_empty() {
            return None;
        }
        self.get(rng.below(self.len() as u64) as usize)
    }

    /// Removes and returns a member picked uniformly at random.
    pub fn pop_random(&mut self, rng: &mut Rng) -> Option<Vec<u8>> {
        let member = self.random(rng)?;
        self.remove(&member);
        Some(member)
    }

    /// One SSCAN step: up to `count` members from `cursor` on, and the
    /// cursor to continue with (0 when done). An intset answers everything
    /// at once with cursor 0, as Redis does. A hashtable walks its vector
    /// from the end down; the cursor is how many slots are left to visit,
    /// so a member present for the whole iteration is returned (removals
    /// only move the last member down to a lower slot).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Vec<u8>>) {
        match self {
            Set::Ints(_) => (0, self.iter().collect()),
            Set::Table { members, .. } => {
                let len = members.len();
                let start = if cursor == 0 {
                    len
                } else {
                    usize::try_from(cursor).unwrap_or(usize::MAX).min(len)
                };
                let end = start.saturating_sub(count.max(1));
                let page = members[end..start].iter().rev().cloned().collect();
                (end as u64, page)
            }
        }
    }

    /// Turns an intset into a hashtable (Redis's `setTypeConvert`).
    fn convert(&mut self) {
        if let Set::Ints(v) = self {
            let members: Vec<Vec<u8>> = v.iter().map(|&n| num::i64_bytes(n)).collect();
            let index = members
                .iter()
                .enumerate()
                .map(|(i, m)| (m.clone(), i as u64))
                .collect();
            *self = Set::Table { members, index };
        }
    }
}
