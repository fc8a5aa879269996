//! maxmemory and eviction on the virtual clock: what each policy removes
//! given the engine's fixed seed, and that the sampled LRU/LFU evict what
//! a learner would expect most of the time.

use super::*;
use crate::engine::ClientId;
use crate::event::Removal;
use crate::rng::Rng;

const T0: u64 = 1_700_000_000_000;
const STARTUP: u64 = crate::commands::memory::STARTUP_ALLOCATED;
const OOM: &str = "(error) OOM command not allowed when used memory > 'maxmemory'.";

fn engine() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

fn run(e: &mut Engine, c: ClientId, line: &str) -> String {
    let text = e.execute_line(c, line).remove(0).to_cli();
    text.trim_end_matches('\n').to_string()
}

/// The keys evicted since the events were last drained, in order.
fn evicted(e: &mut Engine) -> Vec<String> {
    e.take_events()
        .into_iter()
        .filter_map(|ev| match ev {
            Event::Removed {
                key,
                cause: Removal::Evicted { .. },
                ..
            } => Some(String::from_utf8_lossy(&key).into_owned()),
            _ => None,
        })
        .collect()
}

/// Sets `maxmemory` one byte under the used memory, so that the next
/// command evicts exactly one key (every key costs more than a byte).
fn squeeze_one(e: &mut Engine) {
    e.config.maxmemory = e.used_memory() - 1;
}

/// The sum of the keys' current estimates, from scratch.
fn recomputed(e: &Engine) -> u64 {
    let keys: u64 = e
        .dbs
        .iter()
        .flat_map(|db| db.raw_keys())
        .map(|(k, v)| crate::types::memory::estimate(k, v) as u64)
        .sum();
    crate::commands::memory::STARTUP_ALLOCATED + keys
}

#[test]
fn the_running_total_follows_every_write_and_removal() {
    let (mut e, c) = engine();
    let start = e.used_memory();
    assert_eq!(start, crate::commands::memory::STARTUP_ALLOCATED);
    for line in [
        "SET s hello",
        "APPEND s world",
        "INCR n",
        "RPUSH l a b c d e f g h i j k l m n o p q r s t u v w x y z",
        "LPOP l 3",
        "HSET h f1 v1 f2 v2",
        "SADD st 1 2 3",
        "SADD st x",
        "ZADD z 1 a 2 b",
        "RENAME s s2",
        "COPY s2 s3",
        "MOVE s3 1",
        "SWAPDB 0 1",
        "SWAPDB 0 1",
        "EXPIRE h 100",
        "HDEL h f1",
        "SREM st 1 2 3 x",
        "DEL n",
    ] {
        run(&mut e, c, line);
        assert_eq!(e.used_memory(), recomputed(&e), "after {line}");
    }
    assert!(e.used_memory() > start);
    e.advance(200_000); // h expires
    assert_eq!(e.used_memory(), recomputed(&e));
    run(&mut e, c, "FLUSHALL");
    assert_eq!(e.used_memory(), start);
}

#[test]
fn info_and_memory_stats_report_the_same_total() {
    let (mut e, c) = engine();
    run(&mut e, c, "MSET a 1 b 2 c hello");
    let used = e.used_memory();
    let info = run(&mut e, c, "INFO memory");
    assert!(
        info.contains(&format!("used_memory:{used}\\r\\n")),
        "{info}"
    );
    let stats = e.execute_line(c, "MEMORY STATS").remove(0);
    let Reply::Array(fields) = stats else {
        panic!("{stats:?}")
    };
    assert_eq!(fields[2], Reply::bulk("total.allocated"));
    assert_eq!(fields[3], Reply::Integer(used as i64));
}

#[test]
fn noeviction_refuses_denyoom_commands_only() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k v");
    assert_eq!(run(&mut e, c, "CONFIG SET maxmemory 1"), "OK");
    assert_eq!(run(&mut e, c, "SET k2 v"), OOM);
    assert_eq!(run(&mut e, c, "RPUSH l a"), OOM);
    assert_eq!(run(&mut e, c, "GET k"), "\"v\"");
    assert_eq!(run(&mut e, c, "EXPIRE k 100"), "(integer) 1"); // write, not denyoom
    assert_eq!(run(&mut e, c, "DEL k"), "(integer) 1");
    assert_eq!(run(&mut e, c, "SET k2 v"), OOM); // still over: the start-up figure
    assert_eq!(run(&mut e, c, "CONFIG SET maxmemory 0"), "OK");
    assert_eq!(run(&mut e, c, "SET k2 v"), "OK");
    assert!(evicted(&mut e).is_empty());
}

