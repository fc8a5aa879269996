use super::*;
use engine::script::{parse_line, Runner, DEFAULT_CLIENT};

/// An engine driven like the page drives it: each line a step, the model
/// rebuilt from its events and argv.
struct Stage {
    runner: Runner,
    model: StageModel,
}

impl Stage {
    fn new() -> Stage {
        Stage {
            runner: Runner::new(Engine::new(1_000_000)),
            model: StageModel::default(),
        }
    }

    fn run(&mut self, line: &str) -> &StageModel {
        let (client, command) = parse_line(line).expect("a command");
        let name = client.unwrap_or(DEFAULT_CLIENT);
        self.runner.run(name, command);
        let id = self.runner.client(name);
        let argv = engine::split_args(command).unwrap();
        let names = self
            .runner
            .client_names()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into_iter()
            .map(|n| (self.runner.client(&n), n))
            .collect();
        let step = StepInfo {
            commands: vec![(id, argv)],
            names,
        };
        self.rebuild(&step)
    }

    fn advance(&mut self, ms: u64) -> &StageModel {
        self.runner.engine.advance(ms);
        self.rebuild(&StepInfo::default())
    }

    fn rebuild(&mut self, step: &StepInfo) -> &StageModel {
        let events = self.runner.engine.take_events();
        self.model = StageModel::build_with(&self.runner.engine, 0, &events, step, &self.model);
        &self.model
    }

    fn card(&self, label: &str) -> &Card {
        self.model
            .card(label)
            .unwrap_or_else(|| panic!("{label} on stage: {:?}", self.labels()))
    }

    fn labels(&self) -> Vec<String> {
        self.model.cards.iter().map(|c| c.label.clone()).collect()
    }
}

fn zrows(card: &Card) -> Vec<(String, usize, Option<usize>)> {
    match &card.view {
        View::ZSet { rows } => rows
            .iter()
            .map(|r| (r.member.clone(), r.rank, r.prev_rank))
            .collect(),
        v => panic!("not a zset: {v:?}"),
    }
}

#[test]
fn a_leaderboard_ranks_from_the_top_and_remembers_old_ranks() {
    let mut s = Stage::new();
    s.run("ZADD board 120 ada 95 bob 210 cy");
    assert_eq!(
        zrows(s.card("board")),
        [
            ("cy".into(), 0, None),
            ("ada".into(), 1, None),
            ("bob".into(), 2, None)
        ]
    );
    s.run("ZINCRBY board 200 bob");
    let rows = zrows(s.card("board"));
    assert_eq!(rows[0], ("bob".into(), 0, Some(2)), "bob climbs from 3rd");
    assert_eq!(rows[1], ("cy".into(), 1, Some(0)));
    let View::ZSet { rows } = &s.card("board").view else {
        unreachable!()
    };
    assert!(
        rows[0].changed && !rows[1].changed,
        "only bob's score changed"
    );
    assert_eq!(rows[0].score_text, "295");
    assert_eq!(rows[0].bar, 1000, "the top bar is the longest");
    assert!(rows[2].bar < rows[1].bar);
}

#[test]
fn changed_hash_fields_flash_once() {
    let mut s = Stage::new();
    s.run("HSET user:1 name ada visits 1");
    s.run("HSET user:1 visits 2");
    let View::Hash { rows } = &s.card("user:1").view else {
        panic!()
    };
    let flags: Vec<(&str, &str, bool)> = rows
        .iter()
        .map(|r| (r.name.as_str(), r.value.as_str(), r.changed))
        .collect();
    assert_eq!(flags, [("name", "ada", false), ("visits", "2", true)]);
    s.run("SET other 1");
    let View::Hash { rows } = &s.card("user:1").view else {
        panic!()
    };
    assert!(rows.iter().all(|r| !r.changed), "no flash without a write");
}

