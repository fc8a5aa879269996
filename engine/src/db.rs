//! One database: the keyspace, its expiry index, and the two ways keys
//! expire (Redis's `expireIfNeeded` and `activeExpireCycle`).

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use crate::event::{Event, Feed, Removal};
use crate::rng::Rng;
use crate::types::memory;
use crate::value::Value;

pub type Key = Vec<u8>;

/// Keys with an expiry, kept both by name (for lookups) and in a vector
/// (so the active cycle can sample uniformly at random in O(1), as Redis
/// samples its `expires` dict).
#[derive(Clone, Default, Debug)]
struct ExpireIndex {
    by_key: HashMap<Key, (u64, usize)>,
    keys: Vec<Key>,
}

impl ExpireIndex {
    fn get(&self, key: &[u8]) -> Option<u64> {
        self.by_key.get(key).map(|&(at, _)| at)
    }

    fn set(&mut self, key: &[u8], at: u64) {
        if let Some(entry) = self.by_key.get_mut(key) {
            entry.0 = at;
            return;
        }
        self.by_key.insert(key.to_vec(), (at, self.keys.len()));
        self.keys.push(key.to_vec());
    }

    fn remove(&mut self, key: &[u8]) -> Option<u64> {
        if self.keys.is_empty() {
            return None;
        }
        let (at, slot) = self.by_key.remove(key)?;
        self.keys.swap_remove(slot);
        if let Some(moved) = self.keys.get(slot) {
            self.by_key.get_mut(moved).expect("index in sync").1 = slot;
        }
        Some(at)
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn clear(&mut self) {
        self.by_key.clear();
        self.keys.clear();
    }
}

/// How OBJECT ENCODING sees a string: Redis 7.0 keeps a string as an
/// `int`, an `embstr` (at most 44 bytes, allocated with its header) or a
/// `raw` sds, and which one depends on the command that wrote it, not only
/// on the bytes (APPEND and SETRANGE leave `raw` strings behind).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrEnc {
    /// Written by a whole-value store and not yet classified.
    Fresh,
    Int,
    /// An integer 0..9999 sharing Redis's preallocated object (OBJECT
    /// REFCOUNT answers `INT_MAX`).
    SharedInt,
    Embstr,
    Raw,
}

/// What Redis keeps in each object's header besides the value: the access
/// clock (LRU), the LFU counter, and a string's encoding.
#[derive(Clone, Copy, Debug)]
pub struct Meta {
    /// Last access, in virtual ms (OBJECT IDLETIME).
    pub access: u64,
    /// The LFU counter (OBJECT FREQ) and the minute it was last decayed.
    pub freq: u8,
    pub freq_minute: u64,
    pub enc: StrEnc,
}

/// Redis's `LFU_INIT_VAL`: a new key's counter, so it is not evicted first.
pub const LFU_INIT_VAL: u8 = 5;

/// The LFU settings the keyspace needs on every access.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lfu {
    pub log_factor: u64,
    pub decay_time: u64,
}

#[derive(Clone, Debug)]
struct Entry {
    value: Value,
    /// Position in `Db::slots`.
    pos: usize,
    meta: Meta,
    /// This key's share of `Db::used` ([`memory::estimate`]), as of its
    /// last write.
    size: usize,
    sample: Sample,
}

/// When a big aggregate was last estimated in full. Between full
/// estimates (every [`RESAMPLE_WRITES`] writes, or when its length has
/// moved by a quarter) its size is scaled by its length, so a write to a
/// big list or hash costs O(1) rather than a sampling walk.
#[derive(Clone, Copy, Debug, Default)]
struct Sample {
    size: usize,
    len: usize,
    writes: u8,
}

/// Aggregates up to this length are estimated in full on every write.
const SCALE_ABOVE: usize = 64;
/// Writes between full estimates of a big aggregate.
const RESAMPLE_WRITES: u8 = 32;

/// The element count of an aggregate; 0 for a string.
fn elements(value: &Value) -> usize {
    match value {
        Value::Str(_) => 0,
        Value::List(l) => l.len(),
        Value::Set(s) => s.len(),
        Value::Hash(h) => h.len(),
        Value::ZSet(z) => z.len(),
        Value::Stream(s) => s.len(),
    }
}

