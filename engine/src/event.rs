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
}
