//! The change feed: what each command or clock step did, for the host to
//! draw. The engine appends; the host drains with `Engine::take_events`.

use crate::reply::Reply;
use crate::ClientId;

/// Why a key left the keyspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// A command deleted it (DEL, UNLINK, GETDEL, FLUSHDB, RENAME's source ...).
    Deleted,
    /// Found expired on access (Redis's `expireIfNeeded`).
    ExpiredLazy,
    /// Reclaimed by the sampled background cycle (`activeExpireCycle`).
    ExpiredActive,
    /// Evicted to get the used memory back under `maxmemory`
    /// (`performEvictions`), under this `maxmemory-policy` (its name as
    /// CONFIG GET spells it, e.g. `allkeys-lru`).
    Evicted { policy: &'static str },
}

impl Removal {
    pub fn label(self) -> &'static str {
        match self {
            Removal::Deleted => "deleted",
            Removal::ExpiredLazy => "expired (lazy)",
            Removal::ExpiredActive => "expired (active)",
            Removal::Evicted { .. } => "evicted",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A command created or changed a key (its value or its expiry).
    Written {
        db: usize,
        key: Vec<u8>,
        command: &'static str,
    },
    Removed {
        db: usize,
        key: Vec<u8>,
        cause: Removal,
    },
    /// A change to a stream's groups or last ID that Redis 7.0 announces
    /// (`xgroup-create`, `xgroup-createconsumer`, `xsetid` ...) without
    /// touching the key: it is notified but breaks no WATCH.
    StreamMeta {
        db: usize,
        key: Vec<u8>,
        event: &'static str,
    },
    /// Which entries a stream command added or removed (XADD, XDEL,
    /// XTRIM and XADD's trimming), beside its `Written`.
    StreamEntries {
        db: usize,
        key: Vec<u8>,
        command: &'static str,
        added: Vec<crate::types::stream::StreamId>,
        removed: Vec<crate::types::stream::StreamId>,
    },
    /// A command's read found no `key` (recorded only while keyspace
    /// notifications of class `m` are on: the `keymiss` event).
    KeyMiss {
        db: usize,
        key: Vec<u8>,
    },
    /// Every key of a database went at once (FLUSHDB, FLUSHALL).
    Flushed {
        db: usize,
    },
    /// The eviction pool as it stood when the key of the `Removed`
    /// event that follows was picked from it (LRU, LFU and TTL policies;
    /// the random ones pick without a pool and send none): Redis's 16
    /// best candidates so far from every sampling round, worst first,
    /// so the pick is the last live one.
    EvictionPool {
        policy: &'static str,
        candidates: Vec<Candidate>,
    },
    ClientConnected {
        id: ClientId,
    },
    ClientDisconnected {
        id: ClientId,
    },
    /// A client subscribed to a channel, a pattern or a shard channel (a
    /// repeated subscription records nothing).
    Subscribed {
        client: ClientId,
        kind: SubKind,
        name: Vec<u8>,
    },
    /// A client left a subscription: UNSUBSCRIBE and friends, RESET, or
    /// its disconnection.
    Unsubscribed {
        client: ClientId,
        kind: SubKind,
        name: Vec<u8>,
    },
    /// PUBLISH, SPUBLISH or a keyspace notification delivered `message`
    /// on `channel`: to `direct` (the channel's subscribers, in delivery
    /// order), then to `by_pattern` (each matching pattern and a client
    /// subscribed to it, in delivery order). Recorded even when nobody
    /// listens.
    Published {
        channel: Vec<u8>,
        message: Vec<u8>,
        /// SPUBLISH: a shard channel (no patterns).
        shard: bool,
        direct: Vec<ClientId>,
        by_pattern: Vec<(Vec<u8>, ClientId)>,
    },
    /// MULTI queued a command of `client` (it answered `QUEUED`).
    TxQueued {
        client: ClientId,
        argv: Vec<Vec<u8>>,
    },
    /// EXEC ran `client`'s queue; one reply per queued command, errors
    /// included (a failing command does not stop the others).
    TxExecuted {
        client: ClientId,
        replies: Vec<Reply>,
    },
    /// EXEC refused to run `client`'s queue, and why.
    TxAborted {
        client: ClientId,
        cause: TxAbort,
    },
    /// DISCARD dropped `client`'s queue.
    TxDiscarded {
        client: ClientId,
    },
    /// A key `client` WATCHes changed: its next EXEC will fail. `by` ran
    /// the command that changed it (`None`: the clock, by active expiry).
    WatchTouched {
        client: ClientId,
        db: usize,
        key: Vec<u8>,
        by: Option<ClientId>,
    },
    /// CLIENT SETNAME or HELLO SETNAME (`None`: the name was cleared,
    /// also by RESET).
    ClientNamed {
        id: ClientId,
        name: Option<Vec<u8>>,
    },
    /// CLIENT KILL closed `id`'s connection (a `ClientDisconnected`
    /// follows).
    ClientKilled {
        id: ClientId,
        by: ClientId,
    },
    /// A blocking command (BLPOP, BZPOPMIN ...) found nothing and its
    /// client now waits on `keys` of database `db`, from `since` until
    /// `until` (virtual ms; `None`: no timeout).
    ClientBlocked {
        id: ClientId,
        db: usize,
        keys: Vec<Vec<u8>>,
        command: &'static str,
        since: u64,
        until: Option<u64>,
    },
    /// A blocked client was served from `key`, which the command `by`
    /// made ready (created it); its reply is pushed to it.
    ClientWoken {
        id: ClientId,
        db: usize,
        key: Vec<u8>,
        by: &'static str,
    },
    /// A blocked client's timeout passed: it got a nil reply.
    ClientTimedOut {
        id: ClientId,
    },
    /// CLIENT UNBLOCK ended `id`'s wait (`error`: with the UNBLOCKED
    /// error, else the nil of a timeout).
    ClientUnblocked {
        id: ClientId,
        by: ClientId,
        error: bool,
    },
    /// CLIENT PAUSE: commands (`all`, or only writes) wait until the clock
    /// passes `until` (virtual ms; a second pause keeps the later end).
    ClientPaused {
        by: ClientId,
        until: u64,
        all: bool,
    },
    /// The pause ended: CLIENT UNPAUSE by `by`, or the clock (`None`).
    /// The held clients' commands run next.
    ClientUnpaused {
        by: Option<ClientId>,
    },
    /// A key `client` tracks (CLIENT TRACKING) changed: `keys` (`None`:
    /// FLUSHDB/FLUSHALL). `delivered_to` the redirect client that got the
    /// `__redis__:invalidate` message (`None`: no redirect, the redirect
    /// client is gone or not subscribed, so nothing was sent).
    Invalidated {
        client: ClientId,
        keys: Option<Vec<Vec<u8>>>,
        delivered_to: Option<ClientId>,
    },
    /// The pause holds `id`'s `command` (it runs when the pause ends).
    ClientHeld {
        id: ClientId,
        command: &'static str,
    },
}

/// What a subscription names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubKind {
    /// SUBSCRIBE: one channel by name.
    Channel,
    /// PSUBSCRIBE: every channel a glob pattern matches.
    Pattern,
    /// SSUBSCRIBE: a shard channel (SPUBLISH only).
    Shard,
}

