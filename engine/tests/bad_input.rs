//! Bad input never panics: random command lines, built from the command
//! table's names and a pool of awkward arguments, all get a reply.

use engine::commands::implemented;
use engine::{Engine, Reply};

/// A fixed-seed xorshift, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn awkward_args() -> Vec<Vec<u8>> {
    let mut pool: Vec<Vec<u8>> = [
        "k",
        "k2",
        "",
        "0",
        "-1",
        "1",
        "10",
        "-0",
        "+1",
        "1.5",
        "1e308",
        "-1e308",
        "inf",
        "-inf",
        "nan",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "18446744073709551616",
        "0x10",
        " 1",
        "1 ",
        "NX",
        "XX",
        "GT",
        "LT",
        "EX",
        "PX",
        "EXAT",
        "PXAT",
        "KEEPTTL",
        "GET",
        "PERSIST",
        "COUNT",
        "MATCH",
        "*",
        "?",
        "[",
        "[^",
        "\\",
        "SYNC",
        "ASYNC",
        "SLEEP",
        "DOCS",
        "INFO",
        "LIST",
        "FILTERBY",
        "GETKEYS",
        "set",
        "get",
        "nosuch",
        "536870911",
        "536870912",
        "4294967296",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    pool.push(vec![0, 0xff, b'\n', b'\r', 0x80]);
    pool.push(vec![b'x'; 70_000]);
    pool.push("é✓".as_bytes().to_vec());
    pool
}

#[test]
fn random_command_lines_always_get_a_reply() {
    let names: Vec<Vec<u8>> = implemented()
        .map(|s| s.name.as_bytes().to_vec())
        .chain([b"NOSUCH".to_vec(), b"".to_vec(), b"gEt".to_vec()])
        .collect();
    let pool = awkward_args();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut engine = Engine::new(1_700_000_000_000);
    engine.set_feed(false);
    let mut client = engine.connect();
    let listener = engine.connect();
    let mut errors = 0;
    for i in 0..30_000 {
        let mut argv = vec![rng.pick(&names).clone()];
        for _ in 0..rng.next() % 6 {
            argv.push(rng.pick(&pool).clone());
        }
        // Keep the virtual clock from jumping years ahead on DEBUG SLEEP.
        if argv[0].eq_ignore_ascii_case(b"debug") {
            continue;
        }
        // Subscriptions on a client of their own, so that `client` is
        // not refused everything else in subscribed mode; they answer
        // once per channel.
        let subscribes = argv[0].to_ascii_lowercase().ends_with(b"subscribe");
        let who = if subscribes { listener } else { client };
        let replies = engine.execute(who, argv.clone());
        engine.take_pushed();
        // A blocking command with nothing to pop blocks: no reply; the
        // client hangs up and another one goes on.
        if replies.is_empty() && engine.blocking().is_blocked(who) {
            engine.disconnect(client);
            client = engine.connect();
            continue;
        }
        assert!(
            replies.len() == 1 || (subscribes && !replies.is_empty()),
            "line {i}: {argv:?}"
        );
        if let Reply::Error(text) = &replies[0] {
            assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
            errors += 1;
        }
        if i % 1000 == 0 {
            engine.advance(250);
        }
    }
    // Most random lines are mistakes; this shows they were exercised.
    assert!(errors > 10_000, "only {errors} error replies");
}

#[test]
fn unbalanced_quotes_answer_as_redis_cli_does() {
    let mut engine = Engine::new(0);
    let c = engine.connect();
    for line in ["SET \"a b", "SET 'a", "SET \"a\"b c", "GET \"\\"] {
        assert_eq!(
            engine.execute_line(c, line),
            vec![Reply::Error("Invalid argument(s)".into())]
        );
    }
}
