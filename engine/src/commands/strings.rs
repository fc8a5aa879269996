//! String commands: GET SET and friends, counters, ranges.

use super::{errors, Call, Handler, Keyspace};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::value::Value;

pub const HANDLERS: &[(&str, Handler)] = &[("get", get), ("set", set)];

fn get(e: &mut Engine, call: &mut Call) -> Reply {
    let mut ks = e.keyspace(call.client);
    match ks.get_str(call.arg(1)) {
        Ok(Some(v)) => Reply::Bulk(v.clone()),
        Ok(None) => Reply::Nil,
        Err(err) => err,
    }
}

fn set(e: &mut Engine, call: &mut Call) -> Reply {
    let key = call.arg(1).to_vec();
    let value = call.arg(2).to_vec();
    if call.argv.len() > 3 {
        return errors::syntax();
    }
    let mut ks: Keyspace = e.keyspace(call.client);
    ks.set(&key, Value::Str(value), "set");
    Reply::ok()
}
