//! Bad input never panics in the bitmap commands: random argument lists
//! from a fixed seed, built from the words and numbers these commands
//! read, each get exactly one reply.

use engine::rng::Rng;
use engine::{Engine, Reply};

const COMMANDS: &[&str] = &[
    "SETBIT",
    "GETBIT",
    "BITCOUNT",
    "BITPOS",
    "BITOP",
    "BITFIELD",
    "BITFIELD_RO",
    "SET",
    "DEL",
];

/// Words and numbers the commands parse. Offsets that are valid but far
/// (which Redis answers by allocating up to 512 MB) are left out so the
/// test stays fast; the limits just past them are in.
const ARGS: &[&str] = &[
    "k",
    "k2",
    "",
    "0",
    "1",
    "2",
    "-1",
    "-2",
    "7",
    "8",
    "63",
    "64",
    "100",
    "-100",
    "1000",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "1.5",
    "x",
    " 1",
    "#",
    "#0",
    "#1",
    "#-1",
    "#7",
    "#536870912",
    "#4611686018427387904",
    "##1",
    "BIT",
    "BYTE",
    "bit",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "nand",
    "GET",
    "SET",
    "INCRBY",
    "OVERFLOW",
    "WRAP",
    "SAT",
    "FAIL",
    "fail",
    "i1",
    "i8",
    "i63",
    "i64",
    "i65",
    "u1",
    "u8",
    "u63",
    "u64",
    "i",
    "u",
    "I8",
    "i0",
    "u-1",
    "\u{0}",
    "\u{ff}",
];

#[test]
fn random_bitmap_commands_always_get_one_reply() {
    let mut rng = Rng::new(0x5eed_b175);
    let mut engine = Engine::new(1_700_000_000_000);
    engine.set_feed(false);
    let client = engine.connect();
    let mut errors = 0;
    for i in 0..20_000 {
        let name = COMMANDS[rng.below(COMMANDS.len() as u64) as usize];
        let mut argv = vec![name.as_bytes().to_vec()];
        for _ in 0..rng.below(9) {
            let arg = ARGS[rng.below(ARGS.len() as u64) as usize];
            argv.push(arg.as_bytes().to_vec());
        }
        // Now and then, raw bytes (a bitmap's content, a binary option).
        if rng.below(10) == 0 {
            let bytes = (0..rng.below(12)).map(|_| rng.below(256) as u8).collect();
            argv.push(bytes);
        }
        let replies = engine.execute(client, argv.clone());
        assert_eq!(replies.len(), 1, "line {i}: {argv:?}");
        if matches!(replies[0], Reply::Error(_)) {
            errors += 1;
        }
        if i % 1000 == 0 {
            engine.advance(250);
        }
    }
    assert!(errors > 2_000, "only {errors} error replies");
}
