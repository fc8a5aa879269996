//! Random scripts for the randomized differential test: sequences of
//! commands over a small key space, so that keys collide, change type,
//! empty out and come back, replayed on the server and the engine like any
//! corpus script.
//!
//! Each command template names its command; a template whose command the
//! engine does not run yet is skipped, so the generator grows with the
//! engine. Commands whose answers are random (SPOP, RANDOMKEY ...) or
//! depend on the wall clock at the millisecond (PTTL, TTL) stay out.

use engine::rng::Rng;

/// Keys, mostly one type each by name so that most commands succeed, with
/// a shared pool so that some meet a key of another type.
const KEYS: &[&str] = &[
    "s1", "s2", "h1", "h2", "l1", "l2", "t1", "t2", "z1", "z2", "x", "y",
];
/// Fields, members and string values: integers, floats, words, empty.
const WORDS: &[&str] = &[
    "a",
    "b",
    "c",
    "d",
    "foo",
    "bar",
    "0",
    "1",
    "2",
    "7",
    "-3",
    "10",
    "3.5",
    "-0.25",
    "1e3",
    "\"\"",
    "\"two words\"",
    "99999999999999999999",
    "inf",
    "-inf",
];

/// Builds one command line.
type Template = fn(&mut Gen) -> String;

/// The generator's state: the random source and helpers to pick from the
/// pools.
pub struct Gen {
    rng: Rng,
}

