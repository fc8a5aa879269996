//! The settings CONFIG GET and CONFIG SET reach, with redis-server 7.0's
//! defaults, parsing and error texts (Redis's `config.c`). Only settings
//! the engine honours (or that cost nothing to keep) are here; CONFIG GET
//! of any other name answers nothing.

use crate::commands::glob;
use crate::commands::num::parse_i64 as string2ll;

/// `maxmemory-policy`, in the order Redis lists them in its error.
pub const POLICIES: &[&str] = &[
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
];

/// The engine's configuration (one per engine, read by the families).
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub hash_max_listpack_entries: u64,
    pub hash_max_listpack_value: u64,
    pub set_max_intset_entries: u64,
    pub zset_max_listpack_entries: u64,
    pub zset_max_listpack_value: u64,
    pub list_max_listpack_size: i64,
    pub list_compress_depth: i64,
    pub maxmemory: u64,
    /// An index into [`POLICIES`].
    pub maxmemory_policy: usize,
    pub maxmemory_samples: i64,
    pub maxmemory_eviction_tenacity: i64,
    /// Redis's `NOTIFY_*` bits, see [`EVENT_CLASSES`].
    pub notify_keyspace_events: u32,
    /// As configured (`configured_hz` in INFO) ...
    pub configured_hz: i64,
    pub lfu_log_factor: i64,
    pub lfu_decay_time: i64,
    pub active_expire_effort: i64,
    pub stream_node_max_bytes: u64,
    pub stream_node_max_entries: i64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            list_max_listpack_size: -2,
            list_compress_depth: 0,
            maxmemory: 0,
            maxmemory_policy: 7,
            maxmemory_samples: 5,
            maxmemory_eviction_tenacity: 10,
            notify_keyspace_events: 0,
            configured_hz: 10,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            active_expire_effort: 1,
            stream_node_max_bytes: 4096,
            stream_node_max_entries: 100,
        }
    }
}

/// The characters of `notify-keyspace-events`, with their bits, in the
/// order Redis prints them (`keyspaceEventsFlagsToString`); `A` stands for
/// every class from `g` to `d`.
const EVENT_CLASSES: &[(u8, u32)] = &[
    (b'g', 1 << 2),
    (b'$', 1 << 3),
    (b'l', 1 << 4),
    (b's', 1 << 5),
    (b'h', 1 << 6),
    (b'z', 1 << 7),
    (b'x', 1 << 8),
    (b'e', 1 << 9),
    (b't', 1 << 10),
    (b'd', 1 << 12),
    (b'n', 1 << 13),
];
const NOTIFY_KEYSPACE: u32 = 1 << 0;
const NOTIFY_KEYEVENT: u32 = 1 << 1;
const NOTIFY_KEY_MISS: u32 = 1 << 11;
const NOTIFY_ALL: u32 = 0b1_0111_1111_1100; // g$lshzxet and d

/// One setting: how its value is read and where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Setting {
    HashEntries,
    HashValue,
    SetIntset,
    ZsetEntries,
    ZsetValue,
    ListSize,
    ListCompress,
    Maxmemory,
    Policy,
    Samples,
    Tenacity,
    Events,
    Hz,
    LfuLog,
    LfuDecay,
    Effort,
    Databases,
    StreamBytes,
    StreamEntries,
}

/// Every name CONFIG knows, aliases (the 6.x `ziplist` names) included.
const NAMES: &[(&str, Setting)] = &[
    ("active-expire-effort", Setting::Effort),
    ("databases", Setting::Databases),
    ("hash-max-listpack-entries", Setting::HashEntries),
    ("hash-max-listpack-value", Setting::HashValue),
    ("hash-max-ziplist-entries", Setting::HashEntries),
    ("hash-max-ziplist-value", Setting::HashValue),
    ("hz", Setting::Hz),
    ("lfu-decay-time", Setting::LfuDecay),
    ("lfu-log-factor", Setting::LfuLog),
    ("list-compress-depth", Setting::ListCompress),
    ("list-max-listpack-size", Setting::ListSize),
    ("list-max-ziplist-size", Setting::ListSize),
    ("maxmemory", Setting::Maxmemory),
    ("maxmemory-eviction-tenacity", Setting::Tenacity),
    ("maxmemory-policy", Setting::Policy),
    ("maxmemory-samples", Setting::Samples),
    ("notify-keyspace-events", Setting::Events),
    ("set-max-intset-entries", Setting::SetIntset),
    ("stream-node-max-bytes", Setting::StreamBytes),
    ("stream-node-max-entries", Setting::StreamEntries),
    ("zset-max-listpack-entries", Setting::ZsetEntries),
    ("zset-max-listpack-value", Setting::ZsetValue),
    ("zset-max-ziplist-entries", Setting::ZsetEntries),
    ("zset-max-ziplist-value", Setting::ZsetValue),
];

