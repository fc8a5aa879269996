use super::*;
use crate::engine::ClientId;

const T0: u64 = 1_700_000_000_000;

fn engine() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

fn run(e: &mut Engine, c: ClientId, line: &str) -> String {
    let text = e.execute_line(c, line).remove(0).to_cli();
    text.trim_end_matches('\n').to_string()
}

fn look(e: &Engine, key: &str, limit: usize) -> KeyContent {
    e.inspect(0, key.as_bytes(), limit)
        .unwrap_or_else(|| panic!("{key} is live"))
}

#[test]
fn strings_show_their_value_and_whether_they_count() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET n 41");
    run(&mut e, c, "INCR n");
    run(&mut e, c, "SET s hello");
    let n = look(&e, "n", 10);
    assert_eq!((n.type_name, n.len), ("string", 2));
    assert_eq!(
        n.body,
        Body::Str {
            value: b"42".to_vec(),
            int: Some(42)
        }
    );
    assert!(matches!(
        look(&e, "s", 10).body,
        Body::Str { int: None, .. }
    ));
    assert_eq!(e.inspect(0, b"missing", 10), None);
    assert_eq!(e.inspect(99, b"n", 10), None, "no such database");
}

#[test]
fn a_long_string_is_cut_but_its_length_is_whole() {
    let (mut e, c) = engine();
    run(&mut e, c, &format!("SET big {}", "x".repeat(5000)));
    let big = look(&e, "big", 3);
    assert_eq!(big.len, 5000);
    assert_eq!(big.body.shown(), MIN_STRING_BYTES);
    assert_eq!(look(&e, "big", 1000).body.shown(), 1000);
}

#[test]
fn bitmaps_are_strings_with_setbits_order() {
    let (mut e, c) = engine();
    run(&mut e, c, "SETBIT b 0 1");
    run(&mut e, c, "SETBIT b 9 1");
    let Body::Str { value, .. } = look(&e, "b", 10).body else {
        panic!("a string")
    };
    assert_eq!(value, vec![0b1000_0000, 0b0100_0000]);
}

#[test]
fn hashes_keep_hgetall_order() {
    let (mut e, c) = engine();
    run(&mut e, c, "HSET h b 2 a 1 c 3");
    run(&mut e, c, "HSET h a 9");
    let h = look(&e, "h", 2);
    assert_eq!((h.type_name, h.len), ("hash", 3));
    assert_eq!(
        h.body,
        Body::Hash {
            fields: vec![
                (b"b".to_vec(), b"2".to_vec()),
                (b"a".to_vec(), b"9".to_vec())
            ]
        }
    );
}

