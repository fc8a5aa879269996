//! Unit tests of the set commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::engine::{ClientId, Engine};

/// The set at `key`, for looking at its encoding.
fn set_at(e: &mut Engine, c: ClientId, key: &str) -> crate::types::Set {
    let mut ks = e.keyspace(c);
    match ks.get_as(key.as_bytes(), crate::value::Value::as_set) {
        Ok(Some(s)) => s.clone(),
        _ => panic!("no set at {key}"),
    }
}

/// The members of an array reply, as strings.
fn members(e: &mut Engine, c: ClientId, line: &str) -> Vec<String> {
    match e.execute_line(c, line).remove(0) {
        Reply::Array(items) => items
            .into_iter()
            .map(|r| match r {
                Reply::Bulk(b) => String::from_utf8(b).unwrap(),
                other => panic!("{line}: {other:?}"),
            })
            .collect(),
        other => panic!("{line}: {other:?}"),
    }
}

use crate::commands::test_support::*;
use crate::reply::Reply;

#[test]
fn sadd_srem_and_the_intset_order() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SADD s 5 -3 10 0 5", "(integer) 4"),
            ("SMEMBERS s", "1) \"-3\"\n2) \"0\"\n3) \"5\"\n4) \"10\""),
            ("SREM s 0 7 0", "(integer) 1"),
            ("SCARD s", "(integer) 3"),
            ("SREM s -3 5 10", "(integer) 3"),
            ("EXISTS s", "(integer) 0"),
        ],
    );
}

#[test]
fn encodings_follow_redis_7_0() {
    let (mut e, c) = engine();
    run(&mut e, c, "SADD s 1 2 3");
    assert_eq!(set_at(&mut e, c, "s").encoding(), "intset");
    run(&mut e, c, "SADD s 01");
    assert_eq!(set_at(&mut e, c, "s").encoding(), "hashtable");
    run(&mut e, c, "SREM s 01");
    assert_eq!(set_at(&mut e, c, "s").encoding(), "hashtable");
    let many: Vec<String> = (0..512).map(|i| i.to_string()).collect();
    run(&mut e, c, &format!("SADD big {}", many.join(" ")));
    assert_eq!(set_at(&mut e, c, "big").encoding(), "intset");
    run(&mut e, c, "SADD big 512");
    assert_eq!(set_at(&mut e, c, "big").encoding(), "hashtable");
    // Results are built as intsets when they can be.
    run(&mut e, c, "SADD h a 3 1 2");
    run(&mut e, c, "SDIFFSTORE d h s");
    run(&mut e, c, "SADD s2 1 2 3");
    run(&mut e, c, "SDIFFSTORE d h big");
    assert_eq!(set_at(&mut e, c, "d").encoding(), "hashtable");
    run(&mut e, c, "SINTERSTORE d h s2");
    assert_eq!(set_at(&mut e, c, "d").encoding(), "intset");
    assert_eq!(members(&mut e, c, "SMEMBERS d"), ["1", "2", "3"]);
    assert_eq!(members(&mut e, c, "SDIFF h nokey s"), ["a"]);
    assert_eq!(
        members(&mut e, c, "SINTER h s2"),
        members(&mut e, c, "SINTER h s2")
    );
}

#[test]
fn wrongtype_everywhere() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET str x");
    run(&mut e, c, "SADD s a");
    for line in [
        "SADD str a",
        "SREM str a",
        "SCARD str",
        "SISMEMBER str a",
        "SMISMEMBER str a",
        "SMEMBERS str",
        "SPOP str",
        "SPOP str 2",
        "SRANDMEMBER str",
        "SRANDMEMBER str 2",
        "SMOVE str s a",
        "SMOVE s str a",
        "SINTER s str",
        "SUNION s str",
        "SDIFF s str",
        "SINTERSTORE d s str",
        "SINTERCARD 2 s str",
        "SSCAN str 0",
    ] {
        assert_eq!(run(&mut e, c, line), WRONGTYPE, "{line}");
    }
    check(&mut e, c, &[("SMOVE nokey str a", "(integer) 0")]);
}

#[test]
fn spop_and_srandmember_pick_distinct_members_or_repeat() {
    let (mut e, c) = engine();
    let many: Vec<String> = (0..100).map(|i| format!("m{i}")).collect();
    run(&mut e, c, &format!("SADD s {}", many.join(" ")));
    for count in [1, 5, 30, 50, 99] {
        let got = members(&mut e, c, &format!("SRANDMEMBER s {count}"));
        let mut distinct = got.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!((got.len(), distinct.len()), (count, count));
        assert!(got.iter().all(|m| many.contains(m)));
    }
    let got = members(&mut e, c, "SRANDMEMBER s -500");
    assert_eq!(got.len(), 500);
    let mut distinct = got.clone();
    distinct.sort();
    distinct.dedup();
    assert!(distinct.len() < 500, "repeats expected");
    assert_eq!(members(&mut e, c, "SRANDMEMBER s 100").len(), 100);
    let popped = members(&mut e, c, "SPOP s 40");
    assert_eq!(popped.len(), 40);
    check(&mut e, c, &[("SCARD s", "(integer) 60")]);
    for m in &popped {
        check(&mut e, c, &[(&format!("SISMEMBER s {m}"), "(integer) 0")]);
    }
    let rest = members(&mut e, c, "SPOP s 60");
    assert_eq!(rest.len(), 60);
    check(&mut e, c, &[("EXISTS s", "(integer) 0")]);
}