/// One key in the eviction pool, with the score it was sampled with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub db: usize,
    pub key: Vec<u8>,
    pub score: Score,
}

/// Why a key is a candidate: the figure its policy ranks by, as it stood
/// when the key was sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    /// ms since the last access (LRU: the longer, the better a candidate).
    Idle(u64),
    /// The LFU counter after decay (LFU: the lower, the better).
    Freq(u8),
    /// The absolute expiry time in virtual ms (TTL: the sooner, the better).
    ExpiresAt(u64),
}

/// Why EXEC did not run a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxAbort {
    /// A command was refused while queueing (unknown, wrong arity):
    /// `EXECABORT`.
    Errors,
    /// A watched key changed: `by` ran the command (`None`: active expiry).
    Watch {
        db: usize,
        key: Vec<u8>,
        by: Option<ClientId>,
    },
    /// A watched key, live when watched, was past its expiry at EXEC.
    Expired { db: usize, key: Vec<u8> },
}

/// Where events collect until the host drains them. Off, it records
/// nothing and costs nothing (the repl and the benchmarks keep it off).
#[derive(Clone, Debug)]
pub struct Feed {
    on: bool,
    /// Records even while off, for keyspace notifications (`notify.rs`),
    /// which read what a command did from its events and then drop them
    /// if the feed is off.
    pub(crate) capture: bool,
    pub(crate) events: Vec<Event>,
    /// The running command's read lookups record `KeyMiss` (while
    /// notifications of class `m` are on; notify.rs).
    pub(crate) misses: bool,
    /// While some client WATCHes a key (tx.rs), the `(db, key)` of every
    /// write and removal, on or off, for the engine to settle.
    touched: Option<Vec<(usize, Vec<u8>)>>,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed {
            on: true,
            capture: false,
            misses: false,
            events: Vec::new(),
            touched: None,
        }
    }
}

impl Feed {
    pub fn push(&mut self, event: Event) {
        if let Some(touched) = &mut self.touched {
            match &event {
                Event::Written { db, key, .. } | Event::Removed { db, key, .. } => {
                    touched.push((*db, key.clone()))
                }
                _ => {}
            }
        }
        if self.on || self.capture {
            self.events.push(event);
        }
    }

    /// Builds the event only when the feed is on or keys are watched
    /// (saves copying keys).
    pub fn record(&mut self, event: impl FnOnce() -> Event) {
        if self.on || self.capture || self.touched.is_some() {
            self.push(event());
        }
    }

    /// Starts or stops noting changed keys for WATCH (tx.rs).
    pub(crate) fn watching(&mut self, on: bool) {
        if on != self.touched.is_some() {
            self.touched = on.then(Vec::new);
        }
    }

    /// The keys changed since the last call (empty when none is watched).
    pub(crate) fn take_touched(&mut self) -> Vec<(usize, Vec<u8>)> {
        self.touched
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    pub fn set_on(&mut self, on: bool) {
        self.on = on;
        if !on {
            self.events.clear();
        }
    }

    pub fn is_on(&self) -> bool {
        self.on
    }

    pub fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
