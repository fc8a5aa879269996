//! How two replies to the same command are compared. Most must be equal;
//! the few listed here are unordered by definition or carry the time of the
//! moment, which a virtual clock only approximates.

use engine::Reply;

/// How the replies to one command are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Exact,
    /// The array's order means nothing.
    Unordered(Unit),
    /// Integers within this distance are equal (times left or absolute
    /// times: the server's clock runs on while the engine's is set per line).
    Near(i64),
    /// Non-negative integers within this percentage of the server's are
    /// equal (MEMORY USAGE: an estimate of an allocator's state).
    Within(u8),
    /// TIME: `[seconds, microseconds]`, seconds within 2 of each other.
    Clock,
    /// INFO: the same sections in the same order, each with the same field
    /// names in the same order; values must match only where the engine
    /// can know them (see [`info_same`]).
    Info,
    /// MEMORY STATS: the same field names in the same order (the nested
    /// `db.N` maps too) and the same key count; other figures describe the
    /// server's allocator, so only their kind (integer, double) must match.
    MemoryStats,
    /// COMMAND's replies: Redis keeps subcommands in a hash table seeded
    /// at random when the server starts, so their order (the map after a
    /// `subcommands` key in DOCS, the last field of an INFO entry) means
    /// nothing.
    Introspection,
    /// CLIENT LIST and CLIENT INFO: the same lines with the same field
    /// names in order, exact values only for what the engine knows of a
    /// connection ([`CLIENT_EXACT`]); the server lists one more client,
    /// the harness's control connection (the oldest), which is dropped.
    Clients,
    /// CLIENT ID: a positive integer (the server numbers every
    /// connection since it started).
    ClientId,
    /// HELLO: exact but for the value after `id`, any integer (CLIENT
    /// TRACKINGINFO: after `redirect`, any client id).
    Hello,
    /// XPENDING and XINFO CONSUMERS: exact but for integers anywhere in
    /// the reply, within this distance: idle times in ms, which the
    /// server measures on its wall clock (a script's DEBUG SLEEP and each
    /// line's round trip add a few ms there).
    NearNested(u64),
}

/// What moves together when an unordered array is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Each element alone (KEYS, SMEMBERS).
    Items,
    /// Field-value pairs (HGETALL).
    Pairs,
    /// `[cursor, [items]]`: the items of a SCAN page.
    ScanItems,
    /// `[cursor, [field, value, ...]]`: HSCAN, ZSCAN.
    ScanPairs,
}

/// Commands whose reply order is unordered by definition. SPOP and
/// SRANDMEMBER are random too, but sorting does not make two random picks
/// equal: scripts use them only where the pick is forced. HGETALL, HKEYS,
/// HVALS and HSCAN are not here: a small (listpack) hash answers in
/// insertion order, which the engine keeps, so scripts compare them
/// exactly and use them on small hashes only.
pub const UNORDERED: &[(&str, Unit)] = &[
    ("keys", Unit::Items),
    ("scan", Unit::ScanItems),
    ("sdiff", Unit::Items),
    ("sinter", Unit::Items),
    ("smembers", Unit::Items),
    ("sscan", Unit::ScanItems),
    ("sunion", Unit::Items),
    ("zscan", Unit::ScanPairs),
];

/// Commands that answer with a time, and how far apart two answers may be:
/// milliseconds for the `p` ones (the server's clock runs on between lines,
/// the engine's does not), one second for EXPIRETIME and TTL: TTL rounds
/// to whole seconds, and a drift of a millisecond across a rounding
/// boundary changes it by one (the engine's own tests check its rounding
/// with a clock stepped by hand).
pub const NEAR: &[(&str, i64)] = &[
    ("expiretime", 1),
    ("pexpiretime", 100),
    ("pttl", 100),
    ("ttl", 1),
];

/// The policy for a command line: by name, or by name and subcommand for
/// CONFIG GET (a map from Redis's config dict, in its hash order) and
/// OBJECT IDLETIME (Redis's LRU clock ticks in whole seconds on the
/// server's own timer).
pub fn policy_for(argv: &[Vec<u8>]) -> Policy {
    let sub = argv.get(1).map(|a| a.to_ascii_lowercase());
    match (argv[0].to_ascii_lowercase().as_slice(), sub.as_deref()) {
        (b"config", Some(b"get")) => Policy::Unordered(Unit::Pairs),
        (b"object", Some(b"idletime")) => Policy::Near(1),
        (b"memory", Some(b"stats")) => Policy::MemoryStats,
        // Redis's channel dicts are hash tables seeded at start-up.
        (b"pubsub", Some(b"channels" | b"shardchannels")) => Policy::Unordered(Unit::Items),
        (b"client", Some(b"list" | b"info")) => Policy::Clients,
        (b"client", Some(b"id" | b"getredir")) => Policy::ClientId,
        (b"client", Some(b"trackinginfo")) => Policy::Hello,
        (b"hello", _) => Policy::Hello,
        (b"xinfo", Some(b"consumers")) | (b"xpending", _) => Policy::NearNested(STREAM_IDLE_MS),
        _ => policy(&argv[0]),
    }
}