/// How a setting's text is read.
enum Kind {
    /// `string2ll`, then a range check.
    Int(i64, i64),
    /// Redis's `memtoull` (`100mb`, `1k`), then a range check.
    Memory(u64),
    Policy,
    Events,
    Immutable,
}

const LONG_MAX: i64 = i64::MAX;
const INT_MAX: i64 = i32::MAX as i64;
const INT_MIN: i64 = i32::MIN as i64;

impl Setting {
    fn kind(self) -> Kind {
        match self {
            Setting::HashEntries | Setting::SetIntset | Setting::ZsetEntries => {
                Kind::Int(0, LONG_MAX)
            }
            Setting::HashValue | Setting::ZsetValue => Kind::Memory(LONG_MAX as u64),
            Setting::ListSize => Kind::Int(INT_MIN, INT_MAX),
            Setting::ListCompress | Setting::Hz | Setting::LfuLog | Setting::LfuDecay => {
                Kind::Int(0, INT_MAX)
            }
            Setting::Samples => Kind::Int(1, INT_MAX),
            Setting::Tenacity => Kind::Int(0, 100),
            Setting::Effort => Kind::Int(1, 10),
            Setting::Maxmemory => Kind::Memory(u64::MAX),
            Setting::Policy => Kind::Policy,
            Setting::Events => Kind::Events,
            Setting::Databases => Kind::Immutable,
            Setting::StreamBytes => Kind::Memory(LONG_MAX as u64),
            Setting::StreamEntries => Kind::Int(0, LONG_MAX),
        }
    }
}

/// A parsed value, ready to store.
#[derive(Clone, Copy)]
enum Parsed {
    Int(i64),
    Unsigned(u64),
    Index(usize),
    Flags(u32),
}

fn lookup(name: &[u8]) -> Option<(&'static str, Setting)> {
    NAMES
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(name))
        .copied()
}

impl Config {
    /// `hz` as the cron runs it: the configured value within 1..=500.
    pub fn hz(&self) -> i64 {
        self.configured_hz.clamp(1, 500)
    }

