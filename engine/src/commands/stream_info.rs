//! XINFO STREAM (FULL [COUNT]), GROUPS, CONSUMERS and HELP, with Redis
//! 7.0's fields (`entries-read`, `lag`, `max-deleted-entry-id`,
//! `recorded-first-entry-id`, `seen-time` ...).

use super::stream_groups::{help, id_reply, name};
use super::streams::{answer, entry_reply, long_long};
use super::{arg_is as is, errors, Call, Handler};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::stream::StreamId;
use crate::types::stream_group::Group;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[("xinfo", xinfo)];

const XINFO_HELP: &[&str] = &[
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
];

/// XINFO STREAM key [FULL [COUNT n]] | GROUPS key | CONSUMERS key group | HELP
fn xinfo(e: &mut Engine, call: &mut Call) -> Reply {
    answer((|| {
        let argc = call.argv.len();
        let sub = call.arg(1).to_vec();
        if is(&sub, "help") {
            if argc != 2 {
                return Err(errors::subcommand_syntax("xinfo", &sub));
            }
            return Ok(help(XINFO_HELP));
        }
        let key = call.arg(2).to_vec();
        let now = e.now;
        let mut ks = e.keyspace(call.client);
        let Some(s) = ks.get_as(&key, Value::as_stream)? else {
            return Err(errors::no_such_key());
        };
        let b = |t: &str| Reply::bulk(t.as_bytes().to_vec());
        if is(&sub, "consumers") && argc == 4 {
            let group = call.arg(3);
            let Some(cg) = s.groups.get(group) else {
                return Err(Reply::error(format!(
                    "NOGROUP No such consumer group '{}' for key name '{}'",
                    name(group),
                    name(&key)
                )));
            };
            return Ok(Reply::Array(
                cg.consumers
                    .iter()
                    .map(|(n, c)| {
                        Reply::Array(vec![
                            b("name"),
                            Reply::bulk(n.clone()),
                            b("pending"),
                            Reply::Integer(cg.owned_count(n) as i64),
                            b("idle"),
                            Reply::Integer((now as i64 - c.seen_time as i64).max(0)),
                        ])
                    })
                    .collect(),
            ));
        }
        let lag = |cg: &Group| s.lag(cg).map_or(Reply::Nil, Reply::Integer);
        let read = |cg: &Group| {
            cg.entries_read
                .map_or(Reply::Nil, |n| Reply::Integer(n as i64))
        };
        if is(&sub, "groups") && argc == 3 {
            return Ok(Reply::Array(
                s.groups
                    .iter()
                    .map(|(n, cg)| {
                        Reply::Array(vec![
                            b("name"),
                            Reply::bulk(n.clone()),
                            b("consumers"),
                            Reply::Integer(cg.consumers.len() as i64),
                            b("pending"),
                            Reply::Integer(cg.pel.len() as i64),
                            b("last-delivered-id"),
                            id_reply(cg.last_id),
                            b("entries-read"),
                            read(cg),
                            b("lag"),
                            lag(cg),
                        ])
                    })
                    .collect(),
            ));
        }
        if !is(&sub, "stream") {
            return Err(errors::subcommand_syntax("xinfo", &sub));
        }
        let rest = &call.argv[3..];
        let full = !rest.is_empty();
        let mut count: i64 = 10;
        if full {
            let syntax = || errors::subcommand_syntax("xinfo", &sub);
            if (rest.len() != 1 && rest.len() != 3) || !is(&rest[0], "full") {
                return Err(syntax());
            }
            if rest.len() == 3 {
                if !is(&rest[1], "count") {
                    return Err(syntax());
                }
                count = long_long(&rest[2])?;
                if count < 0 {
                    count = 10;
                }
            }
        }
        let mut out = vec![
            b("length"),
            Reply::Integer(s.len() as i64),
            b("radix-tree-keys"),
            Reply::Integer(s.node_count() as i64),
            b("radix-tree-nodes"),
            Reply::Integer(s.rax_nodes() as i64),
            b("last-generated-id"),
            id_reply(s.last_id),
            b("max-deleted-entry-id"),
            id_reply(s.max_deleted_id),
            b("entries-added"),
            Reply::Integer(s.entries_added as i64),
            b("recorded-first-entry-id"),
            id_reply(s.first_id()),
        ];
        if !full {
            out.push(b("groups"));
            out.push(Reply::Integer(s.groups.len() as i64));
            out.push(b("first-entry"));
            out.push(s.first().map_or(Reply::Nil, |(id, f)| entry_reply(id, f)));
            out.push(b("last-entry"));
            out.push(s.last().map_or(Reply::Nil, |(id, f)| entry_reply(id, f)));
            return Ok(Reply::Array(out));
        }
        let limit = if count == 0 {
            usize::MAX
        } else {
            count as usize
        };
        out.push(b("entries"));
        out.push(Reply::Array(
            s.range(StreamId::MIN, StreamId::MAX, false)
                .take(limit)
                .map(|(id, f)| entry_reply(id, f))
                .collect(),
        ));
        out.push(b("groups"));
        let groups = s
            .groups
            .iter()
            .map(|(n, cg)| {
                let pending = cg
                    .pel
                    .iter()
                    .take(limit)
                    .map(|(id, nack)| {
                        Reply::Array(vec![
                            id_reply(*id),
                            Reply::bulk(nack.consumer.clone()),
                            Reply::Integer(nack.delivery_time as i64),
                            Reply::Integer(nack.delivery_count as i64),
                        ])
                    })
                    .collect();
                let consumers = cg
                    .consumers
                    .iter()
                    .map(|(cn, c)| {
                        let pending = cg
                            .owned(cn, StreamId::MIN)
                            .take(limit)
                            .filter_map(|id| cg.pel.get(&id).map(|nack| (id, nack)))
                            .map(|(id, nack)| {
                                Reply::Array(vec![
                                    id_reply(id),
                                    Reply::Integer(nack.delivery_time as i64),
                                    Reply::Integer(nack.delivery_count as i64),
                                ])
                            })
                            .collect();
                        Reply::Array(vec![
                            b("name"),
                            Reply::bulk(cn.clone()),
                            b("seen-time"),
                            Reply::Integer(c.seen_time as i64),
                            b("pel-count"),
                            Reply::Integer(cg.owned_count(cn) as i64),
                            b("pending"),
                            Reply::Array(pending),
                        ])
                    })
                    .collect();
                Reply::Array(vec![
                    b("name"),
                    Reply::bulk(n.clone()),
                    b("last-delivered-id"),
                    id_reply(cg.last_id),
                    b("entries-read"),
                    read(cg),
                    b("lag"),
                    lag(cg),
                    b("pel-count"),
                    Reply::Integer(cg.pel.len() as i64),
                    b("pending"),
                    Reply::Array(pending),
                    b("consumers"),
                    Reply::Array(consumers),
                ])
            })
            .collect();
        out.push(Reply::Array(groups));
        Ok(Reply::Array(out))
    })())
}
