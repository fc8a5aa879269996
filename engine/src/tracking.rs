//! Client-side caching (CLIENT TRACKING, Redis's `tracking.c`), as a
//! RESP2 server does it.
//!
//! Redis's rules, kept here:
//! - A tracking client (default mode) has the keys of every read-only
//!   command it runs remembered, in one table by key name (no database),
//!   whether or not they exist. OPTIN remembers only after CLIENT CACHING
//!   YES, OPTOUT skips after CLIENT CACHING NO; CACHING holds for the next
//!   command (a whole MULTI ... EXEC; CLIENT commands keep it).
//! - A change to a key (what breaks a WATCH: writes, deletions, expiry,
//!   eviction) invalidates it: every client that remembered it and still
//!   tracks (not in BCAST mode) is told once, and the key is forgotten.
//!   NOLOOP skips changes the client made itself.
//! - BCAST clients get every changed key that starts with one of their
//!   prefixes (`""` without PREFIX): after the command, one message per
//!   prefix with its keys in byte order (NOLOOP leaves out the client's
//!   own).
//! - FLUSHDB and FLUSHALL tell every tracking client with a null and
//!   forget every remembered key.
//! - In RESP2 a message goes only through REDIRECT, to a client in
//!   subscribed mode, as a pub/sub message on `__redis__:invalidate`
//!   whose payload is an array of keys (nil for a flush). A redirect
//!   client that has gone marks the tracking client's redirect broken
//!   (flag `R`, `broken_redirect`); without REDIRECT nothing is sent.
//! - Clients are visited in the order of their ids' little-endian bytes
//!   (Redis's radix trees of 8-byte ids).

use rustc_hash::FxHashMap;

use crate::engine::{ClientId, Engine};
use crate::event::Event;
use crate::idmap::VecMap;
use crate::reply::Reply;

/// Redis's tracking channel in RESP2.
pub const CHANNEL: &[u8] = b"__redis__:invalidate";

/// One client's CLIENT TRACKING settings (`None` in its session: off).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// REDIRECT's client id; 0 without.
    pub redirect: u64,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    /// CLIENT CACHING given for the next command.
    pub caching: bool,
    /// The redirect client had gone when a message was due.
    pub broken: bool,
    /// BCAST prefixes, in byte order (a set: few, and a `BTreeSet` type
    /// costs KBs of wasm).
    pub prefixes: VecMap<Vec<u8>, ()>,
}

/// The engine-wide tables.
#[derive(Clone, Debug, Default)]
pub struct Tracking {
    /// Key -> the clients that read it (Redis's `TrackingTable`), in the
    /// order of their ids' little-endian bytes (`add_client`). Never
    /// walked in key order: a hash map of pub/sub's type (`Keyed`), as a
    /// `BTreeMap` type costs KBs of wasm.
    table: Keyed,
    /// BCAST prefix -> its clients and the keys changed since the last
    /// broadcast, each with the client that changed it last (few prefixes:
    /// a sorted `VecMap`).
    prefixes: VecMap<Vec<u8>, Prefix>,
    /// Clients with tracking on (INFO's `tracking_clients`).
    pub clients: usize,
}

#[derive(Clone, Debug, Default)]
struct Prefix {
    clients: VecMap<[u8; 8], ()>,
    /// Key changed since the last broadcast -> the client that changed it
    /// last (none: the clock); sorted by key when sent.
    keys: Keyed,
}

/// Byte string -> clients: pub/sub's channel map type, shared so that
/// its hash table code is in the wasm once.
type Keyed = FxHashMap<Vec<u8>, Vec<ClientId>>;

/// Adds `id` to clients kept in the order of their ids' little-endian
/// bytes (Redis's radix tree of 8-byte ids), once.
fn add_client(ids: &mut Vec<ClientId>, id: ClientId) {
    if let Err(i) = ids.binary_search_by_key(&id.0.to_le_bytes(), |c| c.0.to_le_bytes()) {
        ids.insert(i, id);
    }
}

