//! MEMORY (Redis 7.0's `memoryCommand` in `object.c`): USAGE, the size
//! model of [`crate::types::memory`]; HELP; DOCTOR and PURGE, which have
//! nothing to report or to do in the engine; MALLOC-STATS answers as a
//! Redis built without an allocator that keeps statistics. STATS gives
//! Redis's breakdown (`getMemoryOverheadData`) with the engine's figures:
//! the dictionaries' overhead and the key count as Redis computes them,
//! the total the engine's used memory (INFO's `used_memory`, what
//! maxmemory compares), the dataset the rest, and an allocator without
//! fragmentation.

use super::num;
use super::num::format_g17;
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
        "stats" => stats(e),
        _ => errors::unknown_subcommand("memory", call.arg(1)),
    }
}

/// What redis-server 7.0.15 has allocated before its first key (INFO's
/// `used_memory_startup`).
pub const STARTUP_ALLOCATED: u64 = 876_288;

/// A dict's bucket count as Redis keeps it: none while empty, then a
/// power of two from 4 that doubles when the dict is full.
fn dict_slots(n: usize) -> u64 {
    if n == 0 {
        0
    } else {
        n.next_power_of_two().max(4) as u64
    }
}

/// MEMORY STATS: Redis's fields in Redis's order. Ratios are C `float`s
/// sent as doubles, so they print as such (`%.17g` of the float).
fn stats(e: &mut Engine) -> Reply {
    const DICT_ENTRY: u64 = 24;
    const POINTER: u64 = 8;
    const ROBJ: u64 = 16;
    let mut fields: Vec<(String, Reply)> = Vec::new();
    let mut overhead = STARTUP_ALLOCATED;
    let mut keys = 0u64;
    let mut dbs = Vec::new();
    for db in &e.dbs {
        if db.is_empty() {
            continue;
        }
        let (n, volatile) = (db.len(), db.volatile_len());
        let main = n as u64 * (DICT_ENTRY + ROBJ) + dict_slots(n) * POINTER;
        let expires = volatile as u64 * DICT_ENTRY + dict_slots(volatile) * POINTER;
        overhead += main + expires;
        keys += n as u64;
        dbs.push((db.index, main, expires));
    }
    let total = e.used_memory().max(overhead);
    let dataset = total - overhead;
    let int = |n: u64| Reply::Integer(n as i64);
    let float = |x: f64| Reply::Bulk(format_g17(f64::from(x as f32)).into_bytes());
    for name in ["peak.allocated", "total.allocated"] {
        fields.push((name.into(), int(total)));
    }
    fields.push(("startup.allocated".into(), int(STARTUP_ALLOCATED)));
    for name in [
        "replication.backlog",
        "clients.slaves",
        "clients.normal",
        "cluster.links",
        "aof.buffer",
        "lua.caches",
    ] {
        fields.push((name.into(), int(0)));
    }
    fields.push(("functions.caches".into(), int(200)));
    for (index, main, expires) in dbs {
        let detail = vec![
            Reply::bulk("overhead.hashtable.main"),
            int(main),
            Reply::bulk("overhead.hashtable.expires"),
            int(expires),
            Reply::bulk("overhead.hashtable.slot-to-keys"),
            int(0),
        ];
        fields.push((format!("db.{index}"), Reply::Array(detail)));
    }
    let net = (total - STARTUP_ALLOCATED).max(1);
    fields.push(("overhead.total".into(), int(overhead)));
    fields.push(("keys.count".into(), int(keys)));
    fields.push((
        "keys.bytes-per-key".into(),
        int(net.checked_div(keys).unwrap_or(0)),
    ));
    fields.push(("dataset.bytes".into(), int(dataset)));
    fields.push((
        "dataset.percentage".into(),
        float(dataset as f64 * 100.0 / net as f64),
    ));
    fields.push(("peak.percentage".into(), float(100.0)));
    for name in [
        "allocator.allocated",
        "allocator.active",
        "allocator.resident",
    ] {
        fields.push((name.into(), int(total)));
    }
    for name in ["allocator-fragmentation", "allocator-rss", "rss-overhead"] {
        fields.push((format!("{name}.ratio"), float(1.0)));
        fields.push((format!("{name}.bytes"), int(0)));
    }
    fields.push(("fragmentation".into(), float(1.0)));
    fields.push(("fragmentation.bytes".into(), int(0)));
    Reply::Array(
        fields
            .into_iter()
            .flat_map(|(name, value)| [Reply::Bulk(name.into_bytes()), value])
            .collect(),
    )
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
