//! [`StageModel`]: what the stage draws, rebuilt after each step from the
//! engine's read-only [`Engine::inspect`], the step's change events (which
//! keys were written and by what, which left and why, who blocked,
//! subscribed or published) and the previous model (for rank changes,
//! counter deltas, flashes and countdown lengths). Pure Rust: tested
//! natively. It never walks the keyspace: it inspects the keys on stage
//! (at most [`MAX_CARDS`], [`ELEMENTS`] elements each) and, only when the
//! database is that small, lists it to seed the stage.

use engine::event::SubKind;
use engine::inspect::{Body, KeyContent};
use engine::{ClientId, Engine, Event, Removal};

use super::geo::{self, GeoSearch};
use crate::format::key_label;

/// Keys drawn at once; the least recently changed leave first.
pub const MAX_CARDS: usize = 12;
/// Elements drawn per key (the total is shown beside them).
pub const ELEMENTS: usize = 48;
/// How long a removed key stays on stage, fading (virtual ms).
pub const GHOST_MS: u64 = 4_000;
/// Removed keys shown at once; more are counted.
pub const MAX_GHOSTS: usize = 8;
/// Published messages kept for the pub/sub view.
pub const MAX_MESSAGES: usize = 6;
/// Text shown of one value before it is cut (the rest on hover).
pub const VALUE_CHARS: usize = 80;
/// Bits drawn of a bitmap.
pub const BITS: usize = 256;

/// How a key is drawn. A zset, a string, can be drawn several ways; the
/// commands that wrote it decide (a GEOADD makes a zset a geo set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Str,
    Counter,
    Bitmap,
    Hll,
    Hash,
    List,
    Set,
    ZSet,
    Geo,
    Stream,
}

impl Kind {
    /// The CSS hue class suffix, one per data type (shared with the key list).
    pub fn hue(self) -> &'static str {
        match self {
            Kind::Str | Kind::Counter => "string",
            Kind::Bitmap | Kind::Hll => "hll",
            Kind::Hash => "hash",
            Kind::List => "list",
            Kind::Set => "set",
            Kind::ZSet => "zset",
            Kind::Geo => "geo",
            Kind::Stream => "stream",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Str => "string",
            Kind::Counter => "counter",
            Kind::Bitmap => "bitmap",
            Kind::Hll => "hyperloglog",
            Kind::Hash => "hash",
            Kind::List => "list",
            Kind::Set => "set",
            Kind::ZSet => "sorted set",
            Kind::Stream => "stream",
            Kind::Geo => "geo",
        }
    }
}

/// One key on stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub key: Vec<u8>,
    pub label: String,
    pub kind: Kind,
    /// Element count (string: bytes).
    pub len: usize,
    pub expire_at: Option<u64>,
    /// The TTL the key had when this expiry was first seen: the ring's
    /// full length.
    pub ttl_total: Option<u64>,
    /// The command that wrote it in this step, if one did.
    pub written_by: Option<&'static str>,
    /// The build that last wrote it (animation keys use it).
    pub version: u64,
    pub view: View,
    /// Clients blocked on this key (BLPOP ...), in the order they blocked.
    pub waiting: Vec<Waiter>,
    /// False for a key a client waits on that does not exist yet.
    pub exists: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum View {
    Str {
        text: String,
        cut: bool,
    },
    Counter {
        value: i64,
        /// The change since the last build, when it changed.
        delta: Option<i64>,
    },
    Bits {
        bits: Vec<bool>,
        ones: usize,
    },
    Hll {
        estimate: u64,
        nonzero: usize,
        sparse: bool,
        groups: Vec<u8>,
    },
    Hash {
        rows: Vec<Field>,
    },
    List {
        items: Vec<Item>,
        /// Elements popped in this step, and from which end (true: head).
        popped: Vec<(String, bool)>,
    },
    Set {
        members: Vec<Member>,
    },
    ZSet {
        rows: Vec<Ranked>,
    },
    Geo {
        points: Vec<geo::Point>,
        search: Option<GeoSearch>,
    },
    /// Entries oldest first (the newest `limit` of them), each group's
    /// cursor and pending entries.
    Stream {
        entries: Vec<StreamRow>,
        groups: Vec<StreamGroup>,
    },
    /// A key that does not exist (yet): a blocked client waits on it.
    Absent,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamRow {
    /// `ms-seq`, as XRANGE prints it.
    pub id: String,
    /// `field=value` pairs, clipped.
    pub fields: String,
    /// Added in this step.
    pub new: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamGroup {
    pub name: String,
    /// The last ID delivered to the group.
    pub cursor: String,
    /// Each consumer with the IDs it read but has not acknowledged.
    pub pending: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    /// Set or changed in this step.
    pub changed: bool,
    pub version: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    /// Pushed in this step (slides in).
    pub new: bool,
    /// Pushed at the head (slides in from the left).
    pub at_head: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub text: String,
    pub new: bool,
    /// In the result of the step's SINTER/SUNION/SDIFF.
    pub result: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub member: String,
    pub score: f64,
    pub score_text: String,
    /// 0 = the top.
    pub rank: usize,
    /// The rank in the previous build, if the member was drawn then.
    pub prev_rank: Option<usize>,
    pub changed: bool,
    /// Per mille of the longest bar.
    pub bar: u32,
}

/// A client blocked on a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiter {
    pub client: ClientId,
    pub name: String,
    pub command: &'static str,
    /// True when it pops from the head (BLPOP, BZPOPMIN's low end ...).
    pub at_head: bool,
    pub since: u64,
    pub until: Option<u64>,
}

/// A key that left, fading out with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ghost {
    pub label: String,
    pub kind: Option<Kind>,
    /// "expired (lazy)", "expired (active)", "evicted (allkeys-lru)", "deleted".
    pub cause: String,
    pub at: u64,
    pub id: u64,
}

