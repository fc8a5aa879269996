//! Unit tests of the string commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines. Time is stepped by hand.

use crate::commands::test_support::*;
use crate::event::{Event, Removal};

const BAD_EXPIRE: &str = "(error) ERR invalid expire time in 'set' command";

#[test]
fn set_conditions_and_get() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET k v NX", "OK"),
            ("SET k w NX", "(nil)"),
            ("SET k w XX", "OK"),
            ("SET missing w XX", "(nil)"),
            ("SET k v nx xx", SYNTAX),
            ("SET k v XX NX", SYNTAX),
            ("SET k v nx nx", "(nil)"),
            ("SET k x GET", "\"w\""),
            ("SET k y get get", "\"x\""),
            ("SET k z NX GET", "\"y\""),
            ("GET k", "\"y\""),
            ("SET new v NX GET", "(nil)"),
            ("GET new", "\"v\""),
            ("SET none v XX GET", "(nil)"),
            ("EXISTS none", "(integer) 0"),
            ("SET k v BOGUS", SYNTAX),
            // C string comparison: the option ends at a NUL byte.
            ("SET k v \"nx\\x00junk\"", "(nil)"),
        ],
    );
}

#[test]
fn set_expiry_options() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET k v EX 10", "OK"),
            ("TTL k", "(integer) 10"),
            ("SET k v PX 2500", "OK"),
            ("PTTL k", "(integer) 2500"),
            ("SET k v EX 10 EX 20", "OK"),
            ("TTL k", "(integer) 20"),
            ("SET k v KEEPTTL", "OK"),
            ("TTL k", "(integer) 20"),
            ("SET k v", "OK"),
            ("TTL k", "(integer) -1"),
            ("SET k v EX 10 PX 10", SYNTAX),
            ("SET k v KEEPTTL EX 10", SYNTAX),
            ("SET k v EX 10 KEEPTTL", SYNTAX),
            ("SET k v PERSIST", SYNTAX),
            ("SET k v EX", SYNTAX),
            ("SET k v EX abc", NOT_INT),
            ("SET k v EX 0", BAD_EXPIRE),
            ("SET k v PX -1", BAD_EXPIRE),
            ("SET k v EXAT 0", BAD_EXPIRE),
            ("SET k v PXAT 0", BAD_EXPIRE),
            ("SET k v EX 9223372036854775", BAD_EXPIRE),
            ("SET k v PX 9223372036854775807", BAD_EXPIRE),
            ("SET k v EX 10 EX 0", BAD_EXPIRE),
            ("SET k v EX 0 EX 10", "OK"),
            ("SET k v EX 9223372036854", "OK"),
            ("TTL k", "(integer) 9223372036854"),
            ("SET k v EXAT 9223372036854775", "OK"),
        ],
    );
    let at = (T0 + 5000) / 1000;
    assert_eq!(run(&mut e, c, &format!("SET k v EXAT {at}")), "OK");
    assert_eq!(run(&mut e, c, "TTL k"), "(integer) 5");
    assert_eq!(run(&mut e, c, &format!("SET k v PXAT {}", T0 + 1234)), "OK");
    assert_eq!(run(&mut e, c, "PTTL k"), "(integer) 1234");
    e.advance(1234);
    assert_eq!(run(&mut e, c, "GET k"), "(nil)");
}

#[test]
fn a_past_absolute_time_deletes_the_key_but_answers_ok() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k old");
    e.take_events();
    assert_eq!(run(&mut e, c, "SET k v EXAT 1"), "OK");
    assert_eq!(run(&mut e, c, "EXISTS k"), "(integer) 0");
    let events = e.take_events();
    assert!(events.contains(&Event::Removed {
        db: 0,
        key: b"k".to_vec(),
        cause: Removal::Deleted
    }));
    assert_eq!(run(&mut e, c, &format!("SET k v PXAT {T0}")), "OK");
    assert_eq!(run(&mut e, c, "GET k"), "(nil)");
}

