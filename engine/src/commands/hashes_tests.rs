//! Unit tests of the hash commands; expected replies are what
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

#[test]
fn hset_and_hget() {
    let (mut e, c) = engine();
    assert_eq!(run(&mut e, c, "HSET h a 1 b 2"), "(integer) 2");
    assert_eq!(run(&mut e, c, "HGET h a"), "\"1\"");
}
