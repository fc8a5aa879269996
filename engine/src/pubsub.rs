//! Pub/sub state: who listens to which channel, pattern and shard channel,
//! and the delivery of messages (PUBLISH, SPUBLISH, keyspace
//! notifications) in Redis 7.0's order. The commands live in
//! `commands/pubsub.rs`; keyspace notifications in `notify.rs`.
//!
//! Redis keeps a client's channels in a hash table, so UNSUBSCRIBE without
//! arguments answers in its (seeded, random) hash order; the engine
//! answers in subscription order, one of the orders Redis may show.
//! Patterns are a list in a client (PUNSUBSCRIBE answers in subscription
//! order, as here) and a hash table server-wide (a message matching two
//! patterns reaches them in hash order; here, in the order the patterns
//! were first subscribed).

use rustc_hash::FxHashMap;

use crate::commands::glob;
use crate::engine::{ClientId, Engine};
use crate::event::{Event, SubKind};
use crate::reply::Reply;

/// Every subscription of every client.
#[derive(Clone, Debug, Default)]
pub struct PubSub {
    /// Channel -> its subscribers, in subscription order.
    channels: FxHashMap<Vec<u8>, Vec<ClientId>>,
    /// Shard channel -> its subscribers, in subscription order.
    shard_channels: FxHashMap<Vec<u8>, Vec<ClientId>>,
    /// Pattern -> its subscribers, in subscription order.
    patterns: FxHashMap<Vec<u8>, Vec<ClientId>>,
    /// Pattern -> when it was first subscribed (`seq`): apart from its
    /// subscribers, so that both maps are of types already in the wasm.
    pattern_seq: FxHashMap<Vec<u8>, u64>,
    clients: crate::idmap::IdMap<Subs>,
    /// Orders subscriptions (a counter, not a clock).
    seq: u64,
}

/// One client's subscriptions, each with its sequence number so that
/// "all of them" comes out in subscription order.
#[derive(Clone, Debug, Default)]
struct Subs {
    channels: FxHashMap<Vec<u8>, u64>,
    patterns: FxHashMap<Vec<u8>, u64>,
    shard: FxHashMap<Vec<u8>, u64>,
}

impl Subs {
    fn of(&self, kind: SubKind) -> &FxHashMap<Vec<u8>, u64> {
        match kind {
            SubKind::Channel => &self.channels,
            SubKind::Pattern => &self.patterns,
            SubKind::Shard => &self.shard,
        }
    }

    fn of_mut(&mut self, kind: SubKind) -> &mut FxHashMap<Vec<u8>, u64> {
        match kind {
            SubKind::Channel => &mut self.channels,
            SubKind::Pattern => &mut self.patterns,
            SubKind::Shard => &mut self.shard,
        }
    }

    fn is_empty(&self) -> bool {
        self.channels.is_empty() && self.patterns.is_empty() && self.shard.is_empty()
    }
}

/// The words of the confirmation replies, by kind.
fn verbs(kind: SubKind) -> (&'static str, &'static str) {
    match kind {
        SubKind::Channel => ("subscribe", "unsubscribe"),
        SubKind::Pattern => ("psubscribe", "punsubscribe"),
        SubKind::Shard => ("ssubscribe", "sunsubscribe"),
    }
}

fn confirmation(verb: &str, name: Option<&[u8]>, count: usize) -> Reply {
    Reply::Array(vec![
        Reply::bulk(verb),
        name.map_or(Reply::Nil, |n| Reply::Bulk(n.to_vec())),
        Reply::Integer(count as i64),
    ])
}

impl PubSub {
    /// True if the client has any subscription (Redis's `CLIENT_PUBSUB`):
    /// it may then run only the commands [`gate`] lets through.
    pub fn is_subscribed(&self, client: ClientId) -> bool {
        self.clients.get(&client).is_some_and(|s| !s.is_empty())
    }

    /// The count a confirmation reply carries: channels and patterns
    /// together (`clientSubscriptionsCount`), or shard channels alone.
    fn count(&self, client: ClientId, kind: SubKind) -> usize {
        let Some(s) = self.clients.get(&client) else {
            return 0;
        };
        match kind {
            SubKind::Shard => s.shard.len(),
            _ => s.channels.len() + s.patterns.len(),
        }
    }

    /// How many subscriptions of one kind a client has (CLIENT LIST's
    /// `sub`, `psub`, `ssub`).
    pub(crate) fn count_of(&self, client: ClientId, kind: SubKind) -> usize {
        self.clients.get(&client).map_or(0, |s| s.of(kind).len())
    }

