//! Connection and server commands: PING ECHO TIME DBSIZE FLUSHDB FLUSHALL
//! DEBUG (COMMAND lives in `introspect.rs`).

use super::num::{parse_i64, strtod};
use super::{errors, introspect, Call, Handler};
use crate::engine::{Engine, DATABASES};
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[
    ("command", introspect::command),
    ("dbsize", dbsize),
    ("debug", debug),
    ("echo", echo),
    ("flushall", flushall),
    ("flushdb", flushdb),
    ("ping", ping),
    ("select", select),
    ("time", time),
];

/// PING's table arity is "at least 1", so Redis checks the upper bound
/// itself, with the usual arity text.
fn ping(e: &mut Engine, call: &mut Call) -> Reply {
    // In subscribed mode (RESP2) PING answers as a message: ["pong", arg].
    if call.argv.len() <= 2 && e.pubsub.is_subscribed(call.client) {
        let arg = call.argv.get(1).cloned().unwrap_or_default();
        return Reply::Array(vec![Reply::bulk("pong"), Reply::Bulk(arg)]);
    }
    match call.argv.len() {
        1 => Reply::Status("PONG".into()),
        2 => Reply::Bulk(call.arg(1).to_vec()),
        _ => errors::wrong_arity("ping"),
    }
}

fn echo(_e: &mut Engine, call: &mut Call) -> Reply {
    Reply::Bulk(call.arg(1).to_vec())
}

/// TIME from the virtual clock: seconds and microseconds, as bulk strings.
fn time(e: &mut Engine, _call: &mut Call) -> Reply {
    let now = e.now();
    let seconds = now / 1000;
    let micros = (now % 1000) * 1000;
    Reply::Array(vec![
        Reply::Bulk(seconds.to_string().into_bytes()),
        Reply::Bulk(micros.to_string().into_bytes()),
    ])
}

/// DBSIZE counts every key in the table, including ones past their expiry
/// that neither a lookup nor the active cycle has reclaimed yet, as
/// Redis's `dictSize` does.
fn dbsize(e: &mut Engine, call: &mut Call) -> Reply {
    Reply::Integer(e.keyspace(call.client).db.len() as i64)
}

/// Redis's `getFlushCommandFlags`: nothing, `SYNC` or `ASYNC`, alone. The
/// engine frees at once either way, which is all a client can observe.
fn flush_args_ok(call: &Call) -> bool {
    match call.args() {
        [] => true,
        [mode] => mode.eq_ignore_ascii_case(b"sync") || mode.eq_ignore_ascii_case(b"async"),
        _ => false,
    }
}

fn flushdb(e: &mut Engine, call: &mut Call) -> Reply {
    if !flush_args_ok(call) {
        return errors::syntax();
    }
    let index = e.clients.get(&call.client).map_or(0, |c| c.db);
    crate::tx::touch_db(e, call.client, index, None); // breaks WATCHes
    e.keyspace(call.client).flush();
    e.invalidate_all(); // client-side caching: a null to every tracker
    Reply::ok()
}

fn flushall(e: &mut Engine, call: &mut Call) -> Reply {
    if !flush_args_ok(call) {
        return errors::syntax();
    }
    for index in 0..DATABASES {
        crate::tx::touch_db(e, call.client, index, None); // breaks WATCHes
        e.keyspace_of(index).flush();
    }
    e.invalidate_all(); // client-side caching: a null to every tracker
    Reply::ok()
}

/// SELECT index: Redis reads a C `int` (`getIntFromObjectOrReply`: an
/// integer beyond `int` has its own error, with Redis's wording), then
/// checks that it names one of the 16 databases.
fn select(e: &mut Engine, call: &mut Call) -> Reply {
    let Some(id) = parse_i64(call.arg(1)) else {
        return errors::not_integer();
    };
    if i32::try_from(id).is_err() {
        return Reply::error(
            "ERR value is out of range, value must between -2147483648 and 2147483647",
        );
    }
    match usize::try_from(id) {
        Ok(index) if index < DATABASES => {
            if let Some(client) = e.clients.get_mut(&call.client) {
                client.db = index;
            }
            Reply::ok()
        }
        _ => Reply::error("ERR DB index is out of range"),
    }
}

/// DEBUG SLEEP advances the virtual clock once the reply is out (the
/// engine never blocks). Other DEBUG subcommands look into Redis's
/// internals, which the engine does not have, so they get the answer Redis
/// gives to a subcommand it does not know.
fn debug(e: &mut Engine, call: &mut Call) -> Reply {
    if call.argv.len() == 3 && call.arg(1).eq_ignore_ascii_case(b"sleep") {
        e.sleep_after = sleep_ms(call.arg(2));
        return Reply::ok();
    }
    errors::subcommand_syntax("debug", call.arg(1))
}

/// How long `DEBUG SLEEP <seconds>` really sleeps, in whole ms. Redis does
/// `long long utime = strtod(arg) * 1000000` and hands it to nanosleep: a
/// negative time fails (no sleep), and on x86 a NaN or a product beyond
/// 64 bits converts to the minimum integer, so it does not sleep either.
pub fn sleep_ms(arg: &[u8]) -> u64 {
    let micros = strtod(arg) * 1_000_000.0;
    // 2^63 as f64: the first value a 64-bit integer cannot hold.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(0.0..LIMIT).contains(&micros) {
        return 0;
    }
    (micros as u64) / 1000
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
