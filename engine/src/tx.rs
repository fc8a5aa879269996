//! Connection state for transactions and the CLIENT family: each client's
//! MULTI queue and WATCHed keys ([`Session`], one per `Client`), and the
//! engine-wide index of watched keys ([`Watches`]) that decides which
//! transactions a change breaks (Redis's `multi.c`).
//!
//! How a change reaches the watches: every write, deletion and expiry
//! already goes through the change feed (`Keyspace::written`, `delete`,
//! `Db::expire_if_needed`, the active cycle). While any key is watched,
//! the feed also notes the `(db, key)` of each such event, whether or not
//! the host listens ([`Feed::touched`]); the engine settles those notes
//! against the watches after every command and clock step
//! ([`settle`]). FLUSHDB, FLUSHALL and SWAPDB touch whole databases and
//! call [`touch_db`] before they empty or swap them.

use rustc_hash::FxHashMap as HashMap;

use crate::engine::{ClientId, Engine};
use crate::event::{Event, TxAbort};
use crate::reply::Reply;

/// One connection's state beyond its name and database.
#[derive(Clone, Debug, Default)]
pub struct Session {
    /// The commands queued since MULTI; `None` outside a transaction.
    pub multi: Option<Vec<Vec<Vec<u8>>>>,
    /// A command was refused while queueing (Redis's `CLIENT_DIRTY_EXEC`):
    /// EXEC answers EXECABORT.
    pub dirty_exec: bool,
    /// A watched key changed (Redis's `CLIENT_DIRTY_CAS`): EXEC answers a
    /// null array. The touch that broke it, for the feed.
    pub broken: Option<TxAbort>,
    /// The keys this client watches.
    pub watched: Vec<Watched>,
    /// True while EXEC runs this client's queue (a blocking command then
    /// must not block).
    pub in_exec: bool,
    /// The last command's full name as CLIENT LIST shows it
    /// (`client|list`), `None` before any or after an unknown one.
    pub last_cmd: Option<&'static str>,
    /// Virtual ms of the last command (CLIENT LIST's `idle`).
    pub last_active: u64,
    /// QUIT, or CLIENT KILL of itself: the connection closes once the
    /// reply is out.
    pub close_after_reply: bool,
    /// CLIENT NO-EVICT on (the `e` flag).
    pub no_evict: bool,
    /// CLIENT TRACKING's settings; `None`: off (tracking.rs).
    pub tracking: Option<crate::tracking::Settings>,
    /// CLIENT REPLY OFF: no replies until CLIENT REPLY ON.
    pub reply_off: bool,
    /// CLIENT REPLY SKIP: the next command's reply is dropped.
    pub skip_next: bool,
    /// The running (or blocked) command's reply is dropped (SKIP).
    pub skipping: bool,
    /// This command sends no reply at all (CLIENT REPLY OFF, SKIP).
    pub silent: bool,
}

impl Session {
    /// The MULTI queue's length as CLIENT LIST's `multi=` shows it, -1
    /// outside a transaction.
    pub fn multi_len(&self) -> i64 {
        self.multi.as_ref().map_or(-1, |q| q.len() as i64)
    }
}

/// One watched key of one client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Watched {
    pub db: usize,
    pub key: Vec<u8>,
    /// The key was in the table but past its expiry when WATCHed (Redis
    /// 7.0's `watchedKey.expired`): its later removal is no change.
    pub expired: bool,
}

/// Which clients watch each key.
#[derive(Clone, Debug, Default)]
pub struct Watches {
    by_key: HashMap<(usize, Vec<u8>), Vec<ClientId>>,
}

impl Watches {
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The clients watching `key` in `db`.
    pub fn watchers(&self, db: usize, key: &[u8]) -> Vec<ClientId> {
        self.by_key
            .get(&(db, key.to_vec()))
            .cloned()
            .unwrap_or_default()
    }
}

/// True while `client` is between MULTI and EXEC/DISCARD.
pub fn in_multi(e: &Engine, client: ClientId) -> bool {
    e.clients
        .get(&client)
        .is_some_and(|c| c.session.multi.is_some())
}

