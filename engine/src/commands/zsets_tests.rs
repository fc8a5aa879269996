//! Unit tests of the sorted-set commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::commands::test_support::*;
use crate::engine::{ClientId, Engine};

#[test]
fn zadd_and_read_back() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("ZADD z 1 a 2 b 3 c", "(integer) 3"),
            (
                "ZRANGE z 0 -1 WITHSCORES",
                "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2\"\n5) \"c\"\n6) \"3\"",
            ),
            ("ZINCRBY z 0.1 a", "\"1.1000000000000001\""),
            ("ZRANK z c", "(integer) 2"),
        ],
    );
}

/// The sorted set at `key`.
fn zset_at(e: &mut Engine, c: ClientId, key: &str) -> crate::types::ZSet {
    let mut ks = e.keyspace(c);
    match ks.get_as(key.as_bytes(), crate::value::Value::as_zset) {
        Ok(Some(z)) => z.clone(),
        _ => panic!("no sorted set at {key}"),
    }
}

#[test]
fn scores_print_as_redis_7_0_prints_them() {
    let (mut e, c) = engine();
    for (score, want) in [
        ("1000", "1000"),
        ("inf", "inf"),
        ("-inf", "-inf"),
        ("1e20", "1e+20"),
        ("1.5e-7", "1.4999999999999999e-07"),
        ("123456789012345678", "1.2345678901234568e+17"),
        ("0.1", "0.10000000000000001"),
        ("1e17", "1e+17"),
        ("1e16", "10000000000000000"),
        ("0.0001", "0.0001"),
        ("1e-5", "1.0000000000000001e-05"),
        ("4.9e-324", "4.9406564584124654e-324"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ] {
        run(&mut e, c, "DEL z");
        run(&mut e, c, &format!("ZADD z {score} m"));
        assert_eq!(
            run(&mut e, c, "ZSCORE z m"),
            format!("\"{want}\""),
            "{score}"
        );
    }
    check(
        &mut e,
        c,
        &[
            ("DEL z", "(integer) 1"),
            ("ZINCRBY z 0.1 m", "\"0.10000000000000001\""),
            ("ZINCRBY z 0.2 m", "\"0.30000000000000004\""),
            ("ZADD z nan m", "(error) ERR value is not a valid float"),
            ("ZADD z 1e400 m", "(error) ERR value is not a valid float"),
            ("ZADD z \" 1\" m", "(error) ERR value is not a valid float"),
            ("ZCOUNT z \" 1\" 1e400", "(integer) 0"),
            ("ZCOUNT z nan 1", "(error) ERR min or max is not a float"),
        ],
    );
}

#[test]
fn encodings_follow_redis() {
    let (mut e, c) = engine();
    let members: Vec<String> = (0..128).map(|i| format!("{i} m{i}")).collect();
    run(&mut e, c, &format!("ZADD z {}", members.join(" ")));
    assert_eq!(zset_at(&mut e, c, "z").encoding(), "listpack");
    run(&mut e, c, "ZADD z 1 one-more");
    assert_eq!(zset_at(&mut e, c, "z").encoding(), "skiplist");
    // Never back by removal...
    run(&mut e, c, "ZREMRANGEBYRANK z 0 -3");
    assert_eq!(zset_at(&mut e, c, "z").encoding(), "skiplist");
    // ...but a stored result picks its own.
    run(&mut e, c, "ZUNIONSTORE u 1 z");
    assert_eq!(zset_at(&mut e, c, "u").encoding(), "listpack");
    run(&mut e, c, "ZRANGESTORE r z 0 -1");
    assert_eq!(zset_at(&mut e, c, "r").encoding(), "listpack");
    let long = "x".repeat(65);
    run(&mut e, c, &format!("ZADD l 1 {long}"));
    assert_eq!(zset_at(&mut e, c, "l").encoding(), "skiplist");
    run(&mut e, c, &format!("ZADD l2 1 {}", "x".repeat(64)));
    assert_eq!(zset_at(&mut e, c, "l2").encoding(), "listpack");
}

#[test]
fn emptied_keys_disappear_and_stores_delete() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("ZADD z 1 a", "(integer) 1"),
            ("ZPOPMIN z", "1) \"a\"\n2) \"1\""),
            ("EXISTS z", "(integer) 0"),
            ("SET d x", "OK"),
            ("ZINTERSTORE d 2 nokey other", "(integer) 0"),
            ("EXISTS d", "(integer) 0"),
            ("SADD s a b", "(integer) 2"),
            (
                "ZUNION 1 s WITHSCORES",
                "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"1\"",
            ),
        ],
    );
}

