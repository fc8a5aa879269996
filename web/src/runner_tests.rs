use super::*;

/// What a learner could observe of the state: the time, every key with
/// its type and PTTL, the clients (CLIENT LIST less the fields that move
/// with the probe itself), subscriptions, and the workbench's own view
/// (position, lanes). Taken on a clone, so probing changes nothing.
fn observe(bench: &Bench) -> String {
    let mut e = bench.engine().clone();
    let probe = e.connect();
    let mut out = format!("now {}\npos {}\n", e.now(), bench.pos());
    let keys = e.keys(0);
    for k in &keys {
        let pttl = e.execute(probe, vec![b"PTTL".to_vec(), k.key.clone()]);
        out.push_str(&format!(
            "{} {} {:?}\n",
            key_label(&k.key),
            k.type_name,
            pttl
        ));
    }
    let list = e.execute(probe, vec![b"CLIENT".to_vec(), b"LIST".to_vec()]);
    for reply in list {
        let text = reply.to_cli();
        for line in text.lines() {
            // The probe's own line and the age/idle fields differ by design.
            if line.contains(&format!("id={} ", probe.0)) {
                continue;
            }
            let fields: Vec<&str> = line
                .split(' ')
                .filter(|f| !f.starts_with("age=") && !f.starts_with("idle="))
                .collect();
            out.push_str(&fields.join(" "));
            out.push('\n');
        }
    }
    for r in e.execute(probe, vec![b"PUBSUB".to_vec(), b"NUMPAT".to_vec()]) {
        out.push_str(&r.to_cli());
    }
    out.push_str(&format!("{:?}\n", bench.lanes()));
    out
}

const SCRIPT: &str = "\
# a comment
SET a 1 EX 10
worker> BLPOP jobs 5
alice> SUBSCRIBE news
producer> RPUSH jobs j1
producer> PUBLISH news hi
DEBUG SLEEP 2
MULTI
INCR a
watcher> WATCH a
EXEC
";

#[test]
fn lines_skip_comments_and_keep_numbers_and_clients() {
    let lines = script_lines("# x\n\nSET a 1\nbob> GET a\n");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].number, 3);
    assert_eq!(lines[1].client.as_deref(), Some("bob"));
    assert_eq!(lines[1].client_name(), "bob");
    assert_eq!(lines[0].client_name(), "default");
}

#[test]
fn every_step_back_restores_the_state_before_that_step() {
    let mut bench = Bench::new(1_000, SCRIPT);
    let mut before = Vec::new();
    while !bench.at_end() {
        before.push(observe(&bench));
        bench.step().expect("a line");
        // Time passes between steps (the clock was played).
        let t = bench.now() + 300;
        bench.advance_to(t);
    }
    assert_eq!(before.len(), 10);
    while let Some(expected) = before.pop() {
        let line = bench.step_back();
        assert_eq!(observe(&bench), expected, "after stepping back to {line:?}");
    }
    assert_eq!(bench.step_back(), None, "nothing left to step back");
    assert_eq!(bench.current_line(), Some(2));
}

#[test]
fn a_step_back_undoes_console_commands_and_clock_moves_after_the_line() {
    let mut bench = Bench::new(0, "SET a 1\nSET b 2 PX 500\n");
    bench.step();
    let expected = observe(&bench);
    bench.step();
    bench.console("default", "DEL a");
    bench.console("eve", "SUBSCRIBE x");
    bench.advance_to(5_000);
    assert_ne!(observe(&bench), expected);
    assert_eq!(bench.step_back(), Some(2));
    assert_eq!(observe(&bench), expected);
    assert_eq!(bench.now(), 0);
    assert_eq!(bench.transcript().len(), 1);
}

#[test]
fn step_back_is_exact_after_snapshots_thin_out() {
    let text: String = (0..600)
        .map(|i| format!("SET k{i} {i} PX {}\nINCR n\n", 1_000 + i * 7))
        .collect();
    let mut bench = Bench::new(0, &text);
    let mut states = Vec::new();
    for _ in 0..1_200 {
        states.push(observe(&bench));
        bench.step();
        let t = bench.now() + 10;
        bench.advance_to(t);
    }
    assert!(bench.at_end());
    assert!(
        bench.snapshot_count() <= MAX_SNAPSHOTS,
        "{}",
        bench.snapshot_count()
    );
    for _ in 0..40 {
        let expected = states.pop().unwrap();
        bench.step_back();
        assert_eq!(observe(&bench), expected);
    }
    // A long way back replays from an older snapshot, still exactly.
    let mut expected = String::new();
    while bench.pos() > 333 {
        expected = states.pop().unwrap();
        bench.step_back();
    }
    assert_eq!(observe(&bench), expected);
}