#[test]
fn counters_tick_by_their_delta() {
    let mut s = Stage::new();
    s.run("INCR hits");
    assert_eq!(s.card("hits").kind, Kind::Counter);
    s.run("INCRBY hits 5");
    assert_eq!(
        s.card("hits").view,
        View::Counter {
            value: 6,
            delta: Some(5)
        }
    );
    s.run("DECR hits");
    assert_eq!(
        s.card("hits").view,
        View::Counter {
            value: 5,
            delta: Some(-1)
        }
    );
    s.run("SET plain 42");
    assert_eq!(s.card("plain").kind, Kind::Str, "SET makes no counter");
}

#[test]
fn expiries_and_evictions_are_labelled_with_their_cause() {
    let mut s = Stage::new();
    s.run("SET b 1 PX 100");
    assert_eq!(s.card("b").ttl_total, Some(100));
    s.advance(120); // the cron at +100 reclaims b
    let ghost = &s.model.ghosts[0];
    assert_eq!(
        (ghost.label.as_str(), ghost.cause.as_str()),
        ("b", "expired (active)")
    );
    assert_eq!(ghost.kind, Some(Kind::Str));
    assert!(s.model.card("b").is_none());
    s.run("SET a 1 PX 50");
    s.advance(60); // a is due at +170, the next cron runs at +200
    assert!(s.model.card("a").is_none(), "past its time: off stage");
    assert_eq!(s.model.ghosts.len(), 1, "but nobody has removed it yet");
    s.run("GET a");
    let causes: Vec<&str> = s.model.ghosts.iter().map(|g| g.cause.as_str()).collect();
    assert_eq!(causes, ["expired (active)", "expired (lazy)"]);
    s.advance(GHOST_MS);
    assert!(s.model.ghosts.is_empty(), "ghosts fade after a while");

    s.run("CONFIG SET maxmemory-policy allkeys-lru");
    for i in 0..20 {
        s.run(&format!("SET k{i} {}", "x".repeat(200)));
    }
    s.run("CONFIG SET maxmemory 1");
    let evicted: Vec<&str> = s.model.ghosts.iter().map(|g| g.cause.as_str()).collect();
    assert!(
        evicted.iter().all(|c| *c == "evicted (allkeys-lru)"),
        "{evicted:?}"
    );
    assert_eq!(evicted.len() + s.model.more_ghosts, 20);
    s.run("DEL nothing");
    s.run("CONFIG SET maxmemory 0");
    s.run("SET gone 1");
    s.run("DEL gone");
    assert_eq!(s.model.ghosts.last().unwrap().cause, "deleted");
}

#[test]
fn pushes_and_pops_are_seen_at_their_end() {
    let mut s = Stage::new();
    s.run("RPUSH jobs a b");
    s.run("RPUSH jobs c");
    let View::List { items, popped } = &s.card("jobs").view else {
        panic!()
    };
    let new: Vec<(&str, bool)> = items.iter().map(|i| (i.text.as_str(), i.new)).collect();
    assert_eq!(new, [("a", false), ("b", false), ("c", true)]);
    assert!(popped.is_empty());
    s.run("LPUSH jobs z");
    let View::List { items, .. } = &s.card("jobs").view else {
        panic!()
    };
    assert!(items[0].new && items[0].at_head && !items[1].new && !items[3].new);
    s.run("RPOP jobs");
    let View::List { items, popped } = &s.card("jobs").view else {
        panic!()
    };
    assert_eq!(items.len(), 3);
    assert_eq!(popped, &[("c".to_string(), false)]);
    s.run("LPOP jobs");
    let View::List { popped, .. } = &s.card("jobs").view else {
        panic!()
    };
    assert_eq!(popped, &[("z".to_string(), true)]);
}

