//! Server administration: CONFIG (over [`crate::config`]) and INFO.

use super::{errors, Call, Handler};
use crate::engine::{Engine, DATABASES};
use crate::reply::Reply;

pub const HANDLERS: &[(&str, Handler)] = &[("config", config), ("info", info)];

const CONFIG_HELP: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
];

/// CONFIG GET|SET|RESETSTAT|REWRITE|HELP. Dispatch has checked the
/// subcommand and its arity.
fn config(e: &mut Engine, call: &mut Call) -> Reply {
    let sub = call.arg(1).to_ascii_lowercase();
    match sub.as_slice() {
        b"help" => Reply::Array(
            CONFIG_HELP
                .iter()
                .map(|l| Reply::Status(l.to_string()))
                .collect(),
        ),
        b"get" => {
            let pairs = e.config.get_matching(&call.argv[2..]);
            let mut out = Vec::with_capacity(pairs.len() * 2);
            for (name, value) in pairs {
                out.push(Reply::Bulk(name));
                out.push(Reply::Bulk(value.into_bytes()));
            }
            Reply::Array(out)
        }
        b"set" => {
            // Pairs only: an odd count is a syntax error, not an arity one.
            if !call.argv.len().is_multiple_of(2) {
                return errors::syntax();
            }
            match e.config.set_many(&call.argv[2..]) {
                Ok(()) => {
                    e.apply_config();
                    // Redis starts its eviction time event after a new
                    // maxmemory; it runs before the next command.
                    crate::evict::perform_evictions(e);
                    Reply::ok()
                }
                Err(text) => Reply::Error(errors::sanitize(&format!("ERR {text}"))),
            }
        }
        b"resetstat" => {
            e.evict.evicted_keys = 0;
            Reply::ok()
        }
        b"rewrite" => Reply::error("ERR The server is running without a config file"),
        _ => errors::unknown_subcommand("config", call.arg(1)),
    }
}

/// INFO's sections in the order Redis prints them, and whether each is in
/// `INFO` / `INFO default` (the rest only in `all` and `everything`).
const SECTIONS: &[(&str, bool)] = &[
    ("server", true),
    ("clients", true),
    ("memory", true),
    ("persistence", true),
    ("stats", true),
    ("replication", true),
    ("cpu", true),
    ("modules", true),
    ("commandstats", false),
    ("errorstats", true),
    ("latencystats", false),
    ("cluster", true),
    ("keyspace", true),
];

/// INFO [section ...]: the sections asked for (any case, in Redis's order
/// whatever the order asked), `default`, `all` or `everything`. Values the
/// engine has no counterpart for (process ids, CPU, allocator figures) are
/// plausible constants; the differential tests compare those by name only.
fn info(e: &mut Engine, call: &mut Call) -> Reply {
    let mut wanted = [false; SECTIONS.len()];
    if call.argv.len() == 1 {
        for (w, &(_, default)) in wanted.iter_mut().zip(SECTIONS) {
            *w = default;
        }
    }
    for arg in &call.argv[1..] {
        let arg = arg.to_ascii_lowercase();
        for (w, &(name, default)) in wanted.iter_mut().zip(SECTIONS) {
            *w |= match arg.as_slice() {
                b"all" | b"everything" => true,
                b"default" => default,
                a => a == name.as_bytes(),
            };
        }
    }
    let mut out = String::new();
    for (&(name, _), _) in SECTIONS.iter().zip(wanted).filter(|(_, w)| *w) {
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        section(e, name, &mut out);
    }
    Reply::Bulk(out.into_bytes())
}

