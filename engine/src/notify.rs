//! Keyspace notifications (`notify-keyspace-events`): after a command or
//! an active expiry cycle, the change feed's new events say which keys
//! were written, deleted or expired; each becomes Redis's event (`set`,
//! `lpush`, `expired`, `rename_from` ...) in its class (`g $ l s h z x`),
//! published on `__keyspace@<db>__:<key>` (K, the event as message) and
//! `__keyevent@<db>__:<event>` (E, the key as message), in that order.
//!
//! While notifications are on the feed records even if the host turned it
//! off (`Feed::capture`); the events read here are then dropped again.
//! Class `n` (`new`) comes from the databases' logs of added keys
//! (`Db::fresh`), class `m` (`keymiss`) from `Event::KeyMiss`, which the
//! read lookups of reading commands record while `m` is on.

use crate::commands::{self, arg_is};
use crate::engine::Engine;
use crate::event::{Event, Removal};

/// Redis's `NOTIFY_*` bits (config.rs prints and parses them).
const KEYSPACE: u32 = 1 << 0;
const KEYEVENT: u32 = 1 << 1;
const GENERIC: u32 = 1 << 2;
const STRING: u32 = 1 << 3;
const LIST: u32 = 1 << 4;
const SET: u32 = 1 << 5;
const HASH: u32 = 1 << 6;
const ZSET: u32 = 1 << 7;
const EXPIRED: u32 = 1 << 8;
const EVICTED: u32 = 1 << 9;
const STREAM: u32 = 1 << 10;
const KEY_MISS: u32 = 1 << 11;
const NEW: u32 = 1 << 13;

/// Commands that are not read-only but read some keys with Redis's
/// `lookupKeyRead`, so a missing one is a `keymiss` (the SET of SET ...
/// GET only with GET).
const READING_WRITES: &[&str] = &[
    "getdel",
    "getex",
    "getset",
    "copy",
    "sinterstore",
    "sunionstore",
    "sdiffstore",
    "zunionstore",
    "zinterstore",
    "zdiffstore",
    "zrangestore",
    "pfcount",
    "pfmerge",
    "sort",
    "bitop",
];

/// Read-only commands whose lookups announce nothing (`LOOKUP_NONOTIFY`,
/// or no lookup at all).
const SILENT_READS: &[&str] = &["object", "memory"];

/// Commands whose notification differs from their name (or from their
/// family's class), by the name the family records the write with.
const RENAMED: &[(&str, u32, &str)] = &[
    ("setnx", STRING, "set"),
    ("setex", STRING, "set"),
    ("psetex", STRING, "set"),
    ("getset", STRING, "set"),
    ("mset", STRING, "set"),
    ("msetnx", STRING, "set"),
    ("incr", STRING, "incrby"),
    ("decr", STRING, "incrby"),
    ("decrby", STRING, "incrby"),
    ("bitfield", STRING, "setbit"),
    ("bitop", STRING, "set"),
    ("pfmerge", STRING, "pfadd"),
    ("pfadd", STRING, "pfadd"),
    ("setbit", STRING, "setbit"),
    ("expire", GENERIC, "expire"),
    ("pexpire", GENERIC, "expire"),
    ("expireat", GENERIC, "expire"),
    ("pexpireat", GENERIC, "expire"),
    ("persist", GENERIC, "persist"),
    ("rename", GENERIC, "rename_to"),
    ("renamenx", GENERIC, "rename_to"),
    ("move", GENERIC, "move_to"),
    ("copy", GENERIC, "copy_to"),
    ("restore", GENERIC, "restore"),
    ("sort", LIST, "sortstore"),
    ("hmset", HASH, "hset"),
    ("hsetnx", HASH, "hset"),
    ("lpushx", LIST, "lpush"),
    ("rpushx", LIST, "rpush"),
    ("zincrby", ZSET, "zincr"),
    // GEOADD records `zadd` (it runs ZADD); the searches' STORE forms.
    ("geosearchstore", ZSET, "geosearchstore"),
    ("georadiusstore", ZSET, "georadiusstore"),
    // What blocking commands record (blocking.rs), whatever command made
    // their key ready.
    ("lpop", LIST, "lpop"),
    ("rpop", LIST, "rpop"),
    ("lpush", LIST, "lpush"),
    ("rpush", LIST, "rpush"),
    ("zpopmin", ZSET, "zpopmin"),
    ("zpopmax", ZSET, "zpopmax"),
];