#[test]
fn volatile_policies_without_volatile_keys_fail() {
    for policy in [
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
    ] {
        let (mut e, c) = engine();
        run(&mut e, c, "MSET a 1 b 2");
        run(&mut e, c, "SET t 1 EX 100");
        run(&mut e, c, &format!("CONFIG SET maxmemory-policy {policy}"));
        assert_eq!(run(&mut e, c, "CONFIG SET maxmemory 1"), "OK");
        // The volatile key goes at once; the others stay, and writes fail.
        assert_eq!(evicted(&mut e), ["t"], "{policy}");
        assert_eq!(run(&mut e, c, "SET c 3"), OOM, "{policy}");
        assert_eq!(run(&mut e, c, "DBSIZE"), "(integer) 2", "{policy}");
        assert_eq!(e.evict.evicted_keys, 1);
    }
}

#[test]
fn allkeys_policies_empty_every_database_under_a_tiny_limit() {
    for policy in ["allkeys-lru", "allkeys-lfu", "allkeys-random"] {
        let (mut e, c) = engine();
        run(&mut e, c, "MSET a 1 b 2 c 3");
        run(&mut e, c, "SELECT 3");
        run(&mut e, c, "RPUSH l x y");
        run(&mut e, c, &format!("CONFIG SET maxmemory-policy {policy}"));
        run(&mut e, c, "CONFIG SET maxmemory 1");
        let mut gone = evicted(&mut e);
        gone.sort();
        assert_eq!(gone, ["a", "b", "c", "l"], "{policy}");
        assert_eq!(run(&mut e, c, "SET k v"), OOM);
        let info = run(&mut e, c, "INFO stats");
        assert!(info.contains("evicted_keys:4\\r\\n"), "{policy}");
        run(&mut e, c, "CONFIG RESETSTAT");
        assert!(run(&mut e, c, "INFO stats").contains("evicted_keys:0\\r\\n"));
        assert_eq!(e.used_memory(), crate::commands::memory::STARTUP_ALLOCATED);
    }
}

#[test]
fn eviction_names_its_policy_and_its_pool() {
    let (mut e, c) = engine();
    run(&mut e, c, "CONFIG SET maxmemory-policy volatile-ttl");
    run(&mut e, c, "SET soon v PX 5000");
    run(&mut e, c, "SET later v PX 9000");
    run(&mut e, c, "SET never v");
    e.take_events();
    squeeze_one(&mut e);
    run(&mut e, c, "PING");
    let events = e.take_events();
    let pool = events
        .iter()
        .find_map(|ev| match ev {
            Event::EvictionPool { policy, candidates } => Some((*policy, candidates.clone())),
            _ => None,
        })
        .expect("a pool event");
    assert_eq!(pool.0, "volatile-ttl");
    let keys: Vec<&[u8]> = pool.1.iter().map(|c| c.key.as_slice()).collect();
    assert_eq!(keys, [&b"later"[..], b"soon"], "worst first, the pick last");
    assert_eq!(pool.1[1].score, Score::ExpiresAt(T0 + 5000));
    assert!(events.contains(&Event::Removed {
        db: 0,
        key: b"soon".to_vec(),
        cause: Removal::Evicted {
            policy: "volatile-ttl"
        },
    }));
}

/// With no more keys than `maxmemory-samples`, every key is sampled, so
/// each policy's pick is determined; the random ones follow the seed.
#[test]
fn which_key_each_policy_evicts() {
    let cases: &[(&str, &str)] = &[
        ("allkeys-lru", "idle"),
        ("volatile-lru", "vidle"),
        ("allkeys-lfu", "idle"),
        ("volatile-lfu", "vidle"),
        ("volatile-ttl", "vbusy"),
        ("allkeys-random", "vbusy"),
        ("volatile-random", "vbusy"),
    ];
    for &(policy, want) in cases {
        let (mut e, c) = engine();
        run(&mut e, c, &format!("CONFIG SET maxmemory-policy {policy}"));
        run(&mut e, c, "SET idle v");
        run(&mut e, c, "SET vidle v EX 1000");
        e.advance(60_000);
        run(&mut e, c, "SET busy v");
        run(&mut e, c, "SET vbusy v EX 100");
        for _ in 0..20 {
            e.advance(1_000);
            run(&mut e, c, "GET busy");
            run(&mut e, c, "GET vbusy");
        }
        e.take_events();
        squeeze_one(&mut e);
        run(&mut e, c, "PING");
        assert_eq!(evicted(&mut e), [want], "{policy}");
    }
}

