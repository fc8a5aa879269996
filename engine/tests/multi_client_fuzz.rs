//! Many clients at once, at random: pub/sub, blocking pops with timeouts,
//! MULTI/EXEC/WATCH, CLIENT KILL/PAUSE/UNPAUSE/UNBLOCK/TRACKING, RESET,
//! QUIT, disconnections, clock steps, and eviction under a tiny
//! maxmemory. Fixed seeds, so a failure replays.
//!
//! The test keeps its own account of what each client was sent and what
//! it received (a command is answered by the first reply addressed to
//! its client that is not a pub/sub message), and checks the engine
//! against it:
//! - no panic;
//! - INFO's `blocked_clients` is the number of clients with a command
//!   still unanswered (blocked or held by CLIENT PAUSE), and PUBSUB
//!   NUMSUB the subscriptions the confirmations announced;
//! - a subscription confirmation's count is the client's own count;
//! - nothing wedges: once the clock has passed every timeout and pause,
//!   the only clients still waiting are those whose oldest unanswered
//!   command blocks without a timeout; and once every key they may wait
//!   on gets data, nobody waits at all.

use std::collections::{BTreeSet, VecDeque};

use engine::{ClientId, Engine, Reply};

/// A fixed-seed xorshift.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const LISTS: &[&str] = &["q0", "q1", "q2"];
const ZSETS: &[&str] = &["z0", "z1"];
const STRINGS: &[&str] = &["k0", "k1", "q0", "z0"];
const CHANNELS: &[&str] = &["c0", "c1", "c2"];
const PATTERNS: &[&str] = &["c*", "c[01]"];
const WORKERS: usize = 6;

/// What the test knows of one worker connection.
#[derive(Default)]
struct Worker {
    id: Option<ClientId>,
    /// Commands sent and not answered yet: true for a blocking command
    /// sent with timeout 0 (it may wait for ever).
    waiting: VecDeque<(bool, String)>,
    channels: BTreeSet<String>,
    patterns: BTreeSet<String>,
}

struct Fuzz {
    e: Engine,
    rng: Rng,
    workers: Vec<Worker>,
    observer: ClientId,
    /// Every check that failed, with the seed and step.
    failures: Vec<String>,
    seed: u64,
    step: usize,
}

fn words(line: &str) -> Vec<Vec<u8>> {
    line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
}

/// A pub/sub message (not the answer to any command).
fn is_message(r: &Reply) -> bool {
    matches!(r, Reply::Array(items)
        if matches!(items.first(), Some(Reply::Bulk(b)) if b == b"message" || b == b"pmessage"))
}