fn id_of(bytes: &[u8; 8]) -> ClientId {
    ClientId(u64::from_le_bytes(*bytes))
}

impl Tracking {
    /// True if changed keys must be collected for it.
    pub(crate) fn active(&self) -> bool {
        !self.table.is_empty() || !self.prefixes.is_empty()
    }
}

impl Engine {
    fn tracking_of(&self, client: ClientId) -> Option<&Settings> {
        self.clients.get(&client)?.session.tracking.as_ref()
    }

    /// Keeps the feed collecting changed keys while WATCH or tracking
    /// needs them.
    pub(crate) fn collect_touched(&mut self) {
        let on = !self.watches.is_empty() || self.tracking.active();
        self.events.watching(on);
    }

    /// CLIENT TRACKING ON (options checked by the caller).
    pub(crate) fn enable_tracking(&mut self, client: ClientId, new: Settings) {
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        let old = c.session.tracking.take();
        if old.is_none() {
            self.tracking.clients += 1;
        }
        // Turning it on again keeps a pending CLIENT CACHING.
        let caching = old.as_ref().is_some_and(|o| o.caching);
        let mut prefixes = old.map(|o| o.prefixes).unwrap_or_default();
        if new.bcast {
            if new.prefixes.is_empty() {
                prefixes.insert(Vec::new(), ());
            }
            for p in new.prefixes.keys() {
                prefixes.insert(p.clone(), ());
            }
            for p in prefixes.keys() {
                self.tracking
                    .prefixes
                    .entry_or_default(p.clone())
                    .clients
                    .insert(client.0.to_le_bytes(), ());
            }
        }
        c.session.tracking = Some(Settings {
            prefixes,
            caching,
            ..new
        });
        self.collect_touched();
    }

    /// CLIENT TRACKING OFF, RESET, a disconnection. Keys it remembered stay
    /// in the table (Redis skips clients no longer tracking).
    pub(crate) fn disable_tracking(&mut self, client: ClientId) {
        let Some(old) = self
            .clients
            .get_mut(&client)
            .and_then(|c| c.session.tracking.take())
        else {
            return;
        };
        self.tracking.clients -= 1;
        for p in old.prefixes.keys() {
            if let Some(prefix) = self.tracking.prefixes.get_mut(p) {
                prefix.clients.remove(&client.0.to_le_bytes());
                if prefix.clients.is_empty() {
                    self.tracking.prefixes.remove(p);
                }
            }
        }
        self.collect_touched();
    }

    /// After a read-only command of `client`: remembers the keys it named
    /// (Redis's `trackingRememberKeys`).
    pub(crate) fn remember_keys(&mut self, client: ClientId, argv: &[Vec<u8>]) {
        let Some(t) = self.tracking_of(client) else {
            return;
        };
        if t.bcast || (t.optin && !t.caching) || (t.optout && t.caching) {
            return;
        }
        for pos in crate::commands::introspect::getkeys::key_positions(argv) {
            let ids = self.tracking.table.entry(argv[pos].clone()).or_default();
            add_client(ids, client);
        }
        self.collect_touched();
    }

    /// CLIENT CACHING holds for one command (or one transaction); CLIENT
    /// commands keep it.
    pub(crate) fn caching_done(&mut self, client: ClientId, sent: crate::commands::clients::Sent) {
        if self.tracking.clients == 0 {
            return;
        }
        let Some(c) = self.clients.get_mut(&client) else {
            return;
        };
        if c.session.multi.is_some() || sent.client {
            return;
        }
        if let Some(t) = c.session.tracking.as_mut() {
            t.caching = false;
        }
    }

    /// The keys `by` (`None`: the clock) changed: tells the clients that
    /// remembered them, and notes them for BCAST clients.
    pub(crate) fn invalidate(&mut self, touched: &[(usize, Vec<u8>)], by: Option<ClientId>) {
        if !self.tracking.active() {
            return;
        }
        for (_, key) in touched {
            self.invalidate_key(key, by);
        }
        self.collect_touched();
    }