/// The step's set operation, for highlighting its result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetOp {
    pub op: String,
    pub keys: Vec<String>,
    pub dest: Option<String>,
}

/// Pub/sub: who listens to what, and the messages of the last steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PubSub {
    /// (client, its name, kind, channel or pattern), in subscription order.
    pub subs: Vec<(ClientId, String, SubKind, String)>,
    pub messages: Vec<Message>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub id: u64,
    /// The publishing client's name, when the step says who published.
    pub from: Option<String>,
    pub channel: String,
    pub text: String,
    /// Receivers by channel, then (pattern, receiver).
    pub direct: Vec<String>,
    pub by_pattern: Vec<(String, String)>,
    /// Published in the latest build (drawn travelling).
    pub fresh: bool,
}

/// What the host knows of a step beyond the change feed: the commands it
/// ran (client, argv) and the names of its clients. The feed does not
/// carry argv; the set-operation highlight, the GEOSEARCH area and the
/// publisher of a message come from here when the host passes it.
#[derive(Clone, Debug, Default)]
pub struct StepInfo {
    pub commands: Vec<(ClientId, Vec<Vec<u8>>)>,
    pub names: Vec<(ClientId, String)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageModel {
    pub db: usize,
    /// Virtual time of the build.
    pub now: u64,
    /// Builds so far (changes on every build).
    pub version: u64,
    pub cards: Vec<Card>,
    pub ghosts: Vec<Ghost>,
    /// Removed keys not drawn as ghosts (over [`MAX_GHOSTS`]).
    pub more_ghosts: usize,
    pub keys_total: usize,
    pub set_op: Option<SetOp>,
    pub pubsub: PubSub,
    /// Every blocked client (also those on other databases).
    pub blocked: Vec<(usize, Vec<Vec<u8>>, Waiter)>,
    /// Keys written as geo sets (GEOADD ...) or bitmaps (SETBIT ...):
    /// remembered, as the value alone cannot say.
    pub geo_keys: Vec<Vec<u8>>,
    pub bit_keys: Vec<Vec<u8>>,
    /// Cards' last-touch build, parallel to `cards` (for who leaves first).
    touched: Vec<u64>,
    next_id: u64,
}

impl StageModel {
    /// Rebuild after a step: the engine state, the database shown, the
    /// events of that step, the previous model.
    pub fn build(engine: &Engine, db: usize, events: &[Event], prev: &StageModel) -> StageModel {
        Self::build_with(engine, db, events, &StepInfo::default(), prev)
    }

