//! Blocked clients (Redis's `blocked.c`): who waits on which keys, for
//! what, until when; serving them when a key they wait on is created, and
//! timing them out on the virtual clock.
//!
//! Redis's rules, kept here:
//! - A key becomes *ready* only when it is created (Redis's `dbAdd` calls
//!   `signalKeyAsReady`), or when SWAPDB brings it into a database. A push
//!   onto a list that already exists signals nothing: nobody can be
//!   waiting on it for that type.
//! - Ready keys are served after the command that made them ready has
//!   replied (`handleClientsBlockedOnKeys`), so LPUSH answers the length
//!   before any blocked client pops. Each key serves its waiters first
//!   come, first served, skipping those waiting for another type, until
//!   the key is gone. A BLMOVE served this way may create its destination,
//!   which makes that key ready in turn (served in the next round).
//! - A blocked client that times out gets a nil array (`*-1`), whatever
//!   its command (BLMOVE too), in order of deadline, then client id.
//! - Commands a blocked client sends wait, unread, until it is unblocked
//!   (Redis leaves them in the query buffer); they run then, and their
//!   replies are pushed to that client.

use std::collections::VecDeque;

use crate::commands::{self, zsets::score_reply, Call};
use crate::engine::{ClientId, Engine};
use crate::event::Event;
use crate::reply::Reply;
use crate::types::list::End;
use crate::value::Value;

/// What a blocked client will do with the first key that is ready for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// BLPOP / BRPOP: one element, answered as `[key, element]`.
    Pop { end: End },
    /// BLMPOP: up to `count` elements, answered as `[key, [elements]]`.
    PopMany { end: End, count: usize },
    /// BLMOVE / BRPOPLPUSH: one element moved onto `dst`, answered alone.
    Move { dst: Vec<u8>, from: End, to: End },
    /// BZPOPMIN / BZPOPMAX: `[key, member, score]`.
    ZPop { max: bool },
    /// BZMPOP: up to `count` members, `[key, [[member, score] ...]]`.
    ZPopMany { max: bool, count: usize },
    /// XREAD BLOCK: the entries after an ID, `[[key, [entries]]]`.
    XRead(commands::streams::XReadWait),
}

/// The type of key an `Op` is served from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    List,
    ZSet,
    Stream,
}

impl Op {
    pub(crate) fn wants_list(&self) -> bool {
        self.kind() == Kind::List
    }

    fn kind(&self) -> Kind {
        match self {
            Op::Pop { .. } | Op::PopMany { .. } | Op::Move { .. } => Kind::List,
            Op::ZPop { .. } | Op::ZPopMany { .. } => Kind::ZSet,
            Op::XRead(_) => Kind::Stream,
        }
    }
}

/// One blocked client's wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// The database its keys are in (a blocked client cannot SELECT).
    pub db: usize,
    /// The keys it waits on, each once, in the order given.
    pub keys: Vec<Vec<u8>>,
    pub op: Op,
    /// The blocking command's name, lowercase.
    pub command: &'static str,
    /// When it blocked, virtual ms.
    pub since: u64,
    /// When it times out, virtual ms; `None`: never (timeout 0).
    pub deadline: Option<u64>,
}

/// The engine's blocking state.
#[derive(Clone, Debug, Default)]
pub struct Blocking {
    /// `(db, key)` to the clients waiting on it, first come first.
    queues: crate::idmap::VecMap<(usize, Vec<u8>), VecDeque<ClientId>>,
    waits: crate::idmap::IdMap<Wait>,
    /// Commands blocked clients sent meanwhile, to run once unblocked.
    pending: crate::idmap::IdMap<VecDeque<Vec<Vec<u8>>>>,
    /// Keys signalled ready and not served yet, in signal order.
    ready: Vec<(usize, Vec<u8>)>,
    /// Clients unblocked whose pending commands are still to run.
    unblocked: VecDeque<ClientId>,
    /// Clients a CLIENT PAUSE holds (pause.rs), in the order held; the
    /// held command is the first of their `pending`.
    held: VecDeque<ClientId>,
    /// Set by a handler that blocked its caller, taken after dispatch.
    blocked_now: bool,
    /// While set, blocking commands answer as if timed out at once
    /// instead of blocking (Redis's `CLIENT_DENY_BLOCKING`: inside
    /// MULTI/EXEC and scripts). The transaction code sets it around EXEC.
    pub deny: bool,
}

