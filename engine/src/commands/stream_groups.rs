//! Consumer groups (Redis 7.0's `t_stream.c`): XGROUP, XACK, XPENDING,
//! XCLAIM and XAUTOCLAIM, and what XREADGROUP does to a group
//! (`deliver`, `history`). Times (delivery, seen) are virtual-clock ms.
//!
//! Group changes are not keyspace writes in Redis (no `signalModifiedKey`,
//! no notification) except those announced as `xgroup-*`: those are
//! recorded as writes under that name, the rest only re-estimate memory.

use super::streams::{answer, entry_reply, interval_id, long_long, strict_id};
use super::{arg_is as is, c_str, errors, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::stream::StreamId;
use crate::types::stream_group::{Group, Nack};
use crate::types::Stream;
use crate::value::Value;

use super::streams::GroupRead;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("xack", xack),
    ("xautoclaim", xautoclaim),
    ("xclaim", xclaim),
    ("xgroup", xgroup),
    ("xpending", xpending),
];

pub(crate) fn name(bytes: &[u8]) -> String {
    String::from_utf8_lossy(c_str(bytes)).into_owned()
}

fn nogroup(key: &[u8], group: &[u8]) -> Reply {
    Reply::error(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        name(key),
        name(group)
    ))
}

pub(crate) fn id_reply(id: StreamId) -> Reply {
    Reply::Bulk(id.to_bytes())
}

/// The consumer `name` of `group`, seen now (`streamLookupConsumer`), or
/// created (`streamCreateConsumer`); true if created.
pub(crate) fn touch_consumer(s: &mut Stream, group: &[u8], name: &[u8], now: u64) -> bool {
    s.groups
        .get_mut(group)
        .is_some_and(|cg| cg.touch_consumer(name, now, true))
}

/// XREADGROUP `>`: the entries after `last`, up to `count` (0: all),
/// moving the group's last ID and read counter, and (unless NOACK)
/// adding each to the PEL, owned by the consumer.
pub(crate) fn deliver(
    s: &mut Stream,
    g: &GroupRead,
    last: StreamId,
    count: usize,
    now: u64,
) -> Vec<Reply> {
    let limit = if count == 0 { usize::MAX } else { count };
    let Some(start) = last.incr() else {
        return Vec::new();
    };
    let entries: Vec<(StreamId, Reply)> = s
        .range(start, StreamId::MAX, false)
        .take(limit)
        .map(|(id, f)| (id, entry_reply(id, f)))
        .collect();
    let mut out = Vec::with_capacity(entries.len());
    for (id, reply) in entries {
        let tombstones = s.has_tombstones_from(id);
        let estimate = s.entries_before(id);
        let added = s.entries_added;
        let Some(cg) = s.groups.get_mut(&g.group) else {
            break;
        };
        if id > cg.last_id {
            match cg.entries_read {
                Some(n) if !tombstones => cg.entries_read = Some(n + 1),
                _ if added != 0 => cg.entries_read = estimate,
                _ => {}
            }
            cg.last_id = id;
        }
        if !g.noack {
            add_pending(cg, id, &g.consumer, now);
        }
        out.push(reply);
    }
    out
}

/// Puts `id` in the PEL owned by `consumer`, delivered now once (an
/// entry another consumer had is handed over, its count reset).
fn add_pending(cg: &mut Group, id: StreamId, consumer: &[u8], now: u64) {
    cg.pel.insert(
        id,
        Box::new(Nack {
            consumer: consumer.to_vec(),
            delivery_time: now,
            delivery_count: 1,
        }),
    );
}

/// XREADGROUP with an ID: the consumer's own pending entries after `gt`
/// (a deleted entry shows as its ID and a nil), each delivered again.
pub(crate) fn history(
    s: &mut Stream,
    g: &GroupRead,
    gt: StreamId,
    count: usize,
    now: u64,
) -> Vec<Reply> {
    let limit = if count == 0 { usize::MAX } else { count };
    let Some(start) = gt.incr() else {
        return Vec::new();
    };
    let ids: Vec<StreamId> = s
        .groups
        .get(&g.group)
        .filter(|cg| cg.consumers.contains_key(&g.consumer))
        .map(|cg| cg.owned(&g.consumer, start).take(limit).collect())
        .unwrap_or_default();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match s.get(id) {
            Some(fields) => {
                out.push(entry_reply(id, fields));
                if let Some(n) = s
                    .groups
                    .get_mut(&g.group)
                    .and_then(|cg| cg.pel.get_mut(&id))
                {
                    n.delivery_time = now;
                    n.delivery_count += 1;
                }
            }
            None => out.push(Reply::Array(vec![id_reply(id), Reply::NilArray])),
        }
    }
    out
}