#[test]
fn set_get_on_another_type_is_refused_and_writes_nothing() {
    let (mut e, c) = engine();
    // Only strings exist so far; a counter stands in for "the key exists".
    run(&mut e, c, "SET n 1");
    assert_eq!(run(&mut e, c, "SET n 2 GET EX 0"), BAD_EXPIRE);
    assert_eq!(run(&mut e, c, "GET n"), "\"1\"");
}

#[test]
fn setnx_setex_psetex() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SETNX k a", "(integer) 1"),
            ("SETNX k b", "(integer) 0"),
            ("GET k", "\"a\""),
            ("SETEX k 10 v", "OK"),
            ("TTL k", "(integer) 10"),
            (
                "SETEX k 0 v",
                "(error) ERR invalid expire time in 'setex' command",
            ),
            ("SETEX k abc v", NOT_INT),
            ("PSETEX k 1500 v", "OK"),
            ("PTTL k", "(integer) 1500"),
            (
                "PSETEX k 0 v",
                "(error) ERR invalid expire time in 'psetex' command",
            ),
            (
                "SETEX k 10",
                "(error) ERR wrong number of arguments for 'setex' command",
            ),
        ],
    );
    e.advance(1500);
    assert_eq!(run(&mut e, c, "GET k"), "(nil)");
}

#[test]
fn getex_options() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("GETEX nokey EX 0", "(nil)"),
            ("GETEX nokey foo", SYNTAX),
            ("SET k v", "OK"),
            ("GETEX k", "\"v\""),
            ("GETEX k EX 100", "\"v\""),
            ("TTL k", "(integer) 100"),
            ("GETEX k PX 5000", "\"v\""),
            ("PTTL k", "(integer) 5000"),
            ("GETEX k PERSIST", "\"v\""),
            ("TTL k", "(integer) -1"),
            ("GETEX k persist persist", "\"v\""),
            ("GETEX k KEEPTTL", SYNTAX),
            ("GETEX k EX 10 PERSIST", SYNTAX),
            ("GETEX k PERSIST EX 10", SYNTAX),
            ("GETEX k EX 10 EX 20", "\"v\""),
            ("TTL k", "(integer) 20"),
            ("GETEX k NX", SYNTAX),
            (
                "GETEX k EX 0",
                "(error) ERR invalid expire time in 'getex' command",
            ),
            ("GETEX k EX x", NOT_INT),
        ],
    );
    assert_eq!(
        run(&mut e, c, &format!("GETEX k PXAT {}", T0 + 300)),
        "\"v\""
    );
    assert_eq!(run(&mut e, c, "PTTL k"), "(integer) 300");
    assert_eq!(run(&mut e, c, "GETEX k EXAT 1"), "\"v\"");
    assert_eq!(run(&mut e, c, "EXISTS k"), "(integer) 0");
}

#[test]
fn getdel_getset() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("GETSET k a", "(nil)"),
            ("GETSET k b", "\"a\""),
            ("EXPIRE k 100", "(integer) 1"),
            ("GETSET k c", "\"b\""),
            ("TTL k", "(integer) -1"),
            ("GETDEL k", "\"c\""),
            ("GETDEL k", "(nil)"),
            ("EXISTS k", "(integer) 0"),
        ],
    );
}

#[test]
fn mget_mset_msetnx() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("MSET a 1 b 2 a 3", "OK"),
            ("MGET a b c", "1) \"3\"\n2) \"2\"\n3) (nil)"),
            (
                "MSET a",
                "(error) ERR wrong number of arguments for 'mset' command",
            ),
            (
                "MSET a 1 b",
                "(error) ERR wrong number of arguments for 'mset' command",
            ),
            (
                "MSETNX a",
                "(error) ERR wrong number of arguments for 'msetnx' command",
            ),
            ("MSETNX c 1 a 1", "(integer) 0"),
            ("EXISTS c", "(integer) 0"),
            ("MSETNX c 1 d 2", "(integer) 1"),
            ("MGET c d", "1) \"1\"\n2) \"2\""),
            ("EXPIRE a 100", "(integer) 1"),
            ("MSET a 9", "OK"),
            ("TTL a", "(integer) -1"),
        ],
    );
}

