//! A hash: fields and their values, in Redis 7.0's two encodings.
//!
//! - **listpack** while small: the pairs in insertion order (an update
//!   keeps a field's place, a deletion closes the gap), found by a linear
//!   search over at most [`MAX_LISTPACK_ENTRIES`] pairs, as Redis's
//!   listpack is. HGETALL, HKEYS, HVALS, HSCAN and HRANDFIELD answer in
//!   this order, so it matches Redis byte for byte.
//! - **hashtable** once a hash holds more than [`MAX_LISTPACK_ENTRIES`]
//!   fields or is given a field or value longer than
//!   [`MAX_LISTPACK_VALUE`] bytes; it never converts back. Lookups are
//!   O(1) on average through an `FxHashMap` from field to slot. The slots
//!   keep insertion order too, each stamped with a sequence number that
//!   never changes; deleting leaves a hole, and the holes are squeezed out
//!   once they outnumber the live slots. HSCAN's cursor is the sequence
//!   number to resume from, so a field present for a whole iteration is
//!   returned exactly once however the hash changes in between (Redis's
//!   cursors are bucket indexes instead; the guarantee is the same).
//!
//! The limits are redis-server's built-in defaults
//! (`hash-max-listpack-entries 512`, `hash-max-listpack-value 64`), which is
//! what a server started without a configuration file uses.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::rng::Rng;

/// `hash-max-listpack-entries`: more fields than this make a hashtable.
pub const MAX_LISTPACK_ENTRIES: usize = 512;
/// `hash-max-listpack-value`: a longer field or value makes a hashtable.
pub const MAX_LISTPACK_VALUE: usize = 64;

/// The listpack limits a write honours (CONFIG SET changes them).
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

/// A field and its value, borrowed from a hash.
pub type Pair<'a> = (&'a [u8], &'a [u8]);

/// A hash: fields and their values.
#[derive(Clone, Debug, Default)]
pub struct Hash {
    repr: Repr,
}

#[derive(Clone, Debug)]
enum Repr {
    /// The pairs in insertion order.
    Listpack(Vec<(Vec<u8>, Vec<u8>)>),
    Table(Table),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Listpack(Vec::new())
    }
}

/// The hashtable encoding: slots in insertion order (with holes where
/// fields were deleted) and an index from field to slot.
#[derive(Clone, Debug, Default)]
struct Table {
    /// Sorted by `seq`.
    slots: Vec<Slot>,
    /// Field to its position in `slots`. The field is kept twice (here and
    /// in its slot): the price of a stable scan order without a new
    /// dependency or unsafe code. A `u64` position: the map type sets and
    /// pub/sub use, so its hash table code is in the wasm once.
    index: FxHashMap<Vec<u8>, u64>,
    /// The sequence number the next new field gets; numbers start at 1,
    /// so cursor 0 means "from the start".
    next_seq: u64,
}

#[derive(Clone, Debug)]
struct Slot {
    seq: u64,
    /// `None` once the field is deleted (a hole until the next squeeze).
    pair: Option<(Vec<u8>, Vec<u8>)>,
}

impl Table {
    fn from_pairs(pairs: Vec<(Vec<u8>, Vec<u8>)>) -> Table {
        let mut table = Table {
            next_seq: 1,
            ..Table::default()
        };
        for (field, value) in pairs {
            table.insert(field, value);
        }
        table
    }

    fn get(&self, field: &[u8]) -> Option<&[u8]> {
        let &i = self.index.get(field)?;
        self.slots
            .get(i as usize)?
            .pair
            .as_ref()
            .map(|(_, v)| v.as_slice())
    }

    fn insert(&mut self, field: Vec<u8>, value: Vec<u8>) -> bool {
        if let Some(&i) = self.index.get(field.as_slice()) {
            if let Some((_, v)) = self.slots.get_mut(i as usize).and_then(|s| s.pair.as_mut()) {
                *v = value;
                return false;
            }
        }
        self.index.insert(field.clone(), self.slots.len() as u64);
        self.slots.push(Slot {
            seq: self.next_seq,
            pair: Some((field, value)),
        });
        self.next_seq += 1;
        true
    }

    fn remove(&mut self, field: &[u8]) -> bool {
        let Some(i) = self.index.remove(field) else {
            return false;
        };
        if let Some(slot) = self.slots.get_mut(i as usize) {
            slot.pair = None;
        }
        let holes = self.slots.len() - self.index.len();
        if holes > self.index.len() && holes >= 16 {
            self.squeeze();
        }
        true
    }