    /// [`build`](Self::build) with what the host knows of the step's commands.
    pub fn build_with(
        engine: &Engine,
        db: usize,
        events: &[Event],
        step: &StepInfo,
        prev: &StageModel,
    ) -> StageModel {
        let now = engine.now();
        let version = prev.version + 1;
        let same_db = prev.db == db && prev.version > 0;
        let mut m = StageModel {
            db,
            now,
            version,
            next_id: prev.next_id,
            geo_keys: if same_db {
                prev.geo_keys.clone()
            } else {
                Vec::new()
            },
            bit_keys: if same_db {
                prev.bit_keys.clone()
            } else {
                Vec::new()
            },
            blocked: prev.blocked.clone(),
            pubsub: prev.pubsub.clone(),
            ghosts: prev
                .ghosts
                .iter()
                .filter(|g| same_db && now.saturating_sub(g.at) < GHOST_MS)
                .cloned()
                .collect(),
            ..StageModel::default()
        };
        // A step of the clock alone (no command) keeps the last command's
        // highlights: the set operation's result, the travelling messages.
        let clock_only = step.commands.is_empty();
        if clock_only {
            m.set_op = prev.set_op.clone();
        } else {
            for msg in &mut m.pubsub.messages {
                msg.fresh = false;
            }
        }
        let name = |id: ClientId| client_name(engine, step, id);

        // What the step wrote, in order (a key may be written twice).
        let mut written: Vec<(Vec<u8>, &'static str)> = Vec::new();
        let mut removed: Vec<(Vec<u8>, Removal)> = Vec::new();
        let mut flushed = false;
        for event in events {
            match event {
                Event::Written {
                    db: d,
                    key,
                    command,
                    ..
                } if *d == db => {
                    removed.retain(|(k, _)| k != key);
                    written.retain(|(k, _)| k != key);
                    written.push((key.clone(), command));
                    m.mark_kind(key, command);
                }
                Event::Removed { db: d, key, cause } if *d == db => {
                    written.retain(|(k, _)| k != key);
                    removed.push((key.clone(), *cause));
                }
                Event::Flushed { db: d } if *d == db => {
                    flushed = true;
                    written.clear();
                    removed.clear();
                }
                Event::ClientBlocked {
                    id,
                    db: d,
                    keys,
                    command,
                    since,
                    until,
                } => {
                    let waiter = Waiter {
                        client: *id,
                        name: name(*id),
                        command,
                        at_head: pops_head(command),
                        since: *since,
                        until: *until,
                    };
                    m.blocked.push((*d, keys.clone(), waiter));
                }
                Event::ClientWoken { id, .. } | Event::ClientTimedOut { id } => {
                    m.blocked.retain(|(_, _, w)| w.client != *id);
                }
                Event::ClientDisconnected { id } => {
                    m.blocked.retain(|(_, _, w)| w.client != *id);
                    m.pubsub.subs.retain(|(c, ..)| c != id);
                }
                Event::Subscribed {
                    client,
                    kind,
                    name: n,
                } => {
                    let who = name(*client);
                    m.pubsub.subs.push((*client, who, *kind, key_label(n)));
                }
                Event::Unsubscribed {
                    client,
                    kind,
                    name: n,
                } => {
                    let n = key_label(n);
                    m.pubsub
                        .subs
                        .retain(|(c, _, k, s)| !(c == client && k == kind && *s == n));
                }
                Event::Published {
                    channel,
                    message,
                    direct,
                    by_pattern,
                    ..
                } => {
                    let from = step
                        .commands
                        .iter()
                        .find(|(_, argv)| {
                            argv.len() >= 2
                                && (argv[0].eq_ignore_ascii_case(b"publish")
                                    || argv[0].eq_ignore_ascii_case(b"spublish"))
                                && argv[1] == *channel
                        })
                        .map(|(c, _)| name(*c));
                    m.next_id += 1;
                    m.pubsub.messages.push(Message {
                        id: m.next_id,
                        from,
                        channel: key_label(channel),
                        text: clip(message),
                        direct: direct.iter().map(|&c| name(c)).collect(),
                        by_pattern: by_pattern
                            .iter()
                            .map(|(p, c)| (key_label(p), name(*c)))
                            .collect(),
                        fresh: true,
                    });
                }
                _ => {}
            }
        }
        let extra = m.pubsub.messages.len().saturating_sub(MAX_MESSAGES);
        m.pubsub.messages.drain(..extra);
        for (_, argv) in &step.commands {
            m.note_command(argv);
        }

        // Which keys are on stage: the previous ones, then what the step
        // wrote; a small database is shown whole.
        let mut keys: Vec<(Vec<u8>, u64)> = Vec::new();
        if same_db && !flushed {
            keys.extend(
                prev.cards
                    .iter()
                    .zip(&prev.touched)
                    .filter(|(c, _)| c.exists && !removed.iter().any(|(k, _)| *k == c.key))
                    .map(|(c, &t)| (c.key.clone(), t)),
            );
        }
        for (key, _) in &written {
            match keys.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = version,
                None => keys.push((key.clone(), version)),
            }
        }
        let db_len = engine.db_len(db);
        if (!same_db || flushed || keys.len() < MAX_CARDS) && db_len <= MAX_CARDS {
            for info in engine.keys(db) {
                if !keys.iter().any(|(k, _)| *k == info.key) {
                    keys.push((info.key, version));
                }
            }
        }
        if keys.len() > MAX_CARDS {
            // The least recently written leave first (ties: the later
            // ones), order kept. A key stays when fewer than MAX_CARDS
            // others rank before it: a dozen keys, so no sort.
            let ranks_before = |i: usize, t: u64| {
                keys.iter()
                    .enumerate()
                    .filter(|&(j, (_, u))| *u > t || (*u == t && j < i))
                    .count()
            };
            let keep: Vec<bool> = keys
                .iter()
                .enumerate()
                .map(|(i, (_, t))| ranks_before(i, *t) < MAX_CARDS)
                .collect();
            keys = keys
                .into_iter()
                .zip(keep)
                .filter_map(|(k, keep)| keep.then_some(k))
                .collect();
        }

        for (key, touched) in keys {
            let Some(content) = engine.inspect(db, &key, ELEMENTS) else {
                continue; // past its time: lazy or active expiry will say
            };
            let prev_card = prev
                .cards
                .iter()
                .find(|c| c.key == key && same_db && !flushed);
            let written_by = written.iter().find(|(k, _)| *k == key).map(|(_, c)| *c);
            let card = m.make_card(engine, &key, content, written_by, prev_card, step);
            m.cards.push(card);
            m.touched.push(touched);
        }

        // Keys that left, fading with the reason.
        for (key, cause) in removed {
            let kind = prev.cards.iter().find(|c| c.key == key).map(|c| c.kind);
            if kind.is_none() && m.ghosts.len() >= MAX_GHOSTS {
                m.more_ghosts += 1;
                continue;
            }
            m.next_id += 1;
            m.ghosts.push(Ghost {
                label: key_label(&key),
                kind,
                cause: cause_text(cause),
                at: now,
                id: m.next_id,
            });
        }
        if m.ghosts.len() > MAX_GHOSTS {
            let extra = m.ghosts.len() - MAX_GHOSTS;
            m.more_ghosts += extra;
            m.ghosts.drain(..extra);
        }
        if flushed {
            m.geo_keys.clear();
            m.bit_keys.clear();
        }

        // Blocked clients wait at their key, present or not.
        for (d, keys, waiter) in &m.blocked {
            if *d != db {
                continue;
            }
            for key in keys {
                match m.cards.iter_mut().find(|c| c.key == *key) {
                    Some(card) => card.waiting.push(waiter.clone()),
                    None => {
                        m.cards.push(Card {
                            key: key.clone(),
                            label: key_label(key),
                            kind: if waiter.command.starts_with("bz") {
                                Kind::ZSet
                            } else {
                                Kind::List
                            },
                            len: 0,
                            expire_at: None,
                            ttl_total: None,
                            written_by: None,
                            version,
                            view: View::Absent,
                            waiting: vec![waiter.clone()],
                            exists: false,
                        });
                        m.touched.push(version);
                    }
                }
            }
        }
        m.keys_total = db_len;
        m
    }

