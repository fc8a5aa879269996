//! Unit tests of the blocking commands on the virtual clock: expected
//! replies are what redis-server 7.0.15 answered (the corpus's
//! `blocking-*.redis` scripts check the same against the server).

use super::{ceil_ms, deadline};
use crate::commands::num::LongDouble;
use crate::commands::test_support::*;
use crate::engine::{ClientId, Engine};
use crate::event::Event;
use crate::reply::Reply;

/// Runs `line` as `c`: `None` while it blocks.
fn send(e: &mut Engine, c: ClientId, line: &str) -> Option<String> {
    e.execute_line(c, line)
        .pop()
        .map(|r| r.to_cli().trim_end().to_string())
}

/// What other clients received since the last call, as redis-cli prints it.
fn pushed(e: &mut Engine) -> Vec<(ClientId, String)> {
    e.take_pushed()
        .into_iter()
        .map(|(c, r)| (c, r.to_cli().trim_end().to_string()))
        .collect()
}

fn ms(text: &str) -> i64 {
    ceil_ms(LongDouble::parse(text.as_bytes()).expect("a float"))
}

#[test]
fn timeouts_round_up_to_ms_as_ceill() {
    assert_eq!(ms("1"), 1000);
    assert_eq!(ms("0.0001"), 1);
    assert_eq!(ms("1e-400"), 1);
    assert_eq!(ms("-0.0009"), 0);
    assert_eq!(ms("-0.0011"), -1);
    assert_eq!(ms("0x10"), 16_000);
    assert_eq!(ms("1.5"), 1500);
    assert_eq!(ms("9223372036854775"), 9_223_372_036_854_775_000);
    assert_eq!(ms("9223372036854775.808"), i64::MIN);
    assert_eq!(ms("1e30"), i64::MIN);
    assert_eq!(ms("inf"), i64::MIN);
    assert_eq!(ms("-inf"), i64::MIN);
    assert_eq!(deadline(b"0", 5), Ok(None));
    assert_eq!(deadline(b"-0", 5), Ok(None));
    assert_eq!(deadline(b"0.5", 5), Ok(Some(505)));
    assert!(deadline(b"nan", 5).is_err());
    // 7.0 adds without an overflow check: the deadline wraps and, read
    // unsigned, is never reached.
    let far = deadline(b"9223372036854775", T0)
        .expect("accepted")
        .expect("a deadline");
    assert!(far > T0);
}

#[test]
fn a_push_answers_its_length_then_serves_waiters_in_order() {
    let (mut e, producer) = engine();
    let (w1, w2, w3) = (e.connect(), e.connect(), e.connect());
    assert_eq!(send(&mut e, w1, "BLPOP q 0"), None);
    assert_eq!(send(&mut e, w2, "BRPOP q 0"), None);
    assert_eq!(send(&mut e, w3, "BLPOP q 0"), None);
    assert_eq!(e.blocking().blocked_count(), 3);
    assert_eq!(run(&mut e, producer, "RPUSH q a b c d"), "(integer) 4");
    assert_eq!(
        pushed(&mut e),
        vec![
            (w1, "1) \"q\"\n2) \"a\"".to_string()),
            (w2, "1) \"q\"\n2) \"d\"".to_string()),
            (w3, "1) \"q\"\n2) \"b\"".to_string()),
        ]
    );
    assert_eq!(run(&mut e, producer, "LRANGE q 0 -1"), "1) \"c\"");
    assert_eq!(e.blocking().blocked_count(), 0);
}

