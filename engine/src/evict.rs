//! maxmemory and eviction (Redis's `evict.c`): before each command the
//! engine compares its used memory with `maxmemory` and, over it, evicts
//! keys as `maxmemory-policy` says, with Redis's sampled approximation:
//!
//! - LRU, LFU and TTL policies sample `maxmemory-samples` keys of every
//!   database (all keys, or only the volatile ones) into a pool of the 16
//!   best candidates seen so far, which outlives the command, and evict
//!   the best live one (the most idle, the least frequently used, the
//!   soonest to expire);
//! - the random policies evict a random key of the next database in turn;
//! - `noeviction`, or nothing left to evict (volatile-* without volatile
//!   keys), fails, and a command flagged `denyoom` is refused with the OOM
//!   error.
//!
//! Used memory is [`Engine::used_memory`]: a fixed start-up figure plus
//! every key's estimate, kept up to date per key by `db.rs`.
//!
//! One deliberate difference from Redis: with `maxmemory 0` (no limit,
//! Redis's default, and what CONFIG GET answers) the engine still refuses
//! `denyoom` commands once the estimate passes [`SAFETY_CAP`], so a
//! runaway script cannot exhaust a browser tab.

use crate::commands::{errors, Spec};
use crate::db::{lfu_decayed, Lfu};
use crate::engine::{ClientId, Engine};
use crate::event::{Candidate, Event, Removal, Score};
use crate::reply::Reply;

/// The engine's own limit on its estimated memory while `maxmemory` is 0:
/// 512 MB.
pub const SAFETY_CAP: u64 = 512 * 1024 * 1024;

/// Redis's `EVPOOL_SIZE`.
pub const POOL_SIZE: usize = 16;

/// One candidate in the pool: `rank` is Redis's `idle` field, a score
/// where higher means a better candidate whatever the policy.
#[derive(Clone, Debug)]
struct PoolEntry {
    db: usize,
    key: Vec<u8>,
    rank: u64,
    score: Score,
}

/// The eviction state that outlives a command.
#[derive(Clone, Debug)]
pub struct Evictor {
    /// Redis's `EvictionPoolLRU`: ascending by rank (the best candidate
    /// last), at most [`POOL_SIZE`] entries.
    pool: Vec<PoolEntry>,
    /// The random policies' `next_db`: the database visited first next time.
    next_db: usize,
    /// INFO's `evicted_keys` (CONFIG RESETSTAT zeroes it).
    pub evicted_keys: u64,
    /// The limit applied while `maxmemory` is 0 ([`SAFETY_CAP`]).
    pub cap: u64,
}

impl Default for Evictor {
    fn default() -> Evictor {
        Evictor {
            pool: Vec::with_capacity(POOL_SIZE),
            next_db: 0,
            evicted_keys: 0,
            cap: SAFETY_CAP,
        }
    }
}

/// What `maxmemory-policy` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    Lru,
    Lfu,
    Ttl,
    Random,
}

/// The policy's rule and whether it picks among volatile keys only;
/// `None` for noeviction.
fn rule(policy: &str) -> Option<(Rule, bool)> {
    let (scope, rule) = policy.split_once('-')?;
    let rule = match rule {
        "lru" => Rule::Lru,
        "lfu" => Rule::Lfu,
        "ttl" => Rule::Ttl,
        "random" => Rule::Random,
        _ => return None,
    };
    Some((rule, scope == "volatile"))
}

/// The check Redis's `processCommand` makes before running a command:
/// with a `maxmemory`, evict down to it (before every command, reads
/// included); a command is refused if that failed (or if the estimate is
/// over the engine's safety cap) and it is `denyoom`, or EXEC of a queue
/// holding one, or anything but EXEC, DISCARD, QUIT and RESET inside
/// MULTI (queueing must not grow memory either). `None`: go ahead.
pub fn before_command(e: &mut Engine, spec: &Spec, client: ClientId) -> Option<Reply> {
    if crate::tx::in_exec(e, client) {
        return None; // EXEC was checked; its queue runs without the check
    }
    let over = if e.config.maxmemory > 0 {
        !perform_evictions(e)
    } else {
        e.used_memory() > e.evict.cap
    };
    if !over {
        return None;
    }
    let denyoom = |s: &Spec| s.flags & crate::commands::packed::DENYOOM != 0;
    let queue = e
        .clients
        .get(&client)
        .and_then(|c| c.session.multi.as_ref());
    let refused = match spec.name {
        "exec" => queue.is_some_and(|q| {
            q.iter()
                .any(|argv| crate::commands::check(argv).0.is_some_and(denyoom))
        }),
        "discard" | "quit" | "reset" => false,
        _ => queue.is_some() || denyoom(spec),
    };
    refused.then(errors::out_of_memory)
}

