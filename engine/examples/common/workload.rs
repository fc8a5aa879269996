//! The benchmark workloads, shared by the native and the wasm benchmark so
//! both measure the same thing: whole commands through `Engine::execute_one`
//! (argument vectors built per call, as a host would).
//!
//! Each benchmark runs on a fresh engine: `prepare` fills it (untimed),
//! `run` times `OPS` commands. The string benchmarks spread over 1M keys;
//! the aggregate ones work on one key holding `size` elements, at 1K and
//! at 1M, so the two figures show how the cost grows with the size.

use engine::{ClientId, Engine};

/// Commands timed per benchmark.
pub const OPS: u32 = 1_000_000;
const K: u32 = 1_000;
const M: u32 = 1_000_000;

pub struct Bench {
    /// As printed, e.g. `ZADD 1M`.
    pub name: &'static str,
    /// The commands it needs (lowercase); skipped if the engine lacks one.
    pub needs: &'static [&'static str],
    /// Keys (strings) or elements (aggregates).
    pub size: u32,
    /// Fills the engine before timing.
    fill: fn(u32) -> Vec<Vec<Vec<u8>>>,
    /// The i-th timed command.
    op: fn(u32, u32) -> Vec<Vec<u8>>,
}

fn argv(words: &[&[u8]]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.to_vec()).collect()
}

fn nothing(_: u32) -> Vec<Vec<Vec<u8>>> {
    Vec::new()
}

/// `size` elements added to key `bench` by `command`, 1,000 per call;
/// `element(i)` gives the words of element i (`field value`, `score member`...).
fn filled(command: &str, size: u32, element: fn(u32) -> Vec<Vec<u8>>) -> Vec<Vec<Vec<u8>>> {
    (0..size)
        .step_by(1_000)
        .map(|start| {
            let mut call = argv(&[command.as_bytes(), b"bench"]);
            for i in start..(start + 1_000).min(size) {
                call.extend(element(i));
            }
            call
        })
        .collect()
}

/// `prefix:0000042`, built by hand: `format!` would cost more than the
/// command it feeds.
fn name(prefix: &str, i: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + 8);
    out.extend_from_slice(prefix.as_bytes());
    out.push(b':');
    let mut digits = [b'0'; 7];
    let mut n = i;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&digits);
    out
}

/// `n` in decimal, without `format!`.
fn number(n: u32) -> Vec<u8> {
    let mut buf = [0u8; 10];
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf[at..].to_vec()
}

fn fill_hash(size: u32) -> Vec<Vec<Vec<u8>>> {
    filled("HSET", size, |i| vec![name("f", i), b"v".to_vec()])
}

fn fill_list(size: u32) -> Vec<Vec<Vec<u8>>> {
    filled("RPUSH", size, |i| vec![name("e", i)])
}

fn fill_set(size: u32) -> Vec<Vec<Vec<u8>>> {
    filled("SADD", size, |i| vec![name("m", i)])
}

fn fill_zset(size: u32) -> Vec<Vec<Vec<u8>>> {
    filled("ZADD", size, |i| vec![number(i), name("m", i)])
}

/// A spread of element indexes, so consecutive commands touch different
/// parts of a big collection.
fn spread(i: u32, size: u32) -> u32 {
    i.wrapping_mul(2_654_435_761) % size
}