#[test]
fn reset_gives_a_fresh_engine_at_line_one() {
    let mut bench = Bench::new(42, "SET a 1\nbob> SUBSCRIBE c\n");
    let fresh = observe(&bench);
    bench.run_some(10);
    bench.advance_to(9_000);
    bench.reset();
    assert_eq!(observe(&bench), fresh);
    assert_eq!(bench.current_line(), Some(1));
    assert!(bench.transcript().is_empty());
    assert!(!bench.can_step_back());
}

#[test]
fn runs_go_in_slices_and_resume_where_they_stopped() {
    let text: String = (0..10).map(|i| format!("RPUSH l {i}\n")).collect();
    let mut bench = Bench::new(0, &text);
    assert_eq!(bench.run_some(3).len(), 3);
    assert_eq!(bench.pos(), 3);
    assert_eq!(bench.current_line(), Some(4));
    assert_eq!(bench.run_some(100).len(), 7);
    assert!(bench.at_end());
    assert!(bench.run_some(5).is_empty());
    let last = bench.transcript().last().unwrap();
    assert_eq!(last.replies[0].text, "(integer) 10");
    assert_eq!(last.line, Some(10));
}

#[test]
fn the_transcript_has_each_lines_replies_in_transcript_order() {
    let mut bench = Bench::new(0, "worker> BRPOP jobs 0\nproducer> LPUSH jobs email:42\n");
    bench.run_some(10);
    let t = bench.transcript();
    assert_eq!(t.len(), 2);
    assert!(t[0].replies.is_empty(), "blocked: no reply yet");
    let got: Vec<(&str, &str)> = t[1]
        .replies
        .iter()
        .map(|r| (r.client.as_str(), r.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("producer", "(integer) 1"),
            ("worker", "1) \"jobs\"\n2) \"email:42\"")
        ]
    );
}

#[test]
fn lanes_show_blocking_and_a_wake_flies_to_the_worker() {
    let mut bench = Bench::new(0, "worker> BRPOP jobs 2.5\nproducer> LPUSH jobs j\n");
    bench.step();
    let worker = &bench.lanes()[0];
    assert_eq!(worker.name, "worker");
    let blocked = worker.blocked.clone().expect("blocked");
    assert_eq!(blocked.command, "brpop");
    assert_eq!(blocked.keys, ["jobs"]);
    assert_eq!((blocked.since, blocked.until), (0, Some(2_500)));
    let outcome = bench.step().unwrap();
    assert_eq!(
        outcome.flights,
        [Flight::Wake {
            from: Some("producer".into()),
            to: "worker".into(),
            key: "jobs".into()
        }]
    );
    assert_eq!(bench.lanes()[0].blocked, None);
    assert!(matches!(
        bench.lanes()[0].traffic.last(),
        Some(Traffic::Got { pushed: true, .. })
    ));
}

#[test]
fn a_timeout_by_the_clock_reaches_the_lane_and_the_transcript() {
    let mut bench = Bench::new(0, "worker> BLPOP q 1\n");
    bench.step();
    assert!(bench.lanes()[0].blocked.is_some());
    let outcome = bench.advance_to(500);
    assert!(outcome.entry.is_none());
    let outcome = bench.advance_to(1_200);
    let entry = outcome.entry.expect("the clock caused a reply");
    assert_eq!(entry.source, Source::Clock);
    assert_eq!(entry.replies[0].client, "worker");
    assert_eq!(entry.replies[0].text, "(nil)");
    assert!(bench.lanes()[0].blocked.is_none());
    assert_eq!(bench.transcript().last().unwrap().source, Source::Clock);
}

#[test]
fn a_message_flies_from_the_publisher_to_each_subscriber() {
    let mut bench = Bench::new(
        0,
        "a> SUBSCRIBE news\nb> PSUBSCRIBE n*\nc> PUBLISH news hi\nb> PUNSUBSCRIBE\n",
    );
    bench.run_some(2);
    assert_eq!(bench.lanes()[0].subscriptions, ["channel news"]);
    assert_eq!(bench.lanes()[1].subscriptions, ["pattern n*"]);
    let out = bench.step().unwrap();
    assert_eq!(
        out.flights,
        [
            Flight::Message {
                from: Some("c".into()),
                to: "a".into(),
                channel: "news".into(),
                pattern: None
            },
            Flight::Message {
                from: Some("c".into()),
                to: "b".into(),
                channel: "news".into(),
                pattern: Some("n*".into())
            }
        ]
    );
    bench.step();
    assert!(bench.lanes()[1].subscriptions.is_empty());
}

