//! Tests of the generic key commands, with time stepped by hand. Several
//! port cases from Redis's `tests/unit/expire.tcl` and `keyspace.tcl`.

use crate::engine::{ClientId, Engine};
use crate::event::{Event, Removal};
use crate::reply::Reply;

const T0: u64 = 1_700_000_000_000;

fn setup() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

fn run(e: &mut Engine, c: ClientId, line: &str) -> Reply {
    e.execute_line(c, line).remove(0)
}

fn int(n: i64) -> Reply {
    Reply::Integer(n)
}

fn err(text: &str) -> Reply {
    Reply::error(text)
}

fn removed(e: &mut Engine, key: &str) -> Vec<Removal> {
    e.take_events()
        .into_iter()
        .filter_map(|ev| match ev {
            Event::Removed { key: k, cause, .. } if k == key.as_bytes() => Some(cause),
            _ => None,
        })
        .collect()
}

#[test]
fn del_and_unlink_count_each_key_once() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "SET b 2");
    assert_eq!(run(&mut e, c, "DEL a a nosuch"), int(1));
    assert_eq!(run(&mut e, c, "UNLINK b b"), int(1));
    assert_eq!(run(&mut e, c, "DEL a b"), int(0));
    assert_eq!(e.db_len(0), 0);
}

#[test]
fn del_records_a_deletion() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    e.take_events();
    run(&mut e, c, "DEL a");
    assert_eq!(removed(&mut e, "a"), vec![Removal::Deleted]);
}

#[test]
fn exists_counts_repeats_and_touch_counts_existing() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    assert_eq!(run(&mut e, c, "EXISTS a a nosuch a"), int(3));
    assert_eq!(run(&mut e, c, "TOUCH a a nosuch"), int(2));
}

#[test]
fn type_names_a_string_and_none() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    assert_eq!(run(&mut e, c, "TYPE a"), Reply::Status("string".into()));
    assert_eq!(run(&mut e, c, "TYPE nosuch"), Reply::Status("none".into()));
}

#[test]
fn wrong_arity_is_reported_by_name() {
    let (mut e, c) = setup();
    for (line, name) in [
        ("DEL", "del"),
        ("EXPIRE k", "expire"),
        ("TTL", "ttl"),
        ("TTL a b", "ttl"),
        ("RENAME a", "rename"),
        ("KEYS", "keys"),
        ("PEXPIRETIME", "pexpiretime"),
    ] {
        let want = format!("ERR wrong number of arguments for '{name}' command");
        assert_eq!(run(&mut e, c, line), err(&want), "{line}");
    }
}

#[test]
fn expire_sets_a_ttl_read_back_by_every_ttl_command() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET k v");
    assert_eq!(run(&mut e, c, "TTL k"), int(-1));
    assert_eq!(run(&mut e, c, "PTTL k"), int(-1));
    assert_eq!(run(&mut e, c, "EXPIRETIME k"), int(-1));
    assert_eq!(run(&mut e, c, "EXPIRE k 100"), int(1));
    assert_eq!(run(&mut e, c, "TTL k"), int(100));
    assert_eq!(run(&mut e, c, "PTTL k"), int(100_000));
    let at = (T0 + 100_000) as i64;
    assert_eq!(run(&mut e, c, "PEXPIRETIME k"), int(at));
    assert_eq!(run(&mut e, c, "EXPIRETIME k"), int((at + 500) / 1000));
    for cmd in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
        assert_eq!(run(&mut e, c, &format!("{cmd} nosuch")), int(-2));
    }
}

#[test]
fn absolute_and_millisecond_forms() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET k v");
    let at_s = T0 / 1000 + 50;
    assert_eq!(run(&mut e, c, &format!("EXPIREAT k {at_s}")), int(1));
    assert_eq!(run(&mut e, c, "PEXPIRETIME k"), int((at_s * 1000) as i64));
    assert_eq!(run(&mut e, c, "PEXPIRE k 2500"), int(1));
    assert_eq!(run(&mut e, c, "PTTL k"), int(2500));
    let at_ms = T0 + 7;
    assert_eq!(run(&mut e, c, &format!("PEXPIREAT k {at_ms}")), int(1));
    assert_eq!(run(&mut e, c, "PTTL k"), int(7));
}

