//! A sorted set: members ordered by score, then by member bytes.
//!
//! Redis keeps a small sorted set in a listpack and a large one in a
//! skiplist plus a dict; both answer in the same order, so here one
//! structure serves both and [`ZSet::encoding`] only tracks which one
//! Redis would be using (it shows in OBJECT ENCODING, and ZSCAN answers a
//! listpack in one go, in order).
//!
//! The structure, for Redis's O(log N) insert, delete, rank and lookup:
//! - `index`: member -> (score, slot in `slots`), for O(1) score lookup;
//! - `order`: the entries sorted, in blocks of at most [`BLOCK_MAX`], with
//!   a Fenwick tree over the block sizes, so a rank or the entry at a rank
//!   costs O(log N) and an insert or delete moves at most a block;
//! - `slots`: the members in arbitrary order, for ZSCAN's cursor over a
//!   large set (walked from the end down, as SSCAN does, so a member
//!   present throughout a scan is returned) and for random picks.
//!
//! Members are shared (`Arc<[u8]>`) between the three.

use std::cmp::Ordering;
use std::sync::Arc;

use rustc_hash::FxHashMap;

/// Redis's default `zset-max-listpack-entries`.
pub const MAX_LISTPACK_ENTRIES: usize = 128;
/// Redis's default `zset-max-listpack-value` (bytes of a member).
pub const MAX_LISTPACK_VALUE: usize = 64;

/// `zset-max-listpack-entries` and `-value` as configured: a set past
/// either is held as a skiplist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub entries: usize,
    pub value: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            entries: MAX_LISTPACK_ENTRIES,
            value: MAX_LISTPACK_VALUE,
        }
    }
}

/// The most entries a block holds before it splits in two.
const BLOCK_MAX: usize = 256;

/// A member with its score.
#[derive(Clone, Debug)]
pub struct Entry {
    pub score: f64,
    pub member: Arc<[u8]>,
    /// The member's first 8 bytes as a big-endian number (zero padded):
    /// most comparisons are decided by it without following `member` to
    /// the heap, which at a million entries is a cache miss each time.
    prefix: u64,
}

/// Redis's order: by score, then by member bytes (`memcmp`, shorter
/// first). Scores are never NaN; -0 and 0 compare equal, as in C.
pub fn cmp(score_a: f64, member_a: &[u8], score_b: f64, member_b: &[u8]) -> Ordering {
    score_a
        .partial_cmp(&score_b)
        .unwrap_or(Ordering::Equal)
        .then_with(|| member_a.cmp(member_b))
}

/// A score as a listpack holds it (Redis's `d2string`): an integral
/// value within ±2^62 as an integer, anything else as `%.17g`.
pub fn listpack_score(score: f64) -> Vec<u8> {
    const LIMIT: f64 = 4_611_686_018_427_387_904.0; // (double)(LLONG_MAX / 2)
    if (-LIMIT..=LIMIT).contains(&score) && score == (score as i64) as f64 {
        return crate::commands::num::i64_bytes(score as i64);
    }
    crate::commands::num::format_g17(score).into_bytes()
}

fn prefix_of(member: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = member.len().min(8);
    buf[..n].copy_from_slice(&member[..n]);
    u64::from_be_bytes(buf)
}

/// What an entry is compared with: a score and a member, with the
/// member's prefix computed once.
#[derive(Clone, Copy)]
struct Key<'a> {
    score: f64,
    prefix: u64,
    member: &'a [u8],
}

impl<'a> Key<'a> {
    fn new(score: f64, member: &'a [u8]) -> Key<'a> {
        Key {
            score,
            prefix: prefix_of(member),
            member,
        }
    }
}

/// `(score, prefix)` of an entry against a key, or `None` when both are
/// equal and the whole members must decide.
fn quick_cmp(score: f64, prefix: u64, key: &Key) -> Option<Ordering> {
    match score.partial_cmp(&key.score).unwrap_or(Ordering::Equal) {
        Ordering::Equal => match prefix.cmp(&key.prefix) {
            Ordering::Equal => None,
            o => Some(o),
        },
        o => Some(o),
    }
}

impl Entry {
    fn new(score: f64, member: Arc<[u8]>) -> Entry {
        Entry {
            score,
            prefix: prefix_of(&member),
            member,
        }
    }