#[test]
fn lanes_show_multi_queues_and_watched_keys() {
    let mut bench = Bench::new(0, "WATCH k\nMULTI\nSET k 1\nEXEC\n");
    bench.run_some(3);
    let lane = &bench.lanes()[0];
    assert_eq!(lane.watching, ["k"]);
    assert_eq!(lane.queued.as_deref(), Some(&["SET k 1".to_string()][..]));
    bench.step();
    assert_eq!(bench.lanes()[0].queued, None);
    assert!(bench.lanes()[0].watching.is_empty());
}

#[test]
fn an_edit_above_the_position_is_found_and_rerun() {
    let mut bench = Bench::new(0, "SET a 1\nINCR a\nINCR a\n");
    bench.run_some(3);
    assert_eq!(bench.first_edited(), None);
    bench.set_script("SET a 10\nINCR a\nINCR a\n");
    assert_eq!(bench.first_edited(), Some(0));
    let rerun = bench.rerun_from(0);
    assert_eq!(rerun.len(), 3);
    assert_eq!(bench.first_edited(), None);
    assert_eq!(
        bench.transcript().last().unwrap().replies[0].text,
        "(integer) 12"
    );
    assert_eq!(bench.transcript().len(), 3);
    // A line deleted above the position counts as an edit too.
    bench.set_script("SET a 10\nINCR a\n");
    assert_eq!(bench.first_edited(), Some(2));
    // Comment lines do not move the comparison.
    bench.set_script("# note\nSET a 10\nINCR a\nINCR a\n");
    assert_eq!(bench.first_edited(), None);
}

#[test]
fn quiet_clock_moves_merge_and_busy_ones_do_not() {
    let mut bench = Bench::new(0, "SET a 1\n");
    bench.step();
    for t in 1..=50 {
        bench.advance_to(t * 100);
    }
    assert_eq!(bench.journal_len(), 2, "one line and one merged move");
    bench.console("default", "SET b 1 PX 250");
    for t in 51..=60 {
        bench.advance_to(t * 100);
    }
    assert!(bench.journal_len() > 4);
    assert_eq!(bench.now(), 6_000);
}

#[test]
fn hostile_and_broken_lines_are_text_and_errors() {
    let mut bench = Bench::new(
        0,
        "SET x \"<img src=x onerror=alert(1)>\"\nGET x\nSET \"a\nNOPE\n",
    );
    bench.run_some(4);
    let t = bench.transcript();
    assert_eq!(t[1].replies[0].text, "\"<img src=x onerror=alert(1)>\"");
    assert!(t[2].replies[0].error);
    assert_eq!(t[2].replies[0].text, "Invalid argument(s)");
    assert!(t[3].replies[0].error);
}

#[test]
fn a_timed_slice_stops_before_a_snapshot_and_thinned_snapshots_go_one_by_one() {
    let mut text: String = (0..1_100).map(|i| format!("SET k{i} {i}\n")).collect();
    text.push_str(&"INCR n\n".repeat(6_000));
    let mut bench = Bench::new(0, &text);
    let mut retired_seen = 0;
    while !bench.at_end() {
        let snaps = bench.snapshot_count() + bench.retired_count();
        let big = bench.engine().db_len(0) >= 1_000;
        let ran = bench.run_while(8, || true);
        assert!(!ran.is_empty(), "a slice always moves");
        // Past a thousand keys a slice takes at most one snapshot, with
        // its first line (before, snapshots are cheap).
        assert!(!big || bench.snapshot_count() + bench.retired_count() <= snaps + 1);
        assert!(ran.len() == 8 || bench.at_end() || bench.snapshot_dear());
        let retired = bench.retired_count();
        if retired > 0 {
            retired_seen = retired_seen.max(retired);
            // One retired snapshot is dropped per action.
            let thins = bench.snapshot_due();
            bench.step();
            assert!(bench.retired_count() < retired || thins);
        }
    }
    assert!(retired_seen > 0, "the snapshots thinned out");
    assert!(bench.snapshot_count() <= MAX_SNAPSHOTS);
    assert!(bench.retired_count() <= MAX_SNAPSHOTS / 2);
    // The budget ends a slice too.
    bench.reset();
    let mut calls = 0;
    let ran = bench.run_while(usize::MAX, || {
        calls += 1;
        calls < 5
    });
    assert_eq!(ran.len(), 5);
}