    /// Drops the holes, keeping order and sequence numbers, and reindexes:
    /// O(n), after at least n/2 deletions, so O(1) amortized.
    fn squeeze(&mut self) {
        self.slots.retain(|s| s.pair.is_some());
        for (i, slot) in self.slots.iter().enumerate() {
            if let Some((field, _)) = &slot.pair {
                if let Some(pos) = self.index.get_mut(field.as_slice()) {
                    *pos = i as u64;
                }
            }
        }
    }

    fn pairs(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.slots
            .iter()
            .filter_map(|s| s.pair.as_ref())
            .map(|(f, v)| (f.as_slice(), v.as_slice()))
    }

    /// A uniformly random live slot: holes are at most about half of the
    /// slots, so this takes two draws on average.
    fn random(&self, rng: &mut Rng) -> Option<(&[u8], &[u8])> {
        if self.index.is_empty() {
            return None;
        }
        loop {
            let i = rng.below(self.slots.len() as u64) as usize;
            if let Some((f, v)) = self.slots.get(i).and_then(|s| s.pair.as_ref()) {
                return Some((f, v));
            }
        }
    }
}

impl Hash {
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(pairs) => pairs.len(),
            Repr::Table(t) => t.index.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What OBJECT ENCODING answers: `listpack` or `hashtable`.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Listpack(_) => "listpack",
            Repr::Table(_) => "hashtable",
        }
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match &self.repr {
            Repr::Listpack(pairs) => pairs
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.as_slice()),
            Repr::Table(t) => t.get(field),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Redis's `hashTypeTryConversion`: a listpack becomes a hashtable
    /// before a write whose arguments (fields and values) include one
    /// longer than [`MAX_LISTPACK_VALUE`], whether or not those fields are
    /// new.
    pub fn convert_for<'a>(&mut self, args: impl IntoIterator<Item = &'a [u8]>) {
        self.convert_for_within(args, Limits::default());
    }

    /// [`convert_for`](Self::convert_for) with the configured limits.
    pub fn convert_for_within<'a>(
        &mut self,
        args: impl IntoIterator<Item = &'a [u8]>,
        limits: Limits,
    ) {
        if args.into_iter().any(|a| a.len() > limits.value) {
            self.convert();
        }
    }

    fn convert(&mut self) {
        if let Repr::Listpack(pairs) = &mut self.repr {
            let pairs = std::mem::take(pairs);
            self.repr = Repr::Table(Table::from_pairs(pairs));
        }
    }

    /// Sets `field` to `value`; true if the field is new. As Redis's
    /// `hashTypeSet`: a listpack converts first if the field or value is
    /// too long for it, and after adding if it has too many fields. An
    /// update keeps the field's place.
    pub fn insert(&mut self, field: Vec<u8>, value: Vec<u8>) -> bool {
        self.insert_within(field, value, Limits::default())
    }

    /// [`insert`](Self::insert) with the configured limits.
    pub fn insert_within(&mut self, field: Vec<u8>, value: Vec<u8>, limits: Limits) -> bool {
        self.convert_for_within([field.as_slice(), value.as_slice()], limits);
        match &mut self.repr {
            Repr::Listpack(pairs) => {
                if let Some((_, v)) = pairs.iter_mut().find(|(f, _)| *f == field) {
                    *v = value;
                    return false;
                }
                pairs.push((field, value));
                if pairs.len() > limits.entries {
                    self.convert();
                }
                true
            }
            Repr::Table(t) => t.insert(field, value),
        }
    }

    /// Deletes `field`; true if it was there. A hashtable stays one.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Listpack(pairs) => match pairs.iter().position(|(f, _)| f == field) {
                Some(i) => {
                    pairs.remove(i);
                    true
                }
                None => false,
            },
            Repr::Table(t) => t.remove(field),
        }
    }

    /// The pairs in the encoding's order (insertion order for both here;
    /// only the listpack's matches Redis).
    pub fn iter(&self) -> Box<dyn Iterator<Item = (&[u8], &[u8])> + '_> {
        match &self.repr {
            Repr::Listpack(pairs) => {
                Box::new(pairs.iter().map(|(f, v)| (f.as_slice(), v.as_slice())))
            }
            Repr::Table(t) => Box::new(t.pairs()),
        }
    }

    /// One step of HSCAN: the pairs from `cursor` on and the cursor to
    /// continue from (0 when done). A listpack answers everything at once
    /// with cursor 0, whatever the cursor and `count`, as Redis does. A
    /// hashtable answers up to `count` pairs from the first slot whose
    /// sequence number is at least `cursor`, looking at no more than
    /// `10 * count` slots (holes included), as Redis bounds its empty
    /// buckets; the next cursor is the next slot's sequence number.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Pair<'_>>) {
        let t = match &self.repr {
            Repr::Listpack(_) => return (0, self.iter().collect()),
            Repr::Table(t) => t,
        };
        let start = t.slots.partition_point(|s| s.seq < cursor);
        let budget = count.saturating_mul(10);
        let mut out = Vec::new();
        let mut i = start;
        while let Some(slot) = t.slots.get(i) {
            if out.len() >= count || i - start >= budget {
                return (slot.seq, out);
            }
            if let Some((f, v)) = &slot.pair {
                out.push((f.as_slice(), v.as_slice()));
            }
            i += 1;
        }
        (0, out)
    }

    /// A uniformly random pair (HRANDFIELD without a count, and each pick
    /// of a negative count).
    pub fn random(&self, rng: &mut Rng) -> Option<(&[u8], &[u8])> {
        match &self.repr {
            Repr::Listpack(pairs) => {
                if pairs.is_empty() {
                    return None;
                }
                let (f, v) = pairs.get(rng.below(pairs.len() as u64) as usize)?;
                Some((f, v))
            }
            Repr::Table(t) => t.random(rng),
        }
    }

    /// `count` distinct random pairs, `count` below the length (HRANDFIELD
    /// with a positive count). A listpack answers them in its own order,
    /// as Redis's `lpRandomPairsUnique` does (selection sampling, O(n)).
    /// A hashtable answers in random order, as Redis's cases 3 and 4: when
    /// `count` is a large share of the hash, a partial shuffle of all
    /// slots, O(n); otherwise random picks until `count` distinct ones,
    /// O(count).
    pub fn random_distinct(&self, count: usize, rng: &mut Rng) -> Vec<Pair<'_>> {
        let len = self.len();
        if count >= len {
            return self.iter().collect();
        }
        match &self.repr {
            Repr::Listpack(pairs) => {
                let mut out = Vec::with_capacity(count);
                for (seen, (f, v)) in pairs.iter().enumerate() {
                    let wanted = (count - out.len()) as u64;
                    if rng.below((len - seen) as u64) < wanted {
                        out.push((f.as_slice(), v.as_slice()));
                    }
                }
                out
            }
            Repr::Table(t) if count.saturating_mul(3) > len => {
                let mut all: Vec<(&[u8], &[u8])> = t.pairs().collect();
                for i in 0..count {
                    let j = i + rng.below((all.len() - i) as u64) as usize;
                    all.swap(i, j);
                }
                all.truncate(count);
                all
            }
            Repr::Table(t) => {
                let mut picked = FxHashSet::default();
                let mut out = Vec::with_capacity(count);
                while out.len() < count {
                    let Some((f, v)) = t.random(rng) else {
                        break;
                    };
                    if picked.insert(f) {
                        out.push((f, v));
                    }
                }
                out
            }
        }
    }
}