impl Blocking {
    /// True when nothing is blocked or waiting to run: the hooks in
    /// `Engine::execute_one` and `advance` cost one check then.
    fn idle(&self) -> bool {
        self.waits.is_empty()
            && self.pending.is_empty()
            && self.unblocked.is_empty()
            && !self.blocked_now
    }

    /// The name of a command about to run, for the feed's `ClientWoken`;
    /// "" (and no work) while nobody is blocked.
    pub(crate) fn waker_name(&self, argv0: &[u8]) -> &'static str {
        if self.waits.is_empty() {
            ""
        } else {
            command_name(argv0)
        }
    }

    /// Blocked on keys, or held by CLIENT PAUSE.
    pub fn is_blocked(&self, client: ClientId) -> bool {
        self.waits.contains_key(&client) || self.held.contains(&client)
    }

    /// Held by CLIENT PAUSE (pause.rs).
    pub fn is_held(&self, client: ClientId) -> bool {
        self.held.contains(&client)
    }

    /// The clients CLIENT PAUSE holds, in the order held.
    pub fn held(&self) -> impl Iterator<Item = ClientId> + '_ {
        self.held.iter().copied()
    }

    /// The wait of a blocked client, for the UI.
    pub fn wait(&self, client: ClientId) -> Option<&Wait> {
        self.waits.get(&client)
    }

    /// How many clients are blocked (INFO's `blocked_clients`: held ones
    /// count too).
    pub fn blocked_count(&self) -> usize {
        self.waits.len() + self.held.len()
    }

    /// How many of them have a deadline (`clients_in_timeout_table`).
    pub fn timed_count(&self) -> usize {
        self.waits.values().filter(|w| w.deadline.is_some()).count()
    }

    /// Marks `(db, key)` ready if a client waits on it (once until served).
    pub(crate) fn signal(&mut self, db: usize, key: &[u8]) {
        let entry = (db, key.to_vec());
        if self.queues.contains_key(&entry) && !self.ready.contains(&entry) {
            self.ready.push(entry);
        }
    }

    /// Forgets a client's wait (served, timed out, disconnected).
    fn remove_wait(&mut self, client: ClientId) -> Option<Wait> {
        let wait = self.waits.remove(&client)?;
        for key in &wait.keys {
            let slot = (wait.db, key.clone());
            if let Some(queue) = self.queues.get_mut(&slot) {
                queue.retain(|&c| c != client);
                if queue.is_empty() {
                    self.queues.remove(&slot);
                }
            }
        }
        Some(wait)
    }
}

impl Engine {
    /// The blocking state, read-only (the UI shows who waits on what).
    pub fn blocking(&self) -> &Blocking {
        &self.blocking
    }

    /// Blocks `client` on `keys` (each once); called by a blocking command
    /// that found nothing to pop. The command's own reply is discarded.
    pub(crate) fn block(
        &mut self,
        client: ClientId,
        keys: &[Vec<u8>],
        op: Op,
        command: &'static str,
        deadline: Option<u64>,
    ) {
        let db = self.clients.get(&client).map_or(0, |c| c.db);
        let mut unique: Vec<Vec<u8>> = Vec::with_capacity(keys.len());
        for key in keys {
            if !unique.contains(key) {
                unique.push(key.clone());
            }
        }
        for key in &unique {
            self.blocking
                .queues
                .entry_or_default((db, key.clone()))
                .push_back(client);
        }
        self.events.record(|| Event::ClientBlocked {
            id: client,
            db,
            keys: unique.clone(),
            command,
            since: self.now,
            until: deadline,
        });
        self.blocking.waits.insert(
            client,
            Wait {
                db,
                keys: unique,
                op,
                command,
                since: self.now,
                deadline,
            },
        );
        self.blocking.blocked_now = true;
        for db in &mut self.dbs {
            db.created.get_or_insert_with(Vec::new);
        }
    }

