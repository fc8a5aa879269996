//! Unit tests of the hash commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines. The random and
//! hash-table-ordered answers the differential corpus cannot compare are
//! checked here by their properties.

use std::collections::{BTreeMap, BTreeSet};

use crate::commands::test_support::*;
use crate::engine::{ClientId, Engine};
use crate::event::{Event, Removal};
use crate::reply::Reply;
use crate::value::Value;

fn reply(e: &mut Engine, c: ClientId, argv: &[&[u8]]) -> Reply {
    let argv = argv.iter().map(|a| a.to_vec()).collect();
    let mut replies = e.execute(c, argv);
    assert_eq!(replies.len(), 1);
    replies.remove(0)
}

fn strings(reply: &Reply) -> Vec<String> {
    match reply {
        Reply::Array(items) => items
            .iter()
            .map(|r| match r {
                Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
                other => panic!("not a bulk: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

/// `HSET key f0 v0 ... f{n-1} v{n-1}`.
fn fill(e: &mut Engine, c: ClientId, key: &str, n: usize) {
    let mut argv: Vec<Vec<u8>> = vec![b"HSET".to_vec(), key.as_bytes().to_vec()];
    for i in 0..n {
        argv.push(format!("f{i}").into_bytes());
        argv.push(format!("v{i}").into_bytes());
    }
    assert_eq!(e.execute(c, argv), vec![Reply::Integer(n as i64)]);
}

fn encoding(e: &mut Engine, c: ClientId, key: &str) -> &'static str {
    let mut ks = e.keyspace(c);
    match ks.get(key.as_bytes()) {
        Some(Value::Hash(h)) => h.encoding(),
        other => panic!("not a hash: {other:?}"),
    }
}

#[test]
fn set_get_and_counts() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("HSET h a 1 b 2", "(integer) 2"),
            ("HSET h a 3 c 4", "(integer) 1"),
            ("HMSET h d 5", "OK"),
            ("HSETNX h a x", "(integer) 0"),
            ("HSETNX h e 6", "(integer) 1"),
            ("HGET h a", "\"3\""),
            ("HLEN h", "(integer) 5"),
            (
                "HKEYS h",
                "1) \"a\"\n2) \"b\"\n3) \"c\"\n4) \"d\"\n5) \"e\"",
            ),
            ("HMGET h a zz", "1) \"3\"\n2) (nil)"),
            ("HMGET nokey a b", "1) (nil)\n2) (nil)"),
            ("HSTRLEN h a", "(integer) 1"),
            ("HEXISTS h zz", "(integer) 0"),
            (
                "HSET h a",
                "(error) ERR wrong number of arguments for 'hset' command",
            ),
            (
                "HMSET h a 1 b",
                "(error) ERR wrong number of arguments for 'hmset' command",
            ),
        ],
    );
}

#[test]
fn hdel_deletes_an_emptied_key_and_reports_changes_once() {
    let (mut e, c) = engine();
    run(&mut e, c, "HSET h a 1 b 2");
    e.take_events();
    assert_eq!(run(&mut e, c, "HDEL h zz"), "(integer) 0");
    assert!(e.take_events().is_empty());
    assert_eq!(run(&mut e, c, "HDEL h a a zz"), "(integer) 1");
    let written = |cmd| Event::Written {
        db: 0,
        key: b"h".to_vec(),
        command: cmd,
    };
    assert_eq!(e.take_events(), vec![written("hdel")]);
    assert_eq!(run(&mut e, c, "HDEL h b a"), "(integer) 1");
    assert_eq!(
        e.take_events(),
        vec![
            written("hdel"),
            Event::Removed {
                db: 0,
                key: b"h".to_vec(),
                cause: Removal::Deleted
            }
        ]
    );
    assert_eq!(run(&mut e, c, "EXISTS h"), "(integer) 0");
    // One event per command, however many fields it writes.
    run(&mut e, c, "HSET h a 1 b 2 c 3");
    assert_eq!(e.take_events(), vec![written("hset")]);
    run(&mut e, c, "HSETNX h a 1");
    assert!(e.take_events().is_empty());
    run(&mut e, c, "HINCRBY h n 1");
    assert_eq!(e.take_events(), vec![written("hincrby")]);
    run(&mut e, c, "HINCRBYFLOAT h n x");
    run(&mut e, c, "HINCRBY h a x");
    assert!(e.take_events().is_empty());
}

#[test]
fn failed_counters_create_no_key() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            (
                "HINCRBY h f x",
                "(error) ERR value is not an integer or out of range",
            ),
            (
                "HINCRBYFLOAT h f inf",
                "(error) ERR value is NaN or Infinity",
            ),
            (
                "HINCRBYFLOAT h f x",
                "(error) ERR value is not a valid float",
            ),
            ("EXISTS h", "(integer) 0"),
            ("HSET h f abc", "(integer) 1"),
            ("HINCRBY h f 1", "(error) ERR hash value is not an integer"),
            (
                "HINCRBYFLOAT h f 1",
                "(error) ERR hash value is not a float",
            ),
            ("HSET h f 9223372036854775807", "(integer) 0"),
            (
                "HINCRBY h f 1",
                "(error) ERR increment or decrement would overflow",
            ),
            ("HINCRBYFLOAT h f 1", "\"9223372036854775808\""),
            ("HINCRBYFLOAT h g 0.1", "\"0.1\""),
            ("HINCRBYFLOAT h g 0.2", "\"0.3\""),
        ],
    );
}