/// Two hashes are equal when they hold the same pairs, whatever their
/// encoding or order.
impl PartialEq for Hash {
    fn eq(&self, other: &Hash) -> bool {
        self.len() == other.len() && self.iter().all(|(f, v)| other.get(f) == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(h: &Hash) -> Vec<(String, String)> {
        h.iter()
            .map(|(f, v)| {
                (
                    String::from_utf8_lossy(f).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            })
            .collect()
    }

    fn field(i: usize) -> Vec<u8> {
        format!("f{i}").into_bytes()
    }

    #[test]
    fn a_listpack_keeps_insertion_order_and_updates_in_place() {
        let mut h = Hash::default();
        assert!(h.insert(b"b".to_vec(), b"1".to_vec()));
        assert!(h.insert(b"a".to_vec(), b"2".to_vec()));
        assert!(h.insert(b"c".to_vec(), b"3".to_vec()));
        assert!(!h.insert(b"b".to_vec(), b"9".to_vec()));
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert!(h.insert(b"a".to_vec(), b"4".to_vec()));
        let want = [("b", "9"), ("c", "3"), ("a", "4")];
        let want: Vec<_> = want
            .iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs(&h), want);
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn too_many_fields_or_a_long_one_make_a_hashtable_for_good() {
        let mut h = Hash::default();
        for i in 0..MAX_LISTPACK_ENTRIES {
            h.insert(field(i), b"v".to_vec());
        }
        assert_eq!(h.encoding(), "listpack");
        h.insert(field(0), b"w".to_vec());
        assert_eq!(h.encoding(), "listpack");
        h.insert(b"one more".to_vec(), b"v".to_vec());
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), MAX_LISTPACK_ENTRIES + 1);
        for i in 0..MAX_LISTPACK_ENTRIES {
            assert!(h.remove(&field(i)));
        }
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"one more"), Some(&b"v"[..]));