    fn cmp_key(&self, key: &Key) -> Ordering {
        quick_cmp(self.score, self.prefix, key).unwrap_or_else(|| (*self.member).cmp(key.member))
    }
}

/// The sorted entries in blocks, with prefix sums of the block sizes.
#[derive(Clone, Debug, Default)]
struct Order {
    blocks: Vec<Vec<Entry>>,
    /// Each block's last `(score, prefix)`, so finding a block reads one
    /// small array rather than every block's heap memory.
    lasts: Vec<(f64, u64)>,
    /// Fenwick tree (1-based) over `blocks[i].len()`.
    tree: Vec<usize>,
}

impl Order {
    fn rebuild(&mut self) {
        self.rebuild_tree();
        self.lasts = self
            .blocks
            .iter()
            .map(|b| b.last().map_or((0.0, 0), |e| (e.score, e.prefix)))
            .collect();
    }

    fn set_last(&mut self, block: usize) {
        if let Some(e) = self.blocks[block].last() {
            self.lasts[block] = (e.score, e.prefix);
        }
    }

    /// The Fenwick tree from the block sizes, in O(B) (each node adds
    /// itself to its parent).
    fn rebuild_tree(&mut self) {
        let n = self.blocks.len();
        self.tree.clear();
        self.tree.resize(n + 1, 0);
        for i in 1..=n {
            self.tree[i] += self.blocks[i - 1].len();
            let parent = i + (i & i.wrapping_neg());
            if parent <= n {
                let v = self.tree[i];
                self.tree[parent] += v;
            }
        }
    }

    fn add(&mut self, block: usize, delta: isize) {
        let n = self.blocks.len();
        if let Some(e) = self.blocks[block].last() {
            self.lasts[block] = (e.score, e.prefix);
        }
        let mut j = block + 1;
        while j <= n {
            self.tree[j] = self.tree[j].wrapping_add_signed(delta);
            j += j & j.wrapping_neg();
        }
    }

    /// How many entries the blocks before `block` hold.
    fn prefix(&self, block: usize) -> usize {
        let mut j = block;
        let mut sum = 0;
        while j > 0 {
            sum += self.tree[j];
            j -= j & j.wrapping_neg();
        }
        sum
    }

    /// The block holding rank `rank` and the rank's offset in it.
    fn locate(&self, mut rank: usize) -> Option<(usize, usize)> {
        let n = self.blocks.len();
        let mut pos = 0;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rank {
                pos = next;
                rank -= self.tree[next];
            }
            step /= 2;
        }
        (pos < n && rank < self.blocks[pos].len()).then_some((pos, rank))
    }

