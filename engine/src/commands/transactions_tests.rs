//! Unit tests of MULTI EXEC DISCARD WATCH UNWATCH: the watch rules on a
//! clock stepped by hand, the change feed, and the feed off. Expected
//! replies are what redis-server 7.0.15 answered to the same lines
//! (tests/corpus/tx-*.redis checks them against it).

use crate::commands::test_support::*;
use crate::event::{Event, TxAbort};
use crate::reply::Reply;

#[test]
fn queue_and_exec() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("MULTI", "OK"),
            ("SET a 1", "QUEUED"),
            ("INCR a", "QUEUED"),
            ("LPUSH a x", "QUEUED"),
            (
                "EXEC",
                "1) OK\n2) (integer) 2\n3) (error) WRONGTYPE Operation against a key holding the wrong kind of value",
            ),
            ("EXEC", "(error) ERR EXEC without MULTI"),
            ("DISCARD", "(error) ERR DISCARD without MULTI"),
        ],
    );
}

#[test]
fn queueing_errors_abort() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("MULTI", "OK"),
            ("SET a 1", "QUEUED"),
            ("GET", "(error) ERR wrong number of arguments for 'get' command"),
            ("MULTI", "(error) ERR MULTI calls can not be nested"),
            ("WATCH a", "(error) ERR WATCH inside MULTI is not allowed"),
            (
                "EXEC",
                "(error) EXECABORT Transaction discarded because of previous errors.",
            ),
            ("EXISTS a", "(integer) 0"),
            ("MULTI", "OK"),
            ("SET a 1", "QUEUED"),
            (
                "EXEC x",
                "(error) EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command",
            ),
            ("EXEC", "(error) ERR EXEC without MULTI"),
        ],
    );
}

#[test]
fn a_write_by_another_client_breaks_the_watch() {
    let (mut e, a) = engine();
    let b = e.connect();
    check(&mut e, a, &[("SET k 1", "OK"), ("WATCH k", "OK")]);
    run(&mut e, b, "INCR k");
    check(&mut e, a, &[("MULTI", "OK"), ("GET k", "QUEUED")]);
    e.take_events();
    assert_eq!(run(&mut e, a, "EXEC"), "(nil)");
    let events = e.take_events();
    assert!(events.contains(&Event::TxAborted {
        client: a,
        cause: TxAbort::Watch {
            db: 0,
            key: b"k".to_vec(),
            by: Some(b)
        }
    }));
    // The watch ended with EXEC.
    run(&mut e, b, "INCR k");
    check(&mut e, a, &[("MULTI", "OK"), ("GET k", "QUEUED")]);
    assert_eq!(run(&mut e, a, "EXEC"), "1) \"3\"");
}

#[test]
fn the_watch_works_with_the_feed_off() {
    let (mut e, a) = engine();
    let b = e.connect();
    e.set_feed(false);
    check(&mut e, a, &[("WATCH k", "OK")]);
    run(&mut e, b, "SET k 1");
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "(nil)")],
    );
}

#[test]
fn expiry_rules() {
    let (mut e, a) = engine();
    let b = e.connect();
    // Live when watched, expired by EXEC (nobody removed it): broken.
    run(&mut e, a, "SET t v PX 100");
    run(&mut e, a, "WATCH t");
    e.now += 200; // no cron: only EXEC's check sees it
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "(nil)")],
    );
    // Already expired when watched: its removal is no change.
    run(&mut e, a, "SET u v PX 100");
    e.now += 200;
    run(&mut e, a, "WATCH u");
    assert_eq!(run(&mut e, b, "GET u"), "(nil)");
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "1) PONG")],
    );
    // ... but writing it again is.
    run(&mut e, a, "SET u v PX 100");
    e.now += 200;
    run(&mut e, a, "WATCH u");
    run(&mut e, b, "SET u 2");
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "(nil)")],
    );
    // The active cycle removing a watched key breaks the watch.
    run(&mut e, a, "SET w v PX 100");
    run(&mut e, a, "WATCH w");
    e.take_events();
    e.advance(1_000);
    assert!(e.take_events().contains(&Event::WatchTouched {
        client: a,
        db: 0,
        key: b"w".to_vec(),
        by: None
    }));
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "(nil)")],
    );
}

#[test]
fn flush_and_swapdb_touch_existing_keys_only() {
    let (mut e, a) = engine();
    let b = e.connect();
    run(&mut e, a, "WATCH missing");
    run(&mut e, b, "FLUSHALL");
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "1) PONG")],
    );
    run(&mut e, a, "SET k 1");
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "FLUSHDB");
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("PING", "QUEUED"), ("EXEC", "(nil)")],
    );
    run(&mut e, b, "SELECT 1");
    run(&mut e, b, "SET k 1");
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "SWAPDB 0 1");
    check(
        &mut e,
        a,
        &[("MULTI", "OK"), ("GET k", "QUEUED"), ("EXEC", "(nil)")],
    );
}

#[test]
fn select_inside_multi_and_the_feed() {
    let (mut e, c) = engine();
    e.take_events();
    check(
        &mut e,
        c,
        &[
            ("MULTI", "OK"),
            ("SELECT 2", "QUEUED"),
            ("SET x 1", "QUEUED"),
            ("EXEC", "1) OK\n2) OK"),
            ("GET x", "\"1\""),
        ],
    );
    let events = e.take_events();
    assert!(events.contains(&Event::TxQueued {
        client: c,
        argv: vec![b"SET".to_vec(), b"x".to_vec(), b"1".to_vec()]
    }));
    assert!(events.contains(&Event::TxExecuted {
        client: c,
        replies: vec![Reply::ok(), Reply::ok()]
    }));
    assert!(events.contains(&Event::Written {
        db: 2,
        key: b"x".to_vec(),
        command: "set"
    }));
}

#[test]
fn disconnecting_drops_the_watches() {
    let (mut e, a) = engine();
    run(&mut e, a, "WATCH k1 k2");
    assert!(!e.watches.is_empty());
    e.disconnect(a);
    assert!(e.watches.is_empty());
    // And the feed stops noting keys for nobody.
    let b = e.connect();
    run(&mut e, b, "SET k1 v");
    assert!(e.events.take_touched().is_empty());
}