/// The conversions redis-server 7.0.15 showed in OBJECT ENCODING.
#[test]
fn encodings_follow_redis() {
    let (mut e, c) = engine();
    fill(&mut e, c, "h", 512);
    assert_eq!(encoding(&mut e, c, "h"), "listpack");
    run(&mut e, c, "HSET h f1 x");
    assert_eq!(encoding(&mut e, c, "h"), "listpack");
    run(&mut e, c, "HSET h new x");
    assert_eq!(encoding(&mut e, c, "h"), "hashtable");
    run(&mut e, c, "HDEL h new f1 f2 f3");
    assert_eq!(encoding(&mut e, c, "h"), "hashtable");

    let long = "x".repeat(65);
    let edge = "x".repeat(64);
    // HSETNX on an existing field changes nothing, encoding included.
    run(&mut e, c, "HSET a f 1");
    run(&mut e, c, &format!("HSETNX a f {long}"));
    assert_eq!(encoding(&mut e, c, "a"), "listpack");
    run(&mut e, c, &format!("HSETNX a g {long}"));
    assert_eq!(encoding(&mut e, c, "a"), "hashtable");
    // Any long argument of HSET converts, even for an existing field.
    run(&mut e, c, &format!("HSET b f 1 {edge} {edge}"));
    assert_eq!(encoding(&mut e, c, "b"), "listpack");
    run(&mut e, c, &format!("HSET b f 2 f {long} f 3"));
    assert_eq!(encoding(&mut e, c, "b"), "hashtable");
    assert_eq!(run(&mut e, c, "HGET b f"), "\"3\"");
    // A long field name for a counter, or a long result, converts.
    run(&mut e, c, "HSET d a 1");
    run(&mut e, c, &format!("HINCRBY d {edge} 1"));
    assert_eq!(encoding(&mut e, c, "d"), "listpack");
    run(&mut e, c, &format!("HINCRBY d {long} 1"));
    assert_eq!(encoding(&mut e, c, "d"), "hashtable");
    run(&mut e, c, "HSET g a 1");
    run(&mut e, c, "HINCRBYFLOAT g a 1e100");
    assert_eq!(encoding(&mut e, c, "g"), "hashtable");
}

#[test]
fn big_hashes_answer_every_pair() {
    let (mut e, c) = engine();
    fill(&mut e, c, "h", 1000);
    run(&mut e, c, "HDEL h f10 f20");
    let all = reply(&mut e, c, &[b"HGETALL", b"h"]);
    let pairs: BTreeMap<String, String> = strings(&all)
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    assert_eq!(pairs.len(), 998);
    assert!(pairs.iter().all(|(f, v)| f[1..] == v[1..]));
    let keys = strings(&reply(&mut e, c, &[b"HKEYS", b"h"]));
    let vals = strings(&reply(&mut e, c, &[b"HVALS", b"h"]));
    assert_eq!(keys.len(), 998);
    assert_eq!(vals.len(), 998);
    assert_eq!(keys.iter().cloned().collect::<BTreeSet<_>>().len(), 998);
}

