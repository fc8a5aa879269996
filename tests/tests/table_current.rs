//! engine/src/commands/table.rs must be what the generator writes now.

use tests::gen::{generate, table_path};
use tests::server::RedisServer;

#[test]
fn table_rs_is_current() {
    let server = RedisServer::start();
    let fresh = generate(server.port).unwrap_or_else(|e| panic!("generator: {e}"));
    let path = table_path();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != fresh {
        let first = on_disk
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(on_disk.lines().count().min(fresh.lines().count()));
        panic!(
            "{} is stale (first difference at line {}): run `cargo run -p tests --bin gen-table`",
            path.display(),
            first + 1
        );
    }
}