/// Writes the families record that Redis does not announce (PFCOUNT
/// caching its cardinality, PFDEBUG converting an encoding, SWAPDB's
/// exchanged keys, the stream XGROUP CREATE MKSTREAM makes).
const SILENT: &[&str] = &["pfcount", "pfdebug", "swapdb", "xgroup"];

/// The class of a family's own event names, by the command's group.
fn class_of_group(group: &str) -> u32 {
    match group {
        "string" | "bitmap" | "hyperloglog" => STRING,
        "list" => LIST,
        "set" => SET,
        "hash" => HASH,
        "sorted-set" => ZSET,
        "stream" => STREAM,
        _ => GENERIC,
    }
}

/// The notifications one event of the feed stands for, in order, given
/// the command line that caused it (`None` for the active expiry cycle).
fn notes(ev: &Event, argv: Option<&[Vec<u8>]>) -> Vec<(usize, Vec<u8>, u32, &'static str)> {
    let name = argv.map(|a| String::from_utf8_lossy(&a[0]).to_ascii_lowercase());
    let name = name.as_deref().unwrap_or("");
    let arg = |i: usize| argv.and_then(|a| a.get(i)).map(Vec::as_slice);
    match ev {
        Event::Removed { db, key, cause } => {
            // RENAME and COPY REPLACE drop the old destination silently.
            let replaced = matches!(name, "rename" | "renamenx" | "copy")
                && arg(2) == Some(key.as_slice())
                && *cause == Removal::Deleted;
            if replaced {
                return Vec::new();
            }
            let (class, event) = match cause {
                Removal::ExpiredLazy | Removal::ExpiredActive => (EXPIRED, "expired"),
                Removal::Evicted { .. } => (EVICTED, "evicted"),
                Removal::Deleted => match name {
                    "rename" | "renamenx" => (GENERIC, "rename_from"),
                    "move" => (GENERIC, "move_from"),
                    _ => (GENERIC, "del"),
                },
            };
            vec![(*db, key.clone(), class, event)]
        }
        Event::KeyMiss { db, key } => vec![(*db, key.clone(), KEY_MISS, "keymiss")],
        Event::Written { db, key, command } => {
            let out = |list: &[(u32, &'static str)]| {
                list.iter()
                    .map(|&(c, e)| (*db, key.clone(), c, e))
                    .collect::<Vec<_>>()
            };
            let side = |i: usize| {
                if arg_is(arg(i).unwrap_or_default(), "left") {
                    "l"
                } else {
                    "r"
                }
            };
            match *command {
                c if SILENT.contains(&c) => Vec::new(),
                // SET with a time and SETEX announce the expiry after the write.
                "set" | "setex" | "psetex" => {
                    let timed = *command != "set"
                        || argv.is_some_and(|a| {
                            a.iter()
                                .skip(3)
                                .any(|o| ["ex", "px", "exat", "pxat"].iter().any(|w| arg_is(o, w)))
                        });
                    if timed {
                        out(&[(STRING, "set"), (GENERIC, "expire")])
                    } else {
                        out(&[(STRING, "set")])
                    }
                }
                "getex" => {
                    let persist =
                        argv.is_some_and(|a| a.iter().skip(2).any(|o| arg_is(o, "persist")));
                    out(&[(GENERIC, if persist { "persist" } else { "expire" })])
                }
                // Pushed onto the destination, popped from the source (a
                // list moved onto itself announces both).
                "lmove" | "rpoplpush" => {
                    let (from, to) = if *command == "lmove" {
                        (side(3), side(4))
                    } else {
                        ("r", "l")
                    };
                    let push = if to == "l" { "lpush" } else { "rpush" };
                    let pop = if from == "l" { "lpop" } else { "rpop" };
                    let (src, dst) = (arg(1), arg(2));
                    let mut list = Vec::new();
                    if dst == Some(key.as_slice()) {
                        list.push((LIST, push));
                    }
                    if src == Some(key.as_slice()) {
                        list.push((LIST, pop));
                    }
                    out(&list)
                }
                "lmpop" => {
                    let numkeys = arg(1)
                        .and_then(commands::num::parse_i64)
                        .unwrap_or(0)
                        .max(0) as usize;
                    let pop = if side(2 + numkeys) == "l" {
                        "lpop"
                    } else {
                        "rpop"
                    };
                    out(&[(LIST, pop)])
                }
                // ZADD's options precede the first score; INCR makes it `zincr`.
                "zadd" => {
                    let options = argv.map_or(&[][..], |a| a.get(2..).unwrap_or_default());
                    let incr = options
                        .iter()
                        .take_while(|o| {
                            ["nx", "xx", "gt", "lt", "ch", "incr"]
                                .iter()
                                .any(|w| arg_is(o, w))
                        })
                        .any(|o| arg_is(o, "incr"));
                    out(&[(ZSET, if incr { "zincr" } else { "zadd" })])
                }
                "smove" => {
                    let event = if arg(1) == Some(key.as_slice()) {
                        "srem"
                    } else {
                        "sadd"
                    };
                    out(&[(SET, event)])
                }
                c => match RENAMED.iter().find(|(n, _, _)| *n == c) {
                    Some(&(_, class, event)) => out(&[(class, event)]),
                    None => {
                        // The family's own event name, in its command's class.
                        let group = commands::spec(name).map_or("generic", |s| s.group);
                        out(&[(class_of_group(group), c)])
                    }
                },
            }
        }
        Event::StreamMeta { db, key, event } => vec![(*db, key.clone(), STREAM, *event)],
        _ => Vec::new(),
    }
}

impl Engine {
    /// True if CONFIG SET turned notifications on (a class and K or E).
    pub(crate) fn notifying(&self) -> bool {
        let flags = self.config.notify_keyspace_events;
        flags & (KEYSPACE | KEYEVENT) != 0 && flags & !(KEYSPACE | KEYEVENT) != 0
    }

    /// True if the lookups of this command announce key misses now.
    pub(crate) fn misses_notified(&self, spec: &crate::commands::Spec, argv: &[Vec<u8>]) -> bool {
        if !self.events.capture || self.config.notify_keyspace_events & KEY_MISS == 0 {
            return false;
        }
        let base = spec.name.split('|').next().unwrap_or("");
        if spec.flags & crate::commands::packed::READONLY != 0 {
            return !SILENT_READS.contains(&base);
        }
        READING_WRITES.contains(&base)
            || (base == "set" && argv.iter().skip(3).any(|a| arg_is(a, "get")))
    }

    /// Keeps the databases' logs of added keys while `new` is notified.
    pub(crate) fn log_new_keys(&mut self) {
        let on = self.notifying() && self.config.notify_keyspace_events & NEW != 0;
        for db in &mut self.dbs {
            if on != db.fresh.is_some() {
                db.fresh = on.then(Vec::new);
            }
        }
    }

    /// Publishes the notifications for the feed's events from index
    /// `from` on, caused by the command line `argv` (`None`: the clock).
    /// A key the command added announces `new` before its first other
    /// event (before all of them for RENAME and MOVE, which add the
    /// destination before removing the source).
    ///
    /// Client-side caching's invalidations (tracking.rs) go out among the
    /// notifications where Redis signals the change: before a write's
    /// event (after its `new`); after a list pop's (and the `del` that
    /// follows it), an expiry's or an eviction's; between a sorted-set
    /// pop's and its `del`. `by` ran the command.
    pub(crate) fn notify_keyspace(
        &mut self,
        from: usize,
        argv: Option<&[Vec<u8>]>,
        by: Option<crate::engine::ClientId>,
    ) {
        let mut fresh: Vec<(usize, Vec<u8>)> = Vec::new();
        for db in &mut self.dbs {
            if let Some(log) = db.fresh.as_mut() {
                fresh.extend(log.drain(..).map(|k| (db.index, k)));
            }
        }
        if !self.events.capture || (self.events.events.len() <= from && fresh.is_empty()) {
            return;
        }
        let new: Vec<Event> = if self.events.is_on() {
            self.events.events[from..].to_vec()
        } else {
            self.events.events.split_off(from)
        };
        let mut out: Vec<(usize, Vec<u8>, u32, &'static str)> = Vec::new();
        let name = argv.map(|a| a[0].to_ascii_lowercase()).unwrap_or_default();
        if matches!(name.as_slice(), b"rename" | b"renamenx" | b"move") {
            out.extend(fresh.drain(..).map(|(db, key)| (db, key, NEW, "new")));
        }
        for ev in &new {
            for note in notes(ev, argv) {
                // A miss is looked up before the key is added.
                let found = (note.2 != KEY_MISS)
                    .then(|| fresh.iter().position(|(d, k)| *d == note.0 && *k == note.1))
                    .flatten();
                if let Some(i) = found {
                    let (db, key) = fresh.remove(i);
                    out.push((db, key, NEW, "new"));
                }
                out.push(note);
            }
        }
        out.extend(fresh.into_iter().map(|(db, key)| (db, key, NEW, "new")));
        let tracking = self.tracking.active();
        let flags = self.config.notify_keyspace_events;
        let mut i = 0;
        while i < out.len() {
            let (db, key) = (out[i].0, out[i].1.clone());
            let run = out[i..]
                .iter()
                .take_while(|n| n.0 == db && n.1 == key)
                .count();
            let lead = out[i..i + run]
                .iter()
                .take_while(|n| n.2 == NEW || n.2 == KEY_MISS)
                .count();
            let signal_at = match out.get(i + lead).filter(|_| lead < run) {
                None => None,
                // A sorted-set pop signals before the `del` that follows.
                Some(n) if matches!(n.3, "zpopmin" | "zpopmax") => Some(lead + 1),
                Some(n) if SIGNALLED_AFTER.contains(&n.3) => Some(run),
                Some(_) => Some(lead),
            };
            for j in 0..run {
                if tracking && signal_at == Some(j) {
                    self.invalidate_key(&key, by);
                    // RENAME signals both keys before announcing either.
                    if matches!(name.as_slice(), b"rename" | b"renamenx") {
                        if let Some(a) = argv {
                            self.invalidate_key(&a[1].clone(), by);
                            self.invalidate_key(&a[2].clone(), by);
                        }
                    }
                }
                let (_, _, class, event) = out[i + j];
                self.publish_note(flags, db, &key, class, event);
            }
            if tracking && signal_at == Some(run) {
                self.invalidate_key(&key, by);
            }
            i += run;
        }
        if !self.events.is_on() {
            self.events.events.clear();
        }
    }

    /// One notification, on the channels `flags` enable.
    fn publish_note(&mut self, flags: u32, db: usize, key: &[u8], class: u32, event: &str) {
        {
            if flags & class == 0 {
                return;
            }
            if flags & KEYSPACE != 0 {
                let mut channel = format!("__keyspace@{db}__:").into_bytes();
                channel.extend_from_slice(key);
                self.publish(&channel, event.as_bytes(), false);
            }
            if flags & KEYEVENT != 0 {
                let channel = format!("__keyevent@{db}__:{event}").into_bytes();
                self.publish(&channel, key, false);
            }
        }
    }
}

/// Events after which Redis signals the change (after the `del` that
/// may follow), rather than before: list pops, LTRIM, ZREM, SPOP,
/// and the removals it announces before signalling.
const SIGNALLED_AFTER: &[&str] = &[
    "lpop", "rpop", "ltrim", "zrem", "spop", "expired", "evicted",
];