/// A full HSCAN of a hashtable under writes returns every field present
/// throughout, and COUNT bounds each page.
#[test]
fn hscan_iterates_a_big_hash() {
    let (mut e, c) = engine();
    fill(&mut e, c, "h", 700);
    let mut seen = BTreeSet::new();
    let mut cursor = b"0".to_vec();
    let mut round = 0;
    loop {
        let page = reply(&mut e, c, &[b"HSCAN", b"h", &cursor, b"COUNT", b"20"]);
        let Reply::Array(parts) = page else {
            panic!("not an array")
        };
        let Reply::Bulk(next) = &parts[0] else {
            panic!("no cursor")
        };
        let items = strings(&parts[1]);
        assert!(items.len() <= 40);
        seen.extend(items.chunks(2).map(|p| p[0].clone()));
        // Writes in between: new fields, and deletions above f600.
        let new = format!("n{round}");
        reply(&mut e, c, &[b"HSET", b"h", new.as_bytes(), b"v"]);
        let victim = format!("f{}", 600 + round % 100);
        reply(&mut e, c, &[b"HDEL", b"h", victim.as_bytes()]);
        round += 1;
        if next == b"0" {
            break;
        }
        cursor = next.clone();
    }
    for i in 0..600 {
        assert!(seen.contains(&format!("f{i}")), "f{i} missed");
    }
    // MATCH filters each page after it is taken.
    let page = reply(&mut e, c, &[b"HSCAN", b"h", b"0", b"MATCH", b"f1?"]);
    let Reply::Array(parts) = page else {
        panic!("not an array")
    };
    let items = strings(&parts[1]);
    assert!(items
        .chunks(2)
        .all(|p| p[0].len() == 3 && p[0].starts_with("f1")));
}

#[test]
fn hrandfield_positive_counts_are_distinct() {
    let (mut e, c) = engine();
    for (key, n) in [("small", 20), ("big", 600)] {
        fill(&mut e, c, key, n);
        for count in [1, 2, 5, n / 3, n / 2, n - 1] {
            let count_arg = count.to_string();
            let picks = strings(&reply(
                &mut e,
                c,
                &[b"HRANDFIELD", key.as_bytes(), count_arg.as_bytes()],
            ));
            assert_eq!(picks.len(), count);
            assert_eq!(picks.iter().collect::<BTreeSet<_>>().len(), count);
            let with = strings(&reply(
                &mut e,
                c,
                &[
                    b"HRANDFIELD",
                    key.as_bytes(),
                    count_arg.as_bytes(),
                    b"WITHVALUES",
                ],
            ));
            assert_eq!(with.len(), 2 * count);
            assert!(with.chunks(2).all(|p| p[0][1..] == p[1][1..]));
        }
    }
    // A listpack answers a subset in its own order.
    let picks = strings(&reply(&mut e, c, &[b"HRANDFIELD", b"small", b"7"]));
    let index: Vec<usize> = picks.iter().map(|f| f[1..].parse().unwrap()).collect();
    assert!(index.windows(2).all(|w| w[0] < w[1]), "{index:?}");
}

#[test]
fn hrandfield_negative_counts_repeat() {
    let (mut e, c) = engine();
    fill(&mut e, c, "small", 3);
    fill(&mut e, c, "big", 600);
    for key in ["small", "big"] {
        let picks = strings(&reply(
            &mut e,
            c,
            &[b"HRANDFIELD", key.as_bytes(), b"-1000"],
        ));
        assert_eq!(picks.len(), 1000);
        let distinct = picks.iter().collect::<BTreeSet<_>>().len();
        if key == "small" {
            assert_eq!(distinct, 3);
        } else {
            assert!(distinct > 300 && distinct < 1000, "{distinct}");
        }
        let with = strings(&reply(
            &mut e,
            c,
            &[b"HRANDFIELD", key.as_bytes(), b"-50", b"WITHVALUES"],
        ));
        assert_eq!(with.len(), 100);
        assert!(with.chunks(2).all(|p| p[0][1..] == p[1][1..]));
    }
    // Without a count: one field of the hash.
    let one = reply(&mut e, c, &[b"HRANDFIELD", b"big"]);
    let Reply::Bulk(f) = one else {
        panic!("not a bulk")
    };
    assert!(f.starts_with(b"f"));
    // A reply too big to build is refused.
    assert_eq!(
        run(&mut e, c, "HRANDFIELD small -9223372036854775807"),
        "(error) OOM command not allowed when used memory > 'maxmemory'."
    );
}