/// Appends one section: its `# Title` line and its `field:value` lines.
fn section(e: &Engine, name: &str, out: &mut String) {
    let mut title = name.to_string();
    title[..1].make_ascii_uppercase();
    if name == "cpu" {
        title = "CPU".into();
    }
    out.push_str(&format!("# {title}\r\n"));
    let now = e.now();
    let fields: Vec<(&str, String)> = match name {
        "server" => {
            let mut f = fixed(SERVER_HEAD);
            f.extend([
                ("process_id", "1".to_string()),
                ("process_supervised", "no".into()),
                ("run_id", "0".repeat(40)),
                ("tcp_port", "6379".into()),
                ("server_time_usec", (now * 1000).to_string()),
                (
                    "uptime_in_seconds",
                    (now.saturating_sub(e.started) / 1000).to_string(),
                ),
                (
                    "uptime_in_days",
                    (now.saturating_sub(e.started) / 86_400_000).to_string(),
                ),
                ("hz", e.config.hz().to_string()),
                ("configured_hz", e.config.configured_hz.to_string()),
                ("lru_clock", ((now / 1000) & 0xff_ffff).to_string()),
                ("executable", "/usr/bin/redis-server".into()),
                ("config_file", String::new()),
                ("io_threads_active", "0".into()),
            ]);
            f
        }
        "clients" => vec![
            ("connected_clients", e.clients.len().to_string()),
            ("cluster_connections", "0".into()),
            ("maxclients", "10000".into()),
            ("client_recent_max_input_buffer", "0".into()),
            ("client_recent_max_output_buffer", "0".into()),
            ("blocked_clients", e.blocking.blocked_count().to_string()),
            ("tracking_clients", e.tracking.clients.to_string()),
            (
                "clients_in_timeout_table",
                e.blocking.timed_count().to_string(),
            ),
        ],
        "memory" => {
            let used = e.used_memory();
            let mut f = vec![
                ("used_memory", used.to_string()),
                ("used_memory_human", bytes_to_human(used)),
            ];
            f.extend(fixed(MEMORY_MID));
            f.extend([
                ("maxmemory", e.config.maxmemory.to_string()),
                ("maxmemory_human", bytes_to_human(e.config.maxmemory)),
                ("maxmemory_policy", e.config.policy_name().to_string()),
            ]);
            f.extend(fixed(MEMORY_TAIL));
            f
        }
        "persistence" => {
            let mut f = fixed(PERSISTENCE);
            f.push(("rdb_last_save_time", (e.started / 1000).to_string()));
            f.extend(fixed(PERSISTENCE_TAIL));
            f
        }
        "stats" => {
            let mut f = fixed(STATS);
            if let Some(field) = f.iter_mut().find(|(k, _)| *k == "evicted_keys") {
                field.1 = e.evict.evicted_keys.to_string();
            }
            f
        }
        "replication" => fixed(REPLICATION),
        "cpu" => fixed(CPU),
        "cluster" => vec![("cluster_enabled", "0".into())],
        // Redis's `avg_ttl` is a running estimate of its expiry cycle's
        // samples; the engine does not keep one.
        "keyspace" => e
            .dbs
            .iter()
            .filter(|db| !db.is_empty())
            .map(|db| {
                let line = format!("keys={},expires={},avg_ttl=0", db.len(), db.volatile_len());
                (DB_NAMES[db.index], line)
            })
            .collect(),
        // Modules: none; the statistics sections: the engine keeps none.
        _ => Vec::new(),
    };
    for (k, v) in fields {
        out.push_str(k);
        out.push(':');
        out.push_str(&v);
        out.push_str("\r\n");
    }
}

const DB_NAMES: [&str; DATABASES] = [
    "db0", "db1", "db2", "db3", "db4", "db5", "db6", "db7", "db8", "db9", "db10", "db11", "db12",
    "db13", "db14", "db15",
];

/// Fields whose values never change, as `name:value` lines.
fn fixed(text: &'static str) -> Vec<(&'static str, String)> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k, v.to_string()))
        .collect()
}

const SERVER_HEAD: &str = "redis_version:7.0.15
redis_git_sha1:00000000
redis_git_dirty:0
redis_build_id:0
redis_mode:standalone
os:Browser wasm32
arch_bits:64
monotonic_clock:virtual
multiplexing_api:none
atomicvar_api:none
gcc_version:0.0.0";

const MEMORY_MID: &str = "used_memory_rss:0
used_memory_rss_human:0B
used_memory_peak:0
used_memory_peak_human:0B
used_memory_peak_perc:0.00%
used_memory_overhead:876288
used_memory_startup:876288
used_memory_dataset:0
used_memory_dataset_perc:0.00%
allocator_allocated:0
allocator_active:0
allocator_resident:0
total_system_memory:0
total_system_memory_human:0B
used_memory_lua:32768
used_memory_vm_eval:32768
used_memory_lua_human:32.00K
used_memory_scripts_eval:0
number_of_cached_scripts:0
number_of_functions:0
number_of_libraries:0
used_memory_vm_functions:33792
used_memory_vm_total:66560
used_memory_vm_total_human:65.00K
used_memory_functions:200
used_memory_scripts:200
used_memory_scripts_human:200B";

const MEMORY_TAIL: &str = "allocator_frag_ratio:1.00
allocator_frag_bytes:0
allocator_rss_ratio:1.00
allocator_rss_bytes:0
rss_overhead_ratio:1.00
rss_overhead_bytes:0
mem_fragmentation_ratio:1.00
mem_fragmentation_bytes:0
mem_not_counted_for_evict:0
mem_replication_backlog:0
mem_total_replication_buffers:0
mem_clients_slaves:0
mem_clients_normal:0
mem_cluster_links:0
mem_aof_buffer:0
mem_allocator:libc
active_defrag_running:0
lazyfree_pending_objects:0
lazyfreed_objects:0";

const PERSISTENCE: &str = "loading:0
async_loading:0
current_cow_peak:0
current_cow_size:0
current_cow_size_age:0
current_fork_perc:0.00
current_save_keys_processed:0
current_save_keys_total:0
rdb_changes_since_last_save:0
rdb_bgsave_in_progress:0";

