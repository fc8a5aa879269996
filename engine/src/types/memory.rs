//! What a key costs in redis-server 7.0's memory, as MEMORY USAGE
//! estimates it (`objectComputeSize` in `object.c`, plus the key's `sds`
//! and its `dictEntry` in the keyspace), with every allocation rounded up
//! to jemalloc's size class. For MEMORY USAGE, and (through [`estimate`],
//! its O(1) cousin) for the running total that maxmemory and eviction read.
//!
//! The model keeps Redis 7.0's encodings and struct sizes (x86_64):
//! `robj` 16 bytes, `dictEntry` 24, `dict` 56, `quicklist` 40,
//! `quicklistNode` 40, an intset's header 8; `sds` headers of 1, 3, 5, 9
//! or 17 bytes by length; listpack entries as `listpack.c` encodes them.
//!
//! Exact for strings as SET writes them, listpack hashes, lists of one
//! quicklist node and intsets. Estimates otherwise, and Redis's own answer
//! is not deterministic there either:
//! - a string grown in place (APPEND, SETRANGE, SETBIT) has spare room in
//!   Redis that the engine does not keep;
//! - a hashtable's bucket count is the power of two a dict grows to, but
//!   right after growing Redis counts both tables until its incremental
//!   rehash (one bucket per access) is done, and it samples elements in
//!   its (seeded) hash order;
//! - a long list's quicklist nodes are packed as RPUSH would pack them.

use crate::types::zset::listpack_score;
use crate::types::{Hash, List, Set, Stream, ZSet};
use crate::value::Value;

/// Redis's `OBJ_COMPUTE_SIZE_DEF_SAMPLES`.
pub const DEFAULT_SAMPLES: usize = 5;

const ROBJ: usize = 16;
const DICT_ENTRY: usize = 24;
const DICT: usize = 56;
const QUICKLIST: usize = 40;
const QUICKLIST_NODE: usize = 40;
const INTSET_HEADER: usize = 8;
/// `list-max-listpack-size -2`: a quicklist node's listpack stays within
/// 8 KB.
const QUICKLIST_NODE_BYTES: usize = 8192;
/// The longest string Redis 7.0 keeps in one allocation with its object
/// (`OBJ_ENCODING_EMBSTR_SIZE_LIMIT`).
const EMBSTR_LIMIT: usize = 44;

/// The size jemalloc really hands out for a request of `n` bytes: its
/// size classes are 8, 16, then multiples of 16 up to 128, then four
/// classes per doubling (160, 192, 224, 256, 320, ...).
pub fn jemalloc_size(n: usize) -> usize {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return n.div_ceil(16) * 16;
    }
    let group = usize::BITS - 1 - (n - 1).leading_zeros(); // 2^group < n
    let spacing = 1usize << (group - 2);
    n.div_ceil(spacing).saturating_mul(spacing)
}

/// An `sds` header's size for a string of `len` bytes (`sdsReqType`; an
/// empty string gets type 8, as `sdsnewlen` gives it).
fn sds_header(len: usize) -> usize {
    match len {
        0 => 3,
        1..=31 => 1,
        32..=255 => 3,
        256..=65535 => 5,
        _ if len as u64 <= u64::from(u32::MAX) => 9,
        _ => 17,
    }
}

/// The allocation of an `sds` holding exactly `len` bytes
/// (`sdsZmallocSize` after `sdsnewlen`).
pub fn sds_size(len: usize) -> usize {
    jemalloc_size(sds_header(len) + len + 1)
}

/// What a key costs in the keyspace besides its value: its `sds` and its
/// `dictEntry`.
pub fn key_overhead(key: &[u8]) -> usize {
    sds_size(key.len()) + DICT_ENTRY
}

/// MEMORY USAGE's answer for `key` holding `value`, sampling up to
/// `samples` elements of an aggregate (`usize::MAX`: all of them).
pub fn key_usage(key: &[u8], value: &Value, samples: usize) -> usize {
    memory_usage(value, samples) + key_overhead(key)
}

