//! Unit tests of the list commands and of the list type; expected replies
//! are what redis-server 7.0.15 answered to the same lines. Time is
//! stepped by hand.

use crate::commands::test_support::*;
use crate::event::{Event, Removal};
use crate::types::list::End;
use crate::types::List;

const POSITIVE: &str = "(error) ERR value is out of range, must be positive";

fn written(key: &str, command: &'static str) -> Event {
    Event::Written {
        db: 0,
        key: key.as_bytes().to_vec(),
        command,
    }
}

fn removed(key: &str) -> Event {
    Event::Removed {
        db: 0,
        key: key.as_bytes().to_vec(),
        cause: Removal::Deleted,
    }
}

#[test]
fn pushes_keep_argument_order_at_their_end() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a b c", "(integer) 3"),
            ("LPUSH l x y", "(integer) 5"),
            (
                "LRANGE l 0 -1",
                "1) \"y\"\n2) \"x\"\n3) \"a\"\n4) \"b\"\n5) \"c\"",
            ),
            ("LPUSHX nokey a", "(integer) 0"),
            ("RPUSHX nokey a b", "(integer) 0"),
            ("EXISTS nokey", "(integer) 0"),
            ("RPUSHX l z", "(integer) 6"),
            ("LPUSHX l w", "(integer) 7"),
            ("LLEN l", "(integer) 7"),
            ("LLEN nokey", "(integer) 0"),
        ],
    );
}

#[test]
fn pops_with_and_without_count() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a b c d e", "(integer) 5"),
            ("LPOP l", "\"a\""),
            ("RPOP l", "\"e\""),
            ("LPOP l 0", "(empty array)"),
            ("RPOP l 2", "1) \"d\"\n2) \"c\""),
            ("LPOP l 9223372036854775807", "1) \"b\""),
            ("EXISTS l", "(integer) 0"),
            ("LPOP l", "(nil)"),
            ("LPOP l 0", "(nil)"),
            ("LPOP l -1", POSITIVE),
            ("LPOP l x", POSITIVE),
            (
                "LPOP l 1 2",
                "(error) ERR wrong number of arguments for 'lpop' command",
            ),
        ],
    );
    // A missing key with a count is a nil array, not a nil bulk.
    assert_eq!(
        e.execute_line(c, "RPOP l 3"),
        vec![crate::reply::Reply::NilArray]
    );
}

#[test]
fn wrongtype_and_the_order_of_checks() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET s v", "OK"),
            ("LPUSH s a", WRONGTYPE),
            ("RPUSHX s a", WRONGTYPE),
            ("LPOP s", WRONGTYPE),
            ("LPOP s 0", WRONGTYPE),
            // The count is read before the key.
            ("LPOP s -1", POSITIVE),
            ("LLEN s", WRONGTYPE),
            ("LRANGE s x 1", NOT_INT),
            ("LRANGE s 0 1", WRONGTYPE),
            // LINDEX and LSET look the key up first.
            ("LINDEX s x", WRONGTYPE),
            ("LINDEX nokey x", "(nil)"),
            ("LSET nokey x v", "(error) ERR no such key"),
            ("LSET s x v", WRONGTYPE),
            ("LINSERT s middle a b", SYNTAX),
            ("LINSERT s before a b", WRONGTYPE),
            ("LREM s x a", NOT_INT),
            ("LREM s 0 a", WRONGTYPE),
            ("LTRIM s x 0", NOT_INT),
            ("LTRIM s 0 0", WRONGTYPE),
            ("LPOS s a RANK 0", "(error) ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"),
            ("LPOS s a", WRONGTYPE),
            ("LMOVE s d UP LEFT", SYNTAX),
            ("LMOVE s d LEFT LEFT", WRONGTYPE),
            ("LMPOP 0 s LEFT", "(error) ERR numkeys should be greater than 0"),
            ("LMPOP 1 s LEFT", WRONGTYPE),
            ("GET s", "\"v\""),
        ],
    );
}

#[test]
fn ranges_and_indexes() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a b c d", "(integer) 4"),
            ("LRANGE l 1 -2", "1) \"b\"\n2) \"c\""),
            ("LRANGE l -100 0", "1) \"a\""),
            ("LRANGE l 3 100", "1) \"d\""),
            ("LRANGE l 4 100", "(empty array)"),
            ("LRANGE l 2 1", "(empty array)"),
            ("LRANGE l 0 -5", "(empty array)"),
            (
                "LRANGE l -9223372036854775808 9223372036854775807",
                "1) \"a\"\n2) \"b\"\n3) \"c\"\n4) \"d\"",
            ),
            ("LRANGE nokey 0 -1", "(empty array)"),
            ("LINDEX l -1", "\"d\""),
            ("LINDEX l -4", "\"a\""),
            ("LINDEX l -5", "(nil)"),
            ("LINDEX l 4", "(nil)"),
            ("LINDEX l -9223372036854775808", "(nil)"),
            ("LSET l -1 D", "OK"),
            ("LSET l 4 x", "(error) ERR index out of range"),
            (
                "LSET l -9223372036854775808 x",
                "(error) ERR index out of range",
            ),
            ("LINDEX l 3", "\"D\""),
        ],
    );
}

