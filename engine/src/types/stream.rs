//! A stream, as Redis 7.0's `t_stream.c` keeps it: entries in nodes (a
//! radix tree of listpacks there, a `BTreeMap` keyed by each node's
//! master ID here), with the bookkeeping XINFO shows (last ID, max deleted
//! ID, entries added) and the consumer groups.
//!
//! The nodes matter for behaviour, not just memory: trimming with `~`
//! removes whole nodes only, so the engine fills nodes as Redis does. A
//! new entry opens a node when the tail node holds
//! `stream-node-max-entries` entries (live and deleted: XDEL and exact
//! trims only flag entries), or when its listpack bytes plus the new
//! entry's field and value bytes reach `stream-node-max-bytes` ([`Limits`]).
//! The listpack size is kept exactly, from `listpack.c`'s encodings. A
//! node whose last live entry is deleted goes away.

use std::collections::BTreeMap;
use std::fmt;

/// How big a node may grow: `stream-node-max-bytes` and
/// `stream-node-max-entries` (0: no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub bytes: u64,
    pub entries: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            bytes: 4096,
            entries: 100,
        }
    }
}

/// `STREAM_LISTPACK_MAX_SIZE`: a node's bytes never pass 1 GB.
const LISTPACK_MAX_SIZE: u64 = 1 << 30;
/// `STREAM_LISTPACK_MAX_PRE_ALLOCATE`.
const MAX_PREALLOC: usize = 4096;

impl Limits {
    /// XADD's and XTRIM's default LIMIT with `~`: 100 nodes' worth.
    pub fn approx_limit(self) -> u64 {
        let limit = self.entries.saturating_mul(100);
        if limit <= 0 {
            10_000
        } else {
            limit.min(1_000_000) as u64
        }
    }
}

/// A stream entry ID: milliseconds and sequence, ordered as Redis's
/// 128-bit big-endian keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next ID (`streamIncrID`); `None` past the last one.
    pub fn incr(self) -> Option<StreamId> {
        if self.seq == u64::MAX {
            if self.ms == u64::MAX {
                None
            } else {
                Some(StreamId::new(self.ms + 1, 0))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq + 1))
        }
    }

    /// The previous ID (`streamDecrID`); `None` before 0-0.
    pub fn decr(self) -> Option<StreamId> {
        if self.seq == 0 {
            if self.ms == 0 {
                None
            } else {
                Some(StreamId::new(self.ms - 1, u64::MAX))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq - 1))
        }
    }

    pub fn to_bytes(self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// Field-value pairs of one entry.
pub type Fields = Vec<(Vec<u8>, Vec<u8>)>;

#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: StreamId,
    fields: Fields,
    deleted: bool,
}

/// One listpack: its entries (deleted ones flagged, as Redis keeps
/// them), the master entry's fields, and its byte size less the two
/// counters at its head (whose width changes with their values).
#[derive(Clone, Debug, PartialEq)]
struct Node {
    master_fields: Vec<Vec<u8>>,
    entries: Vec<Entry>,
    live: usize,
    body_bytes: usize,
    /// What Redis preallocated for the node's listpack (4 KB, or
    /// `stream-node-max-bytes` if smaller); shrunk to fit when the next
    /// node opens.
    prealloc: usize,
    shrunk: bool,
}

impl Node {
    fn new(fields: &Fields, prealloc: usize) -> Node {
        let master_fields: Vec<Vec<u8>> = fields.iter().map(|(f, _)| f.clone()).collect();
        // Header, EOF, then num-fields, the fields and the 0 terminator.
        let body_bytes = LISTPACK_EMPTY
            + lp_int(master_fields.len() as i64)
            + master_fields.iter().map(|f| lp_str(f)).sum::<usize>()
            + lp_int(0);
        Node {
            master_fields,
            entries: Vec::new(),
            live: 0,
            body_bytes,
            prealloc,
            shrunk: false,
        }
    }

