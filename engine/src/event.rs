//! The change feed: what each command or clock step did, for the host to
//! draw. The engine appends; the host drains with `Engine::take_events`.

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
}

/// Where events collect until the host drains them. Off, it records
/// nothing and costs nothing (the repl and the benchmarks keep it off).
#[derive(Clone, Debug)]
pub struct Feed {
    on: bool,
    events: Vec<Event>,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed {
            on: true,
            events: Vec::new(),
        }
    }
}

impl Feed {
    pub fn push(&mut self, event: Event) {
        if self.on {
            self.events.push(event);
        }
    }

    /// Builds the event only when the feed is on (saves copying keys).
    pub fn record(&mut self, event: impl FnOnce() -> Event) {
        if self.on {
            self.events.push(event());
        }
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
