//! The same workloads compiled to wasm32 with no JS glue: the host (a node
//! script, scripts/wasm-bench.mjs) times each exported `run` call.

#[path = "common/workload.rs"]
mod workload;

use std::cell::RefCell;

thread_local! {
    static STATE: RefCell<Option<(engine::Engine, engine::ClientId)>> = const { RefCell::new(None) };
}

/// How many benchmarks there are.
#[no_mangle]
pub extern "C" fn count() -> u32 {
    workload::BENCHES.len() as u32
}

/// Commands timed per `run`.
#[no_mangle]
pub extern "C" fn ops() -> u32 {
    workload::OPS
}

/// Where benchmark `index`'s name is in memory, and its length.
#[no_mangle]
pub extern "C" fn name_ptr(index: u32) -> *const u8 {
    workload::BENCHES[index as usize].name.as_ptr()
}

#[no_mangle]
pub extern "C" fn name_len(index: u32) -> u32 {
    workload::BENCHES[index as usize].name.len() as u32
}

/// Builds a fresh engine for benchmark `index` (untimed); 0 if the engine
/// does not run its commands yet.
#[no_mangle]
pub extern "C" fn prepare(index: u32) -> u32 {
    let state = workload::prepare(index as usize);
    let ready = state.is_some();
    STATE.with(|s| *s.borrow_mut() = state);
    u32::from(ready)
}

/// Runs benchmark `index` on the engine `prepare` built.
#[no_mangle]
pub extern "C" fn run(index: u32) -> u64 {
    STATE.with(|s| match s.borrow_mut().as_mut() {
        Some((engine, client)) => workload::run(engine, *client, index as usize),
        None => 0,
    })
}