    /// `lpBytes`: the body plus the live and deleted counters.
    fn bytes(&self) -> usize {
        let deleted = self.entries.len() - self.live;
        self.body_bytes + lp_int(self.live as i64) + lp_int(deleted as i64)
    }

    fn push(&mut self, master: StreamId, id: StreamId, fields: Fields) {
        let same = fields.len() == self.master_fields.len()
            && fields
                .iter()
                .zip(&self.master_fields)
                .all(|((f, _), m)| f == m);
        let ms_delta = id.ms.wrapping_sub(master.ms) as i64;
        let seq_delta = id.seq.wrapping_sub(master.seq) as i64;
        let n = fields.len();
        let mut bytes = lp_int(if same { 2 } else { 0 }) + lp_int(ms_delta) + lp_int(seq_delta);
        let lp_count = if same { n + 3 } else { 2 * n + 4 };
        if !same {
            bytes += lp_int(n as i64);
        }
        for (f, v) in &fields {
            if !same {
                bytes += lp_str(f);
            }
            bytes += lp_str(v);
        }
        bytes += lp_int(lp_count as i64);
        self.body_bytes += bytes;
        self.entries.push(Entry {
            id,
            fields,
            deleted: false,
        });
        self.live += 1;
    }

    fn last_live(&self) -> Option<StreamId> {
        self.entries.iter().rev().find(|e| !e.deleted).map(|e| e.id)
    }
}

/// A stream.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    /// Boxed, as a group's PEL values are: two `BTreeMap`s with values of
    /// one layout compile to the same code, which the wasm holds once.
    nodes: BTreeMap<StreamId, Box<Node>>,
    length: usize,
    pub last_id: StreamId,
    pub max_deleted_id: StreamId,
    pub entries_added: u64,
    pub groups: crate::idmap::VecMap<Vec<u8>, crate::types::stream_group::Group>,
}

/// How XADD and XTRIM trim (`streamAddTrimArgs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trim {
    MaxLen(u64),
    MinId(StreamId),
}

impl Stream {
    pub fn len(&self) -> usize {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// How many nodes (radix-tree keys).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The first live entry's ID, 0-0 when empty (XINFO's
    /// `recorded-first-entry-id`, which Redis keeps in step).
    pub fn first_id(&self) -> StreamId {
        self.first().map_or(StreamId::MIN, |(id, _)| id)
    }

    pub fn first(&self) -> Option<(StreamId, &Fields)> {
        self.range(StreamId::MIN, StreamId::MAX, false).next()
    }

    pub fn last(&self) -> Option<(StreamId, &Fields)> {
        self.range(StreamId::MIN, StreamId::MAX, true).next()
    }

    /// Appends an entry with an ID the caller checked is above `last_id`,
    /// in the tail node unless `limits` say it is full.
    pub fn append(&mut self, id: StreamId, fields: Fields, limits: Limits) {
        let value_bytes: u64 = fields.iter().map(|(f, v)| (f.len() + v.len()) as u64).sum();
        let max_bytes = match limits.bytes {
            0 => LISTPACK_MAX_SIZE,
            n => n.min(LISTPACK_MAX_SIZE),
        };
        let open = match self.nodes.iter().next_back() {
            Some((_, node)) => {
                node.bytes() as u64 + value_bytes < max_bytes
                    && (limits.entries == 0 || (node.entries.len() as i64) < limits.entries)
            }
            None => false,
        };
        if !open {
            if let Some((_, tail)) = self.nodes.iter_mut().next_back() {
                tail.shrunk = true;
            }
            let prealloc = match limits.bytes {
                n if n > 0 && n < MAX_PREALLOC as u64 => n as usize,
                _ => MAX_PREALLOC,
            };
            self.nodes
                .insert(id, Box::new(Node::new(&fields, prealloc)));
        }
        if let Some((&master, node)) = self.nodes.iter_mut().next_back() {
            node.push(master, id, fields);
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
    }

    /// Live entries with IDs in `start..=end`, forwards or backwards.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
    ) -> Box<dyn Iterator<Item = (StreamId, &Fields)> + '_> {
        if start > end {
            return Box::new(std::iter::empty());
        }
        // The node holding `start` is the last one whose master ID is at
        // most `start`.
        let from = self
            .nodes
            .range(..=start)
            .next_back()
            .map_or(start, |(&k, _)| k);
        let live = move |e: &'_ Entry| !e.deleted && e.id >= start && e.id <= end;
        if rev {
            Box::new(
                self.nodes
                    .range(from..=end)
                    .rev()
                    .flat_map(|(_, n)| n.entries.iter().rev())
                    .filter(move |e| live(e))
                    .map(|e| (e.id, &e.fields)),
            )
        } else {
            Box::new(
                self.nodes
                    .range(from..=end)
                    .flat_map(|(_, n)| n.entries.iter())
                    .skip_while(move |e| e.id < start)
                    .take_while(move |e| e.id <= end)
                    .filter(move |e| live(e))
                    .map(|e| (e.id, &e.fields)),
            )
        }
    }

