//! Unit tests of pub/sub and keyspace notifications; expected replies are
//! what redis-server 7.0.15 answered (tests/corpus/pubsub-*.redis and
//! notify-*.redis check the same against the server).

use crate::commands::test_support::*;
use crate::engine::{ClientId, Engine};
use crate::event::{Event, SubKind};
use crate::reply::Reply;

/// Every reply of a line, rendered.
fn all(e: &mut Engine, c: ClientId, line: &str) -> Vec<String> {
    e.execute_line(c, line)
        .iter()
        .map(|r| r.to_cli().trim_end().to_string())
        .collect()
}

/// What each client received from others, rendered.
fn pushed(e: &mut Engine) -> Vec<(ClientId, String)> {
    e.take_pushed()
        .into_iter()
        .map(|(c, r)| (c, r.to_cli().trim_end().to_string()))
        .collect()
}

#[test]
fn subscribe_answers_once_per_channel() {
    let (mut e, c) = engine();
    assert_eq!(
        all(&mut e, c, "SUBSCRIBE a b a"),
        [
            "1) \"subscribe\"\n2) \"a\"\n3) (integer) 1",
            "1) \"subscribe\"\n2) \"b\"\n3) (integer) 2",
            "1) \"subscribe\"\n2) \"a\"\n3) (integer) 2",
        ]
    );
    assert!(
        e.take_pushed().is_empty(),
        "the extra replies are the caller's"
    );
    assert_eq!(
        all(&mut e, c, "UNSUBSCRIBE"),
        [
            "1) \"unsubscribe\"\n2) \"a\"\n3) (integer) 1",
            "1) \"unsubscribe\"\n2) \"b\"\n3) (integer) 0",
        ]
    );
    assert_eq!(
        all(&mut e, c, "UNSUBSCRIBE"),
        ["1) \"unsubscribe\"\n2) (nil)\n3) (integer) 0"]
    );
    assert_eq!(
        all(&mut e, c, "PUNSUBSCRIBE"),
        ["1) \"punsubscribe\"\n2) (nil)\n3) (integer) 0"]
    );
}

