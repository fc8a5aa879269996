//! The benchmark workloads, shared by the native and the wasm benchmark so
//! both measure the same thing: whole commands through `Engine::execute`
//! (argument vectors built per call, as a host would), on 1M keys.

use engine::{ClientId, Engine};

pub const KEYS: u32 = 1_000_000;

fn key(i: u32) -> Vec<u8> {
    format!("key:{i:07}").into_bytes()
}

/// Runs `n` commands of kind `op` (0 SET, 1 GET, 2 INCR) over `KEYS` keys;
/// returns a checksum so the work cannot be optimised away.
pub fn run(engine: &mut Engine, client: ClientId, op: u32, n: u32) -> u64 {
    let mut check = 0u64;
    for i in 0..n {
        let k = key(i % KEYS);
        let argv = match op {
            0 => vec![b"SET".to_vec(), k, b"some-value-xx".to_vec()],
            1 => vec![b"GET".to_vec(), k],
            _ => vec![
                b"INCR".to_vec(),
                format!("counter:{}", i % KEYS).into_bytes(),
            ],
        };
        let replies = engine.execute(client, argv);
        check = check.wrapping_add(replies.len() as u64);
        if let Some(engine::Reply::Error(e)) = replies.first() {
            panic!("benchmark command failed: {e}");
        }
    }
    check
}