/// Aggregates up to this many elements are measured whole by
/// [`estimate`]; longer ones from their first [`DEFAULT_SAMPLES`].
const ESTIMATE_EXACT_UP_TO: usize = 16;

/// What `key` holding `value` adds to the engine's running memory total
/// (kept per key in `db.rs`, recomputed on every write, so it must not walk
/// a whole value): MEMORY USAGE's model with its default samples, except
/// that a list, a listpack hash or a listpack sorted set longer than 16
/// elements is sized from its first 5 elements scaled to its length,
/// where MEMORY USAGE walks every element.
pub fn estimate(key: &[u8], value: &Value) -> usize {
    let n = DEFAULT_SAMPLES;
    let body = match value {
        Value::List(l) if l.len() > ESTIMATE_EXACT_UP_TO => {
            let sample = (0..n).filter_map(|i| l.get(i)).map(listpack_entry);
            quicklist_estimate(sample.sum(), n, l.len())
        }
        Value::Hash(h) if h.len() > ESTIMATE_EXACT_UP_TO && h.encoding() == "listpack" => {
            let sample: usize = h
                .iter()
                .take(n)
                .map(|(f, v)| listpack_entry(f) + listpack_entry(v))
                .sum();
            ROBJ + jemalloc_size(LISTPACK_EMPTY + average_times(sample, n, h.len()))
        }
        Value::ZSet(z) if z.len() > ESTIMATE_EXACT_UP_TO && z.is_listpack() => {
            let sample: usize = z
                .iter()
                .take(n)
                .map(|e| listpack_entry(&e.member) + listpack_entry(&listpack_score(e.score)))
                .sum();
            ROBJ + jemalloc_size(LISTPACK_EMPTY + average_times(sample, n, z.len()))
        }
        _ => memory_usage(value, DEFAULT_SAMPLES),
    };
    body + key_overhead(key)
}

/// A quicklist of `count` elements whose first `sampled` take `sample`
/// listpack bytes: that average, packed into 8 KB nodes.
fn quicklist_estimate(sample: usize, sampled: usize, count: usize) -> usize {
    let bytes = average_times(sample, sampled, count);
    let nodes = bytes.div_ceil(QUICKLIST_NODE_BYTES).max(1);
    let per_node = LISTPACK_EMPTY + bytes / nodes;
    ROBJ + QUICKLIST + nodes * (QUICKLIST_NODE + jemalloc_size(per_node))
}

/// The memory of one value, as Redis's `objectComputeSize`: aggregates
/// in a hashtable or a multi-node quicklist are estimated from their
/// first `samples` elements (at least one).
pub fn memory_usage(value: &Value, samples: usize) -> usize {
    let samples = samples.max(1);
    match value {
        Value::Str(s) => string_usage(s),
        Value::List(l) => list_usage(l, samples),
        Value::Set(s) => set_usage(s, samples),
        Value::Hash(h) => hash_usage(h, samples),
        Value::ZSet(z) => zset_usage(z, samples),
        Value::Stream(s) => stream_usage(s, samples),
    }
}

/// `sizeof(stream)` in 7.0.
const STREAM: usize = 80;

/// `streamRadixTreeMemoryUsage`: 16 bytes per key, and per node the
/// 4-byte `raxNode` plus a flat 30 words.
fn rax_usage(keys: usize, nodes: usize) -> usize {
    keys * 16 + nodes * (4 + 8 * 30)
}