const PERSISTENCE_TAIL: &str = "rdb_last_bgsave_status:ok
rdb_last_bgsave_time_sec:-1
rdb_current_bgsave_time_sec:-1
rdb_saves:0
rdb_last_cow_size:0
rdb_last_load_keys_expired:0
rdb_last_load_keys_loaded:0
aof_enabled:0
aof_rewrite_in_progress:0
aof_rewrite_scheduled:0
aof_last_rewrite_time_sec:-1
aof_current_rewrite_time_sec:-1
aof_last_bgrewrite_status:ok
aof_rewrites:0
aof_rewrites_consecutive_failures:0
aof_last_write_status:ok
aof_last_cow_size:0
module_fork_in_progress:0
module_fork_last_cow_size:0";

const STATS: &str = "total_connections_received:0
total_commands_processed:0
instantaneous_ops_per_sec:0
total_net_input_bytes:0
total_net_output_bytes:0
total_net_repl_input_bytes:0
total_net_repl_output_bytes:0
instantaneous_input_kbps:0.00
instantaneous_output_kbps:0.00
instantaneous_input_repl_kbps:0.00
instantaneous_output_repl_kbps:0.00
rejected_connections:0
sync_full:0
sync_partial_ok:0
sync_partial_err:0
expired_keys:0
expired_stale_perc:0.00
expired_time_cap_reached_count:0
expire_cycle_cpu_milliseconds:0
evicted_keys:0
evicted_clients:0
total_eviction_exceeded_time:0
current_eviction_exceeded_time:0
keyspace_hits:0
keyspace_misses:0
pubsub_channels:0
pubsub_patterns:0
pubsubshard_channels:0
latest_fork_usec:0
total_forks:0
migrate_cached_sockets:0
slave_expires_tracked_keys:0
active_defrag_hits:0
active_defrag_misses:0
active_defrag_key_hits:0
active_defrag_key_misses:0
total_active_defrag_time:0
current_active_defrag_time:0
tracking_total_keys:0
tracking_total_items:0
tracking_total_prefixes:0
unexpected_error_replies:0
total_error_replies:0
dump_payload_sanitizations:0
total_reads_processed:0
total_writes_processed:0
io_threaded_reads_processed:0
io_threaded_writes_processed:0
reply_buffer_shrinks:0
reply_buffer_expands:0";

const REPLICATION: &str = "role:master
connected_slaves:0
master_failover_state:no-failover
master_replid:0000000000000000000000000000000000000000
master_replid2:0000000000000000000000000000000000000000
master_repl_offset:0
second_repl_offset:-1
repl_backlog_active:0
repl_backlog_size:1048576
repl_backlog_first_byte_offset:0
repl_backlog_histlen:0";

const CPU: &str = "used_cpu_sys:0.000000
used_cpu_user:0.000000
used_cpu_sys_children:0.000000
used_cpu_user_children:0.000000
used_cpu_sys_main_thread:0.000000
used_cpu_user_main_thread:0.000000";

/// Redis's `bytesToHuman`: `B` below 1024, then `K`, `M`, `G`, `T`, `P`
/// with two decimals (`%.2f`). The scales are powers of two, so the
/// quotient is exact and `%.2f` rounds it half to even; done in integers,
/// because formatting an `f64` costs the wasm build 11 KB of tables.
pub fn bytes_to_human(n: u64) -> String {
    const UNITS: &[&str] = &["K", "M", "G", "T", "P"];
    if n < 1024 {
        return format!("{n}B");
    }
    let mut scale: u128 = 1024;
    for (i, unit) in UNITS.iter().enumerate() {
        if u128::from(n) < scale * 1024 || i == UNITS.len() - 1 {
            let scaled = u128::from(n) * 100;
            let (mut q, r) = (scaled / scale, scaled % scale);
            if r * 2 > scale || (r * 2 == scale && q % 2 == 1) {
                q += 1;
            }
            let q = q as u64; // at most u64::MAX / 1024^5 * 100
            return format!("{}.{:02}{unit}", q / 100, q % 100);
        }
        scale *= 1024;
    }
    format!("{n}B")
}

#[cfg(test)]
mod tests {
    use super::bytes_to_human;

    /// The figures C's `printf("%.2f")` gives for these quotients.
    #[test]
    fn bytes_to_human_rounds_as_printf() {
        for (n, want) in [
            (0, "0B"),
            (1023, "1023B"),
            (1024, "1.00K"),
            (1152, "1.12K"), // 1.125: half to even
            (1535, "1.50K"),
            (1536, "1.50K"),
            (1034, "1.01K"),
            (3_145_729, "3.00M"),
            (1_126_999_418_470, "1.02T"),
            (u64::MAX, "16384.00P"),
        ] {
            assert_eq!(bytes_to_human(n), want, "{n}");
        }
    }
}