#[test]
fn append_strlen() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("STRLEN k", "(integer) 0"),
            ("APPEND k \"\"", "(integer) 0"),
            ("EXISTS k", "(integer) 1"),
            ("APPEND k hello", "(integer) 5"),
            ("EXPIRE k 100", "(integer) 1"),
            ("APPEND k \" world\"", "(integer) 11"),
            ("TTL k", "(integer) 100"),
            ("STRLEN k", "(integer) 11"),
            ("GET k", "\"hello world\""),
        ],
    );
}

#[test]
fn setrange() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SETRANGE k 3 ab", "(integer) 5"),
            ("GET k", "\"\\x00\\x00\\x00ab\""),
            ("SETRANGE k 0 xyzw", "(integer) 5"),
            ("GET k", "\"xyzwb\""),
            ("SETRANGE k 1 \"\"", "(integer) 5"),
            ("SETRANGE nokey 5 \"\"", "(integer) 0"),
            ("EXISTS nokey", "(integer) 0"),
            ("SETRANGE k -1 x", "(error) ERR offset is out of range"),
            (
                "SETRANGE nokey -1 \"\"",
                "(error) ERR offset is out of range",
            ),
            ("SETRANGE k x x", NOT_INT),
            (
                "SETRANGE k 536870912 x",
                "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)",
            ),
            (
                "SETRANGE k 9223372036854775807 x",
                "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)",
            ),
            ("SETRANGE k 536870911 \"\"", "(integer) 5"),
            ("SETRANGE k 9223372036854775808 x", NOT_INT),
        ],
    );
}

#[test]
fn getrange_quirks() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("GETRANGE nokey 0 1", "\"\""),
            ("GETRANGE nokey a 1", NOT_INT),
            ("SET s 0123456789", "OK"),
            ("GETRANGE s 0 -1", "\"0123456789\""),
            ("GETRANGE s -3 -1", "\"789\""),
            ("GETRANGE s -1 -3", "\"\""),
            ("GETRANGE s 5 3", "\"\""),
            ("GETRANGE s 100 200", "\"\""),
            ("GETRANGE s -100 -50", "\"0\""),
            ("GETRANGE s -100 2", "\"012\""),
            ("GETRANGE s 0 9223372036854775807", "\"0123456789\""),
            (
                "GETRANGE s -9223372036854775808 -9223372036854775808",
                "\"0\"",
            ),
            ("SET e \"\"", "OK"),
            ("GETRANGE e 0 -1", "\"\""),
            ("GETRANGE e -1 0", "\"\""),
        ],
    );
}

#[test]
fn counters() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("INCR n", "(integer) 1"),
            ("INCRBY n 41", "(integer) 42"),
            ("DECR n", "(integer) 41"),
            ("DECRBY n 50", "(integer) -9"),
            ("INCRBY n abc", NOT_INT),
            ("INCRBY n 00", NOT_INT),
            ("INCRBY n -0", NOT_INT),
            ("INCRBY n \" 5\"", NOT_INT),
            ("INCRBY n +5", NOT_INT),
            ("INCRBY n 1.0", NOT_INT),
            (
                "DECRBY n -9223372036854775808",
                "(error) ERR decrement would overflow",
            ),
            ("SET n 9223372036854775807", "OK"),
            (
                "INCR n",
                "(error) ERR increment or decrement would overflow",
            ),
            ("SET n -9223372036854775808", "OK"),
            (
                "DECR n",
                "(error) ERR increment or decrement would overflow",
            ),
            ("INCRBY n 0", "(integer) -9223372036854775808"),
            ("DECRBY n -9223372036854775807", "(integer) -1"),
            ("SET n \"1 \"", "OK"),
            ("INCR n", NOT_INT),
            ("SET n 01", "OK"),
            ("INCR n", NOT_INT),
            ("SET n 5 EX 100", "OK"),
            ("INCR n", "(integer) 6"),
            ("TTL n", "(integer) 100"),
            ("GET n", "\"6\""),
        ],
    );
}