    /// Marks a key ready although it was not created (XADD onto an
    /// existing stream: Redis's explicit `signalKeyAsReady`).
    pub(crate) fn signal_ready(&mut self, db: usize, key: &[u8]) {
        self.blocking.signal(db, key);
    }

    /// Queues a command a blocked client sent; `None` if not blocked
    /// (the command is handed back to run now).
    pub(crate) fn queue_if_blocked(
        &mut self,
        client: ClientId,
        argv: Vec<Vec<u8>>,
    ) -> Option<Vec<Vec<u8>>> {
        if !self.blocking.is_blocked(client) {
            return Some(argv);
        }
        self.blocking
            .pending
            .entry_or_default(client)
            .push_back(argv);
        None
    }

    /// After each command: `None` if the command blocked its caller (no
    /// reply now), else its reply; then serves the keys the command made
    /// ready and runs what unblocked clients had sent meanwhile.
    pub(crate) fn after_command(&mut self, by: &'static str, reply: Reply) -> Option<Reply> {
        if self.blocking.idle() {
            return Some(reply);
        }
        let blocked = std::mem::take(&mut self.blocking.blocked_now);
        self.serve_ready(by);
        self.run_unblocked();
        (!blocked).then_some(reply)
    }

    /// Times out every blocked client whose deadline has passed, in order
    /// of deadline then client id, each with a nil array.
    pub(crate) fn time_out_blocked(&mut self) {
        if self.blocking.waits.is_empty() {
            return;
        }
        let now = self.now;
        let mut due: Vec<(u64, u64)> = self
            .blocking
            .waits
            .iter()
            .filter_map(|(&c, w)| w.deadline.filter(|&d| d <= now).map(|d| (d, c.0)))
            .collect();
        crate::order::sort_pairs(&mut due);
        for client in due.into_iter().map(|(_, c)| ClientId(c)) {
            self.unblock_with(client, Reply::NilArray);
            self.events.push(Event::ClientTimedOut { id: client });
        }
        self.run_unblocked();
    }

    /// Unblocks a client with `reply` (a timeout's nil, or CLIENT
    /// UNBLOCK's); false if it was not blocked.
    pub(crate) fn unblock_with(&mut self, client: ClientId, reply: Reply) -> bool {
        if self.blocking.remove_wait(client).is_none() {
            return false;
        }
        if self.reply_allowed(client, Default::default(), &reply) {
            self.pushed.push((client, reply));
        }
        self.blocking.unblocked.push_back(client);
        self.stop_tracking_if_idle();
        true
    }

    /// A disconnected client is forgotten: its wait and its queued commands.
    pub(crate) fn forget_blocked(&mut self, client: ClientId) {
        self.blocking.remove_wait(client);
        self.blocking.held.retain(|&c| c != client);
        self.blocking.pending.remove(&client);
        self.blocking.unblocked.retain(|&c| c != client);
        self.stop_tracking_if_idle();
    }

    /// SWAPDB: every key clients wait on in either database, now holding a
    /// value, is ready (Redis's `scanDatabaseForReadyKeys`).
    pub(crate) fn swapped_dbs(&mut self, a: usize, b: usize) {
        let keys: Vec<(usize, Vec<u8>)> = self
            .blocking
            .queues
            .keys()
            .filter(|(db, _)| *db == a || *db == b)
            .cloned()
            .collect();
        for (db, key) in keys {
            if self.dbs[db].peek(&key).is_some() {
                self.blocking.signal(db, &key);
            }
        }
    }

    fn stop_tracking_if_idle(&mut self) {
        if self.blocking.waits.is_empty() {
            for db in &mut self.dbs {
                db.created = None;
            }
        }
    }

    /// Collects the keys created since the last call into the ready list.
    fn collect_created(&mut self) {
        for index in 0..self.dbs.len() {
            let Some(created) = self.dbs[index].created.as_mut() else {
                continue;
            };
            if created.is_empty() {
                continue;
            }
            for key in std::mem::take(created) {
                self.blocking.signal(index, &key);
            }
        }
    }

    /// Redis's `handleClientsBlockedOnKeys`: serves ready keys until no
    /// key is ready (a served BLMOVE can make its destination ready).
    fn serve_ready(&mut self, by: &'static str) {
        loop {
            self.collect_created();
            if self.blocking.ready.is_empty() {
                return;
            }
            for (db, key) in std::mem::take(&mut self.blocking.ready) {
                self.serve_key(db, &key, by);
            }
        }
    }