/// 100 trials, each with its own seed: 10 keys idle for a minute and 10
/// used a moment ago; one eviction. The sampled LRU (5 samples per round)
/// should take an idle key nearly every time (a sample of 5 misses all
/// 10 idle keys with odds 1.6%).
#[test]
fn sampled_lru_evicts_an_idle_key_most_of_the_time() {
    let mut idle_picked = 0;
    for trial in 0..100 {
        let (mut e, c) = engine();
        e.rng = Rng::new(trial + 1);
        run(&mut e, c, "CONFIG SET maxmemory-policy allkeys-lru");
        for i in 0..10 {
            run(&mut e, c, &format!("SET idle{i} v"));
        }
        e.advance(60_000);
        for i in 0..10 {
            run(&mut e, c, &format!("SET hot{i} v"));
        }
        e.take_events();
        squeeze_one(&mut e);
        run(&mut e, c, "PING");
        let gone = evicted(&mut e);
        assert_eq!(gone.len(), 1);
        if gone[0].starts_with("idle") {
            idle_picked += 1;
        }
    }
    assert!(idle_picked >= 90, "{idle_picked} of 100");
}

/// The same for LFU: 10 keys read 50 times each, 10 never read.
#[test]
fn sampled_lfu_evicts_a_rarely_used_key_most_of_the_time() {
    let mut cold_picked = 0;
    for trial in 0..100 {
        let (mut e, c) = engine();
        e.rng = Rng::new(trial + 1);
        run(&mut e, c, "CONFIG SET maxmemory-policy allkeys-lfu");
        for i in 0..10 {
            run(&mut e, c, &format!("SET cold{i} v"));
            run(&mut e, c, &format!("SET hot{i} v"));
        }
        for _ in 0..50 {
            for i in 0..10 {
                run(&mut e, c, &format!("GET hot{i}"));
            }
        }
        e.take_events();
        squeeze_one(&mut e);
        run(&mut e, c, "PING");
        let gone = evicted(&mut e);
        assert_eq!(gone.len(), 1);
        if gone[0].starts_with("cold") {
            cold_picked += 1;
        }
    }
    assert!(cold_picked >= 90, "{cold_picked} of 100");
}

/// The pool outlives a command: a second eviction can take the next best
/// candidate of the first round's samples.
#[test]
fn the_pool_persists_between_evictions() {
    let (mut e, c) = engine();
    run(&mut e, c, "CONFIG SET maxmemory-policy allkeys-lru");
    for (i, name) in ["a", "b", "c"].iter().enumerate() {
        run(&mut e, c, &format!("SET {name} v"));
        e.advance(1_000 * (i as u64 + 1));
    }
    squeeze_one(&mut e);
    run(&mut e, c, "PING");
    assert_eq!(evicted(&mut e), ["a"]);
    assert_eq!(e.evict.pool.len(), 2);
    squeeze_one(&mut e);
    run(&mut e, c, "PING");
    assert_eq!(evicted(&mut e), ["b"]);
}

#[test]
fn the_safety_cap_refuses_growth_while_maxmemory_is_zero() {
    let (mut e, c) = engine();
    e.set_memory_cap(crate::commands::memory::STARTUP_ALLOCATED + 1_000);
    assert_eq!(
        run(&mut e, c, &format!("SET big {}", "x".repeat(2_000))),
        "OK"
    );
    assert_eq!(run(&mut e, c, "SET k v"), OOM);
    assert_eq!(
        run(&mut e, c, "CONFIG GET maxmemory"),
        "1) \"maxmemory\"\n2) \"0\""
    );
    assert_eq!(run(&mut e, c, "STRLEN big"), "(integer) 2000");
    assert_eq!(run(&mut e, c, "DEL big"), "(integer) 1");
    assert_eq!(run(&mut e, c, "SET k v"), "OK");
    assert_eq!(
        e.evict.cap,
        crate::commands::memory::STARTUP_ALLOCATED + 1_000
    );
    assert_eq!(Evictor::default().cap, SAFETY_CAP);
}

/// A big aggregate written one element at a time is scaled by its length
/// between full estimates: the total stays near a fresh estimate.
#[test]
fn scaled_estimates_of_big_aggregates_stay_close() {
    let (mut e, c) = engine();
    for i in 0..2_000 {
        run(&mut e, c, &format!("RPUSH l element-{i}"));
        run(
            &mut e,
            c,
            &format!("HSET h field-{i} {}", "v".repeat(i % 50)),
        );
    }
    let (used, fresh) = (e.used_memory(), recomputed(&e));
    let diff = used.abs_diff(fresh) as f64 / (fresh - STARTUP) as f64;
    assert!(diff < 0.05, "{used} vs {fresh}");
    run(&mut e, c, "DEL l h");
    assert_eq!(e.used_memory(), STARTUP);
}
