//! Bad input never panics in the list commands: random argument vectors
//! from a fixed seed, over a few keys that hold lists, strings or nothing,
//! each answered with exactly one reply.

use engine::rng::Rng;
use engine::{Engine, Reply};

const COMMANDS: &[&str] = &[
    "LPUSH",
    "RPUSH",
    "LPUSHX",
    "RPUSHX",
    "LPOP",
    "RPOP",
    "LRANGE",
    "LINDEX",
    "LLEN",
    "LSET",
    "LINSERT",
    "LREM",
    "LTRIM",
    "LPOS",
    "LMOVE",
    "RPOPLPUSH",
    "LMPOP",
];

/// Keys, numbers at the edges of i64 and past them, the option words,
/// and bytes no text parser likes.
const ARGS: &[&[u8]] = &[
    b"l",
    b"l2",
    b"s",
    b"none",
    b"",
    b"0",
    b"1",
    b"2",
    b"3",
    b"-1",
    b"-2",
    b"-0",
    b"+1",
    b"01",
    b"1.5",
    b" 1",
    b"9223372036854775807",
    b"-9223372036854775807",
    b"-9223372036854775808",
    b"9223372036854775808",
    b"18446744073709551616",
    b"LEFT",
    b"right",
    b"BEFORE",
    b"after",
    b"RANK",
    b"COUNT",
    b"MAXLEN",
    b"left\x00x",
    b"a",
    b"b",
    b"\x00\xff\n\r",
];

fn random_arg(rng: &mut Rng) -> Vec<u8> {
    match rng.below(40) {
        // Now and then a long or random-byte argument.
        0 => vec![b'x'; 1 + rng.below(5000) as usize],
        1 => (0..rng.below(12)).map(|_| rng.below(256) as u8).collect(),
        _ => ARGS[rng.below(ARGS.len() as u64) as usize].to_vec(),
    }
}

#[test]
fn random_list_commands_always_get_one_reply() {
    let mut rng = Rng::new(0x5eed_1157);
    let mut engine = Engine::new(1_700_000_000_000);
    let client = engine.connect();
    let mut errors = 0;
    let mut values = 0;
    for i in 0..6000 {
        // Keep a few keys in play: a list, a string, now and then reset.
        if i % 200 == 0 {
            engine.execute_line(client, "DEL l l2 s");
            engine.execute_line(client, "RPUSH l a b c 1 2 3 a b");
            engine.execute_line(client, "SET s v");
        }
        let name = COMMANDS[rng.below(COMMANDS.len() as u64) as usize];
        let mut argv = vec![name.as_bytes().to_vec()];
        for _ in 0..rng.below(8) {
            argv.push(random_arg(&mut rng));
        }
        let replies = engine.execute(client, argv.clone());
        assert_eq!(replies.len(), 1, "command {i}: {argv:?}");
        match &replies[0] {
            Reply::Error(text) => {
                assert!(!text.contains(['\n', '\r']), "{text:?}");
                errors += 1;
            }
            _ => values += 1,
        }
        if i % 500 == 0 {
            engine.advance(100);
        }
    }
    // Both kinds of answer were exercised.
    assert!(
        errors > 1000 && values > 1000,
        "{errors} errors, {values} values"
    );
    // Lists left behind are never empty.
    for key in ["l", "l2", "none", "a", "b"] {
        let len = engine.execute_line(client, &format!("LLEN {key}"));
        let exists = engine.execute_line(client, &format!("EXISTS {key}"));
        if exists == vec![Reply::Integer(1)] {
            assert_ne!(len, vec![Reply::Integer(0)], "{key} is an empty list");
        }
    }
}
