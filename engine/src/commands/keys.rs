//! Generic key commands: DEL EXISTS TYPE, expiry, renaming, KEYS.

use super::{Call, Handler};
use crate::engine::Engine;
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[("del", del), ("ttl", ttl)];

fn del(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let n = call.args().iter().filter(|k| ks.delete(k)).count();
    Reply::Integer(n as i64)
}

fn ttl(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    let key = call.arg(1);
    if !ks.exists(key) {
        return Reply::Integer(-2);
    }
    match ks.expire_at(key) {
        None => Reply::Integer(-1),
        // Redis rounds the remaining time to the nearest second.
        Some(at) => Reply::Integer(((at - ks.now + 500) / 1000) as i64),
    }
}