/// Records a group change: announced (`xgroup-*`) or silent; neither
/// touches the key for WATCH, as in Redis 7.0 (only memory is
/// re-estimated).
pub(crate) fn changed(ks: &mut Keyspace<'_>, key: &[u8], event: Option<&'static str>) {
    ks.classify(key, "xgroup");
    if let Some(event) = event {
        let db = ks.db.index;
        ks.events.record(|| crate::event::Event::StreamMeta {
            db,
            key: key.to_vec(),
            event,
        });
    }
}

const XGROUP_HELP: &[&str] = &[
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
];

pub(crate) fn help(lines: &[&str]) -> Reply {
    Reply::Array(
        lines
            .iter()
            .map(|l| Reply::Status((*l).to_string()))
            .collect(),
    )
}

/// ENTRIESREAD's value: -1 (unknown) or at least 0.
fn entries_read(arg: &[u8]) -> Result<Option<u64>, Reply> {
    let n = long_long(arg)?;
    match n {
        -1 => Ok(None),
        n if n < 0 => Err(Reply::error(
            "ERR value for ENTRIESREAD must be positive or -1",
        )),
        n => Ok(Some(n as u64)),
    }
}

/// XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER|HELP.
fn xgroup(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let argc = call.argv.len();
        let sub = call.arg(1).to_vec();
        let syntax = || errors::subcommand_syntax("xgroup", &sub);
        let now = e.now;
        let mut mkstream = false;
        let mut read: Option<u64> = None;
        if argc == 2 && is(&sub, "help") {
            return Ok(help(XGROUP_HELP));
        }
        if argc < 4 {
            return Err(syntax());
        }
        if is(&sub, "create") {
            let mut i = 5;
            while i < argc {
                if is(call.arg(i), "mkstream") {
                    mkstream = true;
                    i += 1;
                } else if is(call.arg(i), "entriesread") && i + 1 < argc {
                    read = entries_read(call.arg(i + 1))?;
                    i += 2;
                } else {
                    return Err(syntax());
                }
            }
        } else if is(&sub, "setid") {
            if argc == 7 && is(call.arg(5), "entriesread") {
                read = entries_read(call.arg(6))?;
            } else if argc != 5 {
                return Err(syntax());
            }
        }
        let key = call.arg(2).to_vec();
        let group = call.arg(3).to_vec();
        let mut ks = e.keyspace(call.client);
        let exists = ks.get_as(&key, Value::as_stream)?.is_some();
        let has_group = exists
            && ks
                .get_as(&key, Value::as_stream)?
                .is_some_and(|s| s.groups.contains_key(&group));
        if !exists && !mkstream {
            return Err(Reply::error(
                "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
            ));
        }
        if !has_group
            && (is(&sub, "setid") || is(&sub, "createconsumer") || is(&sub, "delconsumer"))
        {
            return Err(Reply::error(format!(
                "NOGROUP No such consumer group '{}' for key name '{}'",
                name(&group),
                name(&key)
            )));
        }
        if is(&sub, "create") && (5..=8).contains(&argc) {
            let id = if c_str(call.arg(4)) == b"$" {
                ks.get_as(&key, Value::as_stream)?
                    .map_or(StreamId::MIN, |s| s.last_id)
            } else {
                strict_id(call.arg(4))?
            };
            if !exists {
                // A new key (WATCH sees it), announced only as the group.
                ks.set(&key, Value::new_stream(), "xgroup");
            }
            let Some(s) = ks.get_as_mut(&key, Value::as_stream_mut)? else {
                return Ok(Reply::Nil);
            };
            if s.groups.contains_key(&group) {
                return Err(Reply::error("BUSYGROUP Consumer Group name already exists"));
            }
            s.groups.insert(
                group,
                Group {
                    last_id: id,
                    entries_read: read,
                    ..Group::default()
                },
            );
            changed(&mut ks, &key, Some("xgroup-create"));
            return Ok(Reply::ok());
        }
        let Some(s) = ks.get_as_mut(&key, Value::as_stream_mut)? else {
            return Err(syntax());
        };
        if is(&sub, "setid") && (argc == 5 || argc == 7) {
            let id = if c_str(call.arg(4)) == b"$" {
                s.last_id
            } else {
                super::streams::parse_any_id(call.arg(4))?
            };
            if let Some(cg) = s.groups.get_mut(&group) {
                cg.last_id = id;
                cg.entries_read = read;
            }
            changed(&mut ks, &key, Some("xgroup-setid"));
            return Ok(Reply::ok());
        }
        if is(&sub, "destroy") && argc == 4 {
            if s.groups.remove(&group).is_none() {
                return Ok(Reply::Integer(0));
            }
            changed(&mut ks, &key, Some("xgroup-destroy"));
            let db = ks.db.index;
            e.signal_ready(db, &key);
            return Ok(Reply::Integer(1));
        }
        if is(&sub, "createconsumer") && argc == 5 {
            let created = s
                .groups
                .get_mut(&group[..])
                .is_some_and(|cg| cg.touch_consumer(call.arg(4), now, false));
            if created {
                changed(&mut ks, &key, Some("xgroup-createconsumer"));
            }
            return Ok(Reply::Integer(i64::from(created)));
        }
        if is(&sub, "delconsumer") && argc == 5 {
            let consumer = call.arg(4).to_vec();
            let Some(cg) = s.groups.get_mut(&group) else {
                return Ok(Reply::Integer(0));
            };
            if cg.consumers.remove(&consumer).is_none() {
                return Ok(Reply::Integer(0));
            }
            let owned: Vec<StreamId> = cg.owned(&consumer, StreamId::MIN).collect();
            for id in &owned {
                cg.pel.remove(id);
            }
            changed(&mut ks, &key, Some("xgroup-delconsumer"));
            return Ok(Reply::Integer(owned.len() as i64));
        }
        Err(syntax())
    })())
}

