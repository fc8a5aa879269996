//! Unit tests of the sorted-set commands; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::engine::{ClientId, Engine};

const T0: u64 = 1_700_000_000_000;

fn engine() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

/// The reply as redis-cli prints it, without the final newline.
fn run(e: &mut Engine, c: ClientId, line: &str) -> String {
    let text = e.execute_line(c, line).remove(0).to_cli();
    text.trim_end_matches('\n').to_string()
}

/// Runs `lines` and checks each reply in turn.
fn check(e: &mut Engine, c: ClientId, script: &[(&str, &str)]) {
    for &(line, want) in script {
        assert_eq!(run(e, c, line), want, "{line}");
    }
}

#[test]
fn zadd_and_read_back() {
    let (mut e, c) = engine();
    check(
        &mut e,
        c,
        &[
            ("ZADD z 1 a 2 b 3 c", "(integer) 3"),
            (
                "ZRANGE z 0 -1 WITHSCORES",
                "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2\"\n5) \"c\"\n6) \"3\"",
            ),
            ("ZINCRBY z 0.1 a", "\"1.1000000000000001\""),
            ("ZRANK z c", "(integer) 2"),
        ],
    );
}
