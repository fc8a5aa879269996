//! Runs the whole corpus against a real redis-server and the engine.

#[test]
fn corpus_matches_redis_server() {
    let report = tests::corpus::run(&tests::corpus::dirs());
    for failure in &report.failures {
        println!("{failure}");
    }
    println!(
        "redis-cli cross-check: {} scripts rendered by redis-cli",
        report.cli_checked
    );
    println!("{}", report.figures());
    assert!(
        report.scripts > 0,
        "no scripts in {:?}",
        tests::corpus::dirs()
    );
    assert!(
        report.failures.is_empty(),
        "{} failing scripts: {}",
        report.failing.len(),
        report.failing.join(", ")
    );
}