#[test]
fn ttl_rounds_to_the_nearest_second() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET k v");
    run(&mut e, c, "PEXPIRE k 1499");
    assert_eq!(run(&mut e, c, "TTL k"), int(1));
    run(&mut e, c, "PEXPIRE k 1500");
    assert_eq!(run(&mut e, c, "TTL k"), int(2));
    run(&mut e, c, "PEXPIRE k 400");
    assert_eq!(run(&mut e, c, "TTL k"), int(0));
}

#[test]
fn a_time_in_the_past_deletes_the_key_and_answers_one() {
    let (mut e, c) = setup();
    for line in [
        "EXPIRE k -1",
        "PEXPIRE k 0",
        "EXPIREAT k 1",
        "PEXPIREAT k -9223372036854775808",
        "EXPIRE k -9223372036854775",
    ] {
        run(&mut e, c, "SET k v");
        e.take_events();
        assert_eq!(run(&mut e, c, line), int(1), "{line}");
        assert_eq!(run(&mut e, c, "EXISTS k"), int(0), "{line}");
        assert_eq!(removed(&mut e, "k"), vec![Removal::Deleted], "{line}");
    }
    assert_eq!(run(&mut e, c, "EXPIRE k -1"), int(0), "no key: 0");
}

#[test]
fn overflowing_times_are_errors_even_without_the_key() {
    let (mut e, c) = setup();
    for (line, name) in [
        ("EXPIRE nosuch 9223372036854775807", "expire"),
        ("EXPIRE nosuch 9223372036854776", "expire"),
        ("EXPIRE nosuch -9223372036854776", "expire"),
        ("EXPIRE nosuch 9223372036854775", "expire"),
        ("PEXPIRE nosuch 9223372036854775807", "pexpire"),
        ("EXPIREAT nosuch 9223372036854776", "expireat"),
    ] {
        let want = format!("ERR invalid expire time in '{name}' command");
        assert_eq!(run(&mut e, c, line), err(&want), "{line}");
    }
    // No overflow: a far future is fine.
    run(&mut e, c, "SET k v");
    assert_eq!(run(&mut e, c, "EXPIREAT k 9223372036854775"), int(1));
    assert_eq!(run(&mut e, c, "PEXPIREAT k 9223372036854775807"), int(1));
    assert_eq!(
        run(&mut e, c, "PTTL k"),
        int(i64::MAX - T0 as i64),
        "no overflow when the TTL is computed"
    );
}

#[test]
fn the_time_must_be_a_strict_integer() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET k v");
    for t in [
        "abc",
        "+5",
        "\" 5\"",
        "05",
        "-0",
        "5.0",
        "\"\"",
        "0x10",
        "99999999999999999999",
    ] {
        assert_eq!(
            run(&mut e, c, &format!("EXPIRE k {t}")),
            err("ERR value is not an integer or out of range"),
            "{t}"
        );
    }
}

#[test]
fn options_are_checked_before_the_number() {
    let (mut e, c) = setup();
    let nx_err = "ERR NX and XX, GT or LT options at the same time are not compatible";
    let gtlt_err = "ERR GT and LT options at the same time are not compatible";
    assert_eq!(
        run(&mut e, c, "EXPIRE k abc foo"),
        err("ERR Unsupported option foo")
    );
    assert_eq!(run(&mut e, c, "EXPIRE k 1 nx xx"), err(nx_err));
    assert_eq!(run(&mut e, c, "EXPIRE k 1 NX GT"), err(nx_err));
    assert_eq!(run(&mut e, c, "PEXPIRE k 1 lt nx"), err(nx_err));
    assert_eq!(run(&mut e, c, "EXPIREAT k 1 gt lt"), err(gtlt_err));
    assert_eq!(
        run(&mut e, c, "EXPIRE k abc xx gt"),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        run(&mut e, c, "EXPIRE k 1 \"a\\x00b\""),
        err("ERR Unsupported option a"),
        "the option is printed as a C string"
    );
    assert_eq!(
        run(&mut e, c, "EXPIRE k 1 \"a\\r\\nb\""),
        err("ERR Unsupported option a  b"),
        "newlines become spaces"
    );
}