#[test]
fn lists_read_from_head_to_tail() {
    let (mut e, c) = engine();
    run(&mut e, c, "RPUSH l a b c d");
    run(&mut e, c, "LPUSH l z");
    let l = look(&e, "l", 3);
    assert_eq!(l.len, 5);
    let want: Vec<Vec<u8>> = ["z", "a", "b"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    assert_eq!(l.body, Body::List { items: want });
    assert_eq!(look(&e, "l", 0).body, Body::List { items: vec![] });
}

#[test]
fn sets_in_smembers_order() {
    let (mut e, c) = engine();
    run(&mut e, c, "SADD s 3 1 2");
    let want: Vec<Vec<u8>> = ["1", "2", "3"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    assert_eq!(look(&e, "s", 10).body, Body::Set { members: want });
    assert_eq!(look(&e, "s", 1).body.shown(), 1);
    assert_eq!(look(&e, "s", 1).len, 3);
}

#[test]
fn sorted_sets_from_the_top_rank_down() {
    let (mut e, c) = engine();
    run(&mut e, c, "ZADD z 120 ada 95 bob 210 cy 95 al");
    let z = look(&e, "z", 3);
    assert_eq!(z.len, 4);
    let top = vec![
        (b"cy".to_vec(), 210.0),
        (b"ada".to_vec(), 120.0),
        (b"bob".to_vec(), 95.0),
    ];
    assert_eq!(z.body, Body::ZSet { top });
    // A big one (skiplist) reads the same way.
    for i in 0..300 {
        run(&mut e, c, &format!("ZADD big {i} m{i}"));
    }
    let Body::ZSet { top } = look(&e, "big", 2).body else {
        panic!("a zset")
    };
    assert_eq!(
        top,
        vec![(b"m299".to_vec(), 299.0), (b"m298".to_vec(), 298.0)]
    );
}

#[test]
fn hyperloglogs_show_estimate_and_registers() {
    let (mut e, c) = engine();
    run(&mut e, c, "PFADD v a b c d e");
    let Body::Hll(h) = look(&e, "v", 10).body else {
        panic!("an hll")
    };
    assert_eq!(h.estimate, 5);
    assert!(h.sparse);
    assert_eq!(h.nonzero, 5);
    assert_eq!(h.groups.len(), HLL_GROUPS);
    assert!(h.groups.iter().filter(|&&g| g > 0).count() <= 5);
    assert_eq!(h.histogram.iter().sum::<u32>(), 16384);
    assert_eq!(h.histogram[0], 16384 - 5);
    // The cache is read, never written: PFCOUNT still has work to do.
    run(&mut e, c, "PFADD v f");
    let Body::Hll(h) = look(&e, "v", 10).body else {
        panic!("an hll")
    };
    assert_eq!(h.estimate, 6);
    assert_eq!(run(&mut e, c, "PFCOUNT v"), "(integer) 6");
    // A string that only starts like one is a string.
    run(&mut e, c, "SET fake HYLLx");
    assert!(matches!(look(&e, "fake", 10).body, Body::Str { .. }));
}

#[test]
fn inspecting_is_a_pure_read() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k v PX 500");
    run(&mut e, c, "SET idle v");
    e.take_events();
    e.now += 10_000; // past k's expiry, without the cron
    assert_eq!(e.inspect(0, b"k", 10), None, "past its time");
    assert_eq!(e.db_len(0), 2, "still in the table: nobody expired it");
    assert!(e.take_events().is_empty(), "no expiry was recorded");
    assert!(look(&e, "idle", 10).expire_at.is_none());
    // No access was counted.
    assert_eq!(run(&mut e, c, "OBJECT IDLETIME idle"), "(integer) 10");
    // Lazy expiry still reports it when a command looks.
    assert_eq!(run(&mut e, c, "GET k"), "(nil)");
    assert!(matches!(
        e.take_events()[..],
        [crate::Event::Removed {
            cause: crate::Removal::ExpiredLazy,
            ..
        }]
    ));
}

#[test]
fn lfu_counters_are_not_touched() {
    let (mut e, c) = engine();
    run(&mut e, c, "CONFIG SET maxmemory-policy allkeys-lfu");
    run(&mut e, c, "SET k v");
    let before = run(&mut e, c, "OBJECT FREQ k");
    for _ in 0..1000 {
        look(&e, "k", 10);
    }
    assert_eq!(run(&mut e, c, "OBJECT FREQ k"), before);
}

#[test]
fn expiry_is_reported() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k v EX 5");
    assert_eq!(look(&e, "k", 1).expire_at, Some(T0 + 5_000));
}

#[test]
fn members_and_scores_are_read_without_touching() {
    let (mut e, c) = engine();
    run(&mut e, c, "SADD s a b");
    run(&mut e, c, "ZADD z 1.5 m");
    run(&mut e, c, "HSET h f v");
    run(&mut e, c, "SET str a");
    assert!(e.has_member(0, b"s", b"a"));
    assert!(!e.has_member(0, b"s", b"c"));
    assert!(e.has_member(0, b"z", b"m"));
    assert!(e.has_member(0, b"h", b"f"));
    assert!(!e.has_member(0, b"str", b"a"));
    assert!(!e.has_member(0, b"nope", b"a"));
    assert_eq!(e.score_of(0, b"z", b"m"), Some(1.5));
    assert_eq!(e.score_of(0, b"z", b"x"), None);
    assert_eq!(e.score_of(0, b"s", b"a"), None);
    run(&mut e, c, "PEXPIRE s 10");
    e.now += 20;
    assert!(!e.has_member(0, b"s", b"a"), "past its time");
    assert_eq!(e.db_len(0), 4, "still in the table");
}