    /// Serves the clients waiting on one key, first come first, while the
    /// key exists; those waiting for another type keep waiting.
    fn serve_key(&mut self, db: usize, key: &[u8], by: &'static str) {
        let Some(queue) = self.blocking.queues.get(&(db, key.to_vec())) else {
            return;
        };
        let queue: Vec<ClientId> = queue.iter().copied().collect();
        let kind = match self.keyspace_of(db).get(key) {
            Some(Value::List(_)) => Kind::List,
            Some(Value::ZSet(_)) => Kind::ZSet,
            Some(Value::Stream(_)) => Kind::Stream,
            _ => return,
        };
        for client in queue {
            let Some(wait) = self.blocking.waits.get(&client) else {
                continue;
            };
            if wait.op.kind() != kind {
                continue;
            }
            let op = wait.op.clone();
            let reply = match &op {
                Op::XRead(wait) => {
                    let now = self.now;
                    match commands::streams::serve_xread(&mut self.keyspace_of(db), key, wait, now)
                    {
                        Some(reply) => reply,
                        None => continue, // nothing past its ID: keeps waiting
                    }
                }
                _ => self.serve_one(db, key, &op),
            };
            self.events.record(|| Event::ClientWoken {
                id: client,
                db,
                key: key.to_vec(),
                by,
            });
            self.unblock_with(client, reply);
            if self.dbs[db].peek(key).is_none() {
                return;
            }
        }
    }

    /// Pops for one served client (Redis's `serveClientBlockedOnList` and
    /// the zset branch of `serveClientsBlockedOnSortedSetKey`).
    fn serve_one(&mut self, db: usize, key: &[u8], op: &Op) -> Reply {
        pop_for(&mut self.keyspace_of(db), key, op)
    }

    /// Holds `client`'s command until the pause ends (pause.rs): it waits
    /// first in line of what the client sent.
    pub(crate) fn hold(&mut self, client: ClientId, argv: Vec<Vec<u8>>, command: &'static str) {
        self.blocking
            .pending
            .entry_or_default(client)
            .push_front(argv);
        self.blocking.held.push_back(client);
        self.blocking.blocked_now = true;
        self.events.push(Event::ClientHeld {
            id: client,
            command,
        });
    }

    /// The pause ended: the held clients run (after the current command,
    /// or at once from the clock), in the order they were held.
    pub(crate) fn release_held(&mut self) {
        let held = std::mem::take(&mut self.blocking.held);
        self.blocking.unblocked.extend(held);
    }

    /// Runs the commands unblocked clients sent while blocked, in order,
    /// until each is blocked again or has none left.
    pub(crate) fn run_unblocked(&mut self) {
        while let Some(client) = self.blocking.unblocked.pop_front() {
            loop {
                if self.blocking.is_blocked(client) {
                    break;
                }
                let Some(argv) = self
                    .blocking
                    .pending
                    .get_mut(&client)
                    .and_then(VecDeque::pop_front)
                else {
                    break;
                };
                if self
                    .blocking
                    .pending
                    .get(&client)
                    .is_some_and(VecDeque::is_empty)
                {
                    self.blocking.pending.remove(&client);
                }
                let by = command_name(&argv[0]);
                self.reply_starts(client);
                let notify = (self.events.capture && !argv[0].eq_ignore_ascii_case(b"exec"))
                    .then(|| (self.events.events.len(), argv.clone()));
                let sent = crate::commands::clients::Sent::of(&argv[0]);
                let reply = commands::dispatch(self, Call::new(client, argv));
                let blocked = std::mem::take(&mut self.blocking.blocked_now);
                if !blocked && self.reply_allowed(client, sent, &reply) {
                    self.pushed.push((client, reply));
                }
                self.serve_ready(by);
                if let Some((mark, argv)) = notify {
                    self.notify_keyspace(mark, Some(&argv), Some(client));
                }
                crate::tx::settle(self, Some(client));
                self.caching_done(client, sent);
                // WATCH, and QUIT or CLIENT KILL of itself.
                crate::tx::after_command(self, client);
                if self.sleep_after > 0 {
                    // A queued DEBUG SLEEP moves the clock once it has run.
                    let ms = std::mem::take(&mut self.sleep_after);
                    self.advance(ms);
                }
            }
            if !self.blocking.is_blocked(client) {
                self.blocking.pending.remove(&client);
            }
        }
    }
}