    /// Subscribes; false if the client already had this subscription.
    fn add(&mut self, client: ClientId, kind: SubKind, name: &[u8]) -> bool {
        let subs = self.clients.entry_or_default(client);
        if subs.of(kind).contains_key(name) {
            return false;
        }
        self.seq += 1;
        subs.of_mut(kind).insert(name.to_vec(), self.seq);
        match kind {
            SubKind::Channel => self.channels.entry(name.to_vec()).or_default().push(client),
            SubKind::Shard => self
                .shard_channels
                .entry(name.to_vec())
                .or_default()
                .push(client),
            SubKind::Pattern => {
                self.pattern_seq.entry(name.to_vec()).or_insert(self.seq);
                self.patterns.entry(name.to_vec()).or_default().push(client);
            }
        }
        true
    }

    /// Unsubscribes; false if the client had no such subscription.
    fn remove(&mut self, client: ClientId, kind: SubKind, name: &[u8]) -> bool {
        let Some(subs) = self.clients.get_mut(&client) else {
            return false;
        };
        if subs.of_mut(kind).remove(name).is_none() {
            return false;
        }
        if subs.is_empty() {
            self.clients.remove(&client);
        }
        let listeners = match kind {
            SubKind::Channel => self.channels.get_mut(name),
            SubKind::Shard => self.shard_channels.get_mut(name),
            SubKind::Pattern => self.patterns.get_mut(name),
        };
        if let Some(list) = listeners {
            list.retain(|&c| c != client);
            if list.is_empty() {
                match kind {
                    SubKind::Channel => self.channels.remove(name),
                    SubKind::Shard => self.shard_channels.remove(name),
                    SubKind::Pattern => {
                        self.pattern_seq.remove(name);
                        self.patterns.remove(name)
                    }
                };
            }
        }
        true
    }

    /// The client's subscriptions of one kind, in subscription order.
    fn names(&self, client: ClientId, kind: SubKind) -> Vec<Vec<u8>> {
        let Some(subs) = self.clients.get(&client) else {
            return Vec::new();
        };
        let names: Vec<(&Vec<u8>, &u64)> = subs.of(kind).iter().collect();
        crate::order::indices_by_key(names.len(), |i| *names[i].1)
            .into_iter()
            .map(|i| names[i].0.clone())
            .collect()
    }

    /// The active channels (or shard channels) matching `pattern`, sorted.
    pub fn active(&self, shard: bool, pattern: Option<&[u8]>) -> Vec<Vec<u8>> {
        let map = if shard {
            &self.shard_channels
        } else {
            &self.channels
        };
        let mut names: Vec<&[u8]> = map
            .keys()
            .filter(|c| pattern.is_none_or(|p| glob::matches(p, c)))
            .map(Vec::as_slice)
            .collect();
        crate::order::sort_bytes(&mut names);
        names.into_iter().map(<[u8]>::to_vec).collect()
    }

    /// How many clients subscribe to `channel` (not counting patterns).
    pub fn numsub(&self, shard: bool, channel: &[u8]) -> usize {
        let map = if shard {
            &self.shard_channels
        } else {
            &self.channels
        };
        map.get(channel).map_or(0, Vec::len)
    }

    /// How many distinct patterns have subscribers (PUBSUB NUMPAT).
    pub fn numpat(&self) -> usize {
        self.patterns.len()
    }

    /// Who receives a message on `channel`: the channel's subscribers in
    /// order, then each matching pattern's, as `pubsubPublishMessage`.
    fn receivers(&self, channel: &[u8]) -> (Vec<ClientId>, Vec<(Vec<u8>, ClientId)>) {
        let direct = self.channels.get(channel).cloned().unwrap_or_default();
        let matching: Vec<(&Vec<u8>, &Vec<ClientId>)> = self
            .patterns
            .iter()
            .filter(|(p, _)| glob::matches(p, channel))
            .collect();
        let seq = |p: &Vec<u8>| self.pattern_seq.get(p).copied().unwrap_or(0);
        let by_pattern = crate::order::indices_by_key(matching.len(), |i| seq(matching[i].0))
            .into_iter()
            .map(|i| matching[i])
            .flat_map(|(p, clients)| clients.iter().map(move |&c| (p.clone(), c)))
            .collect();
        (direct, by_pattern)
    }
}