/// A stream: the struct, its radix tree, its listpacks (the first
/// `samples` measured; past that, their average for all but the last,
/// measured too), and each group's PEL and consumers.
fn stream_usage(s: &Stream, samples: usize) -> usize {
    let mut size = ROBJ + STREAM + rax_usage(s.node_count(), s.rax_nodes());
    let allocs: Vec<usize> = s.node_allocs().collect();
    let sampled = samples.min(allocs.len());
    let sum: usize = allocs[..sampled].iter().sum();
    if allocs.len() <= sampled {
        size += sum;
    } else {
        size += sum / sampled.max(1) * (allocs.len() - 1) + allocs[allocs.len() - 1];
    }
    for g in s.groups.values() {
        // `streamCG` (40 bytes), its PEL, a 24-byte `streamNACK` per
        // entry, and per consumer its 24-byte struct, name and PEL.
        size += 40
            + rax_usage(
                g.pel.len(),
                crate::types::stream::rax_nodes(g.pel.keys().copied()),
            );
        size += 24 * g.pel.len();
        for name in g.consumers.keys() {
            size += 24 + name.len();
            size += rax_usage(
                g.owned_count(name),
                crate::types::stream::rax_nodes(g.owned(name, crate::types::stream::StreamId::MIN)),
            );
        }
    }
    size
}

/// A string as SET stores it: an integer in the object itself, up to 44
/// bytes in one allocation with the object (embstr), longer in its own
/// `sds` (raw).
fn string_usage(s: &[u8]) -> usize {
    if s.len() <= 20 && crate::commands::num::parse_i64(s).is_some() {
        ROBJ
    } else if s.len() <= EMBSTR_LIMIT {
        jemalloc_size(ROBJ + 3 + s.len() + 1)
    } else {
        ROBJ + sds_size(s.len())
    }
}

/// A 7.0 list: a quicklist of listpack nodes, estimated from the first
/// `samples` nodes times the node count.
fn list_usage(list: &List, samples: usize) -> usize {
    let nodes = quicklist_nodes(list);
    let sampled = &nodes[..nodes.len().min(samples)];
    let sum: usize = sampled
        .iter()
        .map(|&bytes| QUICKLIST_NODE + jemalloc_size(bytes))
        .sum();
    ROBJ + QUICKLIST + average_times(sum, sampled.len(), nodes.len())
}

/// `(double)sum / samples * count`, truncated as Redis's `size_t` does.
fn average_times(sum: usize, samples: usize, count: usize) -> usize {
    if samples == 0 {
        return 0;
    }
    (sum as f64 / samples as f64 * count as f64) as usize
}

/// The listpack sizes of a list's quicklist nodes, packed as pushes at
/// the tail pack them (`_quicklistNodeAllowInsert`: a node takes an
/// element while its size plus the element's length and a conservative
/// entry overhead stays within 8 KB).
fn quicklist_nodes(list: &List) -> Vec<usize> {
    let mut nodes = Vec::new();
    let mut bytes = 0; // the current node's listpack (0: no node yet)
    for i in 0..list.len() {
        let Some(item) = list.get(i) else { break };
        let sz = item.len();
        let overhead = if sz < 254 { 1 } else { 5 }
            + match sz {
                0..=63 => 1,
                64..=16383 => 2,
                _ => 5,
            };
        if bytes == 0 || bytes + sz + overhead > QUICKLIST_NODE_BYTES {
            if bytes > 0 {
                nodes.push(bytes);
            }
            bytes = LISTPACK_EMPTY;
        }
        bytes += listpack_entry(item);
    }
    if bytes > 0 {
        nodes.push(bytes);
    }
    nodes
}

/// A listpack's header (total bytes, element count) and end byte.
const LISTPACK_EMPTY: usize = 7;