/// Redis's `performEvictions`: true if the used memory is (now) within
/// `maxmemory` or there is no limit; false if it stays over because the
/// policy forbids evicting or nothing is left to evict.
pub fn perform_evictions(e: &mut Engine) -> bool {
    let max = e.config.maxmemory;
    let used = e.used_memory();
    if max == 0 || used <= max {
        return true;
    }
    if e.paused() {
        // A pause keeps the data set constant, and refuses nothing for
        // memory either (Redis's `isSafeToPerformEvictions`): a write
        // over the limit waits for the pause's end instead (pause.rs).
        return true;
    }
    let policy = e.config.policy_name();
    let Some((rule, volatile)) = rule(policy) else {
        return false; // noeviction
    };
    let to_free = used - max;
    let mut freed = 0u64;
    while freed < to_free {
        let pick = match rule {
            Rule::Random => pick_random(e, volatile),
            _ => pick_from_pool(e, rule, volatile, policy),
        };
        let Some((db, key)) = pick else {
            return false;
        };
        freed += e.dbs[db].key_size(&key).unwrap_or(0) as u64;
        e.dbs[db].remove_key(&key);
        e.evict.evicted_keys += 1;
        e.events.push(Event::Removed {
            db,
            key,
            cause: Removal::Evicted { policy },
        });
    }
    true
}

/// volatile-random and allkeys-random: a random key of the first database,
/// from the one after last time's on, that has one.
fn pick_random(e: &mut Engine, volatile: bool) -> Option<(usize, Vec<u8>)> {
    let n = e.dbs.len();
    for _ in 0..n {
        e.evict.next_db = (e.evict.next_db + 1) % n;
        let db = &e.dbs[e.evict.next_db];
        let key = if volatile {
            db.random_volatile_key(&mut e.rng)
        } else {
            db.random_key(&mut e.rng)
        };
        if let Some(key) = key {
            return Some((e.evict.next_db, key));
        }
    }
    None
}

/// The LRU, LFU and TTL policies: fill the pool from every database, then
/// take the best candidate still there (a key deleted, or no longer
/// volatile, since it was sampled is a ghost: dropped, and the next best
/// tried); sample again if the pool ran out.
fn pick_from_pool(
    e: &mut Engine,
    rule: Rule,
    volatile: bool,
    policy: &'static str,
) -> Option<(usize, Vec<u8>)> {
    loop {
        let mut total = 0;
        for index in 0..e.dbs.len() {
            let keys = if volatile {
                e.dbs[index].volatile_len()
            } else {
                e.dbs[index].len()
            };
            if keys > 0 {
                populate(e, index, rule, volatile);
                total += keys;
            }
        }
        if total == 0 {
            return None;
        }
        let pool = &e.evict.pool;
        e.events.record(|| Event::EvictionPool {
            policy,
            candidates: pool
                .iter()
                .map(|c| Candidate {
                    db: c.db,
                    key: c.key.clone(),
                    score: c.score,
                })
                .collect(),
        });
        while let Some(best) = e.evict.pool.pop() {
            let db = &e.dbs[best.db];
            let live = if volatile {
                db.expire_at(&best.key).is_some()
            } else {
                db.meta(&best.key).is_some()
            };
            if live {
                return Some((best.db, best.key));
            }
        }
    }
}

/// Redis's `evictionPoolPopulate`: sample keys of database `index` and
/// insert each into the pool by rank, unless the pool is full of better
/// ones; a full pool drops its worst entry to make room.
fn populate(e: &mut Engine, index: usize, rule: Rule, volatile: bool) {
    let now = e.now;
    let lfu = Lfu {
        log_factor: e.config.lfu_log_factor as u64,
        decay_time: e.config.lfu_decay_time as u64,
    };
    let samples = usize::try_from(e.config.maxmemory_samples.max(1)).unwrap_or(usize::MAX);
    let db = &e.dbs[index];
    for key in db.sample_keys(samples, volatile, &mut e.rng) {
        let Some(meta) = db.meta(&key) else { continue };
        let (rank, score) = match rule {
            Rule::Lru => {
                let idle = now.saturating_sub(meta.access);
                (idle, Score::Idle(idle))
            }
            Rule::Lfu => {
                let freq = lfu_decayed(meta, now, lfu);
                (255 - u64::from(freq), Score::Freq(freq))
            }
            Rule::Ttl | Rule::Random => {
                let Some(at) = db.expire_at(&key) else {
                    continue;
                };
                (u64::MAX - at, Score::ExpiresAt(at))
            }
        };
        let pool = &mut e.evict.pool;
        // A key sampled again takes its new score (Redis would hold it twice).
        pool.retain(|c| c.db != index || c.key != key);
        let k = pool
            .iter()
            .position(|c| c.rank >= rank)
            .unwrap_or(pool.len());
        let entry = PoolEntry {
            db: index,
            key,
            rank,
            score,
        };
        if pool.len() < POOL_SIZE {
            pool.insert(k, entry);
        } else if k > 0 {
            pool.remove(0);
            pool.insert(k - 1, entry);
        }
    }
}

impl Engine {
    /// The engine's used memory, as INFO's `used_memory` and MEMORY STATS
    /// report it and maxmemory compares it: Redis's memory at start-up plus
    /// every key's estimate.
    pub fn used_memory(&self) -> u64 {
        crate::commands::memory::STARTUP_ALLOCATED
            + self.dbs.iter().map(|db| db.used_memory()).sum::<u64>()
    }

    /// Sets the engine's own memory cap, applied while `maxmemory` is 0
    /// (default [`SAFETY_CAP`]).
    pub fn set_memory_cap(&mut self, bytes: u64) {
        self.evict.cap = bytes;
    }
}

#[cfg(test)]
#[path = "evict_tests.rs"]
mod tests;
