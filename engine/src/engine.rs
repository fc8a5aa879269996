//! The engine: sixteen databases, the clients, the virtual clock, and the
//! dispatch of one command at a time.

use crate::commands::{self, Call};
use crate::config::Config;
use crate::db::{Db, Lfu};
use crate::event::{Event, Feed};
use crate::reply::Reply;
use crate::rng::Rng;

/// How many databases SELECT can reach, as Redis's default `databases 16`.
pub const DATABASES: usize = 16;

/// Redis runs its cron (and so the active expiry cycle) `hz` times a
/// second: 10 by default (CONFIG SET hz changes it), so first after this.
const CYCLE_MS: u64 = 100;
/// A long jump of the clock runs at most this many cycles, the last ones.
const MAX_CYCLES_PER_ADVANCE: u64 = 1000;

/// One connection's identity, as CLIENT ID reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub u64);

#[derive(Clone, Debug)]
pub struct Client {
    pub id: ClientId,
    pub name: Option<Vec<u8>>,
    /// The database SELECT chose.
    pub db: usize,
    pub created_at: u64,
    /// MULTI queue, WATCHed keys, what CLIENT LIST shows (tx.rs).
    pub session: crate::tx::Session,
}

/// What the key list shows for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    pub key: Vec<u8>,
    pub type_name: &'static str,
    /// Absolute expiry time in virtual ms.
    pub expire_at: Option<u64>,
}

#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) dbs: Vec<Db>,
    pub(crate) clients: crate::idmap::IdMap<Client>,
    next_client_id: u64,
    /// Virtual time in ms since the Unix epoch. Read once per command.
    pub(crate) now: u64,
    next_cycle_at: u64,
    pub(crate) rng: Rng,
    pub(crate) events: Feed,
    /// Replies for clients other than the caller (pub/sub messages,
    /// woken blocking commands), in delivery order.
    pub(crate) pushed: Vec<(ClientId, Reply)>,
    /// Time a command asked to pass once it has replied (DEBUG SLEEP).
    pub(crate) sleep_after: u64,
    /// What CONFIG SET changed; read by the families (encoding limits).
    pub(crate) config: Config,
    /// The clock when the engine started (INFO's uptime).
    pub(crate) started: u64,
    /// Pub/sub subscriptions of every client (`pubsub.rs`).
    pub(crate) pubsub: crate::pubsub::PubSub,
    /// maxmemory's eviction pool and counters (`evict.rs`).
    pub(crate) evict: crate::evict::Evictor,
    /// Which clients WATCH which keys (tx.rs).
    pub(crate) watches: crate::tx::Watches,
    /// Blocked clients (BLPOP ...): blocking.rs.
    pub(crate) blocking: crate::blocking::Blocking,
    /// CLIENT PAUSE (pause.rs); may have ended if the clock passed it.
    pub(crate) pause: Option<crate::pause::Pause>,
    /// Client-side caching's tables (tracking.rs).
    pub(crate) tracking: crate::tracking::Tracking,
}