/// A key's estimated memory after a write (see [`Sample`]).
fn measure(key: &[u8], value: &Value, sample: &mut Sample) -> usize {
    let len = elements(value);
    let near = len > SCALE_ABOVE && sample.len > SCALE_ABOVE && {
        let quarter = sample.len / 4;
        len.abs_diff(sample.len) <= quarter
    };
    if near && sample.writes < RESAMPLE_WRITES {
        sample.writes += 1;
        return (sample.size as u128 * len as u128 / sample.len as u128) as usize;
    }
    let size = memory::estimate(key, value);
    *sample = Sample {
        size,
        len,
        writes: 0,
    };
    size
}

/// A key's place in SCAN's order. `seq` never changes while the key lives,
/// and slots stay sorted by it: SCAN's cursor is the `seq` to resume from.
#[derive(Clone, Debug)]
struct Slot {
    seq: u64,
    key: Option<Name>,
}

/// A key's name, shared by the map and its slot (one allocation per key).
type Name = Arc<[u8]>;

/// One database. Keys live in a hash map (lookups) and in `slots`, an
/// insertion-ordered vector with holes where keys were deleted, squeezed out
/// once holes outnumber keys. SCAN walks the slots by sequence number, so a
/// key present for a whole iteration is returned exactly once however many
/// keys come and go in between (Redis's reverse-binary bucket cursor gives
/// "at least once"; this gives more).
#[derive(Clone, Debug)]
pub struct Db {
    pub index: usize,
    map: HashMap<Name, Entry>,
    slots: Vec<Slot>,
    next_seq: u64,
    expires: ExpireIndex,
    /// The sum of every entry's `size`: this database's share of the
    /// engine's used memory (maxmemory), kept up to date on every write
    /// and removal rather than recomputed.
    used: u64,
    /// Set while `maxmemory-policy` is an LFU one: accesses then count.
    pub lfu: Option<Lfu>,
    /// False when a `maxmemory` with an LRU/LFU policy forbids shared
    /// integers (Redis's `MAXMEMORY_FLAG_NO_SHARED_INTEGERS`).
    pub shared_ints: bool,
    /// For the LFU counter's coin flips.
    rng: Rng,
    now_hint: u64,
    /// Keys added since the blocking code last looked, while clients are
    /// blocked (`None` otherwise): Redis's `dbAdd` signals them ready.
    pub(crate) created: Option<Vec<Key>>,
    /// CLIENT PAUSE (pause.rs): a key past its time answers as gone but
    /// stays in place (Redis keeps the data set constant while paused).
    pub(crate) paused: bool,
    /// Keys added since notify.rs last looked, while notifications of
    /// class `n` are on (`None` otherwise): Redis's `dbAdd` announces `new`.
    pub(crate) fresh: Option<Vec<Key>>,
}

impl Default for Db {
    fn default() -> Db {
        Db {
            index: 0,
            map: HashMap::default(),
            slots: Vec::new(),
            next_seq: 1,
            expires: ExpireIndex::default(),
            used: 0,
            lfu: None,
            shared_ints: true,
            rng: Rng::new(0x1f0_c0de),
            now_hint: 0,
            created: None,
            paused: false,
            fresh: None,
        }
    }
}

/// Redis's active expiry samples this many volatile keys per loop ...
const KEYS_PER_LOOP: usize = 20;
/// ... and loops again while more than this percentage of a sample had expired.
const ACCEPTABLE_STALE_PERCENT: usize = 10;
/// A bound on loops per cycle, standing in for Redis's 25 ms time limit.
const MAX_LOOPS_PER_CYCLE: usize = 256;

impl Db {
    /// The time a write without a `now` of its own stamps as the access
    /// time; `Keyspace` sets it before each command.
    pub fn set_now(&mut self, now: u64) {
        self.now_hint = now;
    }