#[test]
fn a_blocked_popper_waits_at_its_key_until_served() {
    let mut s = Stage::new();
    s.run("worker> BRPOP queue 0");
    let card = s.card("queue");
    assert!(!card.exists);
    assert_eq!(card.view, View::Absent);
    assert_eq!(card.waiting.len(), 1);
    assert_eq!(card.waiting[0].name, "worker");
    assert_eq!(card.waiting[0].command, "brpop");
    assert!(!card.waiting[0].at_head, "BRPOP waits at the tail");
    s.run("SET unrelated 1");
    assert_eq!(s.card("queue").waiting.len(), 1, "still waiting");
    s.run("LPUSH queue job1");
    assert!(s.model.blocked.is_empty());
    // Served at once: the list is gone again, and so is its card.
    assert!(s.model.card("queue").is_none());
    s.run("other> BLPOP q2 1");
    assert!(s.card("q2").waiting[0].at_head);
    s.advance(1_500);
    assert!(s.model.card("q2").is_none(), "timed out");
}

#[test]
fn set_operations_highlight_their_result() {
    let mut s = Stage::new();
    s.run("SADD a 1 2 3");
    s.run("SADD b 2 3 4");
    s.run("SINTER a b");
    let hi = |s: &Stage, k: &str| -> Vec<String> {
        match &s.card(k).view {
            View::Set { members } => members
                .iter()
                .filter(|m| m.result)
                .map(|m| m.text.clone())
                .collect(),
            v => panic!("{v:?}"),
        }
    };
    assert_eq!(hi(&s, "a"), ["2", "3"]);
    assert_eq!(hi(&s, "b"), ["2", "3"]);
    s.run("SDIFF a b");
    assert_eq!(hi(&s, "a"), ["1"]);
    assert!(hi(&s, "b").is_empty());
    s.run("SUNIONSTORE u a b");
    assert_eq!(hi(&s, "u").len(), 4);
    assert_eq!(s.model.set_op.as_ref().unwrap().dest.as_deref(), Some("u"));
    s.run("SINTER a b");
    s.advance(100);
    assert_eq!(
        hi(&s, "a"),
        ["2", "3"],
        "the clock alone keeps the highlight"
    );
    s.run("GET x");
    assert!(s.model.set_op.is_none() && hi(&s, "a").is_empty());
}

#[test]
fn geo_sets_are_plotted_with_the_search_area() {
    let mut s = Stage::new();
    // Palermo and Catania at their GEOADD scores.
    s.run("ZADD Sicily 3479099956230698 Palermo 3479447370796909 Catania");
    let card = s.card("Sicily");
    assert_eq!(card.kind, Kind::Geo);
    s.run("GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC");
    let View::Geo { points, search } = &s.card("Sicily").view else {
        panic!()
    };
    assert_eq!(points.len(), 2);
    let search = search.as_ref().expect("the search area");
    assert_eq!((search.lon, search.lat), (15.0, 37.0));
    assert_eq!(search.shape, geo::Shape::Radius(200_000.0));
    assert_eq!(search.label, "BYRADIUS 200 km");
    s.run("GEORADIUSBYMEMBER Sicily Palermo 10 mi");
    let View::Geo { search, .. } = &s.card("Sicily").view else {
        panic!()
    };
    let search = search.as_ref().unwrap();
    assert!((search.lon - 13.361389).abs() < 1e-5);
    // GEOADD records a zadd: the argv says it is a geo set.
    s.run("GEOADD riders 13.5 38.0 r1");
    assert_eq!(s.card("riders").kind, Kind::Geo);
    // A leaderboard with small integer scores is not a map.
    s.run("ZADD board 10 a 20 b");
    assert_eq!(s.card("board").kind, Kind::ZSet);
}

#[test]
fn bitmaps_and_hyperloglogs() {
    let mut s = Stage::new();
    s.run("SETBIT logins 3 1");
    s.run("SETBIT logins 9 1");
    let View::Bits { bits, ones } = &s.card("logins").view else {
        panic!("{:?}", s.card("logins"))
    };
    assert_eq!(*ones, 2);
    assert_eq!(bits.len(), 16);
    assert!(bits[3] && bits[9] && !bits[0]);
    s.run("PFADD visitors a b c");
    let View::Hll { estimate, .. } = s.card("visitors").view else {
        panic!()
    };
    assert_eq!(estimate, 3);
}

