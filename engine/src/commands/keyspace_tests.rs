//! Unit tests of the keyspace commands and of SCAN's guarantee; expected
//! replies are what redis-server 7.0.15 answered to the same lines.

use std::collections::BTreeSet;

use crate::commands::parse_cursor;
use crate::commands::test_support::*;
use crate::engine::{ClientId, Engine};
use crate::reply::Reply;
use crate::rng::Rng;

/// One SCAN call: the next cursor and the keys.
fn scan(e: &mut Engine, c: ClientId, cursor: u64, count: usize) -> (u64, Vec<String>) {
    let line = format!("SCAN {cursor} COUNT {count}");
    let Reply::Array(page) = e.execute_line(c, &line).remove(0) else {
        panic!("SCAN answers an array");
    };
    let (Reply::Bulk(next), Reply::Array(keys)) = (&page[0], &page[1]) else {
        panic!("SCAN answers [cursor, keys]");
    };
    let next = String::from_utf8_lossy(next)
        .parse()
        .expect("a numeric cursor");
    let keys = keys
        .iter()
        .map(|k| match k {
            Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
            other => panic!("a key, not {other:?}"),
        })
        .collect();
    (next, keys)
}

#[test]
fn cursors_read_as_strtoul() {
    assert_eq!(parse_cursor(b"0"), Some(0));
    assert_eq!(parse_cursor(b"00"), Some(0));
    assert_eq!(parse_cursor(b"+5"), Some(5));
    assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
    assert_eq!(parse_cursor(b""), Some(0));
    assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
    // strtoul stops at a NUL, and Redis checks only that it stopped there.
    assert_eq!(parse_cursor(b"7\0x"), Some(7));
    for bad in [
        &b"18446744073709551616"[..],
        b"x",
        b" 5",
        b"5 ",
        b"-",
        b"+",
        b"1.5",
    ] {
        assert_eq!(parse_cursor(bad), None, "{bad:?}");
    }
}