    pub fn policy_name(&self) -> &'static str {
        POLICIES[self.maxmemory_policy]
    }

    /// True under `volatile-lfu` or `allkeys-lfu`.
    pub fn lfu(&self) -> bool {
        self.policy_name().ends_with("lfu")
    }

    /// Whether values may share Redis's preallocated integers: not when a
    /// `maxmemory` is set with an LRU or LFU policy (each key needs its
    /// own access clock).
    pub fn shared_integers(&self) -> bool {
        let name = self.policy_name();
        self.maxmemory == 0 || !(name.ends_with("lru") || name.ends_with("lfu"))
    }

    fn get(&self, setting: Setting) -> String {
        match setting {
            Setting::HashEntries => self.hash_max_listpack_entries.to_string(),
            Setting::HashValue => self.hash_max_listpack_value.to_string(),
            Setting::SetIntset => self.set_max_intset_entries.to_string(),
            Setting::ZsetEntries => self.zset_max_listpack_entries.to_string(),
            Setting::ZsetValue => self.zset_max_listpack_value.to_string(),
            Setting::ListSize => self.list_max_listpack_size.to_string(),
            Setting::ListCompress => self.list_compress_depth.to_string(),
            Setting::Maxmemory => self.maxmemory.to_string(),
            Setting::Policy => self.policy_name().to_string(),
            Setting::Samples => self.maxmemory_samples.to_string(),
            Setting::Tenacity => self.maxmemory_eviction_tenacity.to_string(),
            Setting::Events => events_to_string(self.notify_keyspace_events),
            Setting::Hz => self.hz().to_string(),
            Setting::LfuLog => self.lfu_log_factor.to_string(),
            Setting::LfuDecay => self.lfu_decay_time.to_string(),
            Setting::Effort => self.active_expire_effort.to_string(),
            Setting::Databases => crate::engine::DATABASES.to_string(),
            Setting::StreamBytes => self.stream_node_max_bytes.to_string(),
            Setting::StreamEntries => self.stream_node_max_entries.to_string(),
        }
    }

    fn store(&mut self, setting: Setting, value: Parsed) {
        let int = match value {
            Parsed::Int(n) => n,
            Parsed::Unsigned(n) => n as i64,
            Parsed::Index(i) => i as i64,
            Parsed::Flags(f) => i64::from(f),
        };
        let unsigned = match value {
            Parsed::Unsigned(n) => n,
            _ => int as u64,
        };
        match setting {
            Setting::HashEntries => self.hash_max_listpack_entries = unsigned,
            Setting::HashValue => self.hash_max_listpack_value = unsigned,
            Setting::SetIntset => self.set_max_intset_entries = unsigned,
            Setting::ZsetEntries => self.zset_max_listpack_entries = unsigned,
            Setting::ZsetValue => self.zset_max_listpack_value = unsigned,
            Setting::ListSize => self.list_max_listpack_size = int,
            Setting::ListCompress => self.list_compress_depth = int,
            Setting::Maxmemory => self.maxmemory = unsigned,
            Setting::Policy => self.maxmemory_policy = int as usize,
            Setting::Samples => self.maxmemory_samples = int,
            Setting::Tenacity => self.maxmemory_eviction_tenacity = int,
            Setting::Events => self.notify_keyspace_events = int as u32,
            Setting::Hz => self.configured_hz = int,
            Setting::LfuLog => self.lfu_log_factor = int,
            Setting::LfuDecay => self.lfu_decay_time = int,
            Setting::Effort => self.active_expire_effort = int,
            Setting::Databases => {}
            Setting::StreamBytes => self.stream_node_max_bytes = unsigned,
            Setting::StreamEntries => self.stream_node_max_entries = int,
        }
    }

    /// CONFIG GET: name-value pairs for every pattern (a glob matches
    /// names case-insensitively; a plain name is answered as typed), each
    /// setting once.
    pub fn get_matching(&self, patterns: &[Vec<u8>]) -> Vec<(Vec<u8>, String)> {
        let mut out: Vec<(Vec<u8>, String)> = Vec::new();
        let seen = |out: &Vec<(Vec<u8>, String)>, name: &[u8]| {
            out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        for pattern in patterns {
            if !pattern.iter().any(|b| b"[*?".contains(b)) {
                if let Some((_, setting)) = lookup(pattern) {
                    if !seen(&out, pattern) {
                        out.push((pattern.clone(), self.get(setting)));
                    }
                }
                continue;
            }
            for &(name, setting) in NAMES {
                if !seen(&out, name.as_bytes()) && glob::matches_nocase(pattern, name.as_bytes()) {
                    out.push((name.as_bytes().to_vec(), self.get(setting)));
                }
            }
        }
        out
    }

    /// CONFIG SET with `name value` pairs: all are checked and parsed
    /// before any is stored, so a failure changes nothing. The error is
    /// Redis's text, without the `ERR ` prefix.
    pub fn set_many(&mut self, pairs: &[Vec<u8>]) -> Result<(), String> {
        let mut found: Vec<(&'static str, Setting, &[u8])> = Vec::new();
        let mut unknown: Option<&[u8]> = None;
        let mut refused: Option<String> = None;
        for pair in pairs.chunks(2) {
            let (name, value) = (&pair[0], &pair[1]);
            let Some((canonical, setting)) = lookup(name) else {
                if refused.is_none() && unknown.is_none() {
                    unknown = Some(name);
                }
                continue;
            };
            if refused.is_some() || unknown.is_some() {
                continue;
            }
            let typed = String::from_utf8_lossy(name);
            if matches!(setting.kind(), Kind::Immutable) {
                refused = Some(failed(&typed, "can't set immutable config"));
                continue;
            }
            // Aliases are configs of their own here, as in Redis 7.0: a
            // setting named twice under two names is not a duplicate.
            if found.iter().any(|&(n, _, _)| n == canonical) {
                refused = Some(failed(&typed, "duplicate parameter"));
                continue;
            }
            found.push((canonical, setting, value));
        }
        if let Some(name) = unknown {
            return Err(format!(
                "Unknown option or number of arguments for CONFIG SET - '{}'",
                String::from_utf8_lossy(name)
            ));
        }
        if let Some(e) = refused {
            return Err(e);
        }
        let mut parsed = Vec::with_capacity(found.len());
        for &(canonical, setting, value) in &found {
            let v = parse(setting, value).map_err(|why| failed(canonical, &why))?;
            parsed.push((setting, v));
        }
        for (setting, v) in parsed {
            self.store(setting, v);
        }
        Ok(())
    }
}

fn failed(name: &str, why: &str) -> String {
    format!("CONFIG SET failed (possibly related to argument '{name}') - {why}")
}

fn parse(setting: Setting, text: &[u8]) -> Result<Parsed, String> {
    match setting.kind() {
        Kind::Int(min, max) => {
            let n = string2ll(text)
                .ok_or_else(|| "argument couldn't be parsed into an integer".to_string())?;
            if n < min || n > max {
                return Err(format!(
                    "argument must be between {min} and {max} inclusive"
                ));
            }
            Ok(Parsed::Int(n))
        }
        Kind::Memory(max) => {
            let n = memtoull(text).ok_or_else(|| "argument must be a memory value".to_string())?;
            if n > max {
                return Err(format!("argument must be between 0 and {max} inclusive"));
            }
            Ok(Parsed::Unsigned(n))
        }
        Kind::Policy => POLICIES
            .iter()
            .position(|p| p.as_bytes().eq_ignore_ascii_case(text))
            .map(Parsed::Index)
            .ok_or_else(|| {
                format!(
                    "argument(s) must be one of the following: {}",
                    POLICIES.join(", ")
                )
            }),
        Kind::Events => events_from_string(text)
            .map(Parsed::Flags)
            .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".to_string()),
        Kind::Immutable => Err("can't set immutable config".to_string()),
    }
}

/// Redis's `memtoull`: digits then an optional unit (`b`, `k`, `kb`, `m`,
/// `mb`, `g`, `gb`, any case). The digits go through `strtoull`, which
/// saturates on overflow, and the product wraps, as in C.
pub fn memtoull(text: &[u8]) -> Option<u64> {
    if text.first() == Some(&b'-') {
        return None;
    }
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = text[digits..].to_ascii_lowercase();
    let mul: u64 = match unit.as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    if digits >= 128 {
        return None;
    }
    let mut value: u64 = 0;
    for &d in &text[..digits] {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .unwrap_or(u64::MAX);
    }
    Some(value.wrapping_mul(mul))
}

/// Redis's `keyspaceEventsStringToFlags`; `None` for an unknown class.
fn events_from_string(text: &[u8]) -> Option<u32> {
    let mut flags = 0;
    for &c in text {
        flags |= match c {
            b'A' => NOTIFY_ALL,
            b'K' => NOTIFY_KEYSPACE,
            b'E' => NOTIFY_KEYEVENT,
            b'm' => NOTIFY_KEY_MISS,
            _ => EVENT_CLASSES.iter().find(|(ch, _)| *ch == c)?.1,
        };
    }
    Some(flags)
}

/// Redis's `keyspaceEventsFlagsToString`.
fn events_to_string(flags: u32) -> String {
    let mut out = String::new();
    if flags & NOTIFY_ALL == NOTIFY_ALL {
        // As Redis: `n` is not printed next to `A`.
        out.push('A');
    } else {
        for &(c, bit) in EVENT_CLASSES {
            if flags & bit != 0 {
                out.push(c as char);
            }
        }
    }
    for (bit, c) in [
        (NOTIFY_KEYSPACE, 'K'),
        (NOTIFY_KEYEVENT, 'E'),
        (NOTIFY_KEY_MISS, 'm'),
    ] {
        if flags & bit != 0 {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_values_read_as_redis_reads_them() {
        assert_eq!(memtoull(b"100mb"), Some(104_857_600));
        assert_eq!(memtoull(b"1k"), Some(1000));
        assert_eq!(memtoull(b"1KB"), Some(1024));
        assert_eq!(memtoull(b""), Some(0));
        assert_eq!(memtoull(b"010"), Some(10));
        assert_eq!(memtoull(b"1.5gb"), None);
        assert_eq!(memtoull(b"-1"), None);
    }

    #[test]
    fn event_classes_print_in_redis_order() {
        let f = events_from_string(b"KEA").unwrap();
        assert_eq!(events_to_string(f), "AKE");
        assert_eq!(
            events_to_string(events_from_string(b"mn$E").unwrap()),
            "$nEm"
        );
        assert_eq!(events_from_string(b"Z"), None);
    }

    #[test]
    fn a_failed_set_changes_nothing() {
        let mut c = Config::default();
        let args: Vec<Vec<u8>> = ["hz", "5", "maxmemory-samples", "x"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        assert!(c.set_many(&args).is_err());
        assert_eq!(c, Config::default());
    }
}
