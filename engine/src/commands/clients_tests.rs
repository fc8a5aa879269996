//! Unit tests of CLIENT, HELLO, QUIT and RESET. Expected replies are what
//! redis-server 7.0.15 answered (tests/corpus/client-*.redis), but for the
//! made-up socket fields of CLIENT LIST, which the module doc describes.

use crate::commands::test_support::*;
use crate::engine::ClientId;
use crate::event::Event;
use crate::reply::Reply;

fn list(e: &mut crate::engine::Engine, c: ClientId) -> String {
    match e.execute_line(c, "CLIENT LIST").remove(0) {
        Reply::Bulk(b) => String::from_utf8(b).unwrap(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn names() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("CLIENT GETNAME", "(nil)"),
            ("CLIENT SETNAME worker", "OK"),
            ("CLIENT GETNAME", "\"worker\""),
            (
                "CLIENT SETNAME \"a b\"",
                "(error) ERR Client names cannot contain spaces, newlines or special characters.",
            ),
            (
                "CLIENT SETNAME \"caf\\xc3\\xa9\"",
                "(error) ERR Client names cannot contain spaces, newlines or special characters.",
            ),
            ("CLIENT SETNAME \"\"", "OK"),
            ("CLIENT GETNAME", "(nil)"),
        ],
    );
}

#[test]
fn the_list_shows_what_the_engine_knows() {
    let (mut e, a) = engine();
    let b = e.connect();
    run(&mut e, a, "CLIENT SETNAME alice");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "SET k v");
    run(&mut e, b, "SELECT 3");
    e.advance(5_000);
    let text = list(&mut e, b);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(&format!("id={} addr=127.0.0.1:", a.0)));
    for field in [
        " name=alice ",
        " age=5 ",
        " idle=5 ",
        " flags=x ",
        " db=0 ",
        " multi=1 ",
        " cmd=set ",
    ] {
        assert!(lines[0].contains(field), "{field} in {}", lines[0]);
    }
    for field in [
        " name= ",
        " idle=0 ",
        " flags=N ",
        " db=3 ",
        " multi=-1 ",
        " cmd=client|list ",
    ] {
        assert!(lines[1].contains(field), "{field} in {}", lines[1]);
    }
    assert!(text.ends_with("resp=2\n"));
    // Inside EXEC the client still shows its transaction.
    run(&mut e, a, "CLIENT INFO");
    let Reply::Array(replies) = e.execute_line(a, "EXEC").remove(0) else {
        panic!("EXEC");
    };
    let Reply::Bulk(info) = &replies[1] else {
        panic!("CLIENT INFO");
    };
    let info = String::from_utf8_lossy(info);
    assert!(
        info.contains(" flags=x ") && info.contains(" multi=2 ") && info.contains(" cmd=exec ")
    );
}

#[test]
fn kill() {
    let (mut e, a) = engine();
    let b = e.connect();
    let c = e.connect();
    check(
        &mut e,
        a,
        &[
            ("CLIENT KILL 1.2.3.4:5", "(error) ERR No such client"),
            (
                "CLIENT KILL ID 0",
                "(error) ERR client-id should be greater than 0",
            ),
            ("CLIENT KILL TYPE x", "(error) ERR Unknown client type 'x'"),
            ("CLIENT KILL USER bob", "(error) ERR No such user 'bob'"),
            ("CLIENT KILL ID 5 FOO", SYNTAX),
        ],
    );
    assert_eq!(
        run(&mut e, a, &format!("CLIENT KILL ID {}", b.0)),
        "(integer) 1"
    );
    assert!(e.client(b).is_none());
    let addr = super::fake_addr(c);
    assert_eq!(run(&mut e, a, &format!("CLIENT KILL {addr}")), "OK");
    assert!(e.client(c).is_none());
    // SKIPME yes by default: nobody else is left.
    assert_eq!(run(&mut e, a, "CLIENT KILL TYPE normal"), "(integer) 0");
    e.take_events();
    assert_eq!(
        run(&mut e, a, "CLIENT KILL TYPE normal SKIPME no"),
        "(integer) 1"
    );
    let events = e.take_events();
    assert!(events.contains(&Event::ClientKilled { id: a, by: a }));
    assert!(events.contains(&Event::ClientDisconnected { id: a }));
    assert!(e.client(a).is_none());
}

#[test]
fn hello() {
    let (mut e, c) = engine();
    let reply = run(&mut e, c, "HELLO 2 SETNAME h");
    assert!(reply.starts_with(" 1) \"server\"\n 2) \"redis\"\n 3) \"version\"\n 4) \"7.0.15\"\n 5) \"proto\"\n 6) (integer) 2\n 7) \"id\"\n"));
    assert!(reply.ends_with("13) \"modules\"\n14) (empty array)"));
    check(
        &mut e,
        c,
        &[
            ("CLIENT GETNAME", "\"h\""),
            ("HELLO 3", "(error) NOPROTO unsupported protocol version"),
            ("HELLO 1", "(error) NOPROTO unsupported protocol version"),
            (
                "HELLO x",
                "(error) ERR Protocol version is not an integer or out of range",
            ),
            (
                "HELLO 2 SETNAME",
                "(error) ERR Syntax error in HELLO option 'SETNAME'",
            ),
            (
                "HELLO 2 AUTH bob pw",
                "(error) WRONGPASS invalid username-password pair or user is disabled.",
            ),
        ],
    );
}