#[test]
fn incrbyfloat() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("SET k 10.50", "OK"),
            ("INCRBYFLOAT k 0.1", "\"10.6\""),
            ("INCRBYFLOAT k 5.0e3", "\"5010.60000000000000009\""),
            ("SET k 3.0e3", "OK"),
            ("INCRBYFLOAT k 2.0e2", "\"3200\""),
            ("INCRBYFLOAT x 0.1", "\"0.1\""),
            ("INCRBYFLOAT x 0.1", "\"0.2\""),
            ("INCRBYFLOAT x 0.1", "\"0.3\""),
            ("INCRBYFLOAT x abc", NOT_FLOAT),
            ("INCRBYFLOAT x nan", NOT_FLOAT),
            ("INCRBYFLOAT x \" 1\"", NOT_FLOAT),
            (
                "INCRBYFLOAT x inf",
                "(error) ERR increment would produce NaN or Infinity",
            ),
            ("INCRBYFLOAT z 1e30", "\"1000000000000000000024696061952\""),
            ("INCRBYFLOAT h 0x1p-3", "\"0.125\""),
            (
                "INCRBYFLOAT t 0.000003814697265625",
                "\"0.00000381469726562\"",
            ),
            ("SET m -0.0000000000000000001", "OK"),
            ("INCRBYFLOAT m 0", "\"0\""),
            ("SET f 1.5 PX 100000", "OK"),
            ("INCRBYFLOAT f 1", "\"2.5\""),
            ("PTTL f", "(integer) 100000"),
        ],
    );
}

#[test]
fn incrbyfloat_near_the_long_double_limit() {
    let (mut e, c) = engine();
    let huge = run(&mut e, c, "INCRBYFLOAT y 1.1e4932");
    assert_eq!(huge.len(), 4935);
    assert!(huge.starts_with("\"109999999999999999997437310752824181765903086927904340773498"));
    assert!(huge.ends_with("29957267178522323242088136704\""));
    assert_eq!(
        run(&mut e, c, "INCRBYFLOAT y 1.1e4932"),
        "(error) ERR increment would produce NaN or Infinity"
    );
}

#[test]
fn each_write_is_one_event() {
    let (mut e, c) = engine();
    let written = |cmd: &'static str| Event::Written {
        db: 0,
        key: b"k".to_vec(),
        command: cmd,
    };
    e.take_events();
    run(&mut e, c, "SET k v EX 100");
    assert_eq!(e.take_events(), vec![written("set")]);
    run(&mut e, c, "SET k w PX 5000");
    assert_eq!(e.take_events(), vec![written("set")]);
    run(&mut e, c, "SET k 1 KEEPTTL");
    run(&mut e, c, "INCRBY k 2");
    run(&mut e, c, "INCRBYFLOAT k 0.5");
    run(&mut e, c, "APPEND k 0");
    run(&mut e, c, "SETRANGE k 0 7");
    assert_eq!(
        e.take_events(),
        vec![
            written("set"),
            written("incrby"),
            written("incrbyfloat"),
            written("append"),
            written("setrange"),
        ]
    );
    assert_eq!(run(&mut e, c, "PTTL k"), "(integer) 5000");
    // Failed commands and reads record nothing.
    run(&mut e, c, "INCR k");
    run(&mut e, c, "SET k v NX");
    run(&mut e, c, "GETEX k");
    run(&mut e, c, "MGET k k");
    assert_eq!(e.take_events(), vec![]);
    run(&mut e, c, "GETDEL k");
    assert_eq!(
        e.take_events(),
        vec![Event::Removed {
            db: 0,
            key: b"k".to_vec(),
            cause: Removal::Deleted
        }]
    );
}

#[test]
fn expiry_set_by_options_runs_on_the_virtual_clock() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET a v PX 1000");
    run(&mut e, c, "SETEX b 2 v");
    run(&mut e, c, "SET c v");
    run(&mut e, c, "GETEX c PX 1500");
    e.advance(999);
    assert_eq!(run(&mut e, c, "MGET a b c"), "1) \"v\"\n2) \"v\"\n3) \"v\"");
    e.advance(1);
    assert_eq!(run(&mut e, c, "MGET a b c"), "1) (nil)\n2) \"v\"\n3) \"v\"");
    e.advance(500);
    assert_eq!(run(&mut e, c, "MGET a b c"), "1) (nil)\n2) \"v\"\n3) (nil)");
    e.advance(500);
    assert_eq!(run(&mut e, c, "EXISTS b"), "(integer) 0");
}