    /// The block where `key` is or would go.
    fn block_for(&self, key: &Key) -> usize {
        let mut lo = 0;
        let mut hi = self.blocks.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (score, prefix) = self.lasts[mid];
            let below = match quick_cmp(score, prefix, key) {
                Some(o) => o == Ordering::Less,
                None => self.blocks[mid]
                    .last()
                    .is_some_and(|e| e.cmp_key(key) == Ordering::Less),
            };
            if below {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.min(self.blocks.len().saturating_sub(1))
    }

    fn insert(&mut self, entry: Entry) {
        if self.blocks.is_empty() {
            self.blocks.push(vec![entry]);
            self.rebuild();
            return;
        }
        // The key borrows the entry's member: no reference count traffic.
        let (b, at) = {
            let key = Key {
                score: entry.score,
                prefix: entry.prefix,
                member: &entry.member,
            };
            let b = self.block_for(&key);
            let at = self.blocks[b].partition_point(|e| e.cmp_key(&key) == Ordering::Less);
            (b, at)
        };
        let blk = &mut self.blocks[b];
        blk.insert(at, entry);
        if blk.len() > BLOCK_MAX {
            let tail = blk.split_off(blk.len() / 2);
            self.blocks.insert(b + 1, tail);
            self.rebuild_tree();
            self.lasts.insert(b + 1, (0.0, 0));
            self.set_last(b);
            self.set_last(b + 1);
        } else {
            self.add(b, 1);
        }
    }

    fn remove(&mut self, score: f64, member: &[u8]) -> bool {
        self.take(score, member).is_some()
    }

    /// Removes the entry and hands it back (a score change re-inserts it
    /// with its member and prefix as they are).
    fn take(&mut self, score: f64, member: &[u8]) -> Option<Entry> {
        if self.blocks.is_empty() {
            return None;
        }
        let key = Key::new(score, member);
        let b = self.block_for(&key);
        let blk = &mut self.blocks[b];
        let at = blk.binary_search_by(|e| e.cmp_key(&key)).ok()?;
        let entry = blk.remove(at);
        if blk.is_empty() {
            self.blocks.remove(b);
            self.lasts.remove(b);
            self.rebuild_tree();
        } else {
            self.add(b, -1);
        }
        Some(entry)
    }

    fn rank(&self, score: f64, member: &[u8]) -> Option<usize> {
        if self.blocks.is_empty() {
            return None;
        }
        let key = Key::new(score, member);
        let b = self.block_for(&key);
        let at = self.blocks[b].binary_search_by(|e| e.cmp_key(&key)).ok()?;
        Some(self.prefix(b) + at)
    }

    /// How many entries from the start satisfy `pred`, which must hold
    /// for a prefix of the order.
    fn partition(&self, pred: impl Fn(&Entry) -> bool) -> usize {
        let b = self
            .blocks
            .partition_point(|blk| blk.last().is_some_and(&pred));
        if b == self.blocks.len() {
            return self.prefix(b);
        }
        self.prefix(b) + self.blocks[b].partition_point(&pred)
    }
}

/// A member and its score, as one ZSCAN step returns them.
pub type Scanned = (Arc<[u8]>, f64);

/// Where a member lives: its score and its slot in `slots`.
#[derive(Clone, Copy, Debug)]
struct Slot {
    score: f64,
    at: usize,
}

/// A sorted set.
#[derive(Clone, Debug, Default)]
pub struct ZSet {
    index: FxHashMap<Arc<[u8]>, Slot>,
    slots: Vec<Arc<[u8]>>,
    order: Order,
    /// Redis would hold this set in a skiplist (it never converts back).
    skiplist: bool,
}

/// Two sorted sets are equal when they hold the same members with the
/// same scores.
impl PartialEq for ZSet {
    fn eq(&self, other: &ZSet) -> bool {
        self.len() == other.len()
            && self
                .index
                .iter()
                .all(|(m, s)| other.score(m) == Some(s.score))
    }
}

impl ZSet {
    /// An empty set held as a skiplist from the start, as Redis builds the
    /// results of ZUNION, ZINTER and ZDIFF (scores kept as computed, `-0`
    /// included).
    pub fn new_skiplist() -> ZSet {
        ZSet {
            skiplist: true,
            ..ZSet::default()
        }
    }

    /// Redis's `zsetConvertToListpackIfNeeded` for a stored result: back
    /// to a listpack when it fits, its scores as a listpack writes them.
    pub fn shrink_if_fits(&mut self, limits: Limits) {
        let longest = self.index.keys().map(|m| m.len()).max().unwrap_or(0);
        if self.skiplist && self.len() <= limits.entries && longest <= limits.value {
            let entries: Vec<Entry> = self.iter().cloned().collect();
            *self = ZSet::default();
            for en in entries {
                self.insert_within(&en.member, en.score, limits);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What OBJECT ENCODING answers.
    pub fn encoding(&self) -> &'static str {
        if self.skiplist {
            "skiplist"
        } else {
            "listpack"
        }
    }

    /// Holds the set as a skiplist from now on (Redis's `zsetConvert`,
    /// which SORT calls).
    pub fn convert_to_skiplist(&mut self) {
        self.skiplist = true;
    }

    pub fn is_listpack(&self) -> bool {
        !self.skiplist
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.index.get(member).map(|s| s.score)
    }

    /// Sets a member's score; the previous score, if it was there. A
    /// numerically equal score leaves the member as it was (Redis compares
    /// `score != curscore`, so `-0` does not replace `0`). A new member may
    /// turn a listpack into a skiplist (Redis's `zsetAdd`).
    pub fn insert(&mut self, member: &[u8], score: f64) -> Option<f64> {
        self.insert_within(member, score, Limits::default())
    }

    /// [`insert`](Self::insert) with the configured listpack limits.
    pub fn insert_within(&mut self, member: &[u8], score: f64, limits: Limits) -> Option<f64> {
        let kept = self.stored(score);
        if let Some(slot) = self.index.get_mut(member) {
            let score = kept;
            let old = slot.score;
            if old != score {
                slot.score = score;
                // The entry moves with its member: no lookup in `slots`,
                // no reference count traffic.
                if let Some(entry) = self.order.take(old, member) {
                    self.order.insert(Entry { score, ..entry });
                }
            }
            return Some(old);
        }
        if self.len() + 1 > limits.entries || member.len() > limits.value {
            self.skiplist = true;
        }
        let score = self.stored(score);
        let member: Arc<[u8]> = Arc::from(member);
        self.index.insert(
            member.clone(),
            Slot {
                score,
                at: self.slots.len(),
            },
        );
        self.slots.push(member.clone());
        self.order.insert(Entry::new(score, member));
        None
    }

    /// A score as the encoding keeps it: a listpack writes scores as text
    /// (`d2string`, which prints `-0` as the integer `0`).
    fn stored(&self, score: f64) -> f64 {
        if self.skiplist {
            score
        } else {
            score + 0.0
        }
    }

    /// Removes a member; its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let slot = self.index.remove(member)?;
        self.order.remove(slot.score, member);
        self.slots.swap_remove(slot.at);
        if let Some(moved) = self.slots.get(slot.at) {
            if let Some(s) = self.index.get_mut(moved) {
                s.at = slot.at;
            }
        }
        Some(slot.score)
    }

    /// The member's 0-based rank in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        self.order.rank(score, member)
    }

