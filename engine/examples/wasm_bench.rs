//! The same workloads compiled to wasm32 with no JS glue: the host (a node
//! script, scripts/wasm-bench.mjs) times each exported call.

#[path = "common/workload.rs"]
mod workload;

use std::cell::RefCell;

thread_local! {
    static STATE: RefCell<Option<(engine::Engine, engine::ClientId)>> = const { RefCell::new(None) };
}

/// Runs `n` commands of kind `op` (0 SET, 1 GET, 2 INCR) on one engine kept
/// between calls.
#[no_mangle]
pub extern "C" fn run(op: u32, n: u32) -> u64 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let (engine, client) = s.get_or_insert_with(|| {
            let mut e = engine::Engine::new(0);
            e.set_feed(false);
            let c = e.connect();
            (e, c)
        });
        workload::run(engine, *client, op, n)
    })
}

#[no_mangle]
pub extern "C" fn keys() -> u32 {
    workload::KEYS
}