    /// The entry with this ID, if live.
    pub fn get(&self, id: StreamId) -> Option<&Fields> {
        self.range(id, id, false).next().map(|(_, f)| f)
    }

    /// Deletes one entry (XDEL): flags it, or drops its node if it was
    /// the node's last live entry. True if it was there.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some((&master, node)) = self.nodes.range_mut(..=id).next_back() else {
            return false;
        };
        let Ok(i) = node.entries.binary_search_by(|e| e.id.cmp(&id)) else {
            return false;
        };
        if node.entries[i].deleted {
            return false;
        }
        if node.live == 1 {
            self.nodes.remove(&master);
        } else {
            node.entries[i].deleted = true;
            node.live -= 1;
        }
        self.length -= 1;
        true
    }

    /// Redis's `streamTrim`: whole nodes from the head while they may go,
    /// then (exact trimming only) entries flagged within the next node.
    /// `limit` caps the entries removed (0: none). Returns the IDs of
    /// the live entries removed.
    pub fn trim(&mut self, how: Trim, approx: bool, limit: u64) -> Vec<StreamId> {
        let mut removed = Vec::new();
        loop {
            if let Trim::MaxLen(max) = how {
                if self.length as u64 <= max {
                    break;
                }
            }
            let Some((&master, node)) = self.nodes.iter_mut().next() else {
                break;
            };
            let entries = node.live as u64;
            if limit != 0 && removed.len() as u64 + entries > limit {
                break;
            }
            let remove_node = match how {
                Trim::MaxLen(max) => self.length as u64 - entries >= max,
                // The last entry, flagged or not, as `lpGetEdgeStreamID`.
                Trim::MinId(min) => node.entries.last().is_some_and(|e| e.id < min),
            };
            if remove_node {
                removed.extend(node.entries.iter().filter(|e| !e.deleted).map(|e| e.id));
                self.nodes.remove(&master);
                self.length -= entries as usize;
                continue;
            }
            if approx {
                break;
            }
            for e in node.entries.iter_mut() {
                let stop = match how {
                    Trim::MaxLen(max) => self.length as u64 <= max,
                    Trim::MinId(min) => e.id >= min,
                };
                if stop {
                    break;
                }
                if !e.deleted {
                    e.deleted = true;
                    node.live -= 1;
                    self.length -= 1;
                    removed.push(e.id);
                }
            }
            break;
        }
        removed
    }

    /// True if a deleted entry may lie at or after `start`
    /// (`streamRangeHasTombstones` to the end).
    pub fn has_tombstones_from(&self, start: StreamId) -> bool {
        if self.length == 0 || self.max_deleted_id == StreamId::MIN {
            return false;
        }
        if self.first_id() > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id
    }

    /// The logical read counter of `id` (`streamEstimateDistanceFromFirstEverEntry`),
    /// `None` when it cannot be known.
    pub fn entries_before(&self, id: StreamId) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.length == 0 && id <= self.last_id {
            return Some(self.entries_added);
        }
        if id == self.last_id {
            return Some(self.entries_added);
        }
        if id > self.last_id {
            return None;
        }
        let first = self.first_id();
        if self.max_deleted_id == StreamId::MIN || self.max_deleted_id < first {
            if id < first {
                return Some(self.entries_added - self.length as u64);
            }
            if id == first {
                return Some(self.entries_added - self.length as u64 + 1);
            }
        }
        None
    }

    /// A group's lag (`streamReplyWithCGLag`), `None` when unknown.
    pub fn lag(&self, group: &crate::types::stream_group::Group) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        let added = self.entries_added as i64;
        if let Some(read) = group.entries_read {
            if !self.has_tombstones_from(group.last_id) {
                return Some(added.wrapping_sub(read as i64));
            }
        }
        self.entries_before(group.last_id)
            .map(|read| added.wrapping_sub(read as i64))
    }

    /// The highest live ID, 0-0 if none (`streamLastValidID`).
    pub fn last_valid_id(&self) -> StreamId {
        self.nodes
            .values()
            .next_back()
            .and_then(|n| n.last_live())
            .unwrap_or(StreamId::MIN)
    }

    /// The listpacks' allocations, first node first (MEMORY USAGE): a
    /// node not shrunk yet keeps its preallocation.
    pub fn node_allocs(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.values().map(|n| {
            let size = crate::types::memory::jemalloc_size(n.bytes());
            if n.shrunk {
                size
            } else {
                size.max(crate::types::memory::jemalloc_size(n.prealloc))
            }
        })
    }

    /// How many nodes Redis's radix tree has for these node keys
    /// (XINFO's `radix-tree-nodes`): a compressed node for each chain of
    /// single-child bytes, one for each branching byte, one per key.
    pub fn rax_nodes(&self) -> usize {
        rax_nodes(self.nodes.keys().copied())
    }
}

