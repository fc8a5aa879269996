//! Writes engine/src/commands/table.rs from a private redis-server's
//! COMMAND INFO and COMMAND DOCS: `cargo run -p tests --bin gen-table`.

use tests::gen::{generate, names, table_path};
use tests::server::RedisServer;

fn main() {
    let server = RedisServer::start();
    let text = match generate(server.port) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("gen-table: {e}");
            std::process::exit(1);
        }
    };
    let path = table_path();
    if let Err(e) = std::fs::write(&path, &text) {
        eprintln!("gen-table: {}: {e}", path.display());
        std::process::exit(1);
    }
    println!(
        "gen-table: {} commands, {} bytes written to {}",
        names().len(),
        text.len(),
        path.display()
    );
}