    /// The card of `label`, if on stage.
    pub fn card(&self, label: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.label == label)
    }

    fn mark_kind(&mut self, key: &[u8], command: &str) {
        let geo = command.starts_with("geo");
        let bits = matches!(command, "setbit" | "bitfield" | "bitop");
        remember(&mut self.geo_keys, key, geo);
        if bits {
            remember(&mut self.bit_keys, key, true);
        } else if !matches!(
            command,
            "expire" | "persist" | "rename_to" | "move" | "copy_to"
        ) {
            // Any other whole-value write makes it a plain string again.
            if !command.starts_with("geo") && matches!(command, "set" | "append" | "setrange") {
                self.bit_keys.retain(|k| k != key);
            }
        }
    }

    /// What the host told of the step's commands: GEOADD marks geo sets,
    /// SINTER and friends are highlighted.
    fn note_command(&mut self, argv: &[Vec<u8>]) {
        let Some(name) = argv.first() else { return };
        let name = String::from_utf8_lossy(name).to_ascii_uppercase();
        match name.as_str() {
            "GEOADD" if argv.len() > 1 => remember(&mut self.geo_keys, &argv[1], true),
            "GEOSEARCHSTORE" if argv.len() > 2 => {
                remember(&mut self.geo_keys, &argv[1], true);
                remember(&mut self.geo_keys, &argv[2], true);
            }
            "SINTER" | "SUNION" | "SDIFF" if argv.len() > 1 => {
                self.set_op = Some(SetOp {
                    op: name.clone(),
                    keys: argv[1..].iter().map(|k| key_label(k)).collect(),
                    dest: None,
                });
            }
            "SINTERSTORE" | "SUNIONSTORE" | "SDIFFSTORE" if argv.len() > 2 => {
                self.set_op = Some(SetOp {
                    op: name.trim_end_matches("STORE").to_string(),
                    keys: argv[2..].iter().map(|k| key_label(k)).collect(),
                    dest: Some(key_label(&argv[1])),
                });
            }
            "SINTERCARD" if argv.len() > 2 => {
                let n = std::str::from_utf8(&argv[1])
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                    .unwrap_or(0);
                let keys = argv.iter().skip(2).take(n);
                self.set_op = Some(SetOp {
                    op: "SINTER".into(),
                    keys: keys.map(|k| key_label(k)).collect(),
                    dest: None,
                });
            }
            _ => {}
        }
    }