impl Fuzz {
    fn new(seed: u64) -> Fuzz {
        let mut e = Engine::new(1_700_000_000_000);
        e.set_feed(seed.is_multiple_of(2)); // with and without the change feed
        let observer = e.connect();
        Fuzz {
            e,
            rng: Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1),
            workers: (0..WORKERS).map(|_| Worker::default()).collect(),
            observer,
            failures: Vec::new(),
            seed,
            step: 0,
        }
    }

    fn fail(&mut self, what: String) {
        self.failures
            .push(format!("seed {} step {}: {what}", self.seed, self.step));
    }

    /// The worker's connection, made (again) if it has none.
    fn conn(&mut self, w: usize) -> ClientId {
        if let Some(id) = self.workers[w].id {
            if self.e.client(id).is_some() {
                return id;
            }
        }
        self.forget(w);
        let id = self.e.connect();
        self.workers[w].id = Some(id);
        id
    }

    /// The worker's connection is gone: so is what it waited for.
    fn forget(&mut self, w: usize) {
        let worker = &mut self.workers[w];
        worker.id = None;
        worker.waiting.clear();
        worker.channels.clear();
        worker.patterns.clear();
    }

    fn worker_of(&self, id: ClientId) -> Option<usize> {
        self.workers.iter().position(|w| w.id == Some(id))
    }

    /// One reply reached worker `w`: it answers its oldest command, or is
    /// a message.
    fn received(&mut self, w: usize, reply: Reply) {
        if is_message(&reply) {
            return;
        }
        if self.workers[w].waiting.pop_front().is_none() {
            self.fail(format!("worker {w} got {reply:?} for no command"));
        }
        if reply == Reply::Status("RESET".into()) {
            // RESET leaves every subscription without a confirmation.
            self.workers[w].channels.clear();
            self.workers[w].patterns.clear();
        }
        self.note_subscription(w, &reply);
        // EXEC's reply holds the confirmations of queued SUBSCRIBEs.
        if let Reply::Array(items) = &reply {
            for item in items {
                self.note_subscription(w, item);
            }
        }
    }

    /// A subscription confirmation: the change, and its count checked.
    fn note_subscription(&mut self, w: usize, reply: &Reply) {
        let Reply::Array(items) = reply else {
            return;
        };
        let [Reply::Bulk(kind), Reply::Bulk(name), Reply::Integer(count)] = items.as_slice() else {
            return;
        };
        let name = String::from_utf8_lossy(name).into_owned();
        let worker = &mut self.workers[w];
        match kind.as_slice() {
            b"subscribe" => {
                worker.channels.insert(name);
            }
            b"unsubscribe" => {
                worker.channels.remove(&name);
            }
            b"psubscribe" => {
                worker.patterns.insert(name);
            }
            b"punsubscribe" => {
                worker.patterns.remove(&name);
            }
            _ => return,
        }
        let own = (worker.channels.len() + worker.patterns.len()) as i64;
        if *count != own {
            self.fail(format!(
                "worker {w} confirmed {count} subscriptions, has {own}"
            ));
        }
    }

    /// Runs `line` as worker `w` and settles every reply it caused.
    fn send(&mut self, w: usize, line: &str, forever: bool) {
        let id = self.conn(w);
        self.workers[w]
            .waiting
            .push_back((forever, line.to_string()));
        let replies = self.e.execute(id, words(line));
        for reply in replies {
            self.received(w, reply);
        }
        self.settle_pushed();
        self.settle_gone();
    }

    fn settle_pushed(&mut self) {
        for (to, reply) in self.e.take_pushed() {
            if to == self.observer {
                continue;
            }
            match self.worker_of(to) {
                Some(w) => self.received(w, reply),
                None => self.fail(format!("a reply for unknown client {to:?}")),
            }
        }
    }

    /// Workers whose connection closed (QUIT, CLIENT KILL).
    fn settle_gone(&mut self) {
        for w in 0..WORKERS {
            if let Some(id) = self.workers[w].id {
                if self.e.client(id).is_none() {
                    self.forget(w);
                }
            }
        }
    }

    fn advance(&mut self, ms: u64) {
        self.e.advance(ms);
        self.settle_pushed();
        self.settle_gone();
    }

    /// A command from the observer (never paused, never blocked).
    fn observe(&mut self, line: &str) -> Reply {
        let replies = self.e.execute(self.observer, words(line));
        self.settle_pushed();
        replies.into_iter().next().unwrap_or(Reply::Nil)
    }

    fn random_step(&mut self) {
        let w = self.rng.below(WORKERS as u64) as usize;
        let r = &mut self.rng;
        let list = r.pick(LISTS);
        let list2 = r.pick(LISTS);
        let zset = r.pick(ZSETS);
        let string = r.pick(STRINGS);
        let channel = r.pick(CHANNELS);
        let pattern = r.pick(PATTERNS);
        // Timeouts: 0 (for ever) a third of the time, else 0.1 s to 2 s.
        let timeout_ms = match r.below(3) {
            0 => 0,
            _ => 100 + r.below(1900),
        };
        let timeout = format!("{}.{:03}", timeout_ms / 1000, timeout_ms % 1000);
        let forever = timeout_ms == 0;
        let other = self.rng.below(WORKERS as u64) as usize;
        let other_id = self.workers[other].id.map_or(0, |id| id.0);
        let choice = self.rng.below(34);
        match choice {
            0 => self.send(w, &format!("SUBSCRIBE {channel}"), false),
            1 => self.send(w, &format!("UNSUBSCRIBE {channel}"), false),
            2 => self.send(w, &format!("PSUBSCRIBE {pattern}"), false),
            3 => self.send(w, &format!("PUNSUBSCRIBE {pattern}"), false),
            4 | 5 => self.send(w, &format!("PUBLISH {channel} m"), false),
            6 => self.send(w, &format!("BLPOP {list} {list2} {timeout}"), forever),
            7 => self.send(w, &format!("BRPOP {list} {timeout}"), forever),
            8 => self.send(
                w,
                &format!("BLMOVE {list} {list2} LEFT RIGHT {timeout}"),
                forever,
            ),
            9 => self.send(w, &format!("BZPOPMIN {zset} {timeout}"), forever),
            10 => self.send(
                w,
                &format!("BLMPOP {timeout} 2 {list} {list2} LEFT"),
                forever,
            ),
            11 | 12 => self.send(w, &format!("RPUSH {list} a b"), false),
            13 => self.send(w, &format!("ZADD {zset} 1 m1 2 m2"), false),
            14 => self.send(w, &format!("SET {string} v"), false),
            15 => self.send(w, &format!("DEL {list} {zset}"), false),
            16 => self.send(w, "MULTI", false),
            17 => self.send(w, "EXEC", false),
            18 => self.send(w, "DISCARD", false),
            19 => self.send(w, &format!("WATCH {list} {string}"), false),
            20 => self.send(w, &format!("GET {string}"), false),
            21 => self.send(w, &format!("CLIENT KILL ID {other_id}"), false),
            22 => {
                let mode = if self.rng.below(2) == 0 {
                    "WRITE"
                } else {
                    "ALL"
                };
                let ms = 50 + self.rng.below(1500);
                self.send(w, &format!("CLIENT PAUSE {ms} {mode}"), false);
            }
            23 => self.send(w, "CLIENT UNPAUSE", false),
            24 => self.send(w, &format!("CLIENT UNBLOCK {other_id}"), false),
            25 => self.send(w, &format!("CLIENT UNBLOCK {other_id} ERROR"), false),
            26 => self.send(w, "RESET", false),
            27 => self.send(w, "QUIT", false),
            28 => {
                if let Some(id) = self.workers[w].id {
                    self.e.disconnect(id);
                    self.forget(w);
                }
            }
            29 | 30 => {
                let ms = self.rng.below(800);
                self.advance(ms);
            }
            31 => self.send(
                w,
                &format!("CLIENT TRACKING on redirect {other_id} noloop"),
                false,
            ),
            32 => self.send(w, &format!("LRANGE {list} 0 -1"), false),
            _ => self.send(w, "PING", false),
        }
    }

    /// INFO's `blocked_clients` (and the engine's own count) against the
    /// workers with an unanswered command; PUBSUB NUMSUB against the
    /// confirmed subscriptions. Through the observer, so not while a
    /// pause holds it.
    fn check_counts(&mut self) {
        let waiting = self
            .workers
            .iter()
            .filter(|w| !w.waiting.is_empty())
            .count();
        let engine = self.e.blocking().blocked_count();
        if engine != waiting {
            let ids: Vec<(Option<ClientId>, usize)> = self
                .workers
                .iter()
                .map(|w| (w.id, w.waiting.len()))
                .collect();
            let blocked: Vec<u64> = self
                .e
                .blocking()
                .held()
                .map(|c| c.0)
                .chain((0..40).filter(|&i| self.e.blocking().wait(ClientId(i)).is_some()))
                .collect();
            self.fail(format!(
                "engine counts {engine} blocked ({blocked:?}), {waiting} wait ({ids:?})"
            ));
        }
        if self.e.pause().is_some() {
            return;
        }
        let info = match self.observe("INFO clients") {
            Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
            other => return self.fail(format!("INFO answered {other:?}")),
        };
        let blocked = info
            .lines()
            .find_map(|l| l.strip_prefix("blocked_clients:"))
            .and_then(|n| n.trim().parse::<usize>().ok());
        if blocked != Some(waiting) {
            self.fail(format!("INFO blocked_clients {blocked:?}, {waiting} wait"));
        }
        let numsub = self.observe(&format!("PUBSUB NUMSUB {}", CHANNELS.join(" ")));
        let Reply::Array(items) = numsub else {
            return self.fail("PUBSUB NUMSUB is no array".into());
        };
        for (i, channel) in CHANNELS.iter().enumerate() {
            let want = self
                .workers
                .iter()
                .filter(|w| w.channels.contains(*channel))
                .count() as i64;
            if items.get(2 * i + 1) != Some(&Reply::Integer(want)) {
                self.fail(format!(
                    "NUMSUB {channel}: {:?}, want {want}",
                    items.get(2 * i + 1)
                ));
            }
        }
    }

    /// Moves the clock past every pause and every timeout (a command
    /// that ran when a wait ended may pause or block again).
    fn calm(&mut self) {
        for _ in 0..50 {
            self.advance(3_600_000);
            if self.e.pause().is_none() && self.e.blocking().timed_count() == 0 {
                return;
            }
        }
        self.fail("pauses or timeouts outlived the clock".into());
    }

    /// Data on every key a client may wait on (a key of the wrong type is
    /// replaced), from the observer between pauses.
    fn feed(&mut self) {
        let members: Vec<String> = (0..40).map(|i| format!("{i} m{i}")).collect();
        let lines: Vec<String> = LISTS
            .iter()
            .chain(ZSETS)
            .map(|k| format!("DEL {k}"))
            .chain(
                LISTS
                    .iter()
                    .map(|l| format!("RPUSH {l} {}", ["x"; 40].join(" "))),
            )
            .chain(
                ZSETS
                    .iter()
                    .map(|z| format!("ZADD {z} {}", members.join(" "))),
            )
            .collect();
        for line in lines {
            self.calm();
            self.observe(&line);
        }
    }

    /// Past every timeout and pause, only waits without a timeout remain;
    /// data on every key then serves them all.
    fn check_no_wedge(&mut self) {
        self.calm();
        self.check_counts();
        for w in 0..WORKERS {
            if let Some((forever, line)) = self.workers[w].waiting.front().cloned() {
                if !forever {
                    self.fail(format!("worker {w} still waits on {line}"));
                }
            }
        }
        self.observe("CONFIG SET maxmemory 0");
        // A served client's next commands may block or pause again: a few
        // rounds, each serving at least the clients then waiting.
        for _ in 0..10 {
            self.feed();
            self.calm();
            if self.e.blocking().blocked_count() == 0 {
                break;
            }
        }
        self.check_counts();
        if self.e.blocking().blocked_count() != 0 {
            self.fail("clients still blocked with data on every key".into());
        }
    }
}