#[test]
fn insert_remove_trim() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a b a", "(integer) 3"),
            ("LINSERT l after a x", "(integer) 4"),
            ("LINSERT l BEFORE a y", "(integer) 5"),
            ("LINSERT l \"after\\x00junk\" b z", "(integer) 6"),
            ("LINSERT l before nosuch v", "(integer) -1"),
            ("LINSERT nokey before a v", "(integer) 0"),
            ("LINSERT l aft a v", SYNTAX),
            (
                "LRANGE l 0 -1",
                "1) \"y\"\n2) \"a\"\n3) \"x\"\n4) \"b\"\n5) \"z\"\n6) \"a\"",
            ),
            ("LREM l -1 a", "(integer) 1"),
            ("LREM l 0 nosuch", "(integer) 0"),
            (
                "LRANGE l 0 -1",
                "1) \"y\"\n2) \"a\"\n3) \"x\"\n4) \"b\"\n5) \"z\"",
            ),
            ("RPUSH r x y x y x", "(integer) 5"),
            ("LREM r -9223372036854775808 x", "(integer) 3"),
            ("LREM r 1 y", "(integer) 1"),
            ("LREM r 0 y", "(integer) 1"),
            ("EXISTS r", "(integer) 0"),
            ("LTRIM l 1 -2", "OK"),
            ("LRANGE l 0 -1", "1) \"a\"\n2) \"x\"\n3) \"b\""),
            ("LTRIM l 2 1", "OK"),
            ("EXISTS l", "(integer) 0"),
            ("LTRIM nokey 0 1", "OK"),
        ],
    );
}

#[test]
fn lpos_options() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a b c 1 2 3 c c", "(integer) 8"),
            ("LPOS l c", "(integer) 2"),
            ("LPOS l c RANK 2", "(integer) 6"),
            ("LPOS l c RANK -1", "(integer) 7"),
            ("LPOS l c RANK -3", "(integer) 2"),
            ("LPOS l c RANK 4", "(nil)"),
            (
                "LPOS l c COUNT 0",
                "1) (integer) 2\n2) (integer) 6\n3) (integer) 7",
            ),
            ("LPOS l c COUNT 2 RANK -1", "1) (integer) 7\n2) (integer) 6"),
            ("LPOS l c MAXLEN 2", "(nil)"),
            (
                "LPOS l c COUNT 0 MAXLEN 7",
                "1) (integer) 2\n2) (integer) 6",
            ),
            ("LPOS l c COUNT -1", "(error) ERR COUNT can't be negative"),
            ("LPOS l c MAXLEN x", "(error) ERR MAXLEN can't be negative"),
            ("LPOS l c RANK x", NOT_INT),
            ("LPOS l c RANK", SYNTAX),
            ("LPOS nokey c", "(nil)"),
            ("LPOS nokey c COUNT 1", "(empty array)"),
            // Negating i64::MIN leaves it negative: from the right, and
            // COUNT's stop test overflows, so every match is answered.
            ("LPOS l c RANK -9223372036854775808", "(integer) 7"),
            (
                "LPOS l c RANK -9223372036854775808 COUNT 1",
                "1) (integer) 7\n2) (integer) 6\n3) (integer) 2",
            ),
        ],
    );
}

#[test]
fn moves_and_rotations() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH src a b c", "(integer) 3"),
            ("RPOPLPUSH src src", "\"c\""),
            ("LRANGE src 0 -1", "1) \"c\"\n2) \"a\"\n3) \"b\""),
            ("LMOVE src src LEFT RIGHT", "\"c\""),
            ("LMOVE src dst LEFT RIGHT", "\"a\""),
            ("LMOVE src dst left left", "\"b\""),
            ("LMOVE src dst LEFT LEFT", "\"c\""),
            ("EXISTS src", "(integer) 0"),
            ("LRANGE dst 0 -1", "1) \"c\"\n2) \"b\"\n3) \"a\""),
            ("LMOVE src dst LEFT LEFT", "(nil)"),
            ("SET s v", "OK"),
            ("LMOVE dst s LEFT LEFT", WRONGTYPE),
            ("LLEN dst", "(integer) 3"),
            ("RPUSH one x", "(integer) 1"),
            ("RPOPLPUSH one one", "\"x\""),
            ("LRANGE one 0 -1", "1) \"x\""),
        ],
    );
}

