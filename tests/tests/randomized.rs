//! The randomized differential test: random scripts over a small key space
//! (tests/src/random.rs), replayed on a real redis-server and the engine.
//! CI runs a fixed seed; a long run on demand:
//! `RANDOM_SEED=42 RANDOM_COMMANDS=200000 cargo test -p tests --test randomized -- --nocapture`.
//! `RANDOM_DUMP=<dir>` also writes each failing script there, as
//! `<seed>.redis`, to replay with the repl or add to the corpus.

use tests::differ::Differ;
use tests::random::script;
use tests::server::RedisServer;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_scripts_match_redis_server() {
    let seed = env_or("RANDOM_SEED", 1);
    let total = env_or("RANDOM_COMMANDS", 3_000) as usize;
    let implemented = engine::commands::handler_names();
    let server = RedisServer::start();
    let mut differ = Differ::new(server.port).expect("connect to redis-server");
    // Scripts of 500 commands: each starts from an empty keyspace, so a
    // mismatch is reported near its cause.
    let (mut compared, mut failures) = (0, Vec::new());
    for (i, start) in (0..total).step_by(500).enumerate() {
        let len = (total - start).min(500);
        let chunk_seed = seed.wrapping_mul(1_000_003).wrapping_add(i as u64);
        let text = script(chunk_seed, len, &implemented);
        let name = format!("random seed {chunk_seed}");
        if let Ok(dir) = std::env::var("RANDOM_DUMP_ALL") {
            let path = std::path::Path::new(&dir).join(format!("{chunk_seed}.redis"));
            std::fs::write(&path, &text).expect("write the script");
        }
        let run = differ.run(&name, &text).expect("the script runs");
        compared += run.steps.len();
        if run.mismatches().next().is_some() {
            failures.push(run.describe_mismatches());
            if let Ok(dir) = std::env::var("RANDOM_DUMP") {
                let path = std::path::Path::new(&dir).join(format!("{chunk_seed}.redis"));
                std::fs::write(&path, &text).expect("write the failing script");
            }
        }
    }
    for failure in &failures {
        println!("{failure}");
    }
    println!(
        "randomized: seed {seed}, {compared} commands compared, {} failing scripts",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} random scripts differ",
        failures.len()
    );
}