/// Random bytes, words and numbers as arguments: every command answers,
/// none panics.
#[test]
fn bad_input_never_panics() {
    let (mut e, c) = engine();
    let mut rng = crate::rng::Rng::new(11);
    let words = [
        "z",
        "s",
        "1",
        "-1",
        "0",
        "2",
        "inf",
        "-inf",
        "(1",
        "[a",
        "(a",
        "-",
        "+",
        "nan",
        "",
        "x",
        "LIMIT",
        "WITHSCORES",
        "REV",
        "BYSCORE",
        "BYLEX",
        "WEIGHTS",
        "AGGREGATE",
        "MIN",
        "MAX",
        "COUNT",
        "NX",
        "XX",
        "GT",
        "LT",
        "CH",
        "INCR",
        "9223372036854775807",
        "-9223372036854775808",
        "1e400",
        "\"\\x00\"",
        "MATCH",
        "*",
    ];
    run(&mut e, c, "SADD s a b");
    let commands: Vec<&str> = super::HANDLERS.iter().map(|(n, _)| *n).collect();
    for _ in 0..20_000 {
        let cmd = commands[rng.below(commands.len() as u64) as usize];
        let n = rng.below(8) as usize;
        let args: Vec<&str> = (0..n)
            .map(|_| words[rng.below(words.len() as u64) as usize])
            .collect();
        let line = format!("{cmd} {}", args.join(" "));
        let _ = e.execute_line(c, &line);
    }
}

/// The structure against a sorted `Vec` model under random inserts,
/// updates and removals: order, ranks, lookups and partitions agree.
#[test]
fn structure_matches_a_sorted_vec_model() {
    use crate::types::zset::cmp;
    use crate::types::ZSet;
    let mut rng = crate::rng::Rng::new(5);
    let mut z = ZSet::default();
    let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
    let sort = |m: &mut Vec<(f64, Vec<u8>)>| m.sort_by(|a, b| cmp(a.0, &a.1, b.0, &b.1));
    for step in 0..30_000u32 {
        let member = format!("m{}", rng.below(3_000)).into_bytes();
        let score = rng.below(50) as f64 - 10.0;
        match rng.below(3) {
            0 | 1 => {
                z.insert(&member, score);
                match model.iter_mut().find(|(_, m)| *m == member) {
                    Some(entry) => entry.0 = score,
                    None => model.push((score, member.clone())),
                }
                sort(&mut model);
            }
            _ => {
                let had = z.remove(&member).is_some();
                let at = model.iter().position(|(_, m)| *m == member);
                assert_eq!(had, at.is_some());
                if let Some(at) = at {
                    model.remove(at);
                }
            }
        }
        assert_eq!(z.len(), model.len());
        if step % 997 == 0 || step > 29_900 {
            let got: Vec<(f64, Vec<u8>)> = z.iter().map(|e| (e.score, e.member.to_vec())).collect();
            assert_eq!(got, model);
            for (rank, (s, m)) in model.iter().enumerate() {
                assert_eq!(z.rank(m), Some(rank));
                assert_eq!(z.score(m), Some(*s));
                let e = z.get(rank).expect("rank in range");
                assert_eq!((e.score, &*e.member), (*s, m.as_slice()));
            }
            let below = model.iter().filter(|(s, _)| *s < 5.0).count();
            assert_eq!(z.partition(|e| e.score < 5.0), below);
            if let Some(last) = model.len().checked_sub(1) {
                let rev: Vec<f64> = z.iter_rev_from(last).map(|e| e.score).collect();
                let mut want: Vec<f64> = model.iter().map(|(s, _)| *s).collect();
                want.reverse();
                assert_eq!(rev, want);
            }
        }
    }
}