/// The policy for a reply inside EXEC's, by its queued command: as
/// [`policy_for`], but OBJECT REFCOUNT within one, as Redis keeps the
/// queued commands' argument objects until EXEC ends, so a value stored
/// from one of them (SET, GETSET ...) counts one reference more inside
/// the transaction than the engine, which has no shared objects, says.
pub fn policy_in_exec(argv: &[Vec<u8>]) -> Policy {
    let sub = argv.get(1).map(|a| a.to_ascii_lowercase());
    match (argv[0].to_ascii_lowercase().as_slice(), sub.as_deref()) {
        (b"object", Some(b"refcount")) => Policy::Near(1),
        _ => policy_for(argv),
    }
}

/// MEMORY USAGE may differ from the server's by this percentage. Measured
/// (tests/corpus/memory-*.redis): strings, listpack hashes, intsets and
/// one-node lists match exactly; a long list built at its head (LPUSH) is
/// 8% off, as the engine packs quicklist nodes as tail pushes do; a
/// hashtable just grown is counted by Redis with both its tables until
/// its incremental rehash ends (that depends on the accesses since and on
/// Redis's seeded hash), up to 8 bytes per element more: 13% for 10,000
/// short members, at worst 17% for one-byte members.
pub const MEMORY_PERCENT: u8 = 20;

/// How far a stream idle time (ms) may be from the server's.
pub const STREAM_IDLE_MS: u64 = 60;

/// Integers within `distance`, everything else equal, at any depth.
fn near_nested(distance: u64, a: &Reply, b: &Reply) -> bool {
    match (a, b) {
        (Reply::Integer(x), Reply::Integer(y)) => x.abs_diff(*y) <= distance,
        (Reply::Array(x), Reply::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| near_nested(distance, x, y))
        }
        _ => a == b,
    }
}

/// The policy for a command, by its name as typed.
pub fn policy(name: &[u8]) -> Policy {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    match name.as_str() {
        "time" => return Policy::Clock,
        "command" => return Policy::Introspection,
        "info" => return Policy::Info,

        "memory" => return Policy::Within(MEMORY_PERCENT),
        _ => {}
    }
    if let Some(&(_, unit)) = UNORDERED.iter().find(|(n, _)| *n == name) {
        return Policy::Unordered(unit);
    }
    if let Some(&(_, distance)) = NEAR.iter().find(|(n, _)| *n == name) {
        return Policy::Near(distance);
    }
    Policy::Exact
}

/// True if the two replies count as the same under `policy`.
pub fn same(policy: Policy, expected: &Reply, actual: &Reply) -> bool {
    match policy {
        Policy::Exact => expected == actual,
        Policy::Unordered(unit) => normalize(unit, expected) == normalize(unit, actual),
        Policy::Near(distance) => match (expected, actual) {
            (Reply::Integer(a), Reply::Integer(b)) if *a >= 0 && *b >= 0 => {
                a.abs_diff(*b) <= distance.unsigned_abs()
            }
            _ => expected == actual,
        },
        Policy::Within(percent) => match (expected, actual) {
            (Reply::Integer(a), Reply::Integer(b)) if *a >= 0 && *b >= 0 => {
                a.abs_diff(*b) * 100 <= a.unsigned_abs() * u64::from(percent)
            }
            _ => expected == actual,
        },
        Policy::Introspection => canonical(expected) == canonical(actual),
        Policy::MemoryStats => stats_shape(expected) == stats_shape(actual),
        Policy::Info => match (expected, actual) {
            (Reply::Bulk(a), Reply::Bulk(b)) => info_same(a, b),
            _ => expected == actual,
        },
        Policy::Clock => match (clock(expected), clock(actual)) {
            (Some((a, _)), Some((b, _))) => a.abs_diff(b) <= 2,
            _ => expected == actual,
        },
        Policy::Clients => match (expected, actual) {
            (Reply::Bulk(a), Reply::Bulk(b)) => clients_same(a, b),
            _ => expected == actual,
        },
        Policy::ClientId => match (expected, actual) {
            (Reply::Integer(a), Reply::Integer(b)) => (*a > 0 && *b > 0) || a == b,
            _ => expected == actual,
        },
        Policy::Hello => hello_shape(expected) == hello_shape(actual),
        Policy::NearNested(distance) => near_nested(distance, expected, actual),
    }
}