/// The bytes one element takes in a listpack: its encoding and data,
/// then the back-length of both. Integer text (as `lpStringToInt64`
/// reads it) is stored as a 7, 13, 16, 24, 32 or 64-bit integer.
fn listpack_entry(item: &[u8]) -> usize {
    let n = if item.len() <= 20 {
        crate::commands::num::parse_i64(item)
    } else {
        None
    };
    let encoded = match n {
        Some(0..=127) => 1,
        Some(-4096..=4095) => 2,
        Some(-32768..=32767) => 3,
        Some(-8_388_608..=8_388_607) => 4,
        Some(-2_147_483_648..=2_147_483_647) => 5,
        Some(_) => 9,
        None => match item.len() {
            0..=63 => 1 + item.len(),
            64..=4095 => 2 + item.len(),
            len => 5 + len,
        },
    };
    let backlen = match encoded {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    encoded + backlen
}

fn listpack_bytes<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> usize {
    LISTPACK_EMPTY + items.into_iter().map(listpack_entry).sum::<usize>()
}

/// The bucket count of a dict holding `n` entries: it starts at 4 and
/// doubles when full.
fn dict_slots(n: usize) -> usize {
    n.next_power_of_two().max(4)
}

/// A set: an intset (its header and one integer of the widest width
/// needed each), or a hashtable of `sds` members.
fn set_usage(set: &Set, samples: usize) -> usize {
    match set {
        Set::Ints(v) => {
            // Ascending: the ends decide the width.
            let fits = |f: fn(i64) -> bool| {
                v.first().is_none_or(|&n| f(n)) && v.last().is_none_or(|&n| f(n))
            };
            let width = if fits(|n| i16::try_from(n).is_ok()) {
                2
            } else if fits(|n| i32::try_from(n).is_ok()) {
                4
            } else {
                8
            };
            ROBJ + jemalloc_size(INTSET_HEADER + width * v.len())
        }
        Set::Table { members, .. } => {
            let sampled = &members[..members.len().min(samples)];
            let sum: usize = sampled.iter().map(|m| DICT_ENTRY + sds_size(m.len())).sum();
            ROBJ + DICT
                + 8 * dict_slots(members.len())
                + average_times(sum, sampled.len(), members.len())
        }
    }
}

/// A hash: one listpack of fields and values, or a hashtable of `sds`
/// pairs.
fn hash_usage(hash: &Hash, samples: usize) -> usize {
    if hash.encoding() == "listpack" {
        let bytes = listpack_bytes(hash.iter().flat_map(|(f, v)| [f, v]));
        return ROBJ + jemalloc_size(bytes);
    }
    let sum: usize = hash
        .iter()
        .take(samples)
        .map(|(f, v)| DICT_ENTRY + sds_size(f.len()) + sds_size(v.len()))
        .sum();
    let sampled = hash.len().min(samples);
    ROBJ + DICT + 8 * dict_slots(hash.len()) + average_times(sum, sampled, hash.len())
}

/// A sorted set's memory.
///
/// A listpack holds each member then its score (as `d2string` prints
/// it). A skiplist is a dict (member -> score) plus the list: its header
/// node has all 32 levels; a node's levels are random (one more with
/// probability 1/4, as `zslRandomLevel` draws them), so each sampled
/// node is counted at the expected size over that distribution.
fn zset_usage(z: &ZSet, samples: usize) -> usize {
    if z.is_listpack() {
        let bytes = LISTPACK_EMPTY
            + z.iter()
                .map(|e| listpack_entry(&e.member) + listpack_entry(&listpack_score(e.score)))
                .sum::<usize>();
        return ROBJ + jemalloc_size(bytes);
    }
    const ZSET: usize = 16; // the dict and skiplist pointers
    const ZSKIPLIST: usize = 32; // header, tail, length, level
    const NODE: usize = 24; // member, score, backward
    const LEVEL: usize = 16; // forward, span
    const MAX_LEVEL: usize = 32;
    let header = jemalloc_size(NODE + LEVEL * MAX_LEVEL);
    // Computed once: every write of a sorted set re-estimates it.
    static EXPECTED_NODE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let node = *EXPECTED_NODE.get_or_init(|| {
        let mut node = 0.0;
        let mut p = 0.75;
        for level in 1..=MAX_LEVEL {
            node += p * jemalloc_size(NODE + LEVEL * level) as f64;
            p /= 4.0;
        }
        node.round() as usize
    });
    let sampled = z.len().min(samples);
    let sum: usize = z
        .iter()
        .take(sampled)
        .map(|e| sds_size(e.member.len()) + DICT_ENTRY + node)
        .sum();
    ROBJ + ZSET
        + ZSKIPLIST
        + DICT
        + 8 * dict_slots(z.len())
        + header
        + average_times(sum, sampled, z.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_classes() {
        let classes = [
            8, 16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768,
            896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192,
            10240, 12288, 14336, 16384, 20480,
        ];
        let mut prev = 0;
        for &c in &classes {
            assert_eq!(jemalloc_size(c), c);
            assert_eq!(jemalloc_size(prev + 1), c, "{}", prev + 1);
            prev = c;
        }
        assert_eq!(jemalloc_size(0), 8);
        assert_eq!(jemalloc_size(usize::MAX), usize::MAX);
    }

    #[test]
    fn sds_headers_by_length() {
        assert_eq!(sds_size(0), 8);
        assert_eq!(sds_size(1), 8); // 1 + 1 + 1
        assert_eq!(sds_size(30), 32); // 1 + 30 + 1
        assert_eq!(sds_size(31), 48); // type 8: 3 + 31 + 1
        assert_eq!(sds_size(300), 320); // type 16: 5 + 300 + 1
    }

    #[test]
    fn listpack_entries() {
        assert_eq!(listpack_entry(b"1"), 2);
        assert_eq!(listpack_entry(b"300"), 3);
        assert_eq!(listpack_entry(b"-5"), 3);
        assert_eq!(listpack_entry(b"70000"), 5);
        assert_eq!(listpack_entry(b"a"), 3);
        assert_eq!(listpack_entry(b"01"), 4);
        assert_eq!(listpack_entry(&[b'x'; 64]), 67);
        assert_eq!(listpack_entry(&[b'x'; 200]), 204);
    }

    /// MEMORY USAGE through the engine; the expected numbers are what
    /// redis-server 7.0.15 answered to the same lines.
    #[test]
    fn exact_where_redis_is_deterministic() {
        use crate::engine::Engine;
        let mut e = Engine::new(1_700_000_000_000);
        let c = e.connect();
        let mut run = |line: &str| e.execute_line(c, line).remove(0).to_cli();
        let cases = [
            ("SET k 1", "MEMORY USAGE k", 48),
            ("SET k abc", "MEMORY USAGE k", 64),
            (
                "SET k xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "MEMORY USAGE k",
                112,
            ),
            ("RPUSH l a", "MEMORY USAGE l", 144),
            ("RPUSH n 1 2 300 70000 -5", "MEMORY USAGE n", 160),
            ("HSET h a 1 b 2", "MEMORY USAGE h", 80),
            ("SADD i 1 2 3", "MEMORY USAGE i", 64),
            ("SADD s a b c", "MEMORY USAGE s", 232),
        ];
        for (write, read, want) in cases {
            run(write);
            assert_eq!(run(read), format!("(integer) {want}\n"), "{write}");
        }
        assert_eq!(run("MEMORY USAGE nokey"), "(nil)\n");
        assert_eq!(
            run("MEMORY USAGE k SAMPLES -1"),
            "(error) ERR syntax error\n"
        );
        assert_eq!(
            run("MEMORY USAGE k SAMPLES x"),
            "(error) ERR value is not an integer or out of range\n"
        );
        assert_eq!(run("MEMORY USAGE k FOO"), "(error) ERR syntax error\n");
    }

    #[test]
    fn huge_values_do_not_overflow() {
        let list = {
            let mut l = List::default();
            for _ in 0..3 {
                l.push(crate::types::list::End::Right, vec![b'x'; 20_000]);
            }
            l
        };
        // Each element over 8 KB has its own node.
        assert_eq!(quicklist_nodes(&list).len(), 3);
        let v = Value::List(list);
        assert_eq!(memory_usage(&v, usize::MAX), memory_usage(&v, 3));
        assert!(memory_usage(&v, 1) > 60_000);
    }
}