#[test]
fn nx_xx_gt_lt_conditions() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET k v");
    // No expiry yet: XX and GT refuse, NX and LT accept.
    assert_eq!(run(&mut e, c, "EXPIRE k 100 XX"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 100 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 100 LT"), int(1));
    run(&mut e, c, "PERSIST k");
    assert_eq!(run(&mut e, c, "EXPIRE k 100 NX"), int(1));
    // With an expiry: NX refuses, XX accepts.
    assert_eq!(run(&mut e, c, "EXPIRE k 200 NX"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 200 xx"), int(1));
    assert_eq!(run(&mut e, c, "TTL k"), int(200));
    // GT and LT compare with the current expiry, strictly.
    assert_eq!(run(&mut e, c, "EXPIRE k 200 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 100 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 300 GT"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE k 300 LT"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 50 LT lt"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE k 60 XX GT"), int(1));
    assert_eq!(run(&mut e, c, "TTL k"), int(60));
    // A past time that fails GT does not delete.
    assert_eq!(run(&mut e, c, "EXPIRE k -5 GT"), int(0));
    assert_eq!(run(&mut e, c, "EXISTS k"), int(1));
    assert_eq!(run(&mut e, c, "EXPIRE k -5 LT"), int(1));
    assert_eq!(run(&mut e, c, "EXISTS k"), int(0));
    assert_eq!(run(&mut e, c, "EXPIRE k 5 NX"), int(0), "no key");
}

#[test]
fn lazy_expiry_on_every_lookup() {
    for line in [
        "TTL k",
        "EXISTS k",
        "TYPE k",
        "PERSIST k",
        "EXPIRE k 10",
        "TOUCH k",
        "DEL k",
    ] {
        let (mut e, c) = setup();
        run(&mut e, c, "SET k v");
        run(&mut e, c, "PEXPIRE k 100");
        e.take_events();
        e.now += 100; // past due, but no cron tick has run
        assert_eq!(e.db_len(0), 1);
        run(&mut e, c, line);
        assert_eq!(removed(&mut e, "k"), vec![Removal::ExpiredLazy], "{line}");
        assert_eq!(e.db_len(0), 0);
    }
}

#[test]
fn keys_are_gone_after_the_clock_passes_their_expiry() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET k v");
    run(&mut e, c, "PEXPIRE k 1000");
    e.advance(999);
    assert_eq!(run(&mut e, c, "PTTL k"), int(1));
    e.advance(1);
    assert_eq!(run(&mut e, c, "TTL k"), int(-2));
}

#[test]
fn persist_removes_only_an_existing_expiry() {
    let (mut e, c) = setup();
    assert_eq!(run(&mut e, c, "PERSIST nosuch"), int(0));
    run(&mut e, c, "SET k v");
    assert_eq!(run(&mut e, c, "PERSIST k"), int(0));
    run(&mut e, c, "EXPIRE k 100");
    assert_eq!(run(&mut e, c, "PERSIST k"), int(1));
    assert_eq!(run(&mut e, c, "TTL k"), int(-1));
    assert_eq!(run(&mut e, c, "PERSIST k"), int(0));
}

#[test]
fn rename_moves_the_value_and_its_ttl() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "EXPIRE a 100");
    run(&mut e, c, "SET b 2");
    run(&mut e, c, "EXPIRE b 500");
    e.take_events();
    assert_eq!(run(&mut e, c, "RENAME a b"), Reply::ok());
    assert_eq!(run(&mut e, c, "GET b"), Reply::bulk("1"));
    assert_eq!(run(&mut e, c, "TTL b"), int(100));
    assert_eq!(run(&mut e, c, "EXISTS a"), int(0));
    let events = e.take_events();
    assert!(events.contains(&Event::Removed {
        db: 0,
        key: b"a".to_vec(),
        cause: Removal::Deleted
    }));
    assert!(events.contains(&Event::Written {
        db: 0,
        key: b"b".to_vec(),
        command: "rename"
    }));
    // A key without a TTL replaces one with a TTL: no TTL is left.
    run(&mut e, c, "SET c 3");
    assert_eq!(run(&mut e, c, "RENAME c b"), Reply::ok());
    assert_eq!(run(&mut e, c, "TTL b"), int(-1));
}

#[test]
fn renamenx_keeps_an_existing_destination() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "SET b 2");
    assert_eq!(run(&mut e, c, "RENAMENX a b"), int(0));
    assert_eq!(run(&mut e, c, "GET b"), Reply::bulk("2"));
    assert_eq!(run(&mut e, c, "RENAMENX a c"), int(1));
    assert_eq!(run(&mut e, c, "GET c"), Reply::bulk("1"));
}