/// Redis's guarantee: a key present from the start to the end of a full
/// iteration is returned, whatever is added and removed in between (here
/// exactly once), including while the table grows and is compacted.
#[test]
fn scan_returns_every_key_present_for_the_whole_iteration() {
    for seed in 1..=20u64 {
        let (mut e, c) = engine();
        let mut rng = Rng::new(seed);
        let mut live: BTreeSet<String> = BTreeSet::new();
        for i in 0..200 {
            let k = format!("k{i}");
            run(&mut e, c, &format!("SET {k} v"));
            live.insert(k);
        }
        let at_start = live.clone();
        let mut removed_during: BTreeSet<String> = BTreeSet::new();
        let mut seen: Vec<String> = Vec::new();
        let mut cursor = 0;
        let mut next_new = 200;
        loop {
            let (next, keys) = scan(&mut e, c, cursor, 1 + rng.below(15) as usize);
            seen.extend(keys);
            // Churn between calls: deletions, and insertions that grow the
            // table well past its starting size.
            for _ in 0..rng.below(30) {
                if rng.below(2) == 0 && !live.is_empty() {
                    let i = rng.below(live.len() as u64) as usize;
                    let k = live.iter().nth(i).cloned().expect("in range");
                    run(&mut e, c, &format!("DEL {k}"));
                    live.remove(&k);
                    removed_during.insert(k);
                } else {
                    let k = format!("k{next_new}");
                    next_new += 1;
                    run(&mut e, c, &format!("SET {k} v"));
                    live.insert(k);
                }
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
        let seen_set: BTreeSet<String> = seen.iter().cloned().collect();
        assert_eq!(seen.len(), seen_set.len(), "seed {seed}: a key came twice");
        for k in at_start.difference(&removed_during) {
            assert!(seen_set.contains(k), "seed {seed}: {k} was never returned");
        }
        // Nothing that never existed.
        assert!(seen_set.iter().all(|k| k.starts_with('k')));
    }
}

#[test]
fn scan_skips_and_removes_expired_keys() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET a v PX 10");
    run(&mut e, c, "SET b v");
    e.now += 20; // no cron: only SCAN can see it expired
    assert_eq!(scan(&mut e, c, 0, 100), (0, vec!["b".to_string()]));
    assert_eq!(run(&mut e, c, "DBSIZE"), "(integer) 1");
}

#[test]
fn scan_options_and_errors() {
    let (mut e, c) = engine();
    run(&mut e, c, "MSET a 1 b 2");
    run(&mut e, c, "RPUSH l x");
    check(
        &mut e,
        c,
        &[
            ("SCAN 0 COUNT 10 TYPE list", "1) \"0\"\n2) 1) \"l\""),
            ("SCAN 0 MATCH b", "1) \"0\"\n2) 1) \"b\""),
            ("SCAN 0 TYPE nosuch", "1) \"0\"\n2) (empty array)"),
            ("SCAN x", "(error) ERR invalid cursor"),
            ("SCAN 0 COUNT 0", "(error) ERR syntax error"),
            (
                "SCAN 0 COUNT x",
                "(error) ERR value is not an integer or out of range",
            ),
            ("SCAN 0 MATCH", "(error) ERR syntax error"),
            ("SCAN 0 foo bar", "(error) ERR syntax error"),
        ],
    );
    // A small COUNT pages through; the last page ends with cursor 0.
    let (next, keys) = scan(&mut e, c, 0, 2);
    assert_eq!(keys.len(), 2);
    assert_ne!(next, 0);
    let (last, rest) = scan(&mut e, c, next, 2);
    assert_eq!((last, rest.len()), (0, 1));
}

#[test]
fn randomkey_on_empty_and_single_key_databases() {
    let (mut e, c) = engine();
    check(&mut e, c, &[("RANDOMKEY", "(nil)"), ("SET k v", "OK")]);
    for _ in 0..5 {
        assert_eq!(run(&mut e, c, "RANDOMKEY"), "\"k\"");
    }
    run(&mut e, c, "PEXPIRE k 5");
    e.now += 10;
    assert_eq!(run(&mut e, c, "RANDOMKEY"), "(nil)");
    assert_eq!(run(&mut e, c, "DBSIZE"), "(integer) 0");
}

#[test]
fn copy_move_and_swapdb() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET k v EX 100", "OK"),
            (
                "COPY k k",
                "(error) ERR source and destination objects are the same",
            ),
            ("COPY k k2", "(integer) 1"),
            ("TTL k2", "(integer) 100"),
            ("COPY k k2", "(integer) 0"),
            ("COPY k k2 REPLACE", "(integer) 1"),
            ("COPY k k DB 1", "(integer) 1"),
            ("COPY k k DB 16", "(error) ERR DB index is out of range"),
            ("COPY k x DB", "(error) ERR syntax error"),
            ("MOVE k 1", "(integer) 0"),
            ("MOVE k2 1", "(integer) 1"),
            (
                "MOVE k 0",
                "(error) ERR source and destination objects are the same",
            ),
            ("MOVE k 16", "(error) ERR DB index is out of range"),
            (
                "MOVE k 99999999999",
                "(error) ERR value is out of range, value must between -2147483648 and 2147483647",
            ),
            ("DBSIZE", "(integer) 1"),
            ("SWAPDB 0 1", "OK"),
            ("DBSIZE", "(integer) 2"),
            ("TTL k2", "(integer) 100"),
            ("SWAPDB x 0", "(error) ERR invalid first DB index"),
            ("SWAPDB 0 x", "(error) ERR invalid second DB index"),
            ("SWAPDB 0 16", "(error) ERR DB index is out of range"),
        ],
    );
    // The swapped databases keep their own index (events name the right one).
    assert_eq!(e.dbs[0].index, 0);
    assert_eq!(e.dbs[1].index, 1);
}

