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
}

impl Removal {
    pub fn label(self) -> &'static str {
        match self {
            Removal::Deleted => "deleted",
            Removal::ExpiredLazy => "expired (lazy)",
            Removal::ExpiredActive => "expired (active)",
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
    /// Every key of a database went at once (FLUSHDB, FLUSHALL).
    Flushed {
        db: usize,
    },
    ClientConnected {
        id: ClientId,
    },
    ClientDisconnected {
        id: ClientId,
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
    events: Vec<Event>,
    /// While some client WATCHes a key (tx.rs), the `(db, key)` of every
    /// write and removal, on or off, for the engine to settle.
    touched: Option<Vec<(usize, Vec<u8>)>>,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed {
            on: true,
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
        if self.on {
            self.events.push(event);
        }
    }

    /// Builds the event only when the feed is on or keys are watched
    /// (saves copying keys).
    pub fn record(&mut self, event: impl FnOnce() -> Event) {
        if self.on || self.touched.is_some() {
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

    pub fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