        let mut h = Hash::default();
        h.insert(vec![b'x'; 64], vec![b'y'; 64]);
        assert_eq!(h.encoding(), "listpack");
        h.insert(b"f".to_vec(), vec![b'y'; 65]);
        assert_eq!(h.encoding(), "hashtable");
        let mut h = Hash::default();
        h.insert(b"f".to_vec(), b"v".to_vec());
        h.convert_for([&[b'z'; 65][..]]);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"f"), Some(&b"v"[..]));
    }

    #[test]
    fn a_hashtable_finds_and_forgets_fields_across_squeezes() {
        let mut h = Hash::default();
        for i in 0..2000 {
            h.insert(field(i), field(i));
        }
        for i in (0..2000).filter(|i| i % 3 != 0) {
            assert!(h.remove(&field(i)));
        }
        assert_eq!(h.len(), 667);
        for i in 0..2000 {
            assert_eq!(h.contains(&field(i)), i % 3 == 0, "{i}");
        }
        assert!(h.insert(field(1), b"back".to_vec()));
        assert_eq!(h.get(&field(1)), Some(&b"back"[..]));
        assert_eq!(h.iter().count(), 668);
    }

    /// The HSCAN guarantee: every field present from the start to the end
    /// of an iteration is returned, whatever happens in between.
    #[test]
    fn a_scan_returns_every_field_present_throughout() {
        let mut h = Hash::default();
        for i in 0..1000 {
            h.insert(field(i), b"v".to_vec());
        }
        let mut rng = Rng::new(7);
        let mut seen = FxHashSet::default();
        let mut cursor = 0;
        let mut next_new = 1000;
        loop {
            let (next, page) = h.scan(cursor, 7);
            assert!(page.len() <= 7);
            seen.extend(page.iter().map(|(f, _)| f.to_vec()));
            // Churn: delete a few fields above 500, add new ones.
            for _ in 0..5 {
                let victim = 500 + rng.below(500) as usize;
                h.remove(&field(victim));
                h.insert(field(next_new), b"v".to_vec());
                next_new += 1;
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
        for i in 0..500 {
            assert!(seen.contains(&field(i)), "f{i} missed");
        }
    }

    #[test]
    fn a_listpack_scans_in_one_page() {
        let mut h = Hash::default();
        h.insert(b"a".to_vec(), b"1".to_vec());
        h.insert(b"b".to_vec(), b"2".to_vec());
        let (cursor, page) = h.scan(12345, 1);
        assert_eq!(cursor, 0);
        assert_eq!(page.len(), 2);
    }

    #[test]
    fn distinct_picks_are_distinct_and_listpack_ones_in_order() {
        let mut rng = Rng::new(3);
        for n in [10, 600] {
            let mut h = Hash::default();
            for i in 0..n {
                h.insert(field(i), b"v".to_vec());
            }
            for count in [1, 2, n / 4, n / 2, n - 1, n, n + 5] {
                let picks = h.random_distinct(count, &mut rng);
                assert_eq!(picks.len(), count.min(n));
                let set: FxHashSet<_> = picks.iter().map(|(f, _)| *f).collect();
                assert_eq!(set.len(), picks.len());
                if n == 10 {
                    let order: Vec<_> = h.iter().map(|(f, _)| f).collect();
                    let positions: Vec<_> = picks
                        .iter()
                        .map(|(f, _)| order.iter().position(|o| o == f))
                        .collect();
                    assert!(positions.windows(2).all(|w| w[0] < w[1]));
                }
            }
        }
    }

    #[test]
    fn random_picks_reach_every_field() {
        let mut rng = Rng::new(11);
        let mut h = Hash::default();
        for i in 0..600 {
            h.insert(field(i), b"v".to_vec());
        }
        for i in 0..590 {
            h.remove(&field(i));
        }
        let mut seen = FxHashSet::default();
        for _ in 0..500 {
            let (f, _) = h.random(&mut rng).unwrap();
            seen.insert(f.to_vec());
        }
        assert_eq!(seen.len(), 10);
    }

    #[test]
    fn equality_ignores_encoding_and_order() {
        let mut a = Hash::default();
        let mut b = Hash::default();
        a.insert(b"x".to_vec(), b"1".to_vec());
        a.insert(b"y".to_vec(), b"2".to_vec());
        b.insert(b"y".to_vec(), b"2".to_vec());
        b.insert(b"x".to_vec(), b"1".to_vec());
        assert_eq!(a, b);
        b.convert();
        assert_eq!(a, b);
        b.insert(b"x".to_vec(), b"3".to_vec());
        assert_ne!(a, b);
    }
}