#[test]
fn spop_one_until_empty() {
    let (mut e, c) = engine();
    run(&mut e, c, "SADD s 1 2 3");
    let mut seen: Vec<String> = (0..3).map(|_| run(&mut e, c, "SPOP s")).collect();
    seen.sort();
    assert_eq!(seen, ["\"1\"", "\"2\"", "\"3\""]);
    check(
        &mut e,
        c,
        &[
            ("EXISTS s", "(integer) 0"),
            ("SPOP s", "(nil)"),
            ("SPOP s 1 2", SYNTAX),
            ("SRANDMEMBER s 1 2", SYNTAX),
            ("SRANDMEMBER s", "(nil)"),
        ],
    );
}

#[test]
fn smove_cases() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SADD a 1 2", "(integer) 2"),
            ("SADD b 2 x", "(integer) 2"),
            ("SMOVE a b 2", "(integer) 1"),
            ("SCARD b", "(integer) 2"),
            ("SMOVE a a 1", "(integer) 1"),
            ("SMOVE a a 9", "(integer) 0"),
            ("SMOVE a c 1", "(integer) 1"),
            ("EXISTS a", "(integer) 0"),
            ("SMEMBERS c", "1) \"1\""),
            ("SMOVE c b 9", "(integer) 0"),
        ],
    );
}

#[test]
fn sscan_walks_a_hashtable_while_it_changes() {
    let (mut e, c) = engine();
    let many: Vec<String> = (0..200).map(|i| format!("m{i}")).collect();
    run(&mut e, c, &format!("SADD s {}", many.join(" ")));
    let mut seen = std::collections::HashSet::new();
    let mut cursor = "0".to_string();
    let mut step = 0;
    loop {
        let reply = e
            .execute_line(c, &format!("SSCAN s {cursor} COUNT 7"))
            .remove(0);
        let Reply::Array(page) = reply else { panic!() };
        let (Reply::Bulk(next), Reply::Array(items)) = (&page[0], &page[1]) else {
            panic!()
        };
        for item in items {
            if let Reply::Bulk(b) = item {
                seen.insert(String::from_utf8(b.clone()).unwrap());
            }
        }
        // Churn: remove members below 100 (scanned or not) and add new ones.
        run(&mut e, c, &format!("SREM s m{step}"));
        run(&mut e, c, &format!("SADD s n{step}"));
        step += 1;
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
    }
    for i in 100..200 {
        assert!(seen.contains(&format!("m{i}")), "m{i} missed");
    }
    // An intset answers everything at once, whatever the cursor.
    run(&mut e, c, "SADD i 3 1 2");
    check(
        &mut e,
        c,
        &[
            (
                "SSCAN i 5 COUNT 1",
                "1) \"0\"\n2) 1) \"1\"\n   2) \"2\"\n   3) \"3\"",
            ),
            ("SSCAN i 0 MATCH 2", "1) \"0\"\n2) 1) \"2\""),
            (
                "SSCAN i -1",
                "1) \"0\"\n2) 1) \"1\"\n   2) \"2\"\n   3) \"3\"",
            ),
            ("SSCAN i \" 1\"", "(error) ERR invalid cursor"),
            ("SSCAN i 0 COUNT 0", SYNTAX),
            ("SSCAN nokey 0", "1) \"0\"\n2) (empty array)"),
        ],
    );
}

#[test]
fn set_changes_are_recorded_once_per_key() {
    use crate::event::Event;
    let (mut e, c) = engine();
    run(&mut e, c, "SADD a 1 2");
    run(&mut e, c, "SADD b 3");
    e.take_events();
    run(&mut e, c, "SMOVE a b 1");
    let written: Vec<Vec<u8>> = e
        .take_events()
        .into_iter()
        .filter_map(|ev| match ev {
            Event::Written { key, .. } => Some(key),
            _ => None,
        })
        .collect();
    assert_eq!(written, [b"a".to_vec(), b"b".to_vec()]);
    run(&mut e, c, "SADD a 2");
    e.take_events();
    run(&mut e, c, "SADD a 2");
    assert!(e.take_events().is_empty());
}

#[test]
fn pops_and_moves_keep_the_ttl_stores_drop_it() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SADD t 1 2 3", "(integer) 3"),
            ("EXPIRE t 100", "(integer) 1"),
        ],
    );
    run(&mut e, c, "SPOP t");
    run(&mut e, c, "SPOP t 1");
    check(
        &mut e,
        c,
        &[("TTL t", "(integer) 100"), ("SCARD t", "(integer) 1")],
    );
    e.advance(100_000);
    check(
        &mut e,
        c,
        &[("SCARD t", "(integer) 0"), ("SPOP t", "(nil)")],
    );
    run(&mut e, c, "SET d x EX 100");
    run(&mut e, c, "SADD s a");
    check(
        &mut e,
        c,
        &[
            ("SUNIONSTORE d s", "(integer) 1"),
            ("TTL d", "(integer) -1"),
        ],
    );
}

#[test]
fn spop_of_most_of_a_set_rebuilds_the_rest() {
    let (mut e, c) = engine();
    let many: Vec<String> = (1..=20).map(|i| i.to_string()).collect();
    for (key, count, want) in [("h", 18, "intset"), ("h2", 3, "hashtable")] {
        run(&mut e, c, &format!("SADD {key} a {}", many.join(" ")));
        run(&mut e, c, &format!("SREM {key} a"));
        run(&mut e, c, &format!("EXPIRE {key} 100"));
        assert_eq!(set_at(&mut e, c, key).encoding(), "hashtable");
        run(&mut e, c, &format!("SPOP {key} {count}"));
        assert_eq!(set_at(&mut e, c, key).encoding(), want, "{key}");
        check(&mut e, c, &[(&format!("TTL {key}"), "(integer) 100")]);
    }
}