#[test]
fn timeouts_fire_on_the_virtual_clock_only() {
    let (mut e, c) = engine();
    let w = e.connect();
    assert_eq!(send(&mut e, w, "BZPOPMIN z 1.5"), None);
    assert_eq!(e.blocking().timed_count(), 1);
    e.advance(1499);
    assert!(pushed(&mut e).is_empty());
    e.advance(1);
    assert_eq!(pushed(&mut e), vec![(w, "(nil)".to_string())]);
    assert_eq!(run(&mut e, c, "ZADD z 1 m"), "(integer) 1");
    assert!(
        pushed(&mut e).is_empty(),
        "a timed-out client takes nothing"
    );
    // The nil is a null array for every blocking command, BLMOVE too.
    assert_eq!(send(&mut e, w, "BLMOVE src dst LEFT LEFT 0.01"), None);
    e.advance(10);
    assert_eq!(e.take_pushed(), vec![(w, Reply::NilArray)]);
}

#[test]
fn timeouts_go_in_deadline_order_then_client_order() {
    let (mut e, _) = engine();
    let (w1, w2, w3) = (e.connect(), e.connect(), e.connect());
    send(&mut e, w1, "BLPOP a 2");
    send(&mut e, w2, "BLPOP b 1");
    send(&mut e, w3, "BLPOP c 1");
    e.take_events();
    e.advance(5000);
    let order: Vec<ClientId> = e.take_pushed().into_iter().map(|(c, _)| c).collect();
    assert_eq!(order, vec![w2, w3, w1]);
    let timed_out = e
        .take_events()
        .into_iter()
        .filter(|ev| matches!(ev, Event::ClientTimedOut { .. }))
        .count();
    assert_eq!(timed_out, 3);
}

#[test]
fn zero_blocks_forever_and_a_disconnected_waiter_is_forgotten() {
    let (mut e, c) = engine();
    let (w1, w2) = (e.connect(), e.connect());
    send(&mut e, w1, "BLPOP q 0");
    send(&mut e, w1, "GET never-run");
    send(&mut e, w2, "BLPOP q 0");
    e.advance(365 * 24 * 3600 * 1000);
    assert!(pushed(&mut e).is_empty());
    e.disconnect(w1);
    assert_eq!(run(&mut e, c, "RPUSH q x"), "(integer) 1");
    assert_eq!(pushed(&mut e), vec![(w2, "1) \"q\"\n2) \"x\"".to_string())]);
    assert_eq!(run(&mut e, c, "RPUSH q y"), "(integer) 1");
    assert!(pushed(&mut e).is_empty());
    assert_eq!(e.blocking().blocked_count(), 0);
}

#[test]
fn a_served_move_wakes_the_next_link_of_a_chain() {
    let (mut e, c) = engine();
    let (w1, w2, w3) = (e.connect(), e.connect(), e.connect());
    send(&mut e, w1, "BRPOPLPUSH a b 0");
    send(&mut e, w2, "BLMOVE b c LEFT RIGHT 0");
    send(&mut e, w3, "BLPOP c 0");
    e.take_events();
    assert_eq!(run(&mut e, c, "RPUSH a x"), "(integer) 1");
    assert_eq!(
        pushed(&mut e),
        vec![
            (w1, "\"x\"".to_string()),
            (w2, "\"x\"".to_string()),
            (w3, "1) \"c\"\n2) \"x\"".to_string()),
        ]
    );
    let woken: Vec<(ClientId, Vec<u8>, &str)> = e
        .take_events()
        .into_iter()
        .filter_map(|ev| match ev {
            Event::ClientWoken { id, key, by, .. } => Some((id, key, by)),
            _ => None,
        })
        .collect();
    assert_eq!(
        woken,
        vec![
            (w1, b"a".to_vec(), "rpush"),
            (w2, b"b".to_vec(), "rpush"),
            (w3, b"c".to_vec(), "rpush"),
        ]
    );
    assert_eq!(run(&mut e, c, "EXISTS a b c"), "(integer) 0");
}

#[test]
fn the_feed_says_who_blocked_on_what_until_when() {
    let (mut e, _) = engine();
    let w = e.connect();
    e.take_events();
    send(&mut e, w, "BLPOP k1 k2 k1 2.5");
    assert_eq!(
        e.take_events(),
        vec![Event::ClientBlocked {
            id: w,
            db: 0,
            keys: vec![b"k1".to_vec(), b"k2".to_vec()],
            command: "blpop",
            since: T0,
            until: Some(T0 + 2500),
        }]
    );
}