pub const BENCHES: &[Bench] = &[
    Bench {
        name: "SET 1M keys",
        needs: &["set"],
        size: M,
        fill: nothing,
        op: |i, size| {
            vec![
                b"SET".to_vec(),
                name("key", i % size),
                b"some-value-xx".to_vec(),
            ]
        },
    },
    Bench {
        name: "GET 1M keys",
        needs: &["set", "get"],
        size: M,
        fill: |size| {
            (0..size)
                .map(|i| vec![b"SET".to_vec(), name("key", i), b"some-value-xx".to_vec()])
                .collect()
        },
        op: |i, size| vec![b"GET".to_vec(), name("key", i % size)],
    },
    // The same commands over 1K keys: the working set stays in the CPU's
    // caches, so these show the engine's own cost per command.
    Bench {
        name: "SET 1K keys",
        needs: &["set"],
        size: K,
        fill: nothing,
        op: |i, size| {
            vec![
                b"SET".to_vec(),
                name("key", i % size),
                b"some-value-xx".to_vec(),
            ]
        },
    },
    Bench {
        name: "GET 1K keys",
        needs: &["set", "get"],
        size: K,
        fill: |size| {
            (0..size)
                .map(|i| vec![b"SET".to_vec(), name("key", i), b"some-value-xx".to_vec()])
                .collect()
        },
        op: |i, size| vec![b"GET".to_vec(), name("key", i % size)],
    },
    Bench {
        name: "INCR 1M keys",
        needs: &["incr"],
        size: M,
        fill: nothing,
        op: |i, size| vec![b"INCR".to_vec(), name("counter", i % size)],
    },
    Bench {
        name: "HSET 1K",
        needs: &["hset"],
        size: K,
        fill: fill_hash,
        op: |i, size| argv(&[b"HSET", b"bench", &name("f", spread(i, size)), b"w"]),
    },
    Bench {
        name: "HSET 1M",
        needs: &["hset"],
        size: M,
        fill: fill_hash,
        op: |i, size| argv(&[b"HSET", b"bench", &name("f", spread(i, size)), b"w"]),
    },
    Bench {
        name: "HGET 1K",
        needs: &["hset", "hget"],
        size: K,
        fill: fill_hash,
        op: |i, size| argv(&[b"HGET", b"bench", &name("f", spread(i, size))]),
    },
    Bench {
        name: "HGET 1M",
        needs: &["hset", "hget"],
        size: M,
        fill: fill_hash,
        op: |i, size| argv(&[b"HGET", b"bench", &name("f", spread(i, size))]),
    },
    Bench {
        name: "LPUSH+LPOP 1K",
        needs: &["rpush", "lpush", "lpop"],
        size: K,
        fill: fill_list,
        op: |i, _| match i % 2 {
            0 => argv(&[b"LPUSH", b"bench", b"x"]),
            _ => argv(&[b"LPOP", b"bench"]),
        },
    },
    Bench {
        name: "LPUSH+LPOP 1M",
        needs: &["rpush", "lpush", "lpop"],
        size: M,
        fill: fill_list,
        op: |i, _| match i % 2 {
            0 => argv(&[b"LPUSH", b"bench", b"x"]),
            _ => argv(&[b"LPOP", b"bench"]),
        },
    },
    Bench {
        name: "SADD 1K",
        needs: &["sadd"],
        size: K,
        fill: fill_set,
        op: |i, size| argv(&[b"SADD", b"bench", &name("m", spread(i, size))]),
    },
    Bench {
        name: "SADD 1M",
        needs: &["sadd"],
        size: M,
        fill: fill_set,
        op: |i, size| argv(&[b"SADD", b"bench", &name("m", spread(i, size))]),
    },
    Bench {
        name: "SISMEMBER 1K",
        needs: &["sadd", "sismember"],
        size: K,
        fill: fill_set,
        op: |i, size| argv(&[b"SISMEMBER", b"bench", &name("m", spread(i, size))]),
    },
    Bench {
        name: "SISMEMBER 1M",
        needs: &["sadd", "sismember"],
        size: M,
        fill: fill_set,
        op: |i, size| argv(&[b"SISMEMBER", b"bench", &name("m", spread(i, size))]),
    },
    // ZADD moves an existing member to a new score: a delete and an
    // insert in the ordered structure, O(log N).
    Bench {
        name: "ZADD 1K",
        needs: &["zadd"],
        size: K,
        fill: fill_zset,
        op: |i, size| {
            let score = number(i % 7_919);
            argv(&[b"ZADD", b"bench", &score, &name("m", spread(i, size))])
        },
    },
    Bench {
        name: "ZADD 1M",
        needs: &["zadd"],
        size: M,
        fill: fill_zset,
        op: |i, size| {
            let score = number(i % 7_919);
            argv(&[b"ZADD", b"bench", &score, &name("m", spread(i, size))])
        },
    },
    Bench {
        name: "ZRANK 1K",
        needs: &["zadd", "zrank"],
        size: K,
        fill: fill_zset,
        op: |i, size| argv(&[b"ZRANK", b"bench", &name("m", spread(i, size))]),
    },
    Bench {
        name: "ZRANK 1M",
        needs: &["zadd", "zrank"],
        size: M,
        fill: fill_zset,
        op: |i, size| argv(&[b"ZRANK", b"bench", &name("m", spread(i, size))]),
    },
    // Ten elements from a rank: O(log N + 10).
    Bench {
        name: "ZRANGE 1K",
        needs: &["zadd", "zrange"],
        size: K,
        fill: fill_zset,
        op: |i, size| {
            let start = spread(i, size - 10);
            let (a, b) = (number(start), number(start + 9));
            argv(&[b"ZRANGE", b"bench", &a, &b])
        },
    },
    Bench {
        name: "ZRANGE 1M",
        needs: &["zadd", "zrange"],
        size: M,
        fill: fill_zset,
        op: |i, size| {
            let start = spread(i, size - 10);
            let (a, b) = (number(start), number(start + 9));
            argv(&[b"ZRANGE", b"bench", &a, &b])
        },
    },
];

/// A fresh engine holding benchmark `index`'s data, or `None` when the
/// engine does not run one of the commands it needs yet.
pub fn prepare(index: usize) -> Option<(Engine, ClientId)> {
    let bench = BENCHES.get(index)?;
    let implemented = engine::commands::handler_names();
    if !bench.needs.iter().all(|n| implemented.contains(n)) {
        return None;
    }
    let mut engine = Engine::new(0);
    engine.set_feed(false);
    let client = engine.connect();
    for call in (bench.fill)(bench.size) {
        check(engine.execute_one(client, call), bench.name);
    }
    Some((engine, client))
}

/// Runs benchmark `index`'s timed commands; returns a checksum so the
/// work cannot be optimised away.
pub fn run(engine: &mut Engine, client: ClientId, index: usize) -> u64 {
    let bench = &BENCHES[index];
    let mut sum = 0u64;
    for i in 0..OPS {
        let reply = engine.execute_one(client, (bench.op)(i, bench.size));
        sum = sum.wrapping_add(u64::from(reply.is_some()));
        check(reply, bench.name);
    }
    sum
}

fn check(reply: Option<engine::Reply>, name: &str) {
    if let Some(engine::Reply::Error(e)) = reply {
        panic!("benchmark {name}: a command failed: {e}");
    }
}
