//! CLIENT PAUSE on the virtual clock (Redis's `pauseClients` and the
//! `BLOCKED_POSTPONE` clients of `processCommand`).
//!
//! Redis's rules, kept here:
//! - While a pause lasts (until the clock passes its end, or CLIENT
//!   UNPAUSE), a command that Redis holds waits like a blocked client:
//!   every command under `ALL`, and under `WRITE` those flagged `write` or
//!   may-replicate (PUBLISH, SPUBLISH, PFCOUNT ...; EXEC when its queue
//!   holds one). The check comes after the table lookup, arity, maxmemory
//!   and the subscribed-mode gate, and before MULTI's queue: inside MULTI
//!   a write waits rather than answering QUEUED. Nothing is held inside
//!   EXEC.
//! - A held client is blocked: CLIENT LIST shows `b` and the held command
//!   as `cmd`, INFO counts it in `blocked_clients`, and its further
//!   commands wait behind it.
//! - When the pause ends the held clients run, in the order they were
//!   held, each its held command then what it sent meanwhile.
//! - A second pause keeps the later end and takes the new mode (a WRITE
//!   pause after an ALL one releases the clients it would not hold).
//! - While paused the data set stays constant: the active expiry cycle
//!   does not run, a lookup of a key past its time answers as if it were
//!   gone but leaves it in place, and eviction does not run, nor refuse
//!   anything: over maxmemory a write waits for the pause's end like any
//!   other (then evicts, or is refused with OOM).
//!
//! CLIENT UNBLOCK of a held client answers 0: redis-server 7.0.15 crashes
//! on it (`Unknown btype in replyToBlockedClientTimedOut()`), later
//! versions refuse it.

use crate::commands::Spec;
use crate::engine::{ClientId, Engine};
use crate::event::Event;

/// The current pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    /// The pause lasts while the clock reads at most this (virtual ms).
    pub until: u64,
    /// ALL (every command) rather than WRITE.
    pub all: bool,
}

/// Commands Redis 7.0 flags `CMD_MAY_REPLICATE` (not shown by COMMAND
/// INFO): held by a WRITE pause although they are not writes.
const MAY_REPLICATE: &[&str] = &[
    "publish",
    "spublish",
    "pfcount",
    "eval",
    "evalsha",
    "fcall",
    "script|flush",
    "script|load",
];

/// True if a WRITE pause holds this command.
fn writes(spec: &Spec) -> bool {
    spec.flags & crate::commands::packed::WRITE != 0 || MAY_REPLICATE.contains(&spec.name)
}

impl Engine {
    /// The current pause, if one lasts.
    pub fn pause(&self) -> Option<Pause> {
        self.pause.filter(|p| self.now <= p.until)
    }

    /// True while a pause keeps the data set constant (no expiry, no
    /// eviction).
    pub(crate) fn paused(&self) -> bool {
        self.pause().is_some()
    }

    /// CLIENT PAUSE: `timeout` ms from now (a time past the clock's range
    /// is already over, as Redis's overflowing sum is), in `all` or WRITE
    /// mode.
    pub(crate) fn start_pause(&mut self, by: ClientId, timeout: u64, all: bool) {
        let Some(end) = self
            .now
            .checked_add(timeout)
            .filter(|&t| t <= i64::MAX as u64)
        else {
            return;
        };
        let until = match self.pause() {
            Some(p) => p.until.max(end),
            None => end,
        };
        let lowered = self.pause().is_some_and(|p| p.all && !all);
        self.pause = Some(Pause { until, all });
        self.set_dbs_paused(true);
        self.events.push(Event::ClientPaused { by, until, all });
        if lowered {
            self.release_held(); // WRITE pause: reads go on
        }
    }

    /// CLIENT UNPAUSE (`by`), or the clock past the pause's end (`None`).
    pub(crate) fn end_pause(&mut self, by: Option<ClientId>) {
        if self.pause.take().is_none() {
            return;
        }
        self.set_dbs_paused(false);
        self.events.push(Event::ClientUnpaused { by });
        self.release_held();
    }

    fn set_dbs_paused(&mut self, on: bool) {
        for db in &mut self.dbs {
            db.paused = on;
        }
    }

    /// True if the pause holds `spec` from `client` now (dispatch asks,
    /// after the refusals and before MULTI's queue).
    pub(crate) fn pause_holds(&self, client: ClientId, spec: &Spec) -> bool {
        let Some(p) = self.pause() else {
            return false;
        };
        let Some(c) = self.clients.get(&client) else {
            return false;
        };
        if c.session.in_exec {
            return false;
        }
        if p.all || writes(spec) {
            return true;
        }
        // EXEC waits if its queue holds a write.
        spec.name == "exec"
            && c.session.multi.iter().flatten().any(|argv| {
                let (s, _) = crate::commands::check(argv);
                s.is_some_and(writes)
            })
    }

    /// Moves the clock to `target`, ending the pause on the way (at the
    /// first ms past its end) so held commands run then.
    pub(crate) fn advance_through_pause(&mut self, target: u64) {
        while let Some(p) = self.pause {
            let release = p.until.saturating_add(1);
            if release > target {
                break;
            }
            if release > self.now {
                self.advance_clock(release - self.now);
            }
            self.end_pause(None);
            self.run_unblocked();
        }
        if target > self.now {
            self.advance_clock(target - self.now);
        }
    }
}