#[test]
fn only_a_new_key_serves_a_waiter() {
    let (mut e, c) = engine();
    let w = e.connect();
    send(&mut e, w, "BLPOP k 0");
    check(
        &mut e,
        c,
        &[
            ("SET k str", "OK"),
            ("RPUSH src 1", "(integer) 1"),
            ("SORT src STORE k", "(integer) 1"),
            ("RPUSH k 2", "(integer) 2"),
        ],
    );
    assert!(pushed(&mut e).is_empty(), "an overwrite signals nothing");
    check(
        &mut e,
        c,
        &[("DEL k", "(integer) 1"), ("RPUSH k 3", "(integer) 1")],
    );
    assert_eq!(pushed(&mut e), vec![(w, "1) \"k\"\n2) \"3\"".to_string())]);
}

#[test]
fn a_blocked_move_onto_a_wrong_type_gets_wrongtype_and_moves_nothing() {
    let (mut e, c) = engine();
    let w = e.connect();
    run(&mut e, c, "SET str v");
    send(&mut e, w, "BLMOVE m str LEFT LEFT 0");
    assert_eq!(run(&mut e, c, "RPUSH m 1"), "(integer) 1");
    assert_eq!(pushed(&mut e), vec![(w, WRONGTYPE.to_string())]);
    assert_eq!(run(&mut e, c, "LRANGE m 0 -1"), "1) \"1\"");
}

#[test]
fn denied_blocking_answers_as_a_timeout() {
    // Inside MULTI/EXEC the transaction code sets `deny`.
    let (mut e, c) = engine();
    e.blocking.deny = true;
    assert_eq!(e.execute_line(c, "BLPOP q 0"), vec![Reply::NilArray]);
    assert_eq!(e.execute_line(c, "BZMPOP 0 1 q MIN"), vec![Reply::NilArray]);
    assert_eq!(
        e.execute_line(c, "BLMOVE q d LEFT LEFT 0"),
        vec![Reply::Nil]
    );
    assert_eq!(e.execute_line(c, "BRPOPLPUSH q d 0"), vec![Reply::Nil]);
    assert_eq!(e.blocking().blocked_count(), 0);
}

#[test]
fn zset_waiters_skip_lists_and_list_waiters_skip_zsets() {
    let (mut e, c) = engine();
    let (wz, wl) = (e.connect(), e.connect());
    send(&mut e, wz, "BZPOPMAX k 0");
    send(&mut e, wl, "BLMPOP 0 1 k RIGHT COUNT 5");
    run(&mut e, c, "RPUSH k a b");
    assert_eq!(
        pushed(&mut e),
        vec![(wl, "1) \"k\"\n2) 1) \"b\"\n   2) \"a\"".to_string())]
    );
    run(&mut e, c, "ZADD k 1 x 2 y");
    assert_eq!(
        pushed(&mut e),
        vec![(wz, "1) \"k\"\n2) \"y\"\n3) \"2\"".to_string())]
    );
}

#[test]
fn a_queued_sleep_moves_the_clock_when_it_runs() {
    let (mut e, c) = engine();
    let (w1, w2) = (e.connect(), e.connect());
    send(&mut e, w1, "BLPOP q 0");
    send(&mut e, w1, "DEBUG SLEEP 1");
    send(&mut e, w2, "BLPOP other 0.5");
    run(&mut e, c, "RPUSH q x");
    assert_eq!(e.now(), T0 + 1000);
    assert_eq!(
        pushed(&mut e),
        vec![
            (w1, "1) \"q\"\n2) \"x\"".to_string()),
            (w1, "OK".to_string()),
            (w2, "(nil)".to_string()),
        ]
    );
}
