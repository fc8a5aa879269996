//! `repl`: reads a script on stdin and prints its transcript
//! (shared/transcript.md); on a terminal, an interactive prompt whose
//! virtual clock follows real time.

use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use engine::script::{self, Runner, DEFAULT_CLIENT};
use engine::Engine;

fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn main() -> io::Result<()> {
    let mut engine = Engine::new(wall_ms());
    // Nothing here draws the change feed.
    engine.set_feed(false);
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        let mut text = String::new();
        stdin.lock().read_to_string(&mut text)?;
        io::stdout().write_all(script::transcript(&text, engine).as_bytes())?;
        return Ok(());
    }
    interactive(engine)
}

fn interactive(engine: Engine) -> io::Result<()> {
    let start = Instant::now();
    let start_ms = engine.now();
    let mut runner = Runner::new(engine);
    let mut out = io::stdout();
    let mut line = String::new();
    loop {
        write!(out, "redis> ")?;
        out.flush()?;
        line.clear();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(());
        }
        runner
            .engine
            .advance_to(start_ms + start.elapsed().as_millis() as u64);
        let Some((client, command)) = script::parse_line(&line) else {
            continue;
        };
        if command.eq_ignore_ascii_case("quit") || command.eq_ignore_ascii_case("exit") {
            return Ok(());
        }
        let named = client.is_some();
        for block in runner.run(client.unwrap_or(DEFAULT_CLIENT), command) {
            if named {
                writeln!(out, "[{}]", block.client)?;
            }
            out.write_all(block.text.as_bytes())?;
        }
    }
}