/// CLIENT LIST fields the engine knows exactly; the others (id, addr,
/// laddr, fd, age, idle, buffer and memory figures) describe sockets and
/// an allocator it does not have, so only their names are compared.
pub const CLIENT_EXACT: &[&str] = &[
    "name", "flags", "db", "sub", "psub", "ssub", "multi", "events", "cmd", "user", "redir", "resp",
];

/// One CLIENT LIST line as compared: `name=value` for [`CLIENT_EXACT`]
/// fields, the bare name for the others; a `redir` to a client (a
/// positive id, which differs between the sides) as `redir=id`.
fn client_line(line: &str) -> Vec<String> {
    line.split(' ')
        .map(|field| match field.split_once('=') {
            Some(("redir", id)) if id.parse::<i64>().is_ok_and(|n| n > 0) => "redir=id".into(),
            Some((name, value)) if CLIENT_EXACT.contains(&name) => format!("{name}={value}"),
            Some((name, _)) => name.to_string(),
            None => field.to_string(),
        })
        .collect()
}

fn clients_same(expected: &[u8], actual: &[u8]) -> bool {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (expected, actual) = (text(expected), text(actual));
    let mut server: Vec<&str> = expected.lines().collect();
    let engine: Vec<&str> = actual.lines().collect();
    if server.len() == engine.len() + 1 {
        let id = |line: &str| {
            line.strip_prefix("id=")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(u64::MAX)
        };
        if let Some(oldest) = (0..server.len()).min_by_key(|&i| id(server[i])) {
            server.remove(oldest);
        }
    }
    server.len() == engine.len()
        && server
            .iter()
            .zip(&engine)
            .all(|(a, b)| client_line(a) == client_line(b))
}

/// HELLO's reply with the connection id blanked out.
fn hello_shape(reply: &Reply) -> Reply {
    match reply {
        Reply::Array(items) => {
            let mut items = items.clone();
            for i in 1..items.len() {
                // HELLO's `id`; CLIENT TRACKINGINFO's `redirect` (a client
                // id when positive).
                let id = items[i - 1] == Reply::bulk("id")
                    || (items[i - 1] == Reply::bulk("redirect")
                        && matches!(items[i], Reply::Integer(n) if n > 0));
                if id && matches!(items[i], Reply::Integer(_)) {
                    items[i] = Reply::Integer(0);
                }
            }
            Reply::Array(items)
        }
        other => other.clone(),
    }
}

/// MEMORY STATS as compared: each field's name with its value's kind, its
/// value too for `keys.count`; a nested map by its own shape.
fn stats_shape(reply: &Reply) -> Vec<String> {
    let Reply::Array(items) = reply else {
        return vec![format!("{reply:?}")];
    };
    let mut shape = Vec::new();
    for pair in items.chunks(2) {
        let name = match &pair[0] {
            Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
            other => format!("{other:?}"),
        };
        let value = match pair.get(1) {
            Some(Reply::Integer(n)) if name == "keys.count" => format!("{n}"),
            Some(Reply::Integer(_)) => "integer".into(),
            Some(Reply::Bulk(_)) => "double".into(),
            Some(nested @ Reply::Array(_)) => stats_shape(nested).join(","),
            other => format!("{other:?}"),
        };
        shape.push(format!("{name}={value}"));
    }
    shape
}

/// INFO fields whose values the engine reproduces exactly.
const INFO_EXACT: &[&str] = &[
    "redis_version",
    "redis_mode",
    "arch_bits",
    "hz",
    "configured_hz",
    "config_file",
    "maxmemory",
    "maxmemory_human",
    "maxmemory_policy",
    "evicted_keys",
    "role",
    "connected_slaves",
    "cluster_enabled",
    "aof_enabled",
];

/// Sections whose lines depend on the server's whole history (every
/// script run so far), so only their title is compared.
const INFO_HISTORY: &[&str] = &["# Errorstats", "# Commandstats", "# Latencystats"];

/// Two INFO texts: same section titles and field names, in order; exact
/// values for [`INFO_EXACT`] and the keyspace lines (but `avg_ttl`, a
/// running estimate of the server's expiry cycle).
fn info_same(a: &[u8], b: &[u8]) -> bool {
    info_shape(a) == info_shape(b)
}