    /// One changed key (Redis's `trackingInvalidateKey`): noted for BCAST
    /// prefixes, and told to the clients that remembered it, once.
    pub(crate) fn invalidate_key(&mut self, key: &[u8], by: Option<ClientId>) {
        for prefix in self.tracking.prefixes.iter_mut() {
            if key.starts_with(prefix.0) {
                prefix.1.keys.insert(key.to_vec(), by.into_iter().collect());
            }
        }
        let Some(ids) = self.tracking.table.remove(key) else {
            return;
        };
        for id in ids {
            let Some(t) = self.tracking_of(id) else {
                continue;
            };
            if t.bcast || (t.noloop && Some(id) == by) {
                continue;
            }
            self.send_invalidation(id, Some(vec![key.to_vec()]));
        }
    }

    /// After a command or a clock step: one message per BCAST prefix with
    /// the keys changed under it (Redis's `trackingBroadcastInvalidationMessages`).
    pub(crate) fn broadcast_invalidations(&mut self) {
        if self.tracking.prefixes.values().all(|p| p.keys.is_empty()) {
            return;
        }
        let mut due = Vec::new();
        for prefix in self.tracking.prefixes.values_mut() {
            if prefix.keys.is_empty() {
                continue;
            }
            let keys = std::mem::take(&mut prefix.keys);
            for id in prefix.clients.keys().map(id_of) {
                due.push((id, keys.clone()));
            }
        }
        for (id, keys) in due {
            let noloop = self.tracking_of(id).is_some_and(|t| t.noloop);
            let mut list: Vec<&[u8]> = keys
                .iter()
                .filter(|(_, by)| !(noloop && by.contains(&id)))
                .map(|(k, _)| k.as_slice())
                .collect();
            crate::order::sort_bytes(&mut list);
            let list: Vec<Vec<u8>> = list.into_iter().map(<[u8]>::to_vec).collect();
            if !list.is_empty() {
                self.send_invalidation(id, Some(list));
            }
        }
    }

    /// FLUSHDB / FLUSHALL: a null to every tracking client, and the table
    /// forgets every key.
    pub(crate) fn invalidate_all(&mut self) {
        if self.tracking.clients == 0 {
            self.tracking.table.clear();
            return;
        }
        let ids: Vec<ClientId> = self
            .clients
            .values()
            .filter(|c| c.session.tracking.is_some())
            .map(|c| c.id)
            .collect();
        for id in ids {
            self.send_invalidation(id, None);
        }
        self.tracking.table.clear();
        self.collect_touched();
    }

    /// Sends one invalidation for `client` (Redis's `sendTrackingMessage`):
    /// to its redirect client if that is subscribed; `keys` `None` is a
    /// flush's null.
    fn send_invalidation(&mut self, client: ClientId, keys: Option<Vec<Vec<u8>>>) {
        let Some(redirect) = self.tracking_of(client).map(|t| t.redirect) else {
            return;
        };
        let to = ClientId(redirect);
        let mut delivered = None;
        if redirect != 0 && !self.clients.contains_key(&to) {
            if let Some(t) = self
                .clients
                .get_mut(&client)
                .and_then(|c| c.session.tracking.as_mut())
            {
                t.broken = true;
            }
        } else if redirect != 0 && self.pubsub.is_subscribed(to) {
            let payload = match &keys {
                Some(keys) => Reply::Array(keys.iter().cloned().map(Reply::Bulk).collect()),
                None => Reply::Nil,
            };
            self.pushed.push((
                to,
                Reply::Array(vec![
                    Reply::bulk("message"),
                    Reply::Bulk(CHANNEL.to_vec()),
                    payload,
                ]),
            ));
            delivered = Some(to);
        }
        self.events.record(|| Event::Invalidated {
            client,
            keys,
            delivered_to: delivered,
        });
    }
}