/// True while EXEC runs `client`'s queue.
pub fn in_exec(e: &Engine, client: ClientId) -> bool {
    e.clients.get(&client).is_some_and(|c| c.session.in_exec)
}

/// WATCH one key (Redis's `watchForKey`): a key watched twice counts once.
pub fn watch(e: &mut Engine, client: ClientId, db: usize, key: &[u8]) {
    let now = e.now;
    let expired = e.dbs[db].peek(key).is_some() && !e.dbs[db].is_live(key, now);
    let Some(c) = e.clients.get_mut(&client) else {
        return;
    };
    if c.session.watched.iter().any(|w| w.db == db && w.key == key) {
        return;
    }
    c.session.watched.push(Watched {
        db,
        key: key.to_vec(),
        expired,
    });
    e.watches
        .by_key
        .entry((db, key.to_vec()))
        .or_default()
        .push(client);
    e.events.watching(true);
}

/// Forgets every key `client` watches (UNWATCH, EXEC, DISCARD, a touch).
pub fn unwatch_all(e: &mut Engine, client: ClientId) {
    let Some(c) = e.clients.get_mut(&client) else {
        return;
    };
    for w in std::mem::take(&mut c.session.watched) {
        let slot = (w.db, w.key);
        if let Some(list) = e.watches.by_key.get_mut(&slot) {
            list.retain(|&id| id != client);
            if list.is_empty() {
                e.watches.by_key.remove(&slot);
            }
        }
    }
    e.collect_touched(); // still needed by client-side caching?
}

/// Ends a transaction (Redis's `discardTransaction`): the queue and the
/// flags go, and so do the watches.
pub fn discard(e: &mut Engine, client: ClientId) {
    if let Some(c) = e.clients.get_mut(&client) {
        c.session.multi = None;
        c.session.dirty_exec = false;
        c.session.broken = None;
    }
    unwatch_all(e, client);
}

/// A client leaves: its watches go with it.
pub fn forget(e: &mut Engine, client: ClientId) {
    unwatch_all(e, client);
}

/// Redis's `touchWatchedKey`: every client watching `key` in `db` is
/// flagged dirty and stops watching, except one that watched the key
/// already expired and now sees it removed (no logical change: the flag
/// clears instead). `by` ran the command that changed it, `None` for the
/// clock (active expiry).
fn touch(e: &mut Engine, db: usize, key: &[u8], by: Option<ClientId>, present: bool) {
    for client in e.watches.watchers(db, key) {
        let Some(c) = e.clients.get_mut(&client) else {
            continue;
        };
        if let Some(w) = c
            .session
            .watched
            .iter_mut()
            .find(|w| w.db == db && w.key == key)
        {
            if w.expired && !present {
                w.expired = false;
                continue;
            }
        }
        c.session.broken = Some(TxAbort::Watch {
            db,
            key: key.to_vec(),
            by,
        });
        unwatch_all(e, client);
        e.events.push(Event::WatchTouched {
            client,
            db,
            key: key.to_vec(),
            by,
        });
    }
}

/// Settles the keys changed since the last call against the watches;
/// `by` is the client whose command ran, `None` after a clock step.
pub fn settle(e: &mut Engine, by: Option<ClientId>) {
    let touched = e.events.take_touched();
    e.invalidate(&touched, by); // client-side caching (tracking.rs)
    for (db, key) in touched {
        if e.watches.is_empty() {
            break;
        }
        let present = e.dbs[db].peek(&key).is_some();
        touch(e, db, &key, by, present);
    }
}