fn info_shape(text: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.split("\r\n") {
        if line.starts_with('#') {
            skipping = INFO_HISTORY.contains(&line);
            out.push(line.to_string());
            continue;
        }
        if skipping || line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            out.push(line.to_string());
            continue;
        };
        if name.starts_with("db") && name[2..].bytes().all(|b| b.is_ascii_digit()) {
            let value = value.split(",avg_ttl=").next().unwrap_or(value);
            out.push(format!("{name}:{value}"));
        } else if INFO_EXACT.contains(&name) {
            out.push(line.to_string());
        } else {
            out.push(name.to_string());
        }
    }
    out
}

fn clock(reply: &Reply) -> Option<(i64, i64)> {
    let Reply::Array(items) = reply else {
        return None;
    };
    let number = |r: &Reply| match r {
        Reply::Bulk(b) => String::from_utf8_lossy(b).parse::<i64>().ok(),
        _ => None,
    };
    match items.as_slice() {
        [s, us] => Some((
            number(s)?,
            number(us).filter(|u| (0..1_000_000).contains(u))?,
        )),
        _ => None,
    }
}

/// The reply with its unordered part sorted.
fn normalize(unit: Unit, reply: &Reply) -> Reply {
    match (unit, reply) {
        (Unit::Items, Reply::Array(items)) => Reply::Array(sorted(items, 1)),
        (Unit::Pairs, Reply::Array(items)) => Reply::Array(sorted(items, 2)),
        (Unit::ScanItems | Unit::ScanPairs, Reply::Array(page)) => match page.as_slice() {
            [cursor, Reply::Array(items)] => {
                let chunk = if unit == Unit::ScanPairs { 2 } else { 1 };
                Reply::Array(vec![cursor.clone(), Reply::Array(sorted(items, chunk))])
            }
            _ => reply.clone(),
        },
        _ => reply.clone(),
    }
}

/// A COMMAND reply with its subcommands sorted, at any depth.
pub fn canonical(reply: &Reply) -> Reply {
    let Reply::Array(items) = reply else {
        return reply.clone();
    };
    let mut out: Vec<Reply> = items.iter().map(canonical).collect();
    for i in 1..out.len() {
        if out[i - 1] == Reply::bulk("subcommands") {
            if let Reply::Array(map) = &out[i] {
                out[i] = Reply::Array(sorted(map, 2));
            }
        }
    }
    // A COMMAND INFO entry: name, arity, flags, first, last, step, ACL
    // categories, tips, key specs, subcommands.
    if out.len() == 10 && matches!((&out[0], &out[1]), (Reply::Bulk(_), Reply::Integer(_))) {
        if let Reply::Array(subs) = &out[9] {
            out[9] = Reply::Array(sorted(subs, 1));
        }
    }
    Reply::Array(out)
}

