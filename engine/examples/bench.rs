//! Native benchmark: ops/s for each workload in `common/workload.rs`.
//! `cargo run -p engine --profile bench-native --example bench [filter]`
//! runs every workload, or those whose name contains `filter`.

#[path = "common/workload.rs"]
mod workload;

use std::time::Instant;

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    for (index, bench) in workload::BENCHES.iter().enumerate() {
        if !bench.name.contains(&filter) {
            continue;
        }
        let Some((mut engine, client)) = workload::prepare(index) else {
            println!(
                "report: native {:<14} skipped: not implemented yet",
                bench.name
            );
            continue;
        };
        let start = Instant::now();
        std::hint::black_box(workload::run(&mut engine, client, index));
        let secs = start.elapsed().as_secs_f64();
        println!(
            "report: native {:<14} {:>10.0} ops/s  ({} ops, {:.0} ms)",
            bench.name,
            f64::from(workload::OPS) / secs,
            workload::OPS,
            secs * 1000.0
        );
    }
}