#[test]
fn string_encodings_follow_the_writing_command() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET a 12", "OK"),
            ("OBJECT ENCODING a", "\"int\""),
            ("OBJECT REFCOUNT a", "(integer) 2147483647"),
            ("SET b 10000", "OK"),
            ("OBJECT REFCOUNT b", "(integer) 1"),
            ("APPEND c 12", "(integer) 2"),
            ("OBJECT ENCODING c", "\"int\""),
            ("APPEND c 3", "(integer) 3"),
            ("OBJECT ENCODING c", "\"raw\""),
            ("INCR c", "(integer) 124"),
            ("OBJECT ENCODING c", "\"int\""),
            ("INCRBYFLOAT f 1", "\"1\""),
            ("OBJECT ENCODING f", "\"embstr\""),
            ("SETRANGE r 0 x", "(integer) 1"),
            ("OBJECT ENCODING r", "\"raw\""),
            ("SET e \"\"", "OK"),
            ("OBJECT ENCODING e", "\"embstr\""),
            ("OBJECT ENCODING nokey", "(nil)"),
            (
                "OBJECT ENCODING",
                "(error) ERR wrong number of arguments for 'object|encoding' command",
            ),
            (
                "OBJECT foo",
                "(error) ERR unknown subcommand 'foo'. Try OBJECT HELP.",
            ),
        ],
    );
}

#[test]
fn idletime_counts_seconds_since_the_last_access() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k v");
    e.advance(5_000);
    assert_eq!(run(&mut e, c, "OBJECT IDLETIME k"), "(integer) 5");
    // EXISTS and TTL do not touch; GET does.
    run(&mut e, c, "EXISTS k");
    run(&mut e, c, "TTL k");
    assert_eq!(run(&mut e, c, "OBJECT IDLETIME k"), "(integer) 5");
    run(&mut e, c, "GET k");
    assert_eq!(run(&mut e, c, "OBJECT IDLETIME k"), "(integer) 0");
}

#[test]
fn lfu_counts_accesses_and_decays_by_the_minute() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            (
                "CONFIG SET maxmemory-policy allkeys-lfu lfu-log-factor 0",
                "OK",
            ),
            ("SET k v", "OK"),
            ("OBJECT FREQ k", "(integer) 5"),
            ("GET k", "\"v\""),
            ("GET k", "\"v\""),
            ("OBJECT FREQ k", "(integer) 7"),
        ],
    );
    e.advance(3 * 60_000);
    assert_eq!(run(&mut e, c, "OBJECT FREQ k"), "(integer) 4");
    run(&mut e, c, "CONFIG SET lfu-decay-time 0");
    e.advance(10 * 60_000);
    assert_eq!(run(&mut e, c, "OBJECT FREQ k"), "(integer) 7");
}

#[test]
fn config_limits_reach_the_families_and_hz_the_clock() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            (
                "CONFIG SET hash-max-listpack-entries 1 set-max-intset-entries 1",
                "OK",
            ),
            ("HSET h a 1", "(integer) 1"),
            ("OBJECT ENCODING h", "\"listpack\""),
            ("HSET h b 1", "(integer) 1"),
            ("OBJECT ENCODING h", "\"hashtable\""),
            ("SADD s 1 2", "(integer) 2"),
            ("OBJECT ENCODING s", "\"hashtable\""),
            ("CONFIG SET hz 1000", "OK"),
            ("CONFIG GET hz", "1) \"hz\"\n2) \"500\""),
        ],
    );
    // At 500 Hz the expiry cycle runs every 2 ms, from the tick already
    // scheduled (as Redis's cron timer returns its next delay).
    e.advance(100);
    run(&mut e, c, "SET k v PX 3");
    e.advance(4);
    assert_eq!(
        e.db_len(0),
        2,
        "the active cycle reclaimed k without a lookup"
    );
}