#[test]
fn renaming_to_itself_and_missing_keys() {
    let (mut e, c) = setup();
    let no_key = err("ERR no such key");
    assert_eq!(run(&mut e, c, "RENAME nosuch x"), no_key);
    assert_eq!(run(&mut e, c, "RENAME nosuch nosuch"), no_key);
    assert_eq!(run(&mut e, c, "RENAMENX nosuch nosuch"), no_key);
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "EXPIRE a 100");
    assert_eq!(run(&mut e, c, "RENAME a a"), Reply::ok());
    assert_eq!(run(&mut e, c, "RENAMENX a a"), int(0));
    assert_eq!(run(&mut e, c, "TTL a"), int(100));
}

#[test]
fn renaming_an_expired_key_finds_no_key() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "PEXPIRE a 10");
    e.now += 10;
    assert_eq!(run(&mut e, c, "RENAME a b"), err("ERR no such key"));
}

#[test]
fn keys_matches_globs_and_skips_expired_keys_without_removing_them() {
    let (mut e, c) = setup();
    for k in ["hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "\"\""] {
        run(&mut e, c, &format!("SET {k} v"));
    }
    let keys = |e: &mut Engine, p: &str| match run(e, c, &format!("KEYS {p}")) {
        Reply::Array(items) => items,
        other => panic!("{other:?}"),
    };
    let bulks = |v: &[&str]| v.iter().map(|s| Reply::bulk(*s)).collect::<Vec<_>>();
    assert_eq!(keys(&mut e, "h?llo"), bulks(&["hallo", "hello", "hxllo"]));
    assert_eq!(
        keys(&mut e, "h*llo"),
        bulks(&["hallo", "heeeello", "hello", "hllo", "hxllo"])
    );
    assert_eq!(keys(&mut e, "h[ae]llo"), bulks(&["hallo", "hello"]));
    assert_eq!(keys(&mut e, "h[^e]llo"), bulks(&["hallo", "hxllo"]));
    assert_eq!(keys(&mut e, "a\\*b"), bulks(&["a*b"]));
    assert_eq!(keys(&mut e, "*").len(), 7, "* lists the empty name too");
    assert_eq!(keys(&mut e, "**").len(), 6, "** does not");
    run(&mut e, c, "PEXPIRE hello 5");
    e.now += 5;
    e.take_events();
    assert_eq!(keys(&mut e, "h?llo"), bulks(&["hallo", "hxllo"]));
    assert!(removed(&mut e, "hello").is_empty(), "KEYS does not reclaim");
    assert_eq!(
        run(&mut e, c, "DBSIZE"),
        int(7),
        "DBSIZE counts it until reclaimed"
    );
}

#[test]
fn binary_keys_and_huge_arguments() {
    let (mut e, c) = setup();
    run(&mut e, c, "SET \"\\x00\\xff\" v");
    assert_eq!(run(&mut e, c, "EXISTS \"\\x00\\xff\""), int(1));
    assert_eq!(
        run(&mut e, c, "KEYS \"\\x00*\""),
        Reply::Array(vec![Reply::bulk(b"\x00\xff".to_vec())])
    );
    assert_eq!(
        run(&mut e, c, "RENAME \"\\x00\\xff\" \"\\xff\""),
        Reply::ok()
    );
    let huge = "9".repeat(10_000);
    assert_eq!(
        run(&mut e, c, &format!("EXPIRE \"\\xff\" {huge}")),
        err("ERR value is not an integer or out of range")
    );
    let pattern = "*a".repeat(5_000);
    assert_eq!(
        run(&mut e, c, &format!("KEYS {pattern}")),
        Reply::Array(vec![])
    );
}