impl Gen {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.below(items.len() as u64) as usize]
    }

    /// A key, preferring those whose name starts with `prefix` (three in
    /// four), so most commands meet the type they expect.
    fn key(&mut self, prefix: &str) -> &'static str {
        if self.rng.below(4) > 0 {
            let own: Vec<&'static str> = KEYS
                .iter()
                .copied()
                .filter(|k| k.starts_with(prefix))
                .collect();
            if !own.is_empty() {
                return self.pick(&own);
            }
        }
        self.pick(KEYS)
    }

    fn word(&mut self) -> &'static str {
        self.pick(WORDS)
    }

    /// A small integer, sometimes negative.
    fn int(&mut self, low: i64, high: i64) -> i64 {
        low + self.rng.below((high - low + 1) as u64) as i64
    }

    /// `n` words, separated by spaces.
    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }

    /// `n` field/value (or score/member) pairs.
    fn pairs(&mut self, n: usize, first: fn(&mut Gen) -> String) -> String {
        (0..n)
            .map(|_| format!("{} {}", first(self), self.word()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn score(&mut self) -> String {
        match self.rng.below(6) {
            0 => self
                .pick(&["-inf", "+inf", "1.5", "-2.5", "0.1", "1e2"])
                .into(),
            _ => self.int(-5, 20).to_string(),
        }
    }

    fn range_bound(&mut self) -> String {
        match self.rng.below(5) {
            0 => self.pick(&["-inf", "+inf", "(1", "(5", "(-2"]).into(),
            _ => self.int(-5, 20).to_string(),
        }
    }

    fn lex_bound(&mut self) -> &'static str {
        self.pick(&["-", "+", "[a", "(b", "[foo", "(c", "[0"])
    }
}

/// Every template, with the command it runs.
const TEMPLATES: &[(&str, Template)] = &[
    // strings and keys
    ("set", |g| format!("SET {} {}", g.key("s"), g.word())),
    ("set", |g| {
        let opt = g.pick(&["NX", "XX", "GET", "KEEPTTL", "EX 100", "PX 100000"]);
        format!("SET {} {} {opt}", g.key("s"), g.word())
    }),
    ("get", |g| format!("GET {}", g.key("s"))),
    ("getset", |g| format!("GETSET {} {}", g.key("s"), g.word())),
    ("getdel", |g| format!("GETDEL {}", g.key("s"))),
    ("append", |g| format!("APPEND {} {}", g.key("s"), g.word())),
    ("strlen", |g| format!("STRLEN {}", g.key("s"))),
    ("incr", |g| format!("INCR {}", g.key("s"))),
    ("incrby", |g| {
        format!("INCRBY {} {}", g.key("s"), g.int(-10, 10))
    }),
    ("decrby", |g| {
        format!("DECRBY {} {}", g.key("s"), g.int(-10, 10))
    }),
    ("incrbyfloat", |g| {
        format!("INCRBYFLOAT {} {}", g.key("s"), g.word())
    }),
    ("getrange", |g| {
        format!("GETRANGE {} {} {}", g.key("s"), g.int(-5, 5), g.int(-5, 5))
    }),
    ("setrange", |g| {
        format!("SETRANGE {} {} {}", g.key("s"), g.int(0, 8), g.word())
    }),
    ("mset", |g| {
        format!(
            "MSET {} {} {} {}",
            g.key("s"),
            g.word(),
            g.key("s"),
            g.word()
        )
    }),
    ("msetnx", |g| {
        format!(
            "MSETNX {} {} {} {}",
            g.key("s"),
            g.word(),
            g.key("x"),
            g.word()
        )
    }),
    ("mget", |g| {
        format!("MGET {} {} {}", g.key("s"), g.key("s"), g.key(""))
    }),
    ("del", |g| format!("DEL {}", g.key(""))),
    ("exists", |g| format!("EXISTS {} {}", g.key(""), g.key(""))),
    ("type", |g| format!("TYPE {}", g.key(""))),
    ("expire", |g| {
        format!("EXPIRE {} {}", g.key(""), g.int(100, 1000))
    }),
    ("persist", |g| format!("PERSIST {}", g.key(""))),
    ("rename", |g| format!("RENAME {} {}", g.key(""), g.key(""))),
    ("renamenx", |g| {
        format!("RENAMENX {} {}", g.key(""), g.key(""))
    }),
    ("dbsize", |_| "DBSIZE".into()),
    ("copy", |g| {
        let opt = g.pick(&["", "REPLACE", "DB 1", "DB 1 REPLACE"]);
        format!("COPY {} {} {opt}", g.key(""), g.key(""))
    }),
    ("move", |g| format!("MOVE {} 1", g.key(""))),
    ("swapdb", |_| "SWAPDB 0 1".into()),
    ("object", |g| {
        let sub = g.pick(&["ENCODING", "ENCODING", "REFCOUNT"]);
        format!("OBJECT {sub} {}", g.key(""))
    }),
    ("scan", |g| {
        let opt = g.pick(&[
            "",
            "MATCH s*",
            "MATCH ?1",
            "TYPE string",
            "TYPE hash",
            "TYPE list",
        ]);
        format!("SCAN 0 COUNT 1000 {opt}")
    }),
    ("keys", |g| {
        format!("KEYS {}", g.pick(&["*", "s*", "?1", "[hz]*"]))
    }),
    // hashes
    ("hset", |g| {
        let n = 1 + g.rng.below(3) as usize;
        format!("HSET {} {}", g.key("h"), g.pairs(n, |g| g.word().into()))
    }),
    ("hsetnx", |g| {
        format!("HSETNX {} {} {}", g.key("h"), g.word(), g.word())
    }),
    ("hget", |g| format!("HGET {} {}", g.key("h"), g.word())),
    ("hmget", |g| format!("HMGET {} {}", g.key("h"), g.words(3))),
    ("hdel", |g| format!("HDEL {} {}", g.key("h"), g.words(2))),
    ("hexists", |g| {
        format!("HEXISTS {} {}", g.key("h"), g.word())
    }),
    ("hlen", |g| format!("HLEN {}", g.key("h"))),
    ("hgetall", |g| format!("HGETALL {}", g.key("h"))),
    ("hkeys", |g| format!("HKEYS {}", g.key("h"))),
    ("hvals", |g| format!("HVALS {}", g.key("h"))),
    ("hincrby", |g| {
        format!("HINCRBY {} {} {}", g.key("h"), g.word(), g.int(-5, 5))
    }),
    ("hincrbyfloat", |g| {
        format!("HINCRBYFLOAT {} {} {}", g.key("h"), g.word(), g.word())
    }),
    ("hstrlen", |g| {
        format!("HSTRLEN {} {}", g.key("h"), g.word())
    }),
    // lists
    ("lpush", |g| format!("LPUSH {} {}", g.key("l"), g.words(2))),
    ("rpush", |g| format!("RPUSH {} {}", g.key("l"), g.words(2))),
    ("lpushx", |g| format!("LPUSHX {} {}", g.key("l"), g.word())),
    ("rpushx", |g| format!("RPUSHX {} {}", g.key("l"), g.word())),
    ("lpop", |g| format!("LPOP {}", g.key("l"))),
    ("rpop", |g| format!("RPOP {} {}", g.key("l"), g.int(0, 3))),
    ("lrange", |g| {
        format!("LRANGE {} {} {}", g.key("l"), g.int(-4, 4), g.int(-4, 4))
    }),
    ("lindex", |g| {
        format!("LINDEX {} {}", g.key("l"), g.int(-4, 4))
    }),
    ("llen", |g| format!("LLEN {}", g.key("l"))),
    ("lset", |g| {
        format!("LSET {} {} {}", g.key("l"), g.int(-3, 3), g.word())
    }),
    ("linsert", |g| {
        let side = g.pick(&["BEFORE", "AFTER"]);
        format!("LINSERT {} {side} {} {}", g.key("l"), g.word(), g.word())
    }),
    ("lrem", |g| {
        format!("LREM {} {} {}", g.key("l"), g.int(-2, 2), g.word())
    }),
    ("ltrim", |g| {
        format!("LTRIM {} {} {}", g.key("l"), g.int(-4, 4), g.int(-4, 4))
    }),
    ("lpos", |g| {
        format!(
            "LPOS {} {} RANK {} COUNT {}",
            g.key("l"),
            g.word(),
            g.pick(&["1", "-1", "2"]),
            g.int(0, 3)
        )
    }),
    ("lmove", |g| {
        let (a, b) = (g.pick(&["LEFT", "RIGHT"]), g.pick(&["LEFT", "RIGHT"]));
        format!("LMOVE {} {} {a} {b}", g.key("l"), g.key("l"))
    }),
    ("rpoplpush", |g| {
        format!("RPOPLPUSH {} {}", g.key("l"), g.key("l"))
    }),
    // blocking pops: each after a push onto the last key it names, so it
    // never blocks (a key of another type is WRONGTYPE at once).
    ("blpop", |g| {
        let (a, b) = (g.key("l"), g.key("l"));
        format!("RPUSH {b} {}\nBLPOP {a} {b} 0", g.word())
    }),
    ("brpop", |g| {
        let (a, b) = (g.key("l"), g.key("l"));
        format!(
            "LPUSH {b} {}\nBRPOP {a} {b} {}",
            g.word(),
            g.pick(&["0", "1.5", "-1", "x"])
        )
    }),
    ("blmpop", |g| {
        let (a, b) = (g.key("l"), g.key("l"));
        let end = g.pick(&["LEFT", "RIGHT"]);
        format!(
            "RPUSH {b} {}\nBLMPOP 0 2 {a} {b} {end} COUNT {}",
            g.words(2),
            g.int(1, 3)
        )
    }),
    ("blmove", |g| {
        let (src, dst) = (g.key("l"), g.key("l"));
        let (a, b) = (g.pick(&["LEFT", "RIGHT"]), g.pick(&["LEFT", "RIGHT"]));
        format!("RPUSH {src} {}\nBLMOVE {src} {dst} {a} {b} 0", g.word())
    }),
    ("brpoplpush", |g| {
        let (src, dst) = (g.key("l"), g.key("l"));
        format!("RPUSH {src} {}\nBRPOPLPUSH {src} {dst} 0", g.word())
    }),
    ("bzpopmin", |g| {
        let (a, b) = (g.key("z"), g.key("z"));
        format!("ZADD {b} {} {}\nBZPOPMIN {a} {b} 0", g.int(-3, 3), g.word())
    }),
    ("bzpopmax", |g| {
        let (a, b) = (g.key("z"), g.key("z"));
        format!("ZADD {b} {} {}\nBZPOPMAX {a} {b} 0", g.int(-3, 3), g.word())
    }),
    ("bzmpop", |g| {
        let (a, b) = (g.key("z"), g.key("z"));
        let end = g.pick(&["MIN", "MAX"]);
        format!(
            "ZADD {b} 1 {}\nBZMPOP 0 2 {a} {b} {end} COUNT {}",
            g.word(),
            g.int(1, 3)
        )
    }),
    // sets (t1, t2)
    ("sadd", |g| format!("SADD {} {}", g.key("t"), g.words(3))),
    ("srem", |g| format!("SREM {} {}", g.key("t"), g.words(2))),
    ("smembers", |g| format!("SMEMBERS {}", g.key("t"))),
    ("sismember", |g| {
        format!("SISMEMBER {} {}", g.key("t"), g.word())
    }),
    ("smismember", |g| {
        format!("SMISMEMBER {} {}", g.key("t"), g.words(2))
    }),
    ("scard", |g| format!("SCARD {}", g.key("t"))),
    ("smove", |g| {
        format!("SMOVE {} {} {}", g.key("t"), g.key("t"), g.word())
    }),
    ("sinter", |g| {
        format!("SINTER {} {}", g.key("t"), g.key("t"))
    }),
    ("sunion", |g| {
        format!("SUNION {} {}", g.key("t"), g.key("t"))
    }),
    ("sdiff", |g| format!("SDIFF {} {}", g.key("t"), g.key("t"))),
    ("sinterstore", |g| {
        format!("SINTERSTORE {} {} {}", g.key("t"), g.key("t"), g.key("t"))
    }),
    ("sunionstore", |g| {
        format!("SUNIONSTORE {} {} {}", g.key("t"), g.key("t"), g.key("t"))
    }),
    ("sdiffstore", |g| {
        format!("SDIFFSTORE {} {} {}", g.key("t"), g.key("t"), g.key("t"))
    }),
    ("sintercard", |g| {
        format!("SINTERCARD 2 {} {}", g.key("t"), g.key("t"))
    }),
    // sorted sets
    ("zadd", |g| {
        let opt = g.pick(&["", "", "NX", "XX", "GT", "LT", "CH"]);
        let n = 1 + g.rng.below(3) as usize;
        format!("ZADD {} {opt} {}", g.key("z"), g.pairs(n, Gen::score))
    }),
    ("zincrby", |g| {
        format!("ZINCRBY {} {} {}", g.key("z"), g.score(), g.word())
    }),
    ("zscore", |g| format!("ZSCORE {} {}", g.key("z"), g.word())),
    ("zmscore", |g| {
        format!("ZMSCORE {} {}", g.key("z"), g.words(2))
    }),
    ("zcard", |g| format!("ZCARD {}", g.key("z"))),
    ("zrank", |g| format!("ZRANK {} {}", g.key("z"), g.word())),
    ("zrevrank", |g| {
        format!("ZREVRANK {} {}", g.key("z"), g.word())
    }),
    ("zcount", |g| {
        format!(
            "ZCOUNT {} {} {}",
            g.key("z"),
            g.range_bound(),
            g.range_bound()
        )
    }),
    ("zlexcount", |g| {
        format!(
            "ZLEXCOUNT {} {} {}",
            g.key("z"),
            g.lex_bound(),
            g.lex_bound()
        )
    }),
    ("zrange", |g| {
        let opt = g.pick(&["", "WITHSCORES", "REV", "REV WITHSCORES"]);
        format!(
            "ZRANGE {} {} {} {opt}",
            g.key("z"),
            g.int(-4, 4),
            g.int(-4, 4)
        )
    }),
    ("zrange", |g| {
        let opt = g.pick(&["", "WITHSCORES", "LIMIT 1 2", "REV"]);
        format!(
            "ZRANGE {} {} {} BYSCORE {opt}",
            g.key("z"),
            g.range_bound(),
            g.range_bound()
        )
    }),
    ("zrangebylex", |g| {
        format!(
            "ZRANGEBYLEX {} {} {}",
            g.key("z"),
            g.lex_bound(),
            g.lex_bound()
        )
    }),
    ("zrem", |g| format!("ZREM {} {}", g.key("z"), g.words(2))),
    ("zremrangebyscore", |g| {
        format!(
            "ZREMRANGEBYSCORE {} {} {}",
            g.key("z"),
            g.range_bound(),
            g.range_bound()
        )
    }),
    ("zremrangebyrank", |g| {
        format!(
            "ZREMRANGEBYRANK {} {} {}",
            g.key("z"),
            g.int(-3, 3),
            g.int(-3, 3)
        )
    }),
    ("zpopmin", |g| {
        format!("ZPOPMIN {} {}", g.key("z"), g.int(1, 3))
    }),
    ("zpopmax", |g| format!("ZPOPMAX {}", g.key("z"))),
    ("zunionstore", |g| {
        format!(
            "ZUNIONSTORE {} 2 {} {} AGGREGATE {}",
            g.key("z"),
            g.key("z"),
            g.key("t"),
            g.pick(&["SUM", "MIN", "MAX"])
        )
    }),
    ("zinterstore", |g| {
        format!(
            "ZINTERSTORE {} 2 {} {} WEIGHTS 2 {}",
            g.key("z"),
            g.key("z"),
            g.key("z"),
            g.score()
        )
    }),
    ("zdiff", |g| {
        format!("ZDIFF 2 {} {} WITHSCORES", g.key("z"), g.key("z"))
    }),
    ("zadd", |g| {
        let opt = g.pick(&[
            "INCR", "NX INCR", "XX INCR", "GT INCR", "LT INCR", "GT CH", "XX LT CH",
        ]);
        format!("ZADD {} {opt} {}", g.key("z"), g.pairs(1, Gen::score))
    }),
    ("zrevrange", |g| {
        let opt = g.pick(&["", "WITHSCORES"]);
        format!(
            "ZREVRANGE {} {} {} {opt}",
            g.key("z"),
            g.int(-4, 4),
            g.int(-4, 4)
        )
    }),
    ("zrangebyscore", |g| {
        let opt = g.pick(&["", "WITHSCORES", "LIMIT 0 1", "LIMIT 1 -1 WITHSCORES"]);
        format!(
            "ZRANGEBYSCORE {} {} {} {opt}",
            g.key("z"),
            g.range_bound(),
            g.range_bound()
        )
    }),
    ("zrevrangebyscore", |g| {
        let opt = g.pick(&["", "WITHSCORES", "LIMIT 1 2"]);
        format!(
            "ZREVRANGEBYSCORE {} {} {} {opt}",
            g.key("z"),
            g.range_bound(),
            g.range_bound()
        )
    }),
    ("zrevrangebylex", |g| {
        let opt = g.pick(&["", "LIMIT 1 1"]);
        format!(
            "ZREVRANGEBYLEX {} {} {} {opt}",
            g.key("z"),
            g.lex_bound(),
            g.lex_bound()
        )
    }),
    ("zrange", |g| {
        let opt = g.pick(&["", "REV", "LIMIT 1 2", "REV LIMIT 0 1"]);
        format!(
            "ZRANGE {} {} {} BYLEX {opt}",
            g.key("z"),
            g.lex_bound(),
            g.lex_bound()
        )
    }),
    ("zrangestore", |g| {
        let opt = g.pick(&["", "REV", "BYSCORE", "BYSCORE REV", "BYSCORE LIMIT 1 2"]);
        format!(
            "ZRANGESTORE {} {} {} {} {opt}",
            g.key("z"),
            g.key("z"),
            g.int(-3, 5),
            g.int(-3, 5)
        )
    }),
    ("zremrangebylex", |g| {
        format!(
            "ZREMRANGEBYLEX {} {} {}",
            g.key("z"),
            g.lex_bound(),
            g.lex_bound()
        )
    }),
    ("zmpop", |g| {
        format!(
            "ZMPOP 2 {} {} {} COUNT {}",
            g.key("z"),
            g.key("z"),
            g.pick(&["MIN", "MAX"]),
            g.int(1, 3)
        )
    }),
    ("zunion", |g| {
        format!(
            "ZUNION 2 {} {} WEIGHTS {} 1 AGGREGATE {} WITHSCORES",
            g.key("z"),
            g.key("t"),
            g.score(),
            g.pick(&["SUM", "MIN", "MAX"])
        )
    }),
    ("zinter", |g| {
        format!(
            "ZINTER 2 {} {} AGGREGATE {} WITHSCORES",
            g.key("z"),
            g.key("z"),
            g.pick(&["SUM", "MIN", "MAX"])
        )
    }),
    ("zintercard", |g| {
        format!(
            "ZINTERCARD 2 {} {} LIMIT {}",
            g.key("z"),
            g.key("t"),
            g.int(0, 2)
        )
    }),
    ("zdiffstore", |g| {
        format!("ZDIFFSTORE {} 2 {} {}", g.key("z"), g.key("z"), g.key("t"))
    }),
    // bitmaps and HyperLogLog (on the string keys)
    ("setbit", |g| {
        format!("SETBIT {} {} {}", g.key("s"), g.int(0, 40), g.int(0, 1))
    }),
    ("getbit", |g| {
        format!("GETBIT {} {}", g.key("s"), g.int(0, 40))
    }),
    ("bitcount", |g| {
        format!("BITCOUNT {} {} {}", g.key("s"), g.int(-3, 3), g.int(-3, 3))
    }),
    ("bitpos", |g| {
        format!("BITPOS {} {}", g.key("s"), g.int(0, 1))
    }),
    ("bitop", |g| {
        format!(
            "BITOP {} {} {} {}",
            g.pick(&["AND", "OR", "XOR"]),
            g.key("s"),
            g.key("s"),
            g.key("s")
        )
    }),
    ("pfadd", |g| format!("PFADD {} {}", g.key("s"), g.words(3))),
    ("pfcount", |g| format!("PFCOUNT {}", g.key("s"))),
    ("pfcount", |g| {
        format!("PFCOUNT {} {}", g.key("s"), g.key("s"))
    }),
    ("pfmerge", |g| {
        format!("PFMERGE {} {} {}", g.key("s"), g.key("s"), g.key(""))
    }),
    // SORT, in forms whose answer does not depend on a hashtable's order
    // (no BY constant on a set without STORE, no ALPHA BY with ties) nor on
    // strtod's sticky range errors (numeric BY only through hash fields,
    // whose values never overflow; string keys may, after APPEND).
    ("sort", |g| {
        format!("SORT {}{}", g.sort_key(), g.sort_options())
    }),
    ("sort", |g| {
        format!(
            "SORT {} BY h*->{}{}{}",
            g.sort_key(),
            g.sort_field(),
            g.sort_gets(),
            g.sort_tail()
        )
    }),
    ("sort", |g| {
        format!(
            "SORT {}{} ALPHA{} STORE {}",
            g.sort_key(),
            g.sort_gets(),
            g.sort_tail(),
            g.key("l")
        )
    }),
    ("sort", |g| {
        format!(
            "SORT {} BY nosort{} STORE {}",
            g.sort_key(),
            g.sort_tail(),
            g.key("l")
        )
    }),
    ("sort_ro", |g| {
        format!("SORT_RO {}{}", g.sort_key(), g.sort_options())
    }),
    // Pub/sub between named subscribers and the default client. No
    // channel matches two patterns and no UNSUBSCRIBE goes without names:
    // Redis answers those in its seeded hash tables' order.
    ("subscribe", |g| {
        format!("{}> SUBSCRIBE {}", g.subscriber(), g.channels())
    }),
    ("unsubscribe", |g| {
        format!("{}> UNSUBSCRIBE {}", g.subscriber(), g.channels())
    }),
    ("psubscribe", |g| {
        format!("{}> PSUBSCRIBE {}", g.subscriber(), g.patterns())
    }),
    ("punsubscribe", |g| {
        format!("{}> PUNSUBSCRIBE {}", g.subscriber(), g.patterns())
    }),
    ("ssubscribe", |g| {
        format!("{}> SSUBSCRIBE {}", g.subscriber(), g.channels())
    }),
    ("sunsubscribe", |g| {
        format!("{}> SUNSUBSCRIBE {}", g.subscriber(), g.channels())
    }),
    ("publish", |g| {
        format!("PUBLISH {} {}", g.channel(), g.word())
    }),
    ("spublish", |g| {
        format!("SPUBLISH {} {}", g.channel(), g.word())
    }),
    ("pubsub", |g| format!("PUBSUB NUMSUB {}", g.channels())),
    ("pubsub", |g| format!("PUBSUB SHARDNUMSUB {}", g.channels())),
    ("pubsub", |_| "PUBSUB NUMPAT".to_string()),
    ("pubsub", |g| {
        format!(
            "PUBSUB {} {}",
            g.pick(&["CHANNELS", "SHARDCHANNELS"]),
            g.pick(PATTERNS)
        )
    }),
    // A subscriber runs what it may (PING) or may not (a read).
    ("ping", |g| format!("{}> PING", g.subscriber())),
    ("get", |g| format!("{}> GET {}", g.subscriber(), g.key("s"))),
    // Keyspace notifications: every write of the script is announced to a
    // subscriber of both channel kinds (one pattern: no other matches).
    ("psubscribe", |g| {
        format!(
            "CONFIG SET notify-keyspace-events {}\n{}> PSUBSCRIBE __key*__:*",
            g.pick(&["KEA", "KA", "EA", "Kg$lshz", "El", "Ksz", "Exg", "KEAn", "En", "Kn"]),
            g.subscriber()
        )
    }),
    // transactions: the commands between MULTI and EXEC are queued; one
    // client's own writes break its WATCH.
    ("multi", |_| "MULTI".into()),
    ("exec", |_| "EXEC".into()),
    ("discard", |_| "DISCARD".into()),
    ("watch", |g| format!("WATCH {} {}", g.key(""), g.key(""))),
    ("unwatch", |_| "UNWATCH".into()),
    // connections
    ("client", |g| format!("CLIENT SETNAME {}", g.word())),
    ("client", |_| "CLIENT GETNAME".into()),
    // Client-side caching: a tracking client's reads, invalidated to a
    // subscriber (`{id:name}` is that client's id on each side).
    ("client", |g| {
        format!(
            "trk> CLIENT TRACKING on redirect {{id:{}}}{}",
            g.subscriber(),
            g.pick(&[
                "",
                " noloop",
                " bcast",
                " bcast prefix s",
                " optin",
                " optout"
            ])
        )
    }),
    ("client", |g| {
        format!("trk> CLIENT CACHING {}", g.pick(&["yes", "no"]))
    }),
    ("client", |_| "trk> CLIENT TRACKING off".into()),
    ("client", |_| "trk> CLIENT TRACKINGINFO".into()),
    ("get", |g| format!("trk> GET {}", g.key(""))),
    ("mget", |g| format!("trk> MGET {} {}", g.key(""), g.key(""))),
];

/// Channels for the pub/sub templates, and patterns such that no channel
/// matches two of them.
const CHANNELS: &[&str] = &["c1", "c2", "d1", "e", "\"\""];
const PATTERNS: &[&str] = &["c*", "d?", "[e]"];

impl Gen {
    fn subscriber(&mut self) -> &'static str {
        self.pick(&["sub1", "sub2", "sub3"])
    }

    fn channel(&mut self) -> &'static str {
        self.pick(CHANNELS)
    }

    /// One to three channels.
    fn channels(&mut self) -> String {
        let n = 1 + self.rng.below(3) as usize;
        (0..n).map(|_| self.channel()).collect::<Vec<_>>().join(" ")
    }

    /// One or two patterns.
    fn patterns(&mut self) -> String {
        let n = 1 + self.rng.below(2) as usize;
        (0..n)
            .map(|_| self.pick(PATTERNS))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Gen {
    /// A list or set key to sort, sometimes any key.
    fn sort_key(&mut self) -> &'static str {
        match self.rng.below(3) {
            0 => self.key("l"),
            _ => self.key("t"),
        }
    }

    fn sort_field(&mut self) -> &'static str {
        self.pick(&["a", "b", "foo", "0", "1"])
    }

    /// Up to two GET patterns: the element, a string key, a hash field.
    fn sort_gets(&mut self) -> String {
        (0..self.rng.below(3))
            .map(|_| match self.rng.below(3) {
                0 => " GET #".to_string(),
                1 => " GET s*".to_string(),
                _ => format!(" GET h*->{}", self.sort_field()),
            })
            .collect()
    }

    /// DESC and LIMIT, each maybe.
    fn sort_tail(&mut self) -> String {
        let mut out = String::new();
        if self.rng.below(2) == 0 {
            out.push_str(" DESC");
        }
        if self.rng.below(3) == 0 {
            out.push_str(&format!(" LIMIT {} {}", self.int(-2, 4), self.int(-2, 4)));
        }
        out
    }

    /// ALPHA or not, GETs, DESC and LIMIT.
    fn sort_options(&mut self) -> String {
        let alpha = if self.rng.below(2) == 0 { " ALPHA" } else { "" };
        format!("{alpha}{}{}", self.sort_gets(), self.sort_tail())
    }
}