fn run_seed(seed: u64, steps: usize) -> Vec<String> {
    let mut f = Fuzz::new(seed);
    // Eviction: a third of the seeds run with a tiny maxmemory.
    match seed % 3 {
        1 => {
            f.observe("CONFIG SET maxmemory-policy allkeys-lru");
            f.observe("CONFIG SET maxmemory 1");
        }
        2 => {
            f.observe("CONFIG SET maxmemory 1");
        }
        _ => {}
    }
    if seed.is_multiple_of(4) {
        f.observe("CONFIG SET notify-keyspace-events KEA");
    }
    for step in 0..steps {
        f.step = step;
        f.random_step();
        if step % 3 == 0 {
            f.check_counts();
        }
        if f.failures.len() > 5 {
            break;
        }
    }
    f.step = steps;
    f.check_no_wedge();
    f.failures
}

#[test]
fn many_clients_never_panic_wedge_or_miscount() {
    let mut failures = Vec::new();
    for seed in 1..=100 {
        failures.extend(run_seed(seed, 500));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The checks are not vacuous: a worker that believes it sent a command
/// nobody answered is caught by each count.
#[test]
fn the_checks_catch_a_miscount() {
    let mut f = Fuzz::new(7);
    f.send(0, "SUBSCRIBE c0", false);
    f.check_counts();
    assert!(f.failures.is_empty(), "{:?}", f.failures);
    f.workers[0].waiting.push_back((true, "GET x".into())); // never sent
    f.check_counts();
    assert_eq!(f.failures.len(), 2, "{:?}", f.failures); // engine and INFO
    f.failures.clear();
    f.workers[0].waiting.clear();
    f.workers[1].channels.insert("c1".into()); // a subscription never made
    f.check_counts();
    assert_eq!(f.failures.len(), 1, "{:?}", f.failures);
    let mut g = Fuzz::new(8);
    g.send(0, "BLPOP q0 0.5", false);
    g.workers[0].waiting.push_back((false, "GET x".into())); // a wedge
    g.check_no_wedge();
    assert!(!g.failures.is_empty());
}