/// XACK key group id [id ...]: all IDs parsed before any is acknowledged.
fn xack(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let key = call.arg(1).to_vec();
        let group = call.arg(2).to_vec();
        let mut ks = e.keyspace(call.client);
        let found = ks
            .get_as(&key, Value::as_stream)?
            .is_some_and(|s| s.groups.contains_key(&group));
        if !found {
            return Ok(Reply::Integer(0));
        }
        let ids = call.argv[3..]
            .iter()
            .map(|a| strict_id(a))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(cg) = ks
            .get_as_mut(&key, Value::as_stream_mut)?
            .and_then(|s| s.groups.get_mut(&group))
        else {
            return Ok(Reply::Integer(0));
        };
        let mut acked = 0;
        for id in ids {
            if cg.pel.remove(&id).is_some() {
                acked += 1;
            }
        }
        if acked > 0 {
            changed(&mut ks, &key, None);
        }
        Ok(Reply::Integer(acked))
    })())
}

/// XPENDING key group [[IDLE min-idle] start end count [consumer]]
fn xpending(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let argc = call.argv.len();
        let summary = argc == 3;
        if argc != 3 && !(6..=9).contains(&argc) {
            return Err(errors::syntax());
        }
        let mut min_idle: i64 = 0;
        let mut range = (StreamId::MIN, StreamId::MAX, 0i64);
        let mut consumer: Option<Vec<u8>> = None;
        if argc >= 6 {
            let mut at = 3;
            if is(call.arg(3), "idle") {
                min_idle = long_long(call.arg(4))?;
                if argc < 8 {
                    return Err(errors::syntax());
                }
                at += 2;
            }
            let count = long_long(call.arg(at + 2))?.max(0);
            let (mut start, start_ex) = interval_id(call.arg(at), 0)?;
            if start_ex {
                start = start
                    .incr()
                    .ok_or_else(|| Reply::error("ERR invalid start ID for the interval"))?;
            }
            let (mut end, end_ex) = interval_id(call.arg(at + 1), u64::MAX)?;
            if end_ex {
                end = end
                    .decr()
                    .ok_or_else(|| Reply::error("ERR invalid end ID for the interval"))?;
            }
            if at + 3 < argc {
                consumer = Some(call.arg(at + 3).to_vec());
            }
            range = (start, end, count);
        }
        let key = call.arg(1).to_vec();
        let group = call.arg(2).to_vec();
        let now = e.now;
        let mut ks = e.keyspace(call.client);
        let Some(cg) = ks
            .get_as(&key, Value::as_stream)?
            .and_then(|s| s.groups.get(&group))
        else {
            return Err(nogroup(&key, &group));
        };
        if summary {
            let (Some(first), Some(last)) = (cg.pel.keys().next(), cg.pel.keys().next_back())
            else {
                return Ok(Reply::Array(vec![
                    Reply::Integer(0),
                    Reply::Nil,
                    Reply::Nil,
                    Reply::NilArray,
                ]));
            };
            let owners = cg
                .consumers
                .keys()
                .map(|n| (n, cg.owned_count(n)))
                .filter(|(_, owned)| *owned > 0)
                .map(|(n, owned)| {
                    Reply::Array(vec![
                        Reply::bulk(n.clone()),
                        Reply::Bulk(owned.to_string().into_bytes()),
                    ])
                })
                .collect();
            return Ok(Reply::Array(vec![
                Reply::Integer(cg.pel.len() as i64),
                id_reply(*first),
                id_reply(*last),
                Reply::Array(owners),
            ]));
        }
        let (start, end, mut count) = range;
        let ids: Vec<StreamId> = match &consumer {
            Some(name) => match cg.consumers.get(name) {
                None => return Ok(Reply::Array(Vec::new())),
                Some(_) => cg.owned(name, start).collect(),
            },
            None => cg.pel.range(start..).map(|(id, _)| *id).collect(),
        };
        let mut out = Vec::new();
        for id in ids {
            if count == 0 || id > end {
                break;
            }
            let Some(nack) = cg.pel.get(&id) else {
                continue;
            };
            let idle = now as i64 - nack.delivery_time as i64;
            if min_idle != 0 && idle < min_idle {
                continue;
            }
            count -= 1;
            out.push(Reply::Array(vec![
                id_reply(id),
                Reply::bulk(nack.consumer.clone()),
                Reply::Integer(idle.max(0)),
                Reply::Integer(nack.delivery_count as i64),
            ]));
        }
        Ok(Reply::Array(out))
    })())
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms]
/// [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
fn xclaim(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let argc = call.argv.len();
        let key = call.arg(1).to_vec();
        let group = call.arg(2).to_vec();
        let consumer = call.arg(3).to_vec();
        let now = e.now as i64;
        let mut ks = e.keyspace(call.client);
        let found = ks
            .get_as(&key, Value::as_stream)?
            .is_some_and(|s| s.groups.contains_key(&group));
        if !found {
            return Err(nogroup(&key, &group));
        }
        let min_idle = super::num::parse_i64(call.arg(4))
            .ok_or_else(|| Reply::error("ERR Invalid min-idle-time argument for XCLAIM"))?
            .max(0);
        let mut j = 5;
        let mut ids = Vec::new();
        while j < argc {
            match strict_id(call.arg(j)) {
                Ok(id) => ids.push(id),
                Err(_) => break,
            }
            j += 1;
        }
        let mut force = false;
        let mut justid = false;
        let mut delivery: Option<i64> = None;
        let mut retry: Option<i64> = None;
        let mut last_id = StreamId::MIN;
        let option = |j: usize, what: &str| -> Result<i64, Reply> {
            super::num::parse_i64(call.arg(j)).ok_or_else(|| {
                Reply::error(format!("ERR Invalid {what} option argument for XCLAIM"))
            })
        };
        while j < argc {
            let more = argc - 1 - j;
            let opt = call.arg(j);
            if is(opt, "force") {
                force = true;
            } else if is(opt, "justid") {
                justid = true;
            } else if is(opt, "idle") && more > 0 {
                j += 1;
                delivery = Some(now.wrapping_sub(option(j, "IDLE")?));
            } else if is(opt, "time") && more > 0 {
                j += 1;
                delivery = Some(option(j, "TIME")?);
            } else if is(opt, "retrycount") && more > 0 {
                j += 1;
                retry = Some(option(j, "RETRYCOUNT")?);
            } else if is(opt, "lastid") && more > 0 {
                j += 1;
                last_id = strict_id(call.arg(j))?;
            } else {
                return Err(Reply::error(format!(
                    "ERR Unrecognized XCLAIM option '{}'",
                    name(opt)
                )));
            }
            j += 1;
        }
        let delivery = match delivery {
            Some(t) if t < 0 || t > now => now,
            Some(t) => t,
            None => now,
        } as u64;
        let Some(s) = ks.get_as_mut(&key, Value::as_stream_mut)? else {
            return Ok(Reply::Nil);
        };
        let mut created = false;
        let mut touched = false;
        if let Some(cg) = s.groups.get_mut(&group) {
            if last_id > cg.last_id {
                cg.last_id = last_id;
            }
        }
        let mut out = Vec::new();
        for id in ids {
            let exists = s.get(id).is_some();
            let entry = s.get(id).map(|f| entry_reply(id, f));
            let Some(cg) = s.groups.get_mut(&group) else {
                break;
            };
            if !exists {
                if cg.pel.remove(&id).is_some() {
                    touched = true;
                }
                continue;
            }
            let fresh = !cg.pel.contains_key(&id);
            if fresh && !force {
                continue;
            }
            if !fresh && min_idle != 0 {
                let idle = now - cg.pel[&id].delivery_time as i64;
                if idle < min_idle {
                    continue;
                }
            }
            created |= cg.touch_consumer(&consumer, now as u64, true);
            touched = true;
            let nack = cg.pel.entry(id).or_insert_with(|| {
                Box::new(Nack {
                    consumer: Vec::new(),
                    delivery_time: 0,
                    delivery_count: 0,
                })
            });
            nack.consumer.clone_from(&consumer);
            nack.delivery_time = delivery;
            match retry {
                Some(n) if n >= 0 => nack.delivery_count = n as u64,
                _ if !justid => nack.delivery_count += 1,
                _ => {}
            }
            out.push(if justid {
                id_reply(id)
            } else {
                entry.unwrap_or(Reply::Nil)
            });
        }
        if created {
            changed(&mut ks, &key, Some("xgroup-createconsumer"));
        } else if touched {
            changed(&mut ks, &key, None);
        }
        Ok(Reply::Array(out))
    })())
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]
fn xautoclaim(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let argc = call.argv.len();
        let min_idle = super::num::parse_i64(call.arg(4))
            .ok_or_else(|| Reply::error("ERR Invalid min-idle-time argument for XAUTOCLAIM"))?
            .max(0);
        let (mut start, start_ex) = interval_id(call.arg(5), 0)?;
        if start_ex {
            start = start
                .incr()
                .ok_or_else(|| Reply::error("ERR invalid start ID for the interval"))?;
        }
        let mut count: i64 = 100;
        let mut justid = false;
        let mut j = 6;
        while j < argc {
            let more = argc - 1 - j;
            if is(call.arg(j), "count") && more > 0 {
                // LONG_MAX / max(sizeof(streamID), 10)
                let max = i64::MAX / 16;
                count = super::num::parse_i64(call.arg(j + 1))
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| Reply::error("ERR COUNT must be > 0"))?;
                j += 1;
            } else if is(call.arg(j), "justid") {
                justid = true;
            } else {
                return Err(errors::syntax());
            }
            j += 1;
        }
        let key = call.arg(1).to_vec();
        let group = call.arg(2).to_vec();
        let consumer = call.arg(3).to_vec();
        let now = e.now;
        let mut ks = e.keyspace(call.client);
        let found = ks
            .get_as(&key, Value::as_stream)?
            .is_some_and(|s| s.groups.contains_key(&group));
        if !found {
            return Err(nogroup(&key, &group));
        }
        let Some(s) = ks.get_as_mut(&key, Value::as_stream_mut)? else {
            return Ok(Reply::Nil);
        };
        let mut attempts = count * 10;
        let pel: Vec<StreamId> = s
            .groups
            .get(&group)
            .map(|cg| cg.pel.range(start..).map(|(id, _)| *id).collect())
            .unwrap_or_default();
        let mut visited = 0;
        let mut claimed = Vec::new();
        let mut deleted = Vec::new();
        let mut created = false;
        let mut touched = false;
        for &id in &pel {
            if attempts == 0 || count == 0 {
                break;
            }
            attempts -= 1;
            visited += 1;
            let entry = s.get(id).map(|f| entry_reply(id, f));
            let Some(cg) = s.groups.get_mut(&group) else {
                break;
            };
            let Some(entry) = entry else {
                cg.pel.remove(&id);
                deleted.push(id_reply(id));
                touched = true;
                count -= 1;
                continue;
            };
            let idle = now as i64 - cg.pel[&id].delivery_time as i64;
            if min_idle != 0 && idle < min_idle {
                continue;
            }
            created |= cg.touch_consumer(&consumer, now, true);
            touched = true;
            if let Some(nack) = cg.pel.get_mut(&id) {
                nack.consumer.clone_from(&consumer);
                nack.delivery_time = now;
                if !justid {
                    nack.delivery_count += 1;
                }
            }
            claimed.push(if justid { id_reply(id) } else { entry });
            count -= 1;
        }
        let cursor = pel.get(visited).copied().unwrap_or(StreamId::MIN);
        if created {
            changed(&mut ks, &key, Some("xgroup-createconsumer"));
        } else if touched {
            changed(&mut ks, &key, None);
        }
        Ok(Reply::Array(vec![
            id_reply(cursor),
            Reply::Array(claimed),
            Reply::Array(deleted),
        ]))
    })())
}
