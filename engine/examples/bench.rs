//! Native benchmark: ops/s for SET, GET and INCR over 1M keys.
//! `cargo run -p engine --profile bench-native --example bench`

#[path = "common/workload.rs"]
mod workload;

use std::time::Instant;

fn main() {
    let mut engine = engine::Engine::new(0);
    engine.set_feed(false);
    let client = engine.connect();
    for (op, name) in ["SET", "GET", "INCR"].iter().enumerate() {
        let n = workload::KEYS;
        let start = Instant::now();
        std::hint::black_box(workload::run(&mut engine, client, op as u32, n));
        let secs = start.elapsed().as_secs_f64();
        println!(
            "report: native {name:<4} {:>10.0} ops/s  ({n} ops over {} keys, {:.0} ms)",
            n as f64 / secs,
            workload::KEYS,
            secs * 1000.0
        );
    }
}
