//! One database: the keyspace, its expiry index, and the two ways keys
//! expire (Redis's `expireIfNeeded` and `activeExpireCycle`).

use rustc_hash::FxHashMap as HashMap;

use crate::event::{Event, Feed, Removal};
use crate::rng::Rng;
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

#[derive(Clone, Default, Debug)]
pub struct Db {
    pub index: usize,
    map: HashMap<Key, Value>,
    expires: ExpireIndex,
}

/// Redis's active expiry samples this many volatile keys per loop ...
const KEYS_PER_LOOP: usize = 20;
/// ... and loops again while more than this percentage of a sample had expired.
const ACCEPTABLE_STALE_PERCENT: usize = 10;
/// A bound on loops per cycle, standing in for Redis's 25 ms time limit.
const MAX_LOOPS_PER_CYCLE: usize = 256;

impl Db {
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

    /// The live value at `key`, expiring it first if due.
    pub fn get(&mut self, key: &[u8], now: u64, events: &mut Feed) -> Option<&Value> {
        self.expire_if_needed(key, now, events);
        self.map.get(key)
    }

    /// The value at `key` whether or not its time has come, leaving it in
    /// place (Redis's bare `dictFind`, as MEMORY USAGE looks keys up).
    pub fn peek(&self, key: &[u8]) -> Option<&Value> {
        self.map.get(key)
    }

    pub fn get_mut(&mut self, key: &[u8], now: u64, events: &mut Feed) -> Option<&mut Value> {
        self.expire_if_needed(key, now, events);
        self.map.get_mut(key)
    }

    pub fn contains(&mut self, key: &[u8], now: u64, events: &mut Feed) -> bool {
        self.get(key, now, events).is_some()
    }

    /// Sets a value, dropping any expiry (as Redis's `setKey` does unless
    /// told to keep it).
    pub fn set(&mut self, key: &[u8], value: Value) {
        self.expires.remove(key);
        self.set_keep_ttl(key, value);
    }

    /// Replaces the value and leaves the expiry as it is.
    pub fn set_keep_ttl(&mut self, key: &[u8], value: Value) {
        // Overwriting reuses the stored key instead of copying it again.
        match self.map.get_mut(key) {
            Some(slot) => *slot = value,
            None => {
                self.map.insert(key.to_vec(), value);
            }
        }
    }

    /// Removes a key and its expiry; the caller records why.
    pub fn remove_key(&mut self, key: &[u8]) -> Option<Value> {
        self.expires.remove(key);
        self.map.remove(key)
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
        self.expires.clear();
        n
    }

    /// Every key, expired or not; callers filter with `is_live`.
    pub fn raw_keys(&self) -> impl Iterator<Item = (&Key, &Value)> {
        self.map.iter()
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