/// The table's name for a command (for the feed), or "" if unknown.
fn command_name(argv0: &[u8]) -> &'static str {
    let lower = String::from_utf8_lossy(argv0).to_ascii_lowercase();
    commands::spec(&lower).map_or("", |s| s.name)
}

/// Up to `count` members from the low (`max` false) or high end.
pub(crate) fn zpop(z: &mut crate::types::ZSet, max: bool, count: usize) -> Vec<(Vec<u8>, f64)> {
    let mut popped = Vec::new();
    while popped.len() < count && !z.is_empty() {
        let rank = if max { z.len() - 1 } else { 0 };
        let Some(entry) = z.get(rank) else { break };
        let member = entry.member.to_vec();
        let score = entry.score;
        z.remove(&member);
        popped.push((member, score));
    }
    popped
}

/// The name a pop from `end` is recorded (and notified) with: Redis
/// announces a blocking pop as the plain one.
pub(crate) fn pop_name(end: End) -> &'static str {
    match end {
        End::Left => "lpop",
        End::Right => "rpop",
    }
}

pub(crate) fn push_name(end: End) -> &'static str {
    match end {
        End::Left => "lpush",
        End::Right => "rpush",
    }
}

pub(crate) fn zpop_name(max: bool) -> &'static str {
    if max {
        "zpopmax"
    } else {
        "zpopmin"
    }
}

/// What a blocking command does on a key that holds its type, now or when
/// it is served: the pop (or move), recorded as the plain command Redis
/// announces, the key deleted if emptied, and the command's reply.
pub(crate) fn pop_for(ks: &mut commands::Keyspace<'_>, key: &[u8], op: &Op) -> Reply {
    match op {
        Op::Pop { end } | Op::PopMany { end, .. } => {
            let count = match op {
                Op::PopMany { count, .. } => *count,
                _ => 1,
            };
            let Ok(Some(list)) = ks.get_as_mut(key, Value::as_list_mut) else {
                return Reply::NilArray; // not reached: the key was checked
            };
            let items = list.pop_many(*end, count);
            let empty = list.is_empty();
            ks.written(key, pop_name(*end));
            if empty {
                ks.delete(key);
            }
            let mut items = items.into_iter().map(Reply::Bulk);
            match op {
                Op::PopMany { .. } => {
                    Reply::Array(vec![Reply::bulk(key), Reply::Array(items.collect())])
                }
                _ => Reply::Array(vec![Reply::bulk(key), items.next().unwrap_or(Reply::Nil)]),
            }
        }
        Op::Move { dst, from, to } => {
            commands::lists::move_element(ks, key, dst, *from, *to, None).unwrap_or_else(|e| e)
        }
        Op::XRead(_) => Reply::NilArray, // served by `serve_xread`
        Op::ZPop { max } | Op::ZPopMany { max, .. } => {
            let count = match op {
                Op::ZPopMany { count, .. } => *count,
                _ => 1,
            };
            let Ok(Some(z)) = ks.get_as_mut(key, Value::as_zset_mut) else {
                return Reply::NilArray; // not reached: the key was checked
            };
            let popped = zpop(z, *max, count);
            let empty = z.is_empty();
            ks.written(key, zpop_name(*max));
            if empty {
                ks.delete(key);
            }
            match op {
                Op::ZPopMany { .. } => Reply::Array(vec![
                    Reply::bulk(key),
                    Reply::Array(
                        popped
                            .into_iter()
                            .map(|(m, s)| Reply::Array(vec![Reply::Bulk(m), score_reply(s)]))
                            .collect(),
                    ),
                ]),
                _ => {
                    let mut out = vec![Reply::bulk(key)];
                    for (m, s) in popped {
                        out.push(Reply::Bulk(m));
                        out.push(score_reply(s));
                    }
                    Reply::Array(out)
                }
            }
        }
    }
}