    pub fn new(index: usize) -> Db {
        Db {
            index,
            ..Db::default()
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn volatile_len(&self) -> usize {
        self.expires.len()
    }

    /// Removes `key` if its time has come (lazy expiry); true if it did.
    pub fn expire_if_needed(&mut self, key: &[u8], now: u64, events: &mut Feed) -> bool {
        match self.expires.get(key) {
            Some(at) if at <= now && self.paused => true,
            Some(at) if at <= now => {
                self.remove_key(key);
                events.push(Event::Removed {
                    db: self.index,
                    key: key.to_vec(),
                    cause: Removal::ExpiredLazy,
                });
                true
            }
            _ => false,
        }
    }

    /// The live value at `key`, expiring it first if due. A lookup counts
    /// as an access (Redis's `lookupKey` updates the object's LRU/LFU).
    pub fn get(&mut self, key: &[u8], now: u64, events: &mut Feed) -> Option<&Value> {
        self.get_mut(key, now, events).map(|v| &*v)
    }

    pub fn get_mut(&mut self, key: &[u8], now: u64, events: &mut Feed) -> Option<&mut Value> {
        if self.expire_if_needed(key, now, events) && self.paused {
            return None;
        }
        let entry = self.map.get_mut(key)?;
        touch(&mut entry.meta, now, self.lfu, &mut self.rng);
        Some(&mut entry.value)
    }

    /// Whether `key` is live, without counting as an access (EXISTS and
    /// TTL look keys up with Redis's `LOOKUP_NOTOUCH`).
    pub fn contains(&mut self, key: &[u8], now: u64, events: &mut Feed) -> bool {
        if self.expire_if_needed(key, now, events) && self.paused {
            return false;
        }
        self.map.contains_key(key)
    }

    /// The value at `key` whether or not its time has come, leaving it in
    /// place and untouched (Redis's bare `dictFind`, as MEMORY USAGE and
    /// OBJECT look keys up).
    pub fn peek(&self, key: &[u8]) -> Option<&Value> {
        self.map.get(key).map(|e| &e.value)
    }

    pub fn peek_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.map.get_mut(key).map(|e| &mut e.value)
    }

    /// A key's object header, if the key is in the table.
    pub fn meta(&self, key: &[u8]) -> Option<&Meta> {
        self.map.get(key).map(|e| &e.meta)
    }

    pub fn meta_mut(&mut self, key: &[u8]) -> Option<&mut Meta> {
        self.map.get_mut(key).map(|e| &mut e.meta)
    }

    /// A key's value and header with one lookup, untouched (no access).
    pub fn entry_mut(&mut self, key: &[u8]) -> Option<(&mut Value, &mut Meta)> {
        self.map.get_mut(key).map(|e| (&mut e.value, &mut e.meta))
    }

    /// Sets a value, dropping any expiry (as Redis's `setKey` does unless
    /// told to keep it).
    pub fn set(&mut self, key: &[u8], value: Value) {
        self.expires.remove(key);
        self.set_keep_ttl(key, value);
    }

    /// Replaces the value and leaves the expiry as it is. A replaced key
    /// keeps its place in SCAN's order and, under LFU, its counter (Redis's
    /// `dbSetValue`).
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value) {
        let now = self.now_hint;
        // Overwriting reuses the stored key instead of copying it again.
        match self.map.get_mut(key) {
            Some(entry) => {
                entry.value = value;
                entry.meta.enc = StrEnc::Fresh;
                entry.meta.access = now;
            }
            None => {
                let meta = Meta {
                    access: now,
                    freq: LFU_INIT_VAL,
                    freq_minute: now / 60_000,
                    enc: StrEnc::Fresh,
                };
                self.insert_entry(key, value, meta);
            }
        }
    }

    /// Adds a key that is not in the table, at the end of SCAN's order.
    fn insert_entry(&mut self, key: &[u8], value: Value, meta: Meta) {
        let pos = self.slots.len();
        let name: Name = Arc::from(key);
        self.slots.push(Slot {
            seq: self.next_seq,
            key: Some(name.clone()),
        });
        self.next_seq += 1;
        if let Some(created) = &mut self.created {
            created.push(key.to_vec()); // may wake a blocked client (blocking.rs)
        }
        if let Some(fresh) = &mut self.fresh {
            fresh.push(key.to_vec()); // a `new` notification (notify.rs)
        }
        let size = 0; // measured by `update_entry` once the write is done
        self.map.insert(
            name,
            Entry {
                value,
                pos,
                meta,
                size,
                sample: Sample::default(),
            },
        );
    }

