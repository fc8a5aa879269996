//! Bad input never panics in the set commands: random command lines from
//! a fixed seed, over a few keys of every kind, each get exactly one reply.

use engine::rng::Rng;
use engine::{Engine, Reply};

const COMMANDS: &[&str] = &[
    "SADD",
    "SREM",
    "SMEMBERS",
    "SISMEMBER",
    "SMISMEMBER",
    "SCARD",
    "SPOP",
    "SRANDMEMBER",
    "SMOVE",
    "SINTER",
    "SUNION",
    "SDIFF",
    "SINTERSTORE",
    "SUNIONSTORE",
    "SDIFFSTORE",
    "SINTERCARD",
    "SSCAN",
    "SET",
    "DEL",
    "PEXPIRE",
];

const ARGS: &[&str] = &[
    "s1",
    "s2",
    "s3",
    "str",
    "nokey",
    "",
    "0",
    "1",
    "2",
    "-1",
    "3",
    "10",
    "-0",
    "01",
    "+1",
    "1.5",
    "a",
    "b",
    "*",
    "[",
    "[^",
    "\\",
    "?",
    "x*",
    "LIMIT",
    "limit",
    "COUNT",
    "MATCH",
    "TYPE",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-16777217",
    "512",
    "513",
    " 1",
];

fn pick(rng: &mut Rng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

#[test]
fn random_set_command_lines_always_get_one_reply() {
    let mut rng = Rng::new(0x5e75_0bad_1dea);
    let mut engine = Engine::new(1_700_000_000_000);
    engine.set_feed(false);
    let c = engine.connect();
    let mut errors = 0;
    for i in 0..6000 {
        if i % 500 == 0 {
            // Some large sets, so both encodings and all pick strategies run.
            let mut argv = vec![b"SADD".to_vec(), b"s1".to_vec()];
            argv.extend((0..600).map(|n| n.to_string().into_bytes()));
            engine.execute(c, argv);
            let mut argv = vec![b"SADD".to_vec(), b"s2".to_vec()];
            argv.extend((0..100).map(|n| format!("m{n}").into_bytes()));
            engine.execute(c, argv);
        }
        let mut argv = vec![COMMANDS[pick(&mut rng, COMMANDS.len())].as_bytes().to_vec()];
        for _ in 0..pick(&mut rng, 7) {
            let arg = match pick(&mut rng, 20) {
                0 => (0..pick(&mut rng, 40))
                    .map(|_| rng.next_u64() as u8)
                    .collect(),
                _ => ARGS[pick(&mut rng, ARGS.len())].as_bytes().to_vec(),
            };
            argv.push(arg);
        }
        let replies = engine.execute(c, argv.clone());
        assert_eq!(replies.len(), 1, "line {i}: {argv:?}");
        if let Reply::Error(text) = &replies[0] {
            assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
            errors += 1;
        }
        if i % 100 == 0 {
            engine.advance(7);
        }
    }
    assert!(errors > 500, "only {errors} error replies");
}
