//! MEMORY (Redis 7.0's `memoryCommand` in `object.c`): USAGE, the size
//! model of [`crate::types::memory`]; HELP; DOCTOR and PURGE, which have
//! nothing to report or to do in the engine; MALLOC-STATS answers as a
//! Redis built without an allocator that keeps statistics. STATS (the
//! server's memory breakdown) is not modelled.

use super::num;
use super::{errors, Call, Handler};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::types::memory;

pub const HANDLERS: &[(&str, Handler)] = &[("memory", memory_command)];

/// MEMORY HELP's text, as Redis 7.0 prints it.
const HELP: &[&str] = &[
    "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
    "HELP",
    "    Prints this help.",
];

/// What DOCTOR says below 5 MB of data, which is always the case of a
/// playground.
const DOCTOR_EMPTY: &str = "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";

/// Dispatch has resolved the subcommand and checked its arity.
fn memory_command(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = String::from_utf8_lossy(call.arg(1)).to_ascii_lowercase();
    match sub.as_str() {
        "usage" => usage(e, call),
        "help" => Reply::Array(HELP.iter().map(|l| Reply::Status(l.to_string())).collect()),
        "doctor" => Reply::bulk(DOCTOR_EMPTY),
        "purge" => Reply::ok(),
        "malloc-stats" => Reply::bulk("Stats not supported for the current allocator"),
        "stats" => Reply::error("ERR MEMORY STATS is not available in the playground"),
        _ => errors::unknown_subcommand("memory", call.arg(1)),
    }
}

/// MEMORY USAGE key [SAMPLES count]: options first (a negative count is
/// a syntax error, 0 samples everything), then the key, looked up as
/// Redis does it (`dictFind`: a key past its expiry but not yet removed
/// still answers, and is not removed).
fn usage(e: &mut Engine, call: &mut Call) -> Reply {
    let mut samples = memory::DEFAULT_SAMPLES;
    let argc = call.argv.len();
    let mut j = 3;
    while j < argc {
        let opt = call.arg(j);
        let opt = &opt[..opt.iter().position(|&b| b == 0).unwrap_or(opt.len())];
        if opt.eq_ignore_ascii_case(b"samples") && j + 1 < argc {
            samples = match num::parse_i64(call.arg(j + 1)) {
                None => return errors::not_integer(),
                Some(n) if n < 0 => return errors::syntax(),
                Some(0) => usize::MAX,
                Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
            };
            j += 2;
        } else {
            return errors::syntax();
        }
    }
    let key = call.arg(2);
    let index = e.clients.get(&call.client).map_or(0, |c| c.db);
    match e.dbs[index].peek(key) {
        Some(value) => Reply::Integer(memory::key_usage(key, value, samples) as i64),
        None => Reply::Nil,
    }
}