/// How many nodes a radix tree of these IDs (sorted) has.
pub fn rax_nodes(ids: impl Iterator<Item = StreamId>) -> usize {
    let keys: Vec<[u8; 16]> = ids.map(rax_key).collect();
    if keys.is_empty() {
        return 1;
    }
    rax_subtree(&keys, 0)
}

fn rax_key(id: StreamId) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&id.ms.to_be_bytes());
    k[8..].copy_from_slice(&id.seq.to_be_bytes());
    k
}

/// Nodes of the radix subtree for sorted `keys` sharing `depth` bytes,
/// starting at a fresh node.
fn rax_subtree(keys: &[[u8; 16]], depth: usize) -> usize {
    if depth == 16 {
        return 1;
    }
    let (first, last) = (&keys[0], &keys[keys.len() - 1]);
    let common = (depth..16).take_while(|&i| first[i] == last[i]).count();
    if common > 0 {
        // A compressed node, then the leaf or the branching node.
        let at = depth + common;
        return 1 + if at == 16 { 1 } else { rax_branch(keys, at) };
    }
    rax_branch(keys, depth)
}

fn rax_branch(keys: &[[u8; 16]], depth: usize) -> usize {
    let mut total = 1;
    let mut start = 0;
    while start < keys.len() {
        let byte = keys[start][depth];
        let end = start
            + keys[start..]
                .iter()
                .take_while(|k| k[depth] == byte)
                .count();
        total += rax_subtree(&keys[start..end], depth + 1);
        start = end;
    }
    total
}

/// A listpack's header and end byte.
const LISTPACK_EMPTY: usize = 7;

/// An integer's listpack entry: encoding and back-length.
fn lp_int(v: i64) -> usize {
    let encoded = match v {
        0..=127 => 1,
        -4096..=4095 => 2,
        -32768..=32767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    };
    encoded + 1
}

/// A string's listpack entry (integer text is stored as an integer).
fn lp_str(s: &[u8]) -> usize {
    if s.len() <= 20 {
        if let Some(v) = crate::commands::num::parse_i64(s) {
            return lp_int(v);
        }
    }
    let encoded = match s.len() {
        0..=63 => 1 + s.len(),
        64..=4095 => 2 + s.len(),
        len => 5 + len,
    };
    let backlen = match encoded {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    encoded + backlen
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
