//! Unit tests of the stream commands on the virtual clock: `*` IDs,
//! blocking reads and the feed. Expected replies are redis-server
//! 7.0.15's (the corpus's `stream-*.redis` check replies against it).

use super::*;
use crate::commands::test_support::*;
use crate::engine::ClientId;

/// Runs `line` as `c`: `None` while it blocks.
fn send(e: &mut Engine, c: ClientId, line: &str) -> Option<String> {
    e.execute_line(c, line)
        .pop()
        .map(|r| r.to_cli().trim_end().to_string())
}

fn pushed(e: &mut Engine) -> Vec<(ClientId, String)> {
    e.take_pushed()
        .into_iter()
        .map(|(c, r)| (c, r.to_cli().trim_end().to_string()))
        .collect()
}

#[test]
fn star_ids_come_from_the_virtual_clock() {
    let (mut e, c) = engine();
    let t = T0;
    check(
        &mut e,
        c,
        &[
            ("XADD s * a 1", &format!("\"{t}-0\"")),
            ("XADD s * a 2", &format!("\"{t}-1\"")),
        ],
    );
    e.advance(5);
    assert_eq!(run(&mut e, c, "XADD s * a 3"), format!("\"{}-0\"", t + 5));
    // A last ID in the future: the clock never goes back, the sequence grows.
    run(&mut e, c, &format!("XADD s {}-7 a 4", t + 100));
    assert_eq!(run(&mut e, c, "XADD s * a 5"), format!("\"{}-8\"", t + 100));
    assert_eq!(
        run(&mut e, c, &format!("XADD s {}-* a 6", t + 100)),
        format!("\"{}-9\"", t + 100)
    );
    assert_eq!(run(&mut e, c, "XLEN s"), "(integer) 6");
}

#[test]
fn parse_id_follows_string2ull() {
    let rules = IdRules {
        strict: true,
        missing_seq: 0,
        seq_star: true,
    };
    let id = |s: &str| parse_id(s.as_bytes(), rules).map(|(id, given)| (id.to_string(), given));
    assert_eq!(id("5"), Ok(("5-0".into(), true)));
    assert_eq!(id("5-*"), Ok(("5-0".into(), false)));
    assert_eq!(id("+5-1"), Ok(("5-1".into(), true)));
    assert_eq!(id(" 5-1"), Ok(("5-1".into(), true)));
    assert!(id("-1").is_err());
    assert!(id("-").is_err());
    assert!(id("5-x").is_err());
    assert!(id("18446744073709551616").is_err());
    assert_eq!(
        id("18446744073709551615-18446744073709551615"),
        Ok((StreamId::MAX.to_string(), true))
    );
    assert!(id(&"1".repeat(128)).is_err());
}

#[test]
fn blocked_readers_are_served_in_arrival_order_by_xadd() {
    let (mut e, r1) = engine();
    let r2 = e.connect();
    let p = e.connect();
    assert_eq!(send(&mut e, r1, "XREAD BLOCK 0 STREAMS s $"), None);
    assert_eq!(send(&mut e, r2, "XREAD COUNT 1 BLOCK 0 STREAMS s 0"), None);
    assert_eq!(
        send(&mut e, p, "XADD s 1-1 a 1").as_deref(),
        Some("\"1-1\"")
    );
    let got = pushed(&mut e);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].0, r1);
    assert_eq!(got[1].0, r2);
    assert!(got[0].1.contains("\"1-1\""));
    assert!(!e.blocking().is_blocked(r1));
}

#[test]
fn a_reader_waiting_past_the_top_keeps_waiting_then_times_out() {
    let (mut e, r) = engine();
    let p = e.connect();
    run(&mut e, p, "XADD s 5-0 a 1");
    assert_eq!(send(&mut e, r, "XREAD BLOCK 100 STREAMS s 10-0"), None);
    send(&mut e, p, "XADD s 6-0 a 1");
    assert!(pushed(&mut e).is_empty());
    assert!(e.blocking().is_blocked(r));
    e.advance(100);
    assert_eq!(pushed(&mut e), vec![(r, "(nil)".to_string())]);
}

#[test]
fn xreadgroup_blocked_on_a_destroyed_group_gets_nogroup() {
    let (mut e, r) = engine();
    let p = e.connect();
    run(&mut e, p, "XGROUP CREATE s g $ MKSTREAM");
    assert_eq!(
        send(&mut e, r, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >"),
        None
    );
    assert_eq!(
        send(&mut e, p, "XGROUP DESTROY s g").as_deref(),
        Some("(integer) 1")
    );
    assert_eq!(
        pushed(&mut e),
        vec![(
            r,
            "(error) NOGROUP the consumer group this client was blocked on no longer exists"
                .to_string()
        )]
    );
}

#[test]
fn the_feed_says_which_ids_were_added_and_removed() {
    let (mut e, c) = engine();
    run(&mut e, c, "XADD s 1-1 a 1");
    run(&mut e, c, "XADD s 2-1 a 1");
    e.take_events();
    run(&mut e, c, "XADD s MAXLEN 1 3-1 a 1");
    let events = e.take_events();
    let entries: Vec<_> = events
        .iter()
        .filter_map(|ev| match ev {
            Event::StreamEntries {
                command,
                added,
                removed,
                ..
            } => Some((*command, added.clone(), removed.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        entries,
        vec![
            ("xadd", vec![StreamId::new(3, 1)], vec![]),
            (
                "xtrim",
                vec![],
                vec![StreamId::new(1, 1), StreamId::new(2, 1)]
            ),
        ]
    );
    run(&mut e, c, "XDEL s 3-1 9-9");
    assert!(e.take_events().iter().any(|ev| matches!(
        ev,
        Event::StreamEntries { command: "xdel", removed, .. } if removed == &vec![StreamId::new(3, 1)]
    )));
}

#[test]
fn idle_times_follow_the_virtual_clock() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[("XADD s 1-1 a 1", "\"1-1\""), ("XGROUP CREATE s g 0", "OK")],
    );
    run(&mut e, c, "XREADGROUP GROUP g alice STREAMS s >");
    e.advance(250);
    assert_eq!(
        run(&mut e, c, "XPENDING s g - + 10"),
        "1) 1) \"1-1\"\n   2) \"alice\"\n   3) (integer) 250\n   4) (integer) 1"
    );
    assert_eq!(run(&mut e, c, "XCLAIM s g bob 300 1-1"), "(empty array)");
    assert_eq!(
        run(&mut e, c, "XCLAIM s g bob 200 1-1 JUSTID"),
        "1) \"1-1\""
    );
    assert_eq!(
        run(&mut e, c, "XINFO CONSUMERS s g"),
        "1) 1) \"name\"\n   2) \"alice\"\n   3) \"pending\"\n   4) (integer) 0\n   5) \"idle\"\n   6) (integer) 250\n2) 1) \"name\"\n   2) \"bob\"\n   3) \"pending\"\n   4) (integer) 1\n   5) \"idle\"\n   6) (integer) 0"
    );
}