    /// After a write: lets `f` update the key's header, then re-estimates
    /// its memory and adjusts the total, with one lookup
    /// (`Keyspace::written` calls it after every change).
    pub fn update_entry(&mut self, key: &[u8], f: impl FnOnce(&Value, &mut Meta)) {
        if let Some(entry) = self.map.get_mut(key) {
            f(&entry.value, &mut entry.meta);
            let size = measure(key, &entry.value, &mut entry.sample);
            self.used = self.used - entry.size as u64 + size as u64;
            entry.size = size;
        }
    }

    /// The estimated memory of this database's keys (see `remeasure`).
    pub fn used_memory(&self) -> u64 {
        self.used
    }

    /// A key's share of `used_memory`, as last measured.
    pub fn key_size(&self, key: &[u8]) -> Option<usize> {
        self.map.get(key).map(|e| e.size)
    }

    /// Writes a value with a given header (COPY, MOVE keep the encoding).
    pub fn set_with_meta(&mut self, key: &[u8], value: Value, meta: Meta) {
        self.remove_key(key);
        self.insert_entry(key, value, meta);
    }

    /// Removes a key and its expiry; the caller records why.
    pub fn remove_key(&mut self, key: &[u8]) -> Option<Value> {
        self.remove_entry(key).map(|(v, _)| v)
    }

    /// Removes a key and its expiry, handing back its value and header.
    pub fn remove_entry(&mut self, key: &[u8]) -> Option<(Value, Meta)> {
        self.expires.remove(key);
        let entry = self.map.remove(key)?;
        self.used -= entry.size as u64;
        self.slots[entry.pos].key = None;
        if self.map.len() * 2 < self.slots.len() && self.slots.len() > 8 {
            self.compact();
        }
        Some((entry.value, entry.meta))
    }

    /// Squeezes the holes out of `slots`, keeping every `seq`.
    fn compact(&mut self) {
        self.slots.retain(|s| s.key.is_some());
        for (pos, slot) in self.slots.iter().enumerate() {
            if let Some(entry) = slot.key.as_ref().and_then(|k| self.map.get_mut(k)) {
                entry.pos = pos;
            }
        }
    }