/// Redis's `touchAllWatchedKeysInDb`, before FLUSHDB/FLUSHALL empty `db`
/// or SWAPDB swaps it with `other`: a watched key of `db` that is in its
/// table (or in `other`'s) changes.
pub fn touch_db(e: &mut Engine, by: ClientId, db: usize, other: Option<usize>) {
    settle(e, Some(by));
    let keys: Vec<Vec<u8>> = e
        .watches
        .by_key
        .keys()
        .filter(|(d, _)| *d == db)
        .map(|(_, k)| k.clone())
        .collect();
    for key in keys {
        let in_other = other.is_some_and(|o| e.dbs[o].peek(&key).is_some());
        if e.dbs[db].peek(&key).is_some() || in_other {
            touch(e, db, &key, Some(by), in_other);
        }
    }
}

/// Redis's `isWatchedKeyExpired` at EXEC: a key live when watched that is
/// past its expiry now breaks the transaction, even if nothing removed it.
pub fn watched_key_expired(e: &Engine, client: ClientId) -> Option<TxAbort> {
    let c = e.clients.get(&client)?;
    c.session
        .watched
        .iter()
        .filter(|w| !w.expired)
        .find(|w| e.dbs[w.db].peek(&w.key).is_some() && !e.dbs[w.db].is_live(&w.key, e.now))
        .map(|w| TxAbort::Expired {
            db: w.db,
            key: w.key.clone(),
        })
}

/// The reply and event EXEC gives a transaction it will not run.
pub fn abort_reply(cause: &TxAbort) -> Reply {
    match cause {
        TxAbort::Errors => {
            Reply::error("EXECABORT Transaction discarded because of previous errors.")
        }
        _ => Reply::NilArray,
    }
}

/// After each command of `client`: settles the keys it changed, and
/// closes its connection if QUIT or CLIENT KILL asked for it.
pub fn after_command(e: &mut Engine, client: ClientId) {
    settle(e, Some(client));
    if e.clients
        .get(&client)
        .is_some_and(|c| c.session.close_after_reply)
    {
        e.disconnect(client);
    }
}

/// Commands Redis runs at once inside MULTI instead of queueing them.
const NOT_QUEUED: &[&str] = &["discard", "exec", "multi", "quit", "reset", "watch"];

/// Dispatch's hook, after table lookup and arity (`checked`), before the
/// handler (Redis's `processCommand`): records the command for CLIENT
/// LIST's `cmd`; inside MULTI a refused command flags the transaction
/// (EXEC will answer EXECABORT) and any other command but EXEC, DISCARD,
/// MULTI, WATCH, QUIT and RESET is queued and answers `QUEUED`. `Some` is
/// the reply when the handler must not run.
pub fn on_dispatch(
    e: &mut Engine,
    call: &crate::commands::Call,
    spec: Option<&'static crate::commands::Spec>,
    checked: &Result<crate::commands::Handler, Reply>,
) -> Option<Reply> {
    let c = e.clients.get_mut(&call.client)?;
    if c.session.in_exec {
        return None;
    }
    c.session.last_cmd = spec.map(|s| s.name);
    c.session.last_active = e.now;
    // A refused EXEC ends the transaction, in or out of MULTI (Redis's
    // `rejectCommand` -> `execCommandAbort`).
    if let (Some(s), Err(Reply::Error(text))) = (spec, checked) {
        if s.name == "exec" {
            let client = call.client;
            discard(e, client);
            e.events.push(Event::TxAborted {
                client,
                cause: TxAbort::Errors,
            });
            let text = text.strip_prefix("ERR ").unwrap_or(text);
            return Some(Reply::Error(format!(
                "EXECABORT Transaction discarded because of: {text}"
            )));
        }
    }
    let queue = c.session.multi.as_mut()?;
    match checked {
        Err(reply) => {
            c.session.dirty_exec = true;
            Some(reply.clone())
        }
        Ok(_) if spec.is_some_and(|s| NOT_QUEUED.contains(&s.name)) => None,
        Ok(_) => {
            // A doomed transaction keeps nothing (Redis's `queueMultiCommand`).
            if !c.session.dirty_exec && c.session.broken.is_none() {
                queue.push(call.argv.clone());
            }
            let client = call.client;
            e.events.record(|| Event::TxQueued {
                client,
                argv: call.argv.clone(),
            });
            Some(Reply::Status("QUEUED".into()))
        }
    }
}