#[test]
fn subscribed_mode_allows_only_a_few_commands() {
    let (mut e, c) = engine();
    run(&mut e, c, "SSUBSCRIBE s");
    check(
        &mut e,
        c,
        &[
            ("GET k", "(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
            ("CONFIG GET hz", "(error) ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
            ("GET", "(error) ERR wrong number of arguments for 'get' command"),
            ("PING", "1) \"pong\"\n2) \"\""),
            ("PING x", "1) \"pong\"\n2) \"x\""),
            ("PING x y", "(error) ERR wrong number of arguments for 'ping' command"),
            // Shard subscriptions do not count for UNSUBSCRIBE.
            ("UNSUBSCRIBE", "1) \"unsubscribe\"\n2) (nil)\n3) (integer) 0"),
            ("SUNSUBSCRIBE", "1) \"sunsubscribe\"\n2) \"s\"\n3) (integer) 0"),
            ("GET k", "(nil)"),
            ("PING", "PONG"),
        ],
    );
}

#[test]
fn delivery_order_is_channel_then_patterns() {
    let mut e = Engine::new(T0);
    let (p, d, both, publisher) = (e.connect(), e.connect(), e.connect(), e.connect());
    run(&mut e, p, "PSUBSCRIBE n*");
    run(&mut e, d, "SUBSCRIBE news");
    all(&mut e, both, "PSUBSCRIBE n*");
    run(&mut e, both, "SUBSCRIBE news");
    e.take_events();
    assert_eq!(run(&mut e, publisher, "PUBLISH news hi"), "(integer) 4");
    let got = pushed(&mut e);
    let message = "1) \"message\"\n2) \"news\"\n3) \"hi\"";
    let pmessage = "1) \"pmessage\"\n2) \"n*\"\n3) \"news\"\n4) \"hi\"";
    assert_eq!(
        got,
        [
            (d, message.to_string()),
            (both, message.to_string()),
            (p, pmessage.to_string()),
            (both, pmessage.to_string()),
        ]
    );
    assert_eq!(
        e.take_events(),
        [Event::Published {
            channel: b"news".to_vec(),
            message: b"hi".to_vec(),
            shard: false,
            direct: vec![d, both],
            by_pattern: vec![(b"n*".to_vec(), p), (b"n*".to_vec(), both)],
        }]
    );
    // SPUBLISH reaches only shard subscribers.
    assert_eq!(run(&mut e, publisher, "SPUBLISH news hi"), "(integer) 0");
    assert!(e.take_pushed().is_empty());
}

#[test]
fn pubsub_introspection() {
    let mut e = Engine::new(T0);
    let (a, b, c) = (e.connect(), e.connect(), e.connect());
    all(&mut e, a, "SUBSCRIBE x y");
    run(&mut e, b, "SUBSCRIBE y");
    all(&mut e, b, "PSUBSCRIBE p* q*");
    run(&mut e, a, "PSUBSCRIBE p*");
    check(
        &mut e,
        c,
        &[
            ("PUBSUB CHANNELS", "1) \"x\"\n2) \"y\""),
            ("PUBSUB CHANNELS y*", "1) \"y\""),
            ("PUBSUB NUMSUB y x z", "1) \"y\"\n2) (integer) 2\n3) \"x\"\n4) (integer) 1\n5) \"z\"\n6) (integer) 0"),
            ("PUBSUB NUMPAT", "(integer) 2"),
            ("PUBSUB SHARDCHANNELS", "(empty array)"),
            ("PUBSUB CHANNELS a b", "(error) ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."),
            ("PUBSUB nope", "(error) ERR unknown subcommand 'nope'. Try PUBSUB HELP."),
            ("PUBSUB NUMPAT x", "(error) ERR wrong number of arguments for 'pubsub|numpat' command"),
        ],
    );
    // A disconnected client leaves everything it held.
    e.disconnect(b);
    check(
        &mut e,
        c,
        &[
            ("PUBSUB NUMSUB y", "1) \"y\"\n2) (integer) 1"),
            ("PUBSUB NUMPAT", "(integer) 1"),
        ],
    );
    assert!(e.take_events().contains(&Event::Unsubscribed {
        client: b,
        kind: SubKind::Pattern,
        name: b"q*".to_vec()
    }));
}

#[test]
fn many_patterns_and_huge_subscriptions_do_not_hurt() {
    let mut e = Engine::new(T0);
    let (s, p) = (e.connect(), e.connect());
    let mut argv: Vec<Vec<u8>> = vec![b"PSUBSCRIBE".to_vec()];
    argv.extend((0..20_000).map(|i| format!("*{i}").into_bytes()));
    let replies = e.execute(s, argv);
    assert_eq!(replies.len(), 20_000);
    assert_eq!(
        replies[19_999].to_cli(),
        "1) \"psubscribe\"\n2) \"*19999\"\n3) (integer) 20000\n"
    );
    // *9, *99, *999, *9999 and *19999.
    assert_eq!(run(&mut e, p, "PUBLISH x19999 m"), "(integer) 5");
    assert_eq!(run(&mut e, p, "PUBLISH x1 m"), "(integer) 1");
    e.take_pushed();
    assert_eq!(e.execute_line(s, "PUNSUBSCRIBE").len(), 20_000);
    assert_eq!(run(&mut e, p, "PUBSUB NUMPAT"), "(integer) 0");
    // Nasty patterns are just patterns.
    for pattern in ["[", "\\", "[a-", "[^]", "**********a"] {
        let replies = e.execute(s, vec![b"PSUBSCRIBE".to_vec(), pattern.as_bytes().to_vec()]);
        assert_eq!(replies.len(), 1);
        run(&mut e, p, "PUBLISH aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab m");
    }
}

#[test]
fn keyspace_notifications_follow_the_flags() {
    let mut e = Engine::new(T0);
    let (c, w) = (e.connect(), e.connect());
    run(&mut e, w, "PSUBSCRIBE __key*@0__:*");
    run(&mut e, c, "CONFIG SET notify-keyspace-events KEA");
    run(&mut e, c, "SET k v EX 100");
    let events: Vec<String> = pushed(&mut e).into_iter().map(|(_, m)| m).collect();
    assert_eq!(events.len(), 4, "set and expire, on both channels");
    assert!(events[0].ends_with("3) \"__keyspace@0__:k\"\n4) \"set\""));
    assert!(events[1].ends_with("3) \"__keyevent@0__:set\"\n4) \"k\""));
    assert!(events[3].ends_with("3) \"__keyevent@0__:expire\"\n4) \"k\""));
    // Only the keyevent channel, only lists.
    run(&mut e, c, "CONFIG SET notify-keyspace-events El");
    run(&mut e, c, "SET k v");
    run(&mut e, c, "RPUSH l a");
    let events: Vec<String> = pushed(&mut e).into_iter().map(|(_, m)| m).collect();
    assert_eq!(
        events,
        ["1) \"pmessage\"\n2) \"__key*@0__:*\"\n3) \"__keyevent@0__:rpush\"\n4) \"l\""]
    );
}

#[test]
fn lazy_and_active_expiry_notify_expired() {
    let mut e = Engine::new(T0);
    let (c, w) = (e.connect(), e.connect());
    run(&mut e, w, "SUBSCRIBE __keyevent@0__:expired");
    run(&mut e, c, "CONFIG SET notify-keyspace-events Ex");
    run(&mut e, c, "SET lazy v PX 10");
    e.now += 20; // past its time, without a cron tick: only a lookup expires it
    assert_eq!(run(&mut e, c, "GET lazy"), "(nil)");
    assert_eq!(
        pushed(&mut e),
        [(
            w,
            "1) \"message\"\n2) \"__keyevent@0__:expired\"\n3) \"lazy\"".to_string()
        )]
    );
    run(&mut e, c, "SET active v PX 10");
    e.advance(1_000);
    assert_eq!(
        pushed(&mut e),
        [(
            w,
            "1) \"message\"\n2) \"__keyevent@0__:expired\"\n3) \"active\"".to_string()
        )]
    );
}

#[test]
fn notifications_work_with_the_feed_off() {
    let mut e = Engine::new(T0);
    e.set_feed(false);
    let (c, w) = (e.connect(), e.connect());
    run(&mut e, w, "SUBSCRIBE __keyspace@0__:k");
    run(&mut e, c, "CONFIG SET notify-keyspace-events K$");
    run(&mut e, c, "INCR k");
    assert_eq!(
        pushed(&mut e),
        [(
            w,
            "1) \"message\"\n2) \"__keyspace@0__:k\"\n3) \"incrby\"".to_string()
        )]
    );
    assert!(e.take_events().is_empty(), "the feed stays off");
    assert_eq!(e.execute_line(c, "GET k"), [Reply::bulk("1")]);
}