impl Engine {
    /// SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE: one confirmation per name; the
    /// first is returned, the others follow it through `pushed` (see
    /// [`Engine::execute`]).
    pub(crate) fn subscribe(
        &mut self,
        client: ClientId,
        kind: SubKind,
        names: &[Vec<u8>],
    ) -> Reply {
        let (verb, _) = verbs(kind);
        let mut replies = Vec::with_capacity(names.len());
        for name in names {
            if self.pubsub.add(client, kind, name) {
                self.events.record(|| Event::Subscribed {
                    client,
                    kind,
                    name: name.clone(),
                });
            }
            replies.push(confirmation(
                verb,
                Some(name),
                self.pubsub.count(client, kind),
            ));
        }
        self.reply_several(client, replies)
    }

    /// UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE: the names given, or every
    /// subscription of that kind; with none at all, one confirmation with
    /// a nil name.
    pub(crate) fn unsubscribe(
        &mut self,
        client: ClientId,
        kind: SubKind,
        names: &[Vec<u8>],
    ) -> Reply {
        let (_, verb) = verbs(kind);
        let all;
        let names = if names.is_empty() {
            all = self.pubsub.names(client, kind);
            if all.is_empty() {
                return confirmation(verb, None, self.pubsub.count(client, kind));
            }
            &all[..]
        } else {
            names
        };
        let mut replies = Vec::with_capacity(names.len());
        for name in names {
            if self.pubsub.remove(client, kind, name) {
                self.events.record(|| Event::Unsubscribed {
                    client,
                    kind,
                    name: name.clone(),
                });
            }
            replies.push(confirmation(
                verb,
                Some(name),
                self.pubsub.count(client, kind),
            ));
        }
        self.reply_several(client, replies)
    }

    /// Drops every subscription of a client without replies (disconnect;
    /// RESET, which answers only `RESET`).
    pub(crate) fn pubsub_forget(&mut self, client: ClientId) {
        for kind in [SubKind::Channel, SubKind::Pattern, SubKind::Shard] {
            for name in self.pubsub.names(client, kind) {
                self.pubsub.remove(client, kind, &name);
                self.events
                    .record(|| Event::Unsubscribed { client, kind, name });
            }
        }
    }

    /// The first reply is the command's; the rest go to the caller through
    /// `pushed`, which `execute` moves back into its reply list.
    fn reply_several(&mut self, client: ClientId, replies: Vec<Reply>) -> Reply {
        let mut replies = replies.into_iter();
        let first = replies.next().unwrap_or(Reply::NilArray);
        self.pushed.extend(replies.map(|r| (client, r)));
        first
    }

    /// PUBLISH (`shard` false) or SPUBLISH: delivers `message` and answers
    /// how many clients received it.
    pub(crate) fn publish(&mut self, channel: &[u8], message: &[u8], shard: bool) -> usize {
        let (direct, by_pattern) = if shard {
            let direct = self.pubsub.shard_channels.get(channel).cloned();
            (direct.unwrap_or_default(), Vec::new())
        } else {
            self.pubsub.receivers(channel)
        };
        let kind = if shard { "smessage" } else { "message" };
        for &c in &direct {
            self.pushed.push((
                c,
                Reply::Array(vec![
                    Reply::bulk(kind),
                    Reply::Bulk(channel.to_vec()),
                    Reply::Bulk(message.to_vec()),
                ]),
            ));
        }
        for (pattern, c) in &by_pattern {
            self.pushed.push((
                *c,
                Reply::Array(vec![
                    Reply::bulk("pmessage"),
                    Reply::Bulk(pattern.clone()),
                    Reply::Bulk(channel.to_vec()),
                    Reply::Bulk(message.to_vec()),
                ]),
            ));
        }
        let n = direct.len() + by_pattern.len();
        self.events.record(|| Event::Published {
            channel: channel.to_vec(),
            message: message.to_vec(),
            shard,
            direct,
            by_pattern,
        });
        n
    }
}

/// Redis's rule for a client in subscribed mode (RESP2): only
/// (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET run; anything
/// else is refused with the command's full name (`config|get`). Checked
/// after the command's existence and arity, as `processCommand` does.
pub fn gate(engine: &Engine, client: ClientId, full_name: &str) -> Option<Reply> {
    const ALLOWED: &[&str] = &[
        "ping",
        "subscribe",
        "ssubscribe",
        "psubscribe",
        "unsubscribe",
        "sunsubscribe",
        "punsubscribe",
        "quit",
        "reset",
    ];
    if ALLOWED.contains(&full_name) || !engine.pubsub.is_subscribed(client) {
        return None;
    }
    Some(Reply::Error(format!(
        "ERR Can't execute '{full_name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    )))
}
