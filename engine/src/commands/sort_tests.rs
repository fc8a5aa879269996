//! Unit tests of SORT and SORT_RO; expected replies are what
//! redis-server 7.0.15 answered to the same lines.

use crate::engine::{ClientId, Engine};

const T0: u64 = 1_700_000_000_000;

fn engine() -> (Engine, ClientId) {
    let mut e = Engine::new(T0);
    let c = e.connect();
    (e, c)
}

fn run(e: &mut Engine, c: ClientId, line: &str) -> String {
    let text = e.execute_line(c, line).remove(0).to_cli();
    text.trim_end_matches('\n').to_string()
}

fn check(e: &mut Engine, c: ClientId, script: &[(&str, &str)]) {
    for &(line, want) in script {
        assert_eq!(run(e, c, line), want, "{line}");
    }
}
