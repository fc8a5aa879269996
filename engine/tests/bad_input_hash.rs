//! Bad input never panics in the hash commands: a few thousand random
//! command lines (fixed seed) over hashes small and big, strings, and
//! missing keys, with awkward arguments; each gets exactly one reply.

use engine::rng::Rng;
use engine::{Engine, Reply};

const COMMANDS: &[&str] = &[
    "HSET",
    "HSETNX",
    "HMSET",
    "HGET",
    "HMGET",
    "HGETALL",
    "HDEL",
    "HEXISTS",
    "HLEN",
    "HKEYS",
    "HVALS",
    "HINCRBY",
    "HINCRBYFLOAT",
    "HSTRLEN",
    "HRANDFIELD",
    "HSCAN",
];

fn pool() -> Vec<Vec<u8>> {
    let mut pool: Vec<Vec<u8>> = [
        "f",
        "g",
        "",
        "0",
        "1",
        "-1",
        "2",
        "-5",
        "10",
        "1000",
        "-0",
        "+1",
        "1.5",
        "1e308",
        "1e4932",
        "-1e4932",
        "1e-5000",
        "inf",
        "-inf",
        "nan",
        "0x1p3",
        "9223372036854775807",
        "-9223372036854775808",
        "-9223372036854775807",
        "4611686018427387903",
        "-4611686018427387904",
        "18446744073709551615",
        "18446744073709551616",
        " 1",
        "1 ",
        "WITHVALUES",
        "withvalues\0x",
        "COUNT",
        "MATCH",
        "TYPE",
        "*",
        "f*",
        "[",
        "[a-",
        "\\",
        "\0",
        "\u{ff}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    pool.push(vec![b'x'; 65]);
    pool.push(vec![b'9'; 5000]);
    pool.push(vec![0xff; 3]);
    pool
}

#[test]
fn random_hash_commands_always_reply_once() {
    let mut e = Engine::new(1_700_000_000_000);
    let c = e.connect();
    let keys: [&[u8]; 5] = [b"small", b"big", b"str", b"missing", b"other"];
    let mut fill = vec![b"HSET".to_vec(), b"big".to_vec()];
    for i in 0..700 {
        fill.push(format!("f{i}").into_bytes());
        fill.push(format!("{i}").into_bytes());
    }
    assert_eq!(e.execute(c, fill), vec![Reply::Integer(700)]);
    e.execute_line(c, "HSET small f 1 g 2.5 h x");
    e.execute_line(c, "SET str v");

    let pool = pool();
    let mut rng = Rng::new(0x4a54);
    for _ in 0..5000 {
        let name = COMMANDS[rng.below(COMMANDS.len() as u64) as usize];
        let mut argv = vec![name.as_bytes().to_vec()];
        let argc = rng.below(7);
        for i in 0..argc {
            let arg = if i == 0 && rng.below(8) != 0 {
                keys[rng.below(keys.len() as u64) as usize].to_vec()
            } else {
                pool[rng.below(pool.len() as u64) as usize].clone()
            };
            argv.push(arg);
        }
        let replies = e.execute(c, argv.clone());
        assert_eq!(replies.len(), 1, "{argv:?}");
        // Emptied hashes never linger.
        for key in keys {
            let len = e.execute(c, vec![b"HLEN".to_vec(), key.to_vec()]);
            let exists = e.execute(c, vec![b"EXISTS".to_vec(), key.to_vec()]);
            if len == vec![Reply::Integer(0)] {
                assert_eq!(exists, vec![Reply::Integer(0)], "{argv:?}");
            }
        }
        // Now and then, the big hash is grown back.
        if rng.below(200) == 0 {
            let mut fill = vec![b"HSET".to_vec(), b"big".to_vec()];
            for i in 0..600 {
                fill.push(format!("f{i}").into_bytes());
                fill.push(b"1".to_vec());
            }
            assert_eq!(e.execute(c, fill).len(), 1);
        }
    }
}
