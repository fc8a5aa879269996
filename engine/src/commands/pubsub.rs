//! The pub/sub family: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE
//! SSUBSCRIBE SUNSUBSCRIBE PUBLISH SPUBLISH PUBSUB. The subscriptions and
//! the delivery are in `crate::pubsub`.

use super::{arg_is, errors, Call, Handler};
use crate::engine::Engine;
use crate::event::SubKind;
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("subscribe", subscribe),
    ("unsubscribe", unsubscribe),
    ("psubscribe", psubscribe),
    ("punsubscribe", punsubscribe),
    ("ssubscribe", ssubscribe),
    ("sunsubscribe", sunsubscribe),
    ("publish", publish),
    ("spublish", spublish),
    ("pubsub", pubsub),
];

fn subscribe(e: &mut Engine, call: &mut Call) -> Reply {
    e.subscribe(call.client, SubKind::Channel, call.args())
}

fn psubscribe(e: &mut Engine, call: &mut Call) -> Reply {
    e.subscribe(call.client, SubKind::Pattern, call.args())
}

fn ssubscribe(e: &mut Engine, call: &mut Call) -> Reply {
    e.subscribe(call.client, SubKind::Shard, call.args())
}

fn unsubscribe(e: &mut Engine, call: &mut Call) -> Reply {
    e.unsubscribe(call.client, SubKind::Channel, call.args())
}

fn punsubscribe(e: &mut Engine, call: &mut Call) -> Reply {
    e.unsubscribe(call.client, SubKind::Pattern, call.args())
}

fn sunsubscribe(e: &mut Engine, call: &mut Call) -> Reply {
    e.unsubscribe(call.client, SubKind::Shard, call.args())
}

fn publish(e: &mut Engine, call: &mut Call) -> Reply {
    Reply::Integer(e.publish(call.arg(1), call.arg(2), false) as i64)
}

fn spublish(e: &mut Engine, call: &mut Call) -> Reply {
    Reply::Integer(e.publish(call.arg(1), call.arg(2), true) as i64)
}

/// PUBSUB HELP's text, as Redis 7.0 prints it.
const HELP: &[&str] = &[
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Prints this help.",
];

/// PUBSUB's subcommands. Dispatch has checked the name and the arity of
/// the subcommand's row; CHANNELS and SHARDCHANNELS take at most one
/// pattern, which `pubsubCommand` itself checks.
fn pubsub(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = call.arg(1);
    let args = &call.args()[1..];
    let channels = |shard: bool| match args {
        [] => Some(e.pubsub.active(shard, None)),
        [p] => Some(e.pubsub.active(shard, Some(p))),
        _ => None,
    };
    let numsub = |shard: bool| {
        let mut out = Vec::with_capacity(args.len() * 2);
        for channel in args {
            out.push(Reply::Bulk(channel.clone()));
            out.push(Reply::Integer(e.pubsub.numsub(shard, channel) as i64));
        }
        Reply::Array(out)
    };
    let names = |list: Option<Vec<Vec<u8>>>| match list {
        Some(list) => Reply::Array(list.into_iter().map(Reply::Bulk).collect()),
        None => errors::subcommand_syntax("pubsub", sub),
    };
    if arg_is(sub, "help") {
        Reply::Array(HELP.iter().map(|l| Reply::Status(l.to_string())).collect())
    } else if arg_is(sub, "channels") {
        names(channels(false))
    } else if arg_is(sub, "shardchannels") {
        names(channels(true))
    } else if arg_is(sub, "numsub") {
        numsub(false)
    } else if arg_is(sub, "shardnumsub") {
        numsub(true)
    } else if arg_is(sub, "numpat") {
        Reply::Integer(e.pubsub.numpat() as i64)
    } else {
        errors::subcommand_syntax("pubsub", sub)
    }
}

#[cfg(test)]
#[path = "pubsub_tests.rs"]
mod tests;