#[test]
fn pubsub_messages_travel_from_publisher_to_subscribers() {
    let mut s = Stage::new();
    s.run("alice> SUBSCRIBE chat");
    s.run("bob> PSUBSCRIBE ch*");
    assert_eq!(s.model.pubsub.subs.len(), 2);
    s.run("carol> PUBLISH chat hello");
    let msg = s.model.pubsub.messages.last().unwrap().clone();
    assert_eq!(msg.from.as_deref(), Some("carol"));
    assert_eq!(msg.direct, ["alice"]);
    assert_eq!(msg.by_pattern, [("ch*".to_string(), "bob".to_string())]);
    assert!(msg.fresh);
    s.run("SET x 1");
    assert!(!s.model.pubsub.messages[0].fresh);
    s.run("alice> UNSUBSCRIBE chat");
    assert_eq!(s.model.pubsub.subs.len(), 1);
}

#[test]
fn a_big_keyspace_shows_only_what_changed_lately() {
    let mut s = Stage::new();
    for i in 0..MAX_CARDS + 5 {
        s.run(&format!("SET k{i:02} {i}"));
    }
    assert_eq!(s.model.cards.len(), MAX_CARDS);
    assert!(s.model.card("k00").is_none(), "the oldest left");
    assert!(s.model.card(&format!("k{:02}", MAX_CARDS + 4)).is_some());
    s.run("SET k00 again");
    assert!(s.model.card("k00").is_some());
    assert_eq!(s.model.keys_total, MAX_CARDS + 5);
    s.run("FLUSHDB");
    assert!(s.model.cards.is_empty());
}

#[test]
fn hostile_values_are_plain_text_and_cut() {
    let mut s = Stage::new();
    s.run("SET x \"<img src=x onerror=alert(1)>\"");
    assert_eq!(
        s.card("x").view,
        View::Str {
            text: "<img src=x onerror=alert(1)>".into(),
            cut: false
        }
    );
    s.run(&format!("SET long {}", "y".repeat(500)));
    let View::Str { text, cut } = &s.card("long").view else {
        panic!()
    };
    assert!(*cut && text.chars().count() == VALUE_CHARS + 1);
    s.run("SET bin \"a\\x00b\"");
    assert_eq!(
        s.card("bin").view,
        View::Str {
            text: "\"a\\x00b\"".into(),
            cut: false
        }
    );
}

#[test]
fn a_stream_shows_its_entries_each_groups_cursor_and_pending_entries() {
    let mut s = Stage::new();
    s.run("XADD pay 1-1 user 42 amount 99");
    s.run("XADD pay 2-1 user 7 amount 5");
    s.run("XGROUP CREATE pay billing 0");
    s.run("w1> XREADGROUP GROUP billing w1 COUNT 1 STREAMS pay >");
    s.run("w2> XREADGROUP GROUP billing w2 COUNT 1 STREAMS pay >");
    s.run("w1> XACK pay billing 1-1");
    s.run("XADD pay 3-1 user 9 amount 1");
    let card = s.card("pay");
    assert_eq!(card.kind, Kind::Stream);
    let View::Stream { entries, groups } = &card.view else {
        panic!("not drawn as a stream: {:?}", card.view)
    };
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["1-1", "2-1", "3-1"]);
    assert_eq!(entries[0].fields, "user=42 amount=99");
    assert_eq!(
        entries.iter().map(|e| e.new).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "billing");
    assert_eq!(groups[0].cursor, "2-1");
    assert_eq!(
        groups[0].pending,
        [
            ("w1".to_string(), vec![]),
            ("w2".to_string(), vec!["2-1".to_string()])
        ]
    );
}
