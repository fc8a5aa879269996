//! A read-only look at one key, for the playground's stage to draw.
//!
//! [`Engine::inspect`] is a pure read: unlike a command it neither expires
//! a key whose time has come (a key past its expiry reads as absent, and
//! stays in the table for lazy or active expiry to remove and report), nor
//! touches its LRU clock or LFU counter, nor counts as a hit or miss. It
//! copies at most `limit` elements (and at most `limit` bytes of a string,
//! at least [`MIN_STRING_BYTES`]), with the total counts beside them, so
//! drawing a key of a million elements costs what drawing `limit` does.

use crate::engine::Engine;
use crate::types::hll;
use crate::types::stream::{Fields, StreamId};
use crate::value::Value;

/// A string is shown up to `max(limit, MIN_STRING_BYTES)` bytes.
pub const MIN_STRING_BYTES: usize = 256;
/// An HLL's 16384 registers are summarised in this many groups.
pub const HLL_GROUPS: usize = 256;

/// What a key holds, as far as the stage draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyContent {
    /// What TYPE answers.
    pub type_name: &'static str,
    /// Absolute expiry in virtual ms.
    pub expire_at: Option<u64>,
    /// The element count (a string's length in bytes).
    pub len: usize,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A string: its first bytes (`len` in all), and whether the whole
    /// value is an integer as INCR reads it. A bitmap view draws `value`
    /// as bits, most significant bit of each byte first (SETBIT's order).
    Str { value: Vec<u8>, int: Option<i64> },
    /// Fields in the order HGETALL lists them.
    Hash { fields: Vec<(Vec<u8>, Vec<u8>)> },
    /// Elements from the head (index 0) toward the tail.
    List { items: Vec<Vec<u8>> },
    /// Members in SMEMBERS's order.
    Set { members: Vec<Vec<u8>> },
    /// Members from the highest rank down (ZREVRANGE 0 limit-1
    /// WITHSCORES): a leaderboard's top first.
    ZSet { top: Vec<(Vec<u8>, f64)> },
    /// A string holding a valid HyperLogLog.
    Hll(HllSummary),
    /// The newest entries (oldest of them first), and every group.
    Stream {
        entries: Vec<(StreamId, Fields)>,
        groups: Vec<GroupSummary>,
    },
}

/// A consumer group as the stage draws it: its cursor and who holds what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSummary {
    pub name: Vec<u8>,
    /// The last ID delivered to the group (XINFO GROUPS' last-delivered-id).
    pub last_delivered: StreamId,
    /// Each consumer and the IDs it has read but not acknowledged (at most
    /// `limit` of them).
    pub consumers: Vec<(Vec<u8>, Vec<StreamId>)>,
}

/// An HLL as the stage draws it: the estimate beside its registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HllSummary {
    /// PFCOUNT's answer (the cached cardinality when valid, else counted
    /// without storing the cache).
    pub estimate: u64,
    /// Sparse or dense, as PFDEBUG ENCODING says.
    pub sparse: bool,
    /// Registers that are not zero (of 16384).
    pub nonzero: usize,
    /// The largest register in each of [`HLL_GROUPS`] consecutive groups.
    pub groups: Vec<u8>,
    /// How many registers hold each value 0..=63.
    pub histogram: Vec<u32>,
}

impl Body {
    /// How many elements were copied (bytes for a string).
    pub fn shown(&self) -> usize {
        match self {
            Body::Str { value, .. } => value.len(),
            Body::Hash { fields } => fields.len(),
            Body::List { items } => items.len(),
            Body::Set { members } => members.len(),
            Body::ZSet { top } => top.len(),
            Body::Hll(_) => 0,
            Body::Stream { entries, .. } => entries.len(),
        }
    }
}