    fn make_card(
        &self,
        engine: &Engine,
        key: &[u8],
        content: KeyContent,
        written_by: Option<&'static str>,
        prev: Option<&Card>,
        step: &StepInfo,
    ) -> Card {
        let label = key_label(key);
        let version = match (written_by, prev) {
            (None, Some(p)) => p.version,
            _ => self.version,
        };
        let ttl_total = content.expire_at.map(|at| match prev {
            Some(p) if p.expire_at == Some(at) => p.ttl_total.unwrap_or(0),
            _ => at.saturating_sub(self.now),
        });
        let changed = written_by.is_some();
        let (kind, view) = match content.body {
            Body::Str { value, int } => {
                if self.bit_keys.iter().any(|k| k == key) {
                    let bits: Vec<bool> = value
                        .iter()
                        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
                        .take(BITS)
                        .collect();
                    let ones = value.iter().map(|b| b.count_ones() as usize).sum();
                    (Kind::Bitmap, View::Bits { bits, ones })
                } else if let Some(n) = int.filter(|_| is_counter(written_by, prev)) {
                    let delta = match prev.map(|p| &p.view) {
                        Some(View::Counter { value, .. }) if changed && *value != n => {
                            Some(n.wrapping_sub(*value))
                        }
                        _ => None,
                    };
                    (Kind::Counter, View::Counter { value: n, delta })
                } else {
                    let text = clip(&value);
                    let cut = content.len > value.len() || text.ends_with('…');
                    (Kind::Str, View::Str { text, cut })
                }
            }
            Body::Stream { entries, groups } => {
                let old: Vec<&str> = match prev.map(|p| &p.view) {
                    Some(View::Stream { entries, .. }) => {
                        entries.iter().map(|e| e.id.as_str()).collect()
                    }
                    _ => Vec::new(),
                };
                let id = |i: engine::types::stream::StreamId| {
                    String::from_utf8_lossy(&i.to_bytes()).into_owned()
                };
                let entries = entries
                    .iter()
                    .map(|(i, fields)| {
                        let text = id(*i);
                        let pairs: Vec<String> = fields
                            .iter()
                            .map(|(f, v)| format!("{}={}", clip(f), clip(v)))
                            .collect();
                        StreamRow {
                            new: changed && !old.contains(&text.as_str()),
                            id: text,
                            fields: pairs.join(" "),
                        }
                    })
                    .collect();
                let groups = groups
                    .iter()
                    .map(|g| StreamGroup {
                        name: clip(&g.name),
                        cursor: id(g.last_delivered),
                        pending: g
                            .consumers
                            .iter()
                            .map(|(c, ids)| {
                                let ids = ids.iter().map(|i| id(*i)).collect();
                                (clip(c), ids)
                            })
                            .collect(),
                    })
                    .collect();
                (Kind::Stream, View::Stream { entries, groups })
            }
            Body::Hll(h) => (
                Kind::Hll,
                View::Hll {
                    estimate: h.estimate,
                    nonzero: h.nonzero,
                    sparse: h.sparse,
                    groups: h.groups,
                },
            ),
            Body::Hash { fields } => {
                let old = match prev.map(|p| &p.view) {
                    Some(View::Hash { rows }) => rows.as_slice(),
                    _ => &[],
                };
                let rows = fields
                    .iter()
                    .map(|(f, v)| {
                        let name = clip(f);
                        let value = clip(v);
                        let before = old.iter().find(|r| r.name == name);
                        let fresh = changed && before.is_none_or(|r| r.value != value);
                        Field {
                            version: match (fresh, before) {
                                (false, Some(r)) => r.version,
                                _ => self.version,
                            },
                            name,
                            value,
                            changed: fresh,
                        }
                    })
                    .collect();
                (Kind::Hash, View::Hash { rows })
            }
            Body::List { items } => {
                let old: Vec<String> = match prev.map(|p| &p.view) {
                    Some(View::List { items, .. }) => {
                        items.iter().map(|i| i.text.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                let new: Vec<String> = items.iter().map(|i| clip(i)).collect();
                let (head_new, tail_new, popped) = if changed {
                    list_changes(&old, &new, prev.map_or(0, |p| p.len), content.len)
                } else {
                    (0, 0, Vec::new())
                };
                let items = new
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| Item {
                        text,
                        new: i < head_new || i + tail_new >= content.len,
                        at_head: i < head_new,
                    })
                    .collect();
                (Kind::List, View::List { items, popped })
            }
            Body::Set { members } => {
                let old: Vec<&str> = match prev.map(|p| &p.view) {
                    Some(View::Set { members }) => {
                        members.iter().map(|m| m.text.as_str()).collect()
                    }
                    _ => Vec::new(),
                };
                let members = members
                    .iter()
                    .map(|raw| {
                        let text = clip(raw);
                        Member {
                            new: changed && prev.is_some() && !old.contains(&text.as_str()),
                            result: self.in_set_result(engine, &label, raw),
                            text,
                        }
                    })
                    .collect();
                (Kind::Set, View::Set { members })
            }
            Body::ZSet { top } => {
                let is_geo = self.geo_keys.iter().any(|k| k == key)
                    || (!top.is_empty() && top.iter().all(|(_, s)| geo::looks_like_geohash(*s)));
                if is_geo {
                    let points = top
                        .iter()
                        .filter_map(|(m, s)| geo::Point::decode(key_label(m), *s))
                        .collect();
                    let search = step
                        .commands
                        .iter()
                        .rev()
                        .find_map(|(_, argv)| GeoSearch::parse(argv, key, engine, self.db));
                    let search = search.or_else(|| match prev.map(|p| &p.view) {
                        Some(View::Geo { search, .. }) => search.clone(),
                        _ => None,
                    });
                    (Kind::Geo, View::Geo { points, search })
                } else {
                    let old = match prev.map(|p| &p.view) {
                        Some(View::ZSet { rows }) => rows.as_slice(),
                        _ => &[],
                    };
                    (
                        Kind::ZSet,
                        View::ZSet {
                            rows: ranked(&top, old, changed),
                        },
                    )
                }
            }
        };
        Card {
            key: key.to_vec(),
            label,
            kind,
            len: content.len,
            expire_at: content.expire_at,
            ttl_total,
            written_by,
            version,
            view,
            waiting: Vec::new(),
            exists: true,
        }
    }

    /// Whether `member` of the set `label` is in the result of the step's
    /// set operation (membership in the other sets read without touching them).
    fn in_set_result(&self, engine: &Engine, label: &str, member: &[u8]) -> bool {
        let Some(op) = &self.set_op else { return false };
        if op.dest.as_deref() == Some(label) {
            return true;
        }
        let Some(pos) = op.keys.iter().position(|k| k == label) else {
            return false;
        };
        let has = |k: &String| engine.has_member(self.db, k.as_bytes(), member);
        match op.op.as_str() {
            "SINTER" => op.keys.iter().all(has),
            "SUNION" => true,
            "SDIFF" => pos == 0 && !op.keys[1..].iter().any(has),
            _ => false,
        }
    }
}

fn remember(list: &mut Vec<Vec<u8>>, key: &[u8], on: bool) {
    let there = list.iter().any(|k| k == key);
    if on && !there {
        list.push(key.to_vec());
    }
}

/// A counter is a string integer that INCR and friends wrote (or that was
/// already drawn as one).
fn is_counter(written_by: Option<&str>, prev: Option<&Card>) -> bool {
    match written_by {
        Some(c) => matches!(c, "incrby" | "decrby" | "incr" | "decr"),
        None => prev.is_some_and(|p| p.kind == Kind::Counter),
    }
}

/// The zset rows from the top, with each member's previous rank.
fn ranked(top: &[(Vec<u8>, f64)], old: &[Ranked], changed: bool) -> Vec<Ranked> {
    let hi = top.iter().map(|(_, s)| *s).fold(0.0f64, f64::max);
    let lo = top.iter().map(|(_, s)| *s).fold(0.0f64, f64::min);
    let span = hi - lo;
    top.iter()
        .enumerate()
        .map(|(rank, (m, score))| {
            let member = clip(m);
            let before = old.iter().find(|r| r.member == member);
            let bar = if span > 0.0 && span.is_finite() {
                ((score - lo) / span * 1000.0).clamp(0.0, 1000.0) as u32
            } else {
                1000
            };
            Ranked {
                prev_rank: before.map(|r| r.rank),
                changed: changed && before.is_none_or(|r| r.score != *score),
                score_text: engine::commands::num::format_g17(*score),
                score: *score,
                bar: bar.max(8),
                member,
                rank,
            }
        })
        .collect()
}

/// How a list changed: elements new at the head, new at the tail, and
/// what left (true: from the head). Lists are compared by their drawn
/// heads, so this reads pushes and pops as a learner sees them.
fn list_changes(
    old: &[String],
    new: &[String],
    old_len: usize,
    new_len: usize,
) -> (usize, usize, Vec<(String, bool)>) {
    // The old head survives at some offset in the new list?
    for drop_head in 0..=old.len() {
        let rest = &old[drop_head..];
        for add_head in 0..=new.len() {
            let cand = &new[add_head..];
            let n = rest.len().min(cand.len());
            if rest[..n] == cand[..n] && (n > 0 || (rest.is_empty() && drop_head == old.len())) {
                let kept_old = old_len.saturating_sub(drop_head);
                let mid = kept_old + add_head;
                let tail_new = new_len.saturating_sub(mid);
                let tail_gone = mid.saturating_sub(new_len);
                let mut popped: Vec<(String, bool)> =
                    old[..drop_head].iter().map(|t| (t.clone(), true)).collect();
                if tail_gone > 0 && old_len == old.len() {
                    let from = old.len().saturating_sub(tail_gone);
                    popped.extend(old[from..].iter().map(|t| (t.clone(), false)));
                }
                return (add_head, tail_new.min(new.len()), popped);
            }
        }
    }
    (0, 0, Vec::new())
}

/// Whether a blocking command takes from the head (left, or the low end).
fn pops_head(command: &str) -> bool {
    !matches!(command, "brpop" | "bzpopmax" | "brpoplpush")
}

fn client_name(engine: &Engine, step: &StepInfo, id: ClientId) -> String {
    if let Some((_, n)) = step.names.iter().find(|(c, _)| *c == id) {
        return n.clone();
    }
    match engine.client(id).and_then(|c| c.name.as_deref()) {
        Some(n) => key_label(n),
        None => format!("client {}", id.0),
    }
}

fn cause_text(cause: Removal) -> String {
    match cause {
        Removal::Evicted { policy } => format!("evicted ({policy})"),
        other => other.label().to_string(),
    }
}

/// A value as drawn: plain text when printable, else redis-cli's quoted
/// form; cut at [`VALUE_CHARS`] characters with an ellipsis.
pub fn clip(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) if !s.chars().any(char::is_control) => s.to_string(),
        _ => engine::reply::quote(bytes),
    };
    match text.char_indices().nth(VALUE_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
