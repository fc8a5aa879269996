//! What the families' unit tests share: a fresh engine with one client,
//! a line run as redis-cli would print its reply, and Redis's common
//! error lines as redis-cli prints them.

use crate::engine::{ClientId, Engine};

/// The virtual clock's start in tests (a fixed wall-clock-like ms).
pub const T0: u64 = 1_700_000_000_000;

pub const WRONGTYPE: &str =
    "(error) WRONGTYPE Operation against a key holding the wrong kind of value";
pub const SYNTAX: &str = "(error) ERR syntax error";
pub const NOT_INT: &str = "(error) ERR value is not an integer or out of range";
pub const NOT_FLOAT: &str = "(error) ERR value is not a valid float";

/// An engine at [`T0`] and one connected client.
pub fn engine() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

/// Runs `line` and renders its reply as redis-cli prints it (no final newline).
pub fn run(e: &mut Engine, c: ClientId, line: &str) -> String {
    let text = e.execute_line(c, line).remove(0).to_cli();
    text.trim_end_matches('\n').to_string()
}

/// Runs each `(line, expected)` pair in order, asserting each rendering.
pub fn check(e: &mut Engine, c: ClientId, script: &[(&str, &str)]) {
    for &(line, want) in script {
        assert_eq!(run(e, c, line), want, "{line}");
    }
}