    /// The entry at an ascending rank.
    pub fn get(&self, rank: usize) -> Option<&Entry> {
        let (b, at) = self.order.locate(rank)?;
        self.order.blocks[b].get(at)
    }

    /// The entries in ascending order from rank `start` on.
    pub fn iter_from(&self, start: usize) -> impl Iterator<Item = &Entry> + '_ {
        let (b, at) = self
            .order
            .locate(start)
            .unwrap_or((self.order.blocks.len(), 0));
        let first = self.order.blocks.get(b).map_or(&[][..], |blk| &blk[at..]);
        let rest = self.order.blocks.get(b + 1..).unwrap_or(&[]);
        first.iter().chain(rest.iter().flatten())
    }

    /// The entries in descending order from rank `last` (ascending rank,
    /// inclusive) down to the first.
    pub fn iter_rev_from(&self, last: usize) -> impl Iterator<Item = &Entry> + '_ {
        let (b, at) = match self.order.locate(last) {
            Some(p) => p,
            None => (0, usize::MAX),
        };
        let first = if at == usize::MAX {
            &[][..]
        } else {
            &self.order.blocks[b][..=at]
        };
        let rest = if at == usize::MAX {
            &[][..]
        } else {
            &self.order.blocks[..b]
        };
        first
            .iter()
            .rev()
            .chain(rest.iter().rev().flat_map(|blk| blk.iter().rev()))
    }

    /// Every entry in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.order.blocks.iter().flatten()
    }

    /// How many entries from the start satisfy `pred`, which must hold for
    /// a prefix of the order (a score bound, or a member bound when all
    /// scores are equal).
    pub fn partition(&self, pred: impl Fn(&Entry) -> bool) -> usize {
        self.order.partition(pred)
    }

    /// Whether every member has the same score, so that member order is
    /// the whole order (lex ranges can then binary search).
    pub fn single_score(&self) -> bool {
        match (
            self.get(0),
            self.len().checked_sub(1).and_then(|l| self.get(l)),
        ) {
            (Some(a), Some(b)) => a.score == b.score,
            _ => true,
        }
    }

    /// The member in slot `i` (arbitrary order, `i < len`), for random
    /// picks.
    pub fn slot(&self, i: usize) -> Option<(&[u8], f64)> {
        let m = self.slots.get(i)?;
        Some((m, self.score(m)?))
    }

    /// One ZSCAN step over a skiplist set: up to `count` members from
    /// `cursor` down, and the cursor to continue with (0 when done). The
    /// cursor is how many slots are left to visit, so a member present for
    /// the whole iteration is returned (a removal only moves the last
    /// member down into a lower slot).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Scanned>) {
        let len = self.slots.len();
        let start = if cursor == 0 {
            len
        } else {
            usize::try_from(cursor).unwrap_or(usize::MAX).min(len)
        };
        let end = start.saturating_sub(count.max(1));
        let page = self.slots[end..start]
            .iter()
            .rev()
            .map(|m| (m.clone(), self.score(m).unwrap_or(0.0)))
            .collect();
        (end as u64, page)
    }
}
