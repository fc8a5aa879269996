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
    "s1", "s2", "h1", "h2", "l1", "l2", "t1", "t2", "z1", "z2", "q1", "q2", "x", "y",
];
/// Sorted sets for the lex-range commands (ZRANGEBYLEX, ZREVRANGEBYLEX,
/// ZLEXCOUNT, ZREMRANGEBYLEX, ZRANGE BYLEX): Redis defines a lex range only
/// when every member has the same score; with mixed scores its answer
/// depends on the skiplist's random levels. So these keys are outside
/// `KEYS` (no shared template renames, copies or stores into them) and
/// only templates that keep every score at 0 write them; one of them is
/// sometimes a string (e2), for WRONGTYPE.
const LEX_KEYS: &[&str] = &["e1", "e2"];
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

    /// A key of `LEX_KEYS`: every member at one score, or a string.
    fn lex_key(&mut self) -> &'static str {
        self.pick(LEX_KEYS)
    }

    /// `n` members at score 0.
    fn lex_members(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| format!("0 {}", self.word()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Two lex bounds, in range order (max first when `rev`) three times
    /// in four, so most ranges meet members; else in any order.
    fn lex_range(&mut self, rev: bool) -> String {
        const ORDER: &[&str] = &["-", "[0", "[a", "(b", "(c", "[foo", "+"];
        let (a, b) = (self.rng.below(7) as usize, self.rng.below(7) as usize);
        let (lo, hi) = match self.rng.below(4) {
            0 => (a, b),
            _ if rev => (a.max(b), a.min(b)),
            _ => (a.min(b), a.max(b)),
        };
        format!("{} {}", ORDER[lo], ORDER[hi])
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
        format!("ZLEXCOUNT {} {}", g.lex_key(), g.lex_range(false))
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
        format!("ZRANGEBYLEX {} {}", g.lex_key(), g.lex_range(false))
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
        format!("ZREVRANGEBYLEX {} {} {opt}", g.lex_key(), g.lex_range(true))
    }),
    ("zrange", |g| {
        let opt = g.pick(&["", "REV", "LIMIT 1 2", "REV LIMIT 0 1"]);
        format!(
            "ZRANGE {} {} BYLEX {opt}",
            g.lex_key(),
            g.lex_range(opt.starts_with("REV"))
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
        format!("ZREMRANGEBYLEX {} {}", g.lex_key(), g.lex_range(false))
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
    // The lex keys: writes that keep every score at 0, a string now and
    // then, and reads beside the lex ranges.
    ("zadd", |g| {
        let opt = g.pick(&["", "", "NX", "XX CH", "GT", "INCR"]);
        let n = if opt == "INCR" {
            1
        } else {
            1 + g.rng.below(3) as usize
        };
        format!("ZADD {} {opt} {}", g.lex_key(), g.lex_members(n))
    }),
    ("zadd", |g| {
        format!("ZADD {} {}", g.lex_key(), g.lex_members(4))
    }),
    ("zadd", |g| format!("ZADD e1 {}", g.lex_members(3))),
    ("zrem", |g| format!("ZREM {} {}", g.lex_key(), g.words(2))),
    ("zpopmin", |g| {
        format!("ZPOPMIN {} {}", g.lex_key(), g.int(1, 2))
    }),
    ("zremrangebyrank", |g| {
        format!(
            "ZREMRANGEBYRANK {} {} {}",
            g.lex_key(),
            g.int(-3, 3),
            g.int(-3, 3)
        )
    }),
    ("zrange", |g| {
        format!("ZRANGE {} 0 -1 WITHSCORES", g.lex_key())
    }),
    ("zrangestore", |g| {
        let opt = g.pick(&["", "REV", "LIMIT 1 2"]);
        format!(
            "ZRANGESTORE {} {} {} BYLEX {opt}",
            g.lex_key(),
            g.lex_key(),
            g.lex_range(opt == "REV")
        )
    }),
    ("zunionstore", |g| {
        format!(
            "ZUNIONSTORE {} 2 {} {} AGGREGATE {}",
            g.lex_key(),
            g.lex_key(),
            g.lex_key(),
            g.pick(&["SUM", "MIN", "MAX"])
        )
    }),
    ("zinterstore", |g| {
        format!(
            "ZINTERSTORE {} 2 {} {}",
            g.lex_key(),
            g.lex_key(),
            g.lex_key()
        )
    }),
    ("zdiffstore", |g| {
        format!(
            "ZDIFFSTORE {} 2 {} {}",
            g.lex_key(),
            g.lex_key(),
            g.lex_key()
        )
    }),
    // e2 is a string about half of the time; e1 only ever a sorted set.
    ("set", |g| format!("SET e2 {}", g.word())),
    ("del", |_| "DEL e2".into()),
    ("type", |g| format!("TYPE {}", g.lex_key())),
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
    // streams: small explicit IDs (never `*`, the server's wall clock),
    // two groups, three consumers; no idle times (XPENDING's extended
    // form, XINFO CONSUMERS): the server's drift over a long script.
    ("xadd", |g| {
        let opt = g.pick(&[
            "",
            "",
            "",
            "NOMKSTREAM",
            "MAXLEN 3",
            "MAXLEN ~ 2",
            "MAXLEN = 0",
            "MINID 2",
            "MINID ~ 3-1",
            "MAXLEN ~ 1 LIMIT 5",
        ]);
        let n = g.int(1, 2) as usize;
        format!(
            "XADD {} {opt} {} {}",
            g.key("q"),
            g.stream_id(true),
            g.words(2 * n)
        )
    }),
    ("xlen", |g| format!("XLEN {}", g.key("q"))),
    ("xrange", |g| {
        format!(
            "XRANGE {} {} {} {}",
            g.key("q"),
            g.id_bound(),
            g.id_bound(),
            g.pick(&["", "", "COUNT 2", "COUNT 0"])
        )
    }),
    ("xrevrange", |g| {
        format!(
            "XREVRANGE {} {} {} {}",
            g.key("q"),
            g.id_bound(),
            g.id_bound(),
            g.pick(&["", "COUNT 1"])
        )
    }),
    ("xdel", |g| {
        format!(
            "XDEL {} {} {}",
            g.key("q"),
            g.stream_id(false),
            g.stream_id(false)
        )
    }),
    ("xtrim", |g| {
        let how = g.pick(&["MAXLEN", "MINID"]);
        let mode = g.pick(&["", "=", "~"]);
        let at = if how == "MAXLEN" {
            g.int(-1, 4).to_string()
        } else {
            g.stream_id(false)
        };
        format!("XTRIM {} {how} {mode} {at}", g.key("q"))
    }),
    ("xsetid", |g| {
        format!("XSETID {} {}", g.key("q"), g.stream_id(false))
    }),
    ("xread", |g| {
        format!(
            "XREAD {} STREAMS {} {} {} {}",
            g.pick(&["", "COUNT 1", "COUNT 3"]),
            g.key("q"),
            g.key("q"),
            g.pick(&["0", "$", "2-1", "3"]),
            g.pick(&["0", "$", "1-1", "4-0"])
        )
    }),
    ("xgroup", |g| {
        format!(
            "XGROUP CREATE {} {} {} {}",
            g.key("q"),
            g.pick(&["g1", "g2"]),
            g.pick(&["0", "$", "2-0"]),
            g.pick(&["", "MKSTREAM"])
        )
    }),
    ("xgroup", |g| {
        let sub = g.pick(&[
            "DESTROY {k} {g}",
            "SETID {k} {g} 0",
            "SETID {k} {g} $",
            "CREATECONSUMER {k} {g} {c}",
            "DELCONSUMER {k} {g} {c}",
        ]);
        let line = sub
            .replace("{k}", g.key("q"))
            .replace("{g}", g.pick(&["g1", "g2"]))
            .replace("{c}", g.pick(&["c1", "c2", "c3"]));
        format!("XGROUP {line}")
    }),
    ("xreadgroup", |g| {
        format!(
            "XREADGROUP GROUP {} {} {} {} STREAMS {} {}",
            g.pick(&["g1", "g2"]),
            g.pick(&["c1", "c2", "c3"]),
            g.pick(&["", "COUNT 1", "COUNT 2"]),
            g.pick(&["", "", "NOACK"]),
            g.key("q"),
            g.pick(&[">", ">", "0", "2-0"])
        )
    }),
    ("xack", |g| {
        format!(
            "XACK {} {} {} {}",
            g.key("q"),
            g.pick(&["g1", "g2"]),
            g.stream_id(false),
            g.stream_id(false)
        )
    }),
    ("xpending", |g| {
        format!("XPENDING {} {}", g.key("q"), g.pick(&["g1", "g2"]))
    }),
    ("xclaim", |g| {
        format!(
            "XCLAIM {} {} {} 0 {} {} {}",
            g.key("q"),
            g.pick(&["g1", "g2"]),
            g.pick(&["c1", "c2", "c3"]),
            g.stream_id(false),
            g.stream_id(false),
            g.pick(&["", "JUSTID", "FORCE", "RETRYCOUNT 3", "LASTID 9-0"])
        )
    }),
    ("xautoclaim", |g| {
        format!(
            "XAUTOCLAIM {} {} {} 0 {} {}",
            g.key("q"),
            g.pick(&["g1", "g2"]),
            g.pick(&["c1", "c2", "c3"]),
            g.pick(&["0", "2-0", "(1-1"]),
            g.pick(&["", "COUNT 1", "JUSTID", "COUNT 2 JUSTID"])
        )
    }),
    ("xinfo", |g| {
        let sub = g.pick(&["STREAM {k}", "GROUPS {k}"]);
        format!("XINFO {}", sub.replace("{k}", g.key("q")))
    }),
    // connections
    ("client", |g| format!("CLIENT SETNAME {}", g.word())),
    ("client", |_| "CLIENT GETNAME".into()),
    // geo: on the sorted-set keys, so points meet ZADD's arbitrary scores
    ("geoadd", |g| {
        let opt = g.pick(&["", "", "NX", "XX", "CH", "XX CH", "NX CH"]);
        let n = 1 + g.rng.below(3) as usize;
        let points = (0..n)
            .map(|_| format!("{} {}", g.geo_point(), g.word()))
            .collect::<Vec<_>>()
            .join(" ");
        format!("GEOADD {} {opt} {points}", g.key("z"))
    }),
    ("geopos", |g| {
        format!("GEOPOS {} {}", g.key("z"), g.words(2))
    }),
    ("geohash", |g| {
        format!("GEOHASH {} {}", g.key("z"), g.words(2))
    }),
    ("geodist", |g| {
        let unit = g.pick(&["", "m", "km", "ft", "mi", "KM", "yd"]);
        format!("GEODIST {} {} {} {unit}", g.key("z"), g.word(), g.word())
    }),
    ("geosearch", |g| {
        let (from, by, tail) = (g.geo_from(), g.geo_by(), g.geo_tail(true));
        format!("GEOSEARCH {} {from} {by}{tail}", g.key("z"))
    }),
    ("geosearchstore", |g| {
        let (from, by, tail) = (g.geo_from(), g.geo_by(), g.geo_tail(false));
        let dist = g.pick(&["", "", " STOREDIST"]);
        format!(
            "GEOSEARCHSTORE {} {} {from} {by}{tail}{dist}",
            g.key("z"),
            g.key("z")
        )
    }),
    ("georadius", |g| {
        let (p, r, tail) = (g.geo_point(), g.geo_radius(), g.geo_radius_tail(true));
        format!("GEORADIUS {} {p} {r}{tail}", g.key("z"))
    }),
    ("georadius_ro", |g| {
        let (p, r, tail) = (g.geo_point(), g.geo_radius(), g.geo_radius_tail(false));
        format!("GEORADIUS_RO {} {p} {r}{tail}", g.key("z"))
    }),
    ("georadiusbymember", |g| {
        let (m, r, tail) = (g.word(), g.geo_radius(), g.geo_radius_tail(true));
        format!("GEORADIUSBYMEMBER {} {m} {r}{tail}", g.key("z"))
    }),
    ("georadiusbymember_ro", |g| {
        let (m, r, tail) = (g.word(), g.geo_radius(), g.geo_radius_tail(false));
        format!("GEORADIUSBYMEMBER_RO {} {m} {r}{tail}", g.key("z"))
    }),
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

impl Gen {
    /// A longitude and latitude: mostly near a few places (so searches
    /// find several), sometimes anywhere, an edge, or out of range.
    fn geo_point(&mut self) -> String {
        match self.rng.below(8) {
            0 => self
                .pick(&["180 85.05112878", "-180 -85.05112878", "0 0", "179.99 0"])
                .into(),
            1 => self.pick(&["200 10", "10 90", "abc 1", "inf 0"]).into(),
            2 => format!(
                "{}.{} {}.{}",
                self.int(-179, 179),
                self.int(0, 999),
                self.int(-84, 84),
                self.int(0, 999)
            ),
            _ => {
                let (x, y) = [(13, 38), (-74, 40), (179, 60), (0, -80)][self.rng.below(4) as usize];
                format!(
                    "{}.{:04} {}.{:04}",
                    x,
                    self.int(0, 9999),
                    y,
                    self.int(0, 9999)
                )
            }
        }
    }

    fn geo_unit(&mut self) -> &'static str {
        self.pick(&["m", "km", "km", "km", "ft", "mi", "KM", "yd"])
    }

    /// A radius and its unit.
    fn geo_radius(&mut self) -> String {
        let r = self.pick(&["0", "1", "10", "50", "150", "400", "2000", "-1", "abc"]);
        format!("{r} {}", self.geo_unit())
    }

    fn geo_from(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!("FROMMEMBER {}", self.word()),
            _ => format!("FROMLONLAT {}", self.geo_point()),
        }
    }

    fn geo_by(&mut self) -> String {
        match self.rng.below(2) {
            0 => format!("BYRADIUS {}", self.geo_radius()),
            _ => {
                let w = self.pick(&["0", "2", "20", "300", "1000", "5000", "-1"]);
                let h = self.pick(&["0", "2", "20", "300", "1000", "5000"]);
                format!("BYBOX {w} {h} {}", self.geo_unit())
            }
        }
    }

    /// ASC/DESC, COUNT [ANY], and with `with`, the WITH* options.
    fn geo_tail(&mut self, with: bool) -> String {
        let mut out = String::new();
        if self.rng.below(3) == 0 {
            out.push_str(self.pick(&[" ASC", " DESC"]));
        }
        if self.rng.below(3) == 0 {
            out.push_str(&format!(" COUNT {}", self.int(0, 6)));
            if self.rng.below(3) == 0 {
                out.push_str(" ANY");
            }
        } else if self.rng.below(20) == 0 {
            out.push_str(" ANY");
        }
        if with || self.rng.below(20) == 0 {
            for w in [" WITHDIST", " WITHHASH", " WITHCOORD"] {
                if self.rng.below(3) == 0 {
                    out.push_str(w);
                }
            }
        }
        out
    }

    /// GEORADIUS's options: as GEOSEARCH's, and STORE or STOREDIST when
    /// `store` (the `_RO` forms get them rarely, to see them refused).
    fn geo_radius_tail(&mut self, store: bool) -> String {
        let with = self.rng.below(2) == 0;
        let mut out = self.geo_tail(with);
        if self.rng.below(if store { 3 } else { 20 }) == 0 {
            let key = self.key("z");
            out.push_str(&format!(" {} {key}", self.pick(&["STORE", "STOREDIST"])));
        }
        out
    }
}

/// Channels for the pub/sub templates, and patterns such that no channel
/// matches two of them.
const CHANNELS: &[&str] = &["c1", "c2", "d1", "e", "\"\""];
const PATTERNS: &[&str] = &["c*", "d?", "[e]"];

impl Gen {
    /// A small stream ID (`ms-*` too when `star`).
    fn stream_id(&mut self, star: bool) -> String {
        let ms = self.int(0, 5);
        match self.rng.below(if star { 4 } else { 3 }) {
            0 => ms.to_string(),
            3 => format!("{ms}-*"),
            _ => format!("{ms}-{}", self.int(0, 3)),
        }
    }

    /// An XRANGE bound: `-`, `+`, an ID, or an exclusive one.
    fn id_bound(&mut self) -> String {
        match self.rng.below(5) {
            0 => "-".into(),
            1 => "+".into(),
            2 => format!("({}", self.stream_id(false)),
            _ => self.stream_id(false),
        }
    }

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
