//! Connection and server commands: PING ECHO TIME DEBUG COMMAND, DBSIZE,
//! FLUSHDB FLUSHALL.

use super::{errors, Call, Handler};
use crate::engine::Engine;
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[("ping", ping), ("debug", debug), ("command", command)];

fn ping(_e: &mut Engine, call: &mut Call) -> Reply {
    match call.argv.len() {
        1 => Reply::Status("PONG".into()),
        2 => Reply::Bulk(call.arg(1).to_vec()),
        _ => errors::wrong_arity("ping"),
    }
}

/// DEBUG SLEEP advances the virtual clock instead of blocking.
fn debug(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = String::from_utf8_lossy(call.arg(1)).to_ascii_lowercase();
    if sub == "sleep" && call.argv.len() == 3 {
        let seconds: f64 = String::from_utf8_lossy(call.arg(2))
            .trim()
            .parse()
            .unwrap_or(0.0);
        e.sleep_after = (seconds * 1000.0).max(0.0) as u64;
        return Reply::ok();
    }
    Reply::error(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
        String::from_utf8_lossy(call.arg(1))
    ))
}

fn command(_e: &mut Engine, call: &mut Call) -> Reply {
    if call.argv.len() == 2 && call.arg(1).eq_ignore_ascii_case(b"count") {
        return Reply::Integer(super::implemented().count() as i64);
    }
    errors::unknown_subcommand("command", call.arg(1))
}