impl Engine {
    /// The content of `key` in database `db`, at most `limit` elements of
    /// it; `None` if the key is absent or past its expiry. Changes nothing
    /// (see the module doc).
    pub fn inspect(&self, db: usize, key: &[u8], limit: usize) -> Option<KeyContent> {
        let d = self.dbs.get(db)?;
        if !d.is_live(key, self.now) {
            return None;
        }
        let value = d.peek(key)?;
        let expire_at = d.expire_at(key);
        let (len, body) = match value {
            Value::Str(s) => match hll_summary(s) {
                Some(h) => (s.len(), Body::Hll(h)),
                None => (s.len(), string_body(s, limit)),
            },
            Value::Hash(h) => {
                let fields = h
                    .iter()
                    .take(limit)
                    .map(|(f, v)| (f.to_vec(), v.to_vec()))
                    .collect();
                (h.len(), Body::Hash { fields })
            }
            Value::List(l) => {
                let n = l.len().min(limit);
                let items = if n == 0 {
                    Vec::new()
                } else {
                    l.range(0, n - 1).map(<[u8]>::to_vec).collect()
                };
                (l.len(), Body::List { items })
            }
            Value::Set(s) => {
                let members = (0..s.len().min(limit)).filter_map(|i| s.get(i)).collect();
                (s.len(), Body::Set { members })
            }
            Value::ZSet(z) => {
                let top = match z.len().checked_sub(1) {
                    Some(last) => z
                        .iter_rev_from(last)
                        .take(limit)
                        .map(|e| (e.member.to_vec(), e.score))
                        .collect(),
                    None => Vec::new(),
                };
                (z.len(), Body::ZSet { top })
            }
            Value::Stream(st) => {
                let mut entries: Vec<(StreamId, Fields)> = st
                    .range(StreamId::MIN, StreamId::MAX, true)
                    .take(limit)
                    .map(|(id, f)| (id, f.clone()))
                    .collect();
                entries.reverse();
                let groups = st
                    .groups
                    .iter()
                    .map(|(name, g)| GroupSummary {
                        name: name.clone(),
                        last_delivered: g.last_id,
                        consumers: g
                            .consumers
                            .keys()
                            .map(|c| (c.clone(), g.owned(c, StreamId::MIN).take(limit).collect()))
                            .collect(),
                    })
                    .collect();
                (st.len(), Body::Stream { entries, groups })
            }
        };
        Some(KeyContent {
            type_name: value.type_name(),
            expire_at,
            len,
            body,
        })
    }
}

impl Engine {
    /// Whether the set, sorted set or hash at `key` holds `member` (a
    /// field, for a hash), read as [`inspect`](Engine::inspect) reads:
    /// false for an absent or expired key or another type.
    pub fn has_member(&self, db: usize, key: &[u8], member: &[u8]) -> bool {
        let Some(d) = self.dbs.get(db) else {
            return false;
        };
        if !d.is_live(key, self.now) {
            return false;
        }
        match d.peek(key) {
            Some(Value::Set(s)) => s.contains(member),
            Some(Value::ZSet(z)) => z.score(member).is_some(),
            Some(Value::Hash(h)) => h.contains(member),
            _ => false,
        }
    }

    /// The score of `member` in the sorted set at `key` (a geo set's
    /// geohash), read without touching the key.
    pub fn score_of(&self, db: usize, key: &[u8], member: &[u8]) -> Option<f64> {
        let d = self.dbs.get(db)?;
        if !d.is_live(key, self.now) {
            return None;
        }
        d.peek(key)?.as_zset()?.score(member)
    }
}

fn string_body(s: &[u8], limit: usize) -> Body {
    let shown = s.len().min(limit.max(MIN_STRING_BYTES));
    Body::Str {
        value: s[..shown].to_vec(),
        int: crate::commands::num::parse_i64(s),
    }
}

/// The summary of a string that passes Redis's HLL checks and decodes;
/// `None` for any other string (a corrupt HLL is drawn as a string).
fn hll_summary(s: &[u8]) -> Option<HllSummary> {
    if !hll::is_valid(s) {
        return None;
    }
    let registers = hll::registers(s).ok()?;
    let estimate = match hll::cached(s) {
        Some(card) => card,
        None => hll::count(s).ok()?,
    };
    let mut histogram = vec![0u32; 64];
    for &r in &registers {
        histogram[usize::from(r & 63)] += 1;
    }
    let per = registers.len() / HLL_GROUPS;
    let groups = registers
        .chunks(per.max(1))
        .map(|g| g.iter().copied().max().unwrap_or(0))
        .collect();
    Some(HllSummary {
        estimate,
        sparse: hll::is_sparse(s),
        nonzero: registers.iter().filter(|&&r| r != 0).count(),
        groups,
        histogram,
    })
}

#[cfg(test)]
#[path = "inspect_tests.rs"]
mod tests;