impl Engine {
    /// An empty engine whose virtual clock reads `now_ms`.
    pub fn new(now_ms: u64) -> Engine {
        Engine {
            dbs: (0..DATABASES).map(Db::new).collect(),
            clients: crate::idmap::IdMap::new(),
            next_client_id: 1,
            now: now_ms,
            next_cycle_at: now_ms + CYCLE_MS,
            rng: Rng::new(0x05ee_d0f4_ed15),
            events: Feed::default(),
            sleep_after: 0,
            pushed: Vec::new(),
            config: Config::default(),
            started: now_ms,
            pubsub: Default::default(),
            evict: crate::evict::Evictor::default(),
            watches: Default::default(),
            blocking: Default::default(),
            pause: None,
            tracking: Default::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Hands the settings the keyspaces read on every access (the LFU
    /// parameters, shared integers) down to them after a CONFIG SET.
    pub(crate) fn apply_config(&mut self) {
        let lfu = self.config.lfu().then_some(Lfu {
            log_factor: self.config.lfu_log_factor as u64,
            decay_time: self.config.lfu_decay_time as u64,
        });
        let shared = self.config.shared_integers();
        self.events.capture = self.notifying(); // keyspace notifications (notify.rs)
        self.log_new_keys();
        for db in &mut self.dbs {
            db.lfu = lfu;
            db.shared_ints = shared;
        }
    }

    /// The active expiry cycle's period: `1000 / hz` ms.
    fn cycle_ms(&self) -> u64 {
        1000 / self.config.hz() as u64
    }

    /// The virtual time in ms.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Moves the virtual clock forward by `ms`, running the active expiry
    /// cycle at each 100 ms tick passed, at that tick's time, and ending a
    /// CLIENT PAUSE on the way (pause.rs).
    pub fn advance(&mut self, ms: u64) {
        self.advance_through_pause(self.now.saturating_add(ms));
    }

    /// [`advance`](Self::advance) without the pause's end.
    pub(crate) fn advance_clock(&mut self, ms: u64) {
        let target = self.now.saturating_add(ms);
        let cycle = self.cycle_ms();
        if self.next_cycle_at <= target {
            let due = (target - self.next_cycle_at) / cycle + 1;
            if due > MAX_CYCLES_PER_ADVANCE {
                self.next_cycle_at += (due - MAX_CYCLES_PER_ADVANCE) * cycle;
            }
            while self.next_cycle_at <= target {
                self.now = self.next_cycle_at;
                if !self.paused() {
                    self.active_expire_cycle(); // a pause keeps the data set
                }
                self.next_cycle_at += cycle;
            }
        }
        self.now = target;
        // Expiries by the clock break transactions that watched those keys
        // (and invalidate tracked ones).
        crate::tx::settle(self, None);
        self.broadcast_invalidations();
        self.time_out_blocked(); // blocked clients past their deadline (blocking.rs)
    }

    /// Sets the clock to `now_ms` if that is later; time never goes back.
    pub fn advance_to(&mut self, now_ms: u64) {
        if now_ms > self.now {
            self.advance(now_ms - self.now);
        }
    }

    fn active_expire_cycle(&mut self) {
        let now = self.now;
        let mark = self.events.events.len();
        for db in &mut self.dbs {
            if db.volatile_len() > 0 {
                db.active_expire_cycle(now, &mut self.rng, &mut self.events);
            }
        }
        self.notify_keyspace(mark, None, None); // `expired` notifications
    }

    /// The earliest expiry time of any key in any database, if one exists.
    pub fn next_expiry(&self) -> Option<u64> {
        self.dbs.iter().filter_map(|db| db.min_expire_at()).min()
    }

    /// A new connection.
    pub fn connect(&mut self) -> ClientId {
        let id = ClientId(self.next_client_id);
        self.next_client_id += 1;
        self.clients.insert(
            id,
            Client {
                id,
                name: None,
                db: 0,
                created_at: self.now,
                session: Default::default(),
            },
        );
        self.events.push(Event::ClientConnected { id });
        id
    }

    /// Drops a connection and everything it held.
    pub fn disconnect(&mut self, id: ClientId) {
        crate::tx::forget(self, id);
        self.disable_tracking(id);
        if self.clients.remove(&id).is_some() {
            self.pubsub_forget(id); // a closed connection leaves its channels
            self.forget_blocked(id); // a blocked client is forgotten (blocking.rs)
            self.events.push(Event::ClientDisconnected { id });
        }
    }

    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(&id)
    }

    /// Runs one command for `client` and returns its replies (one for every
    /// command so far). An unknown client id is connected first.
    ///
    /// A command that answers several times (SUBSCRIBE a b: one
    /// confirmation per channel) returns its first reply from the handler
    /// and leaves the rest in `pushed` addressed to the caller; they are
    /// moved here, after the first. (A client never receives a push
    /// caused by its own command otherwise: a subscribed client cannot
    /// PUBLISH or write.)
    pub fn execute(&mut self, client: ClientId, argv: Vec<Vec<u8>>) -> Vec<Reply> {
        let mut replies: Vec<Reply> = self.execute_one(client, argv).into_iter().collect();
        if self.pushed.iter().any(|(to, _)| *to == client) {
            let (mine, others) = std::mem::take(&mut self.pushed)
                .into_iter()
                .partition(|(to, _)| *to == client);
            self.pushed = others;
            replies.extend(mine.into_iter().map(|(_, r): (ClientId, Reply)| r));
        }
        replies
    }

    /// As [`execute`](Self::execute), without the vector: the reply of
    /// the one command, `None` for an empty argument vector. For hosts
    /// that run a command at a time in a hot loop (the benchmarks).
    pub fn execute_one(&mut self, client: ClientId, argv: Vec<Vec<u8>>) -> Option<Reply> {
        let now = self.now;
        if !self.clients.contains_key(&client) {
            self.clients.insert(
                client,
                Client {
                    id: client,
                    name: None,
                    db: 0,
                    created_at: now,
                    session: Default::default(),
                },
            );
            self.next_client_id = self.next_client_id.max(client.0 + 1);
        }
        if argv.is_empty() {
            return None;
        }
        // Blocking (blocking.rs): a blocked client's command waits until it
        // is unblocked; after a command, keys it created serve blocked
        // clients, and a command that blocked its caller has no reply yet.
        let argv = self.queue_if_blocked(client, argv)?;
        self.reply_starts(client); // CLIENT REPLY SKIP takes this command's
                                   // Keyspace notifications read the events the command adds, the
                                   // pops of the clients it served included (EXEC notifies for each
                                   // queued command as it runs it).
        let notify = (self.events.capture && !argv[0].eq_ignore_ascii_case(b"exec"))
            .then(|| (self.events.events.len(), argv.clone()));
        let by = self.blocking.waker_name(&argv[0]);
        let sent = crate::commands::clients::Sent::of(&argv[0]);
        let reply = commands::dispatch(self, Call::new(client, argv));
        let reply = self
            .after_command(by, reply)
            .filter(|r| self.reply_allowed(client, sent, r));
        // Notifications, with the invalidations of tracked keys where
        // Redis signals them; then the keys it changed break WATCHes (and
        // invalidate what is left, when nothing is notified).
        if let Some((mark, argv)) = notify {
            self.notify_keyspace(mark, Some(&argv), Some(client));
        }
        crate::tx::settle(self, Some(client));
        self.caching_done(client, sent); // CLIENT CACHING's one command
                                         // QUIT and CLIENT KILL close a connection once it has its reply.
        crate::tx::after_command(self, client);
        self.broadcast_invalidations(); // BCAST: after the command
        if self.sleep_after > 0 {
            let ms = std::mem::take(&mut self.sleep_after);
            self.advance(ms);
        }
        reply
    }

    /// Splits `line` as redis-cli does and runs it. An unsplittable line
    /// is an error reply carrying redis-cli's own text.
    pub fn execute_line(&mut self, client: ClientId, line: &str) -> Vec<Reply> {
        match crate::split_args(line) {
            Ok(argv) => self.execute(client, argv),
            Err(e) => vec![Reply::Error(e.to_string())],
        }
    }

    /// Everything that changed since the last call, in order.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.events.take()
    }

    /// Turns the change feed on (the default) or off. Hosts that never
    /// drain it (the repl, benchmarks) turn it off.
    pub fn set_feed(&mut self, on: bool) {
        self.events.set_on(on);
    }

    /// Replies delivered to clients other than the one that ran the last
    /// command, in delivery order.
    pub fn take_pushed(&mut self) -> Vec<(ClientId, Reply)> {
        std::mem::take(&mut self.pushed)
    }

    /// The live keys of database `db`, sorted by name.
    pub fn keys(&self, db: usize) -> Vec<KeyInfo> {
        let Some(db) = self.dbs.get(db) else {
            return Vec::new();
        };
        let mut names: Vec<&[u8]> = db
            .raw_keys()
            .filter(|(k, _)| db.is_live(k, self.now))
            .map(|(k, _)| k)
            .collect();
        crate::order::sort_bytes(&mut names); // distinct keys
        names
            .into_iter()
            .filter_map(|k| {
                Some(KeyInfo {
                    key: k.to_vec(),
                    type_name: db.peek(k)?.type_name(),
                    expire_at: db.expire_at(k),
                })
            })
            .collect()
    }

    /// The number of live and not-yet-reclaimed keys in database `db`.
    pub fn db_len(&self, db: usize) -> usize {
        self.dbs.get(db).map_or(0, Db::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Removal;

    fn run(e: &mut Engine, c: ClientId, line: &str) -> Reply {
        e.execute_line(c, line).remove(0)
    }

    #[test]
    fn lazy_expiry_removes_on_access() {
        let mut e = Engine::new(1_000_000);
        let c = e.connect();
        assert_eq!(run(&mut e, c, "SET k v PX 50"), Reply::ok());
        e.now += 50; // skip the cron: only a lookup can expire it
        e.take_events();
        assert_eq!(run(&mut e, c, "GET k"), Reply::Nil);
        assert!(e.take_events().contains(&Event::Removed {
            db: 0,
            key: b"k".to_vec(),
            cause: Removal::ExpiredLazy
        }));
    }

    #[test]
    fn active_expiry_reclaims_untouched_keys() {
        let mut e = Engine::new(0);
        let c = e.connect();
        for i in 0..500 {
            run(&mut e, c, &format!("SET k{i} v PX {}", 100 + i));
        }
        run(&mut e, c, "SET keep v");
        e.take_events();
        e.advance(2_000);
        let active = e
            .take_events()
            .iter()
            .filter(|ev| {
                matches!(
                    ev,
                    Event::Removed {
                        cause: Removal::ExpiredActive,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(active, 500, "every expired key reclaimed without access");
        assert_eq!(e.db_len(0), 1);
    }

    #[test]
    fn a_long_jump_is_bounded_but_still_expires() {
        let mut e = Engine::new(0);
        let c = e.connect();
        run(&mut e, c, "SET k v EX 1");
        e.advance(365 * 24 * 3600 * 1000);
        assert_eq!(e.db_len(0), 0);
        assert_eq!(e.now(), 365 * 24 * 3600 * 1000);
    }
}