    /// One SCAN step: up to `count` keys (live or not: the caller filters)
    /// from `cursor` on, and the cursor to continue from, 0 when done.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Key>) {
        let start = self.slots.partition_point(|s| s.seq < cursor);
        let mut keys = Vec::new();
        let mut iter = self.slots[start..].iter().filter(|s| s.key.is_some());
        for slot in iter.by_ref() {
            keys.push(slot.key.as_deref().unwrap_or_default().to_vec());
            if keys.len() >= count {
                break;
            }
        }
        let next = iter.next().map_or(0, |s| s.seq);
        (next, keys)
    }

    /// A key picked uniformly at random, live or not (RANDOMKEY filters).
    pub fn random_key(&self, rng: &mut Rng) -> Option<Key> {
        if self.map.is_empty() {
            return None;
        }
        // At least half the slots hold a key, so this ends fast.
        loop {
            let i = rng.below(self.slots.len() as u64) as usize;
            if let Some(k) = &self.slots[i].key {
                return Some(k.to_vec());
            }
        }
    }

    /// Up to `count` distinct keys picked at random (every key when there
    /// are no more than `count`), from the volatile keys only if
    /// `volatile`: Redis's `dictGetSomeKeys` for the eviction pool.
    pub fn sample_keys(&self, count: usize, volatile: bool, rng: &mut Rng) -> Vec<Key> {
        let size = if volatile {
            self.expires.len()
        } else {
            self.map.len()
        };
        if size <= count {
            return if volatile {
                self.expires.keys.clone()
            } else {
                self.map.keys().map(|k| k.to_vec()).collect()
            };
        }
        let mut keys: Vec<Key> = Vec::with_capacity(count);
        // Distinct picks; a bound on the tries keeps a pathological run short.
        for _ in 0..count * 8 {
            if keys.len() == count {
                break;
            }
            let key = if volatile {
                self.expires.keys[rng.below(size as u64) as usize].clone()
            } else {
                match self.random_key(rng) {
                    Some(k) => k,
                    None => break,
                }
            };
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// A volatile key picked uniformly at random (volatile-random).
    pub fn random_volatile_key(&self, rng: &mut Rng) -> Option<Key> {
        if self.expires.len() == 0 {
            return None;
        }
        let i = rng.below(self.expires.len() as u64) as usize;
        Some(self.expires.keys[i].clone())
    }

    /// The absolute expiry time in ms, if any. The key must be live.
    pub fn expire_at(&self, key: &[u8]) -> Option<u64> {
        self.expires.get(key)
    }

    /// Sets an expiry on an existing key.
    pub fn set_expire(&mut self, key: &[u8], at: u64) {
        debug_assert!(self.map.contains_key(key));
        self.expires.set(key, at);
    }

    /// The earliest expiry time in this database (a scan: for the UI's
    /// "jump to next expiry", not for hot paths).
    pub fn min_expire_at(&self) -> Option<u64> {
        self.expires.by_key.values().map(|&(at, _)| at).min()
    }

    pub fn persist(&mut self, key: &[u8]) -> bool {
        self.expires.remove(key).is_some()
    }

    pub fn clear(&mut self) -> usize {
        let n = self.map.len();
        self.map.clear();
        self.slots.clear();
        self.expires.clear();
        self.used = 0;
        n
    }

    /// Every key, expired or not; callers filter with `is_live`.
    pub fn raw_keys(&self) -> impl Iterator<Item = (&[u8], &Value)> {
        self.map.iter().map(|(k, e)| (&**k, &e.value))
    }

    /// False for a key whose expiry has passed but which nobody has removed
    /// yet (Redis hides those from KEYS, SCAN, EXISTS alike).
    pub fn is_live(&self, key: &[u8], now: u64) -> bool {
        self.map.contains_key(key) && self.expires.get(key).is_none_or(|at| at > now)
    }

    /// One run of Redis's active expiry cycle at time `now`: sample random
    /// volatile keys, remove the expired ones, and go on while the share of
    /// expired keys in a sample stays above 10%.
    pub fn active_expire_cycle(&mut self, now: u64, rng: &mut Rng, events: &mut Feed) {
        for _ in 0..MAX_LOOPS_PER_CYCLE {
            let volatile = self.expires.len();
            if volatile == 0 {
                return;
            }
            let sampled = volatile.min(KEYS_PER_LOOP);
            let mut expired = 0;
            for _ in 0..sampled {
                if self.expires.len() == 0 {
                    break;
                }
                let slot = rng.below(self.expires.len() as u64) as usize;
                let key = self.expires.keys[slot].clone();
                if self.expires.get(&key).is_some_and(|at| at <= now) {
                    self.remove_key(&key);
                    events.push(Event::Removed {
                        db: self.index,
                        key,
                        cause: Removal::ExpiredActive,
                    });
                    expired += 1;
                }
            }
            if expired * 100 <= sampled * ACCEPTABLE_STALE_PERCENT {
                return;
            }
        }
    }
}

/// One access to a key: Redis's `updateLFU` under an LFU policy (decay by
/// the minutes passed, then a logarithmic increment), else its LRU clock.
fn touch(meta: &mut Meta, now: u64, lfu: Option<Lfu>, rng: &mut Rng) {
    meta.access = now;
    if let Some(lfu) = lfu {
        let counter = lfu_decayed(meta, now, lfu);
        meta.freq = lfu_log_incr(counter, lfu.log_factor, rng);
        meta.freq_minute = now / 60_000;
    }
}

/// Redis's `LFUDecrAndReturn`: the counter less one for every
/// `lfu-decay-time` minutes since it was last decayed.
pub fn lfu_decayed(meta: &Meta, now: u64, lfu: Lfu) -> u8 {
    let elapsed = (now / 60_000).saturating_sub(meta.freq_minute);
    let periods = elapsed.checked_div(lfu.decay_time).unwrap_or(0);
    u64::from(meta.freq).saturating_sub(periods) as u8
}

/// Redis's `LFULogIncr`: up by one with probability
/// `1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1)`, to at most 255.
fn lfu_log_incr(counter: u8, log_factor: u64, rng: &mut Rng) -> u8 {
    if counter == 255 {
        return 255;
    }
    let base = u64::from(counter.saturating_sub(LFU_INIT_VAL));
    let odds = base.saturating_mul(log_factor).saturating_add(1);
    if rng.below(odds) == 0 {
        counter + 1
    } else {
        counter
    }
}