#[test]
fn lmpop_picks_the_first_list() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l2 a b c", "(integer) 3"),
            (
                "LMPOP 2 l1 l2 RIGHT COUNT 2",
                "1) \"l2\"\n2) 1) \"c\"\n   2) \"b\"",
            ),
            ("LMPOP 2 l1 l2 LEFT", "1) \"l2\"\n2) 1) \"a\""),
            ("EXISTS l2", "(integer) 0"),
            ("LMPOP 2 l1 l2 LEFT", "(nil)"),
            ("LMPOP 3 l1 l2 LEFT", SYNTAX),
            ("LMPOP 9223372036854775807 l1 LEFT", SYNTAX),
            ("LMPOP 1 l1 LEFT COUNT 1 COUNT 1", SYNTAX),
            (
                "LMPOP 1 l1 LEFT COUNT 0",
                "(error) ERR count should be greater than 0",
            ),
        ],
    );
}

#[test]
fn expired_keys_are_missing() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("RPUSH l a b", "(integer) 2"),
            ("PEXPIRE l 100", "(integer) 1"),
            ("LPUSH l z", "(integer) 3"),
            ("PTTL l", "(integer) 100"),
        ],
    );
    e.advance(100);
    check(
        &mut e,
        c,
        &[
            ("LLEN l", "(integer) 0"),
            ("RPUSHX l a", "(integer) 0"),
            ("RPUSH l c", "(integer) 1"),
            ("TTL l", "(integer) -1"),
        ],
    );
}

#[test]
fn one_event_per_changed_key_and_emptied_keys_go() {
    let (mut e, c) = engine();
    e.take_events();
    run(&mut e, c, "RPUSH l a b c");
    assert_eq!(e.take_events(), vec![written("l", "rpush")]);
    run(&mut e, c, "LMOVE l d LEFT RIGHT");
    assert_eq!(
        e.take_events(),
        vec![written("d", "lmove"), written("l", "lmove")]
    );
    run(&mut e, c, "RPOPLPUSH l l");
    assert_eq!(e.take_events(), vec![written("l", "rpoplpush")]);
    // LTRIM is a write even when it keeps everything (Redis notifies
    // `ltrim` and signals the key to WATCH).
    run(&mut e, c, "LTRIM l 0 -1");
    assert_eq!(e.take_events(), vec![written("l", "ltrim")]);
    // Nothing changed, nothing recorded.
    for line in [
        "LREM l 0 nosuch",
        "LINSERT l before nosuch x",
        "LRANGE l 0 -1",
        "LPOP l 0",
        "LPOS l b",
        "LMPOP 1 nokey LEFT",
        "LPUSHX nokey a",
    ] {
        run(&mut e, c, line);
        assert_eq!(e.take_events(), vec![], "{line}");
    }
    run(&mut e, c, "LPOP l 5");
    assert_eq!(e.take_events(), vec![written("l", "lpop"), removed("l")]);
    run(&mut e, c, "LMOVE d e LEFT LEFT");
    assert_eq!(
        e.take_events(),
        vec![written("e", "lmove"), written("d", "lmove"), removed("d")]
    );
    run(&mut e, c, "LTRIM e 1 0");
    assert_eq!(e.take_events(), vec![written("e", "ltrim"), removed("e")]);
}

#[test]
fn the_list_type() {
    let mut list = List::default();
    assert_eq!(list.encoding(), "quicklist");
    for v in [b"a", b"b", b"c", b"d"] {
        list.push(End::Right, v.to_vec());
    }
    assert_eq!(
        list.pop_many(End::Right, 2),
        vec![b"d".to_vec(), b"c".to_vec()]
    );
    assert_eq!(
        list.pop_many(End::Left, 9),
        vec![b"a".to_vec(), b"b".to_vec()]
    );
    assert!(list.is_empty());
    for v in [b"x", b"y", b"x", b"x"] {
        list.push(End::Left, v.to_vec());
    }
    assert_eq!(list.remove(b"x", Some(2), End::Right), 2);
    assert_eq!(
        list.range(0, 1).collect::<Vec<_>>(),
        vec![&b"x"[..], &b"y"[..]]
    );
    list.trim(5, 5);
    assert!(list.is_empty());
}