fn sorted(items: &[Reply], chunk: usize) -> Vec<Reply> {
    let mut groups: Vec<&[Reply]> = items.chunks(chunk).collect();
    groups.sort_by_cached_key(|g| g.iter().flat_map(Reply::to_resp).collect::<Vec<u8>>());
    groups.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulks(words: &[&str]) -> Reply {
        Reply::Array(words.iter().map(|w| Reply::bulk(*w)).collect())
    }

    #[test]
    fn unordered_arrays_compare_as_sorted_lists() {
        let keys = Policy::Unordered(Unit::Items);
        assert_eq!(policy(b"KEYS"), keys);
        assert!(same(keys, &bulks(&["a", "b"]), &bulks(&["b", "a"])));
        assert!(!same(keys, &bulks(&["a", "b"]), &bulks(&["a", "a"])));
        assert!(!same(keys, &bulks(&["a"]), &bulks(&["a", "a"])));
    }

    #[test]
    fn pairs_move_together() {
        let p = Policy::Unordered(Unit::Pairs);
        assert!(same(
            p,
            &bulks(&["f", "1", "g", "2"]),
            &bulks(&["g", "2", "f", "1"])
        ));
        assert!(!same(
            p,
            &bulks(&["f", "1", "g", "2"]),
            &bulks(&["f", "2", "g", "1"])
        ));
        let scan = |c: &str, items: &[&str]| Reply::Array(vec![Reply::bulk(c), bulks(items)]);
        let s = policy(b"scan");
        assert!(same(s, &scan("0", &["x", "y"]), &scan("0", &["y", "x"])));
        assert!(!same(s, &scan("0", &["x", "y"]), &scan("5", &["y", "x"])));
    }

    #[test]
    fn small_hashes_compare_in_order() {
        for name in [&b"hgetall"[..], b"hkeys", b"hvals", b"hscan"] {
            assert_eq!(policy(name), Policy::Exact);
        }
    }

    #[test]
    fn times_compare_within_a_distance_but_special_values_exactly() {
        let p = policy(b"pttl");
        assert!(same(p, &Reply::Integer(999), &Reply::Integer(1000)));
        assert!(!same(p, &Reply::Integer(500), &Reply::Integer(1000)));
        assert!(!same(p, &Reply::Integer(-1), &Reply::Integer(-2)));
        assert!(!same(
            policy(b"ttl"),
            &Reply::Integer(8),
            &Reply::Integer(10)
        ));
        assert!(same(policy(b"GET"), &Reply::Nil, &Reply::Nil));
        assert!(!same(policy(b"GET"), &Reply::Nil, &Reply::NilArray));
    }

    #[test]
    fn stream_idle_times_compare_within_a_distance_at_any_depth() {
        let pending = |idle: i64, name: &str| {
            Reply::Array(vec![Reply::Array(vec![
                Reply::Bulk(b"1-1".to_vec()),
                Reply::Bulk(name.as_bytes().to_vec()),
                Reply::Integer(idle),
                Reply::Integer(1),
            ])])
        };
        let argv = vec![b"XPENDING".to_vec(), b"s".to_vec(), b"g".to_vec()];
        let policy = policy_for(&argv);
        assert_eq!(policy, Policy::NearNested(STREAM_IDLE_MS));
        assert!(same(policy, &pending(300, "a"), &pending(304, "a")));
        assert!(!same(policy, &pending(300, "a"), &pending(400, "a")));
        assert!(!same(policy, &pending(300, "a"), &pending(300, "b")));
        assert!(!same(policy, &pending(300, "a"), &Reply::Array(Vec::new())));
    }

    #[test]
    fn memory_usage_compares_within_a_share() {
        let p = policy(b"MEMORY");
        assert!(same(p, &Reply::Integer(1000), &Reply::Integer(1200)));
        assert!(same(p, &Reply::Integer(1000), &Reply::Integer(800)));
        assert!(!same(p, &Reply::Integer(1000), &Reply::Integer(1201)));
        assert!(!same(p, &Reply::Integer(48), &Reply::Nil));
        assert!(same(p, &Reply::Nil, &Reply::Nil));
        assert!(!same(p, &Reply::error("ERR syntax error"), &Reply::Nil));
    }

    #[test]
    fn subcommands_compare_in_any_order() {
        let docs = |pairs: &[&str]| Reply::Array(vec![Reply::bulk("subcommands"), bulks(pairs)]);
        let p = policy(b"COMMAND");
        let ab = docs(&["c|a", "x", "c|b", "y"]);
        assert!(same(p, &ab, &docs(&["c|b", "y", "c|a", "x"])));
        assert!(!same(p, &ab, &docs(&["c|b", "x", "c|a", "y"])));
    }

    #[test]
    fn info_compares_names_and_known_values() {
        let p = policy(b"INFO");
        let info = |s: &str| Reply::Bulk(s.as_bytes().to_vec());
        let server = "# Server\r\nredis_version:7.0.15\r\nprocess_id:5\r\n\r\n# Errorstats\r\nerrorstat_ERR:count=3\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=7\r\n";
        let engine = "# Server\r\nredis_version:7.0.15\r\nprocess_id:1\r\n\r\n# Errorstats\r\n\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n";
        assert!(same(p, &info(server), &info(engine)));
        assert!(!same(
            p,
            &info(server),
            &info(&engine.replace("keys=1", "keys=2"))
        ));
        assert!(!same(
            p,
            &info(server),
            &info(&engine.replace("process_id", "pid"))
        ));
        assert!(!same(
            p,
            &info(server),
            &info(&engine.replace("7.0.15", "7.2.0"))
        ));
        let config_get = |a: &str| vec![b"config".to_vec(), b"GET".to_vec(), a.as_bytes().to_vec()];
        assert_eq!(
            policy_for(&config_get("hz")),
            Policy::Unordered(Unit::Pairs)
        );
        assert_eq!(
            policy_for(&[b"config".to_vec(), b"set".to_vec()]),
            Policy::Exact
        );
    }

    #[test]
    fn time_checks_shape_and_seconds() {
        let t = policy(b"time");
        assert!(same(t, &bulks(&["100", "5"]), &bulks(&["101", "999999"])));
        assert!(!same(t, &bulks(&["100", "5"]), &bulks(&["200", "5"])));
        assert!(!same(t, &bulks(&["100", "5"]), &bulks(&["100", "x"])));
    }
}
