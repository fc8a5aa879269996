//! Where the time of a sliced Run goes, natively (the browser is slower by
//! a roughly constant factor): reading the generated 100,000-line script,
//! running it in time-boxed slices, and what a redraw asks of the session. Prints
//! figures; `cargo run -q -p web --release --example run_cost`.

use std::time::Instant;
use web::session::Session;
use web::workbench::controls::{generated_script, GENERATED_LINES};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let text = generated_script(GENERATED_LINES);
    let t = Instant::now();
    let mut s = Session::with_script(0, &text);
    println!("read the script ({} bytes): {:.1} ms", text.len(), ms(t));
    let t = Instant::now();
    s.set_script(&text);
    println!("set_script again, unchanged: {:.1} ms", ms(t));
    let mut edited = text.clone();
    edited.push_str("GET x\n");
    let t = Instant::now();
    s.set_script(&edited);
    println!("set_script after an edit at the end: {:.1} ms", ms(t));

    // Slices as the page runs them: lines while the budget lasts (the
    // page's is 8 ms of browser time; natively a quarter of that), and
    // every so often a redraw: the stage, then the key list.
    let budget = 2.0;
    let (mut worst, mut worst_slice, mut total) = (0.0f64, 0usize, 0.0);
    let (mut stage_worst, mut keys_worst) = (0.0f64, 0.0f64);
    let mut slices = 0;
    while !s.bench().at_end() {
        let t = Instant::now();
        s.run_while(usize::MAX, || ms(t) < budget);
        let spent = ms(t);
        total += spent;
        slices += 1;
        if spent > worst {
            worst = spent;
            worst_slice = slices;
        }
        if slices % 32 == 0 {
            let t = Instant::now();
            let _ = s.take_stage();
            stage_worst = stage_worst.max(ms(t));
            let t = Instant::now();
            s.take_keys_dirty();
            let _ = s.keys(web::state::KEY_LIST_LIMIT);
            keys_worst = keys_worst.max(ms(t));
        }
    }
    println!(
        "run: {total:.0} ms in {slices} slices of {budget} ms; slowest slice {worst:.1} ms (#{worst_slice}); \
         snapshots kept {}, retired {}",
        s.bench().snapshot_count(),
        s.bench().retired_count()
    );
    println!(
        "redraw's session side: stage worst {stage_worst:.1} ms, key view of {} keys worst {keys_worst:.1} ms",
        s.keys(1).total
    );
    // The slowest single lines, and what they were.
    let mut s = Session::with_script(0, &text);
    let mut slow: Vec<(f64, usize, usize)> = Vec::new();
    while !s.bench().at_end() {
        let pos = s.bench().pos();
        let snaps = s.bench().snapshot_count();
        let t = Instant::now();
        s.run_some(1);
        slow.push((ms(t), pos, snaps));
    }
    slow.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (spent, pos, snaps) in slow.iter().take(5) {
        let command = s.bench().line(*pos).map(|l| l.command).unwrap_or_default();
        println!("slow line {pos} ({command}): {spent:.1} ms, snapshots before {snaps}");
    }
    let t = Instant::now();
    s.step_back();
    println!("step back at the end: {:.1} ms", ms(t));
}