#[test]
fn quit_and_reset() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("CLIENT SETNAME n", "OK"),
            ("SELECT 2", "OK"),
            ("WATCH k", "OK"),
            ("MULTI", "OK"),
            ("RESET", "RESET"),
            ("CLIENT GETNAME", "(nil)"),
            ("EXEC", "(error) ERR EXEC without MULTI"),
            ("SET k v", "OK"),
        ],
    );
    assert!(e.watches.is_empty());
    assert_eq!(e.db_len(0), 1);
    check(&mut e, c, &[("MULTI", "OK"), ("QUIT", "OK")]);
    assert!(e.client(c).is_none());
}

/// What a client received unasked since the last call, as redis-cli text.
fn pushed_to(e: &mut crate::engine::Engine, c: ClientId) -> Vec<String> {
    e.take_pushed()
        .into_iter()
        .filter(|(to, _)| *to == c)
        .map(|(_, r)| r.to_cli().trim_end().to_string())
        .collect()
}

#[test]
fn unblock_answers_as_a_timeout_or_an_error_then_runs_what_waited() {
    let (mut e, c) = engine();
    let w = e.connect();
    let v = e.connect();
    assert!(e.execute_line(w, "BLMOVE a b LEFT LEFT 0").is_empty());
    assert!(e.execute_line(w, "GET foo").is_empty());
    assert!(e.execute_line(v, "BZPOPMIN z 0").is_empty());
    assert_eq!(
        run(&mut e, c, &format!("CLIENT UNBLOCK {}", w.0)),
        "(integer) 1"
    );
    assert_eq!(pushed_to(&mut e, w), ["(nil)", "(nil)"]);
    let line = format!("CLIENT UNBLOCK {} ERROR", v.0);
    assert_eq!(run(&mut e, c, &line), "(integer) 1");
    assert_eq!(
        pushed_to(&mut e, v),
        ["(error) UNBLOCKED client unblocked via CLIENT UNBLOCK"]
    );
    assert_eq!(run(&mut e, c, &line), "(integer) 0");
    assert!(e.take_events().contains(&Event::ClientUnblocked {
        id: v,
        by: c,
        error: true
    }));
    assert_eq!(e.blocking().blocked_count(), 0);
}

#[test]
fn pause_all_holds_everyone_until_the_clock_passes_its_end() {
    let (mut e, c) = engine();
    let a = e.connect();
    assert_eq!(run(&mut e, c, "CLIENT PAUSE 1000 ALL"), "OK");
    assert!(e.execute_line(a, "GET k").is_empty());
    assert!(e.execute_line(c, "CLIENT UNPAUSE").is_empty(), "held too");
    assert!(e.execute_line(a, "SET k 1").is_empty());
    assert_eq!(e.blocking().blocked_count(), 2);
    e.take_pushed();
    e.advance(1000);
    assert!(e.take_pushed().is_empty(), "still paused at its end");
    e.advance(1);
    let got: Vec<(ClientId, String)> = e
        .take_pushed()
        .into_iter()
        .map(|(to, r)| (to, r.to_cli()))
        .collect();
    assert_eq!(
        got,
        [
            // Client by client, each its held command and what followed.
            (a, "(nil)\n".to_string()),
            (a, "OK\n".to_string()),
            (c, "OK\n".to_string()),
        ]
    );
    assert_eq!(e.blocking().blocked_count(), 0);
}

#[test]
fn a_paused_clock_keeps_keys_past_their_time() {
    let (mut e, c) = engine();
    run(&mut e, c, "SET k v PX 100");
    run(&mut e, c, "CLIENT PAUSE 5000 WRITE");
    e.advance(1000);
    assert_eq!(run(&mut e, c, "GET k"), "(nil)");
    assert_eq!(run(&mut e, c, "DBSIZE"), "(integer) 1");
    run(&mut e, c, "CLIENT UNPAUSE");
    e.advance(200);
    assert_eq!(run(&mut e, c, "DBSIZE"), "(integer) 0");
}

#[test]
fn a_held_client_shows_b_and_its_held_command() {
    let (mut e, c) = engine();
    let h = e.connect();
    run(&mut e, c, "CLIENT PAUSE 1000 WRITE");
    assert!(e.execute_line(h, "SET k 1").is_empty());
    let line = list(&mut e, c)
        .lines()
        .find(|l| l.starts_with(&format!("id={} ", h.0)))
        .map(str::to_string)
        .unwrap();
    assert!(
        line.contains(" flags=b ") && line.contains(" cmd=set "),
        "{line}"
    );
    assert!(e.take_events().contains(&Event::ClientHeld {
        id: h,
        command: "set"
    }));
    assert_eq!(run(&mut e, c, "GET k"), "(nil)", "reads go on");
    run(&mut e, c, "CLIENT UNPAUSE");
    assert_eq!(pushed_to(&mut e, h), ["OK"]);
    assert_eq!(run(&mut e, c, "GET k"), "\"1\"");
}