/// A script of `len` commands from `seed`, using only the commands in
/// `implemented` (lowercase names).
pub fn script(seed: u64, len: usize, implemented: &[&str]) -> String {
    let usable: Vec<Template> = TEMPLATES
        .iter()
        .filter(|(name, _)| implemented.contains(name))
        .map(|&(_, template)| template)
        .collect();
    assert!(!usable.is_empty(), "no implemented command has a template");
    let mut g = Gen {
        rng: Rng::new(seed),
    };
    let mut out = format!("# random script, seed {seed}\n");
    for _ in 0..len {
        let template = usable[g.rng.below(usable.len() as u64) as usize];
        out.push_str(&template(&mut g));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_reproducible_and_use_only_what_is_implemented() {
        let a = script(7, 200, &["set", "get"]);
        assert_eq!(a, script(7, 200, &["set", "get"]));
        assert_ne!(a, script(8, 200, &["set", "get"]));
        for line in a.lines().skip(1) {
            // A subscriber's GET carries its client prefix.
            let (_, command) = engine::script::parse_line(line).expect("a command");
            assert!(
                command.starts_with("SET ") || command.starts_with("GET "),
                "{line}"
            );
        }
    }

    #[test]
    fn every_template_splits_like_redis_cli() {
        let all: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
        for line in script(1, 2_000, &all).lines().skip(1) {
            let (_, command) = engine::script::parse_line(line).expect("a command");
            let argv = engine::split_args(command).unwrap_or_else(|_| panic!("{line}"));
            let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
            // The notification template sets the configuration first.
            assert!(all.contains(&name.as_str()) || name == "config", "{line}");
        }
    }
}
