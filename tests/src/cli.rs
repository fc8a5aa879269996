//! Cross-checks the harness's renderer against the real `redis-cli`.
//!
//! The script's lines are piped through `redis-cli --no-raw` connected to a
//! replay server: each command redis-cli sends that equals the next one the
//! harness sent gets the very reply the real server gave it, so times and
//! random picks replay exactly and a DEBUG SLEEP costs nothing twice. Any
//! other command (redis-cli's own `COMMAND DOCS` at start, or a line
//! redis-cli split differently from `engine::split_args`) is forwarded to
//! the real server. redis-cli's output must equal the harness's rendering
//! of the server's replies.

use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::thread::{self, sleep};
use std::time::{Duration, Instant};

use engine::Reply;

use crate::differ::{diff_text, Out, ScriptRun};
use crate::resp::{words, Conn, REPLY_DEADLINE};
use crate::server::require;

type Argv = Vec<Vec<u8>>;

/// What came of piping a script through redis-cli.
struct CliRun {
    stdout: String,
    stderr: String,
    /// Commands redis-cli sent that the harness did not (beyond its
    /// start-up `COMMAND DOCS`).
    unexpected: Vec<Argv>,
}

const CLI_DEADLINE: Duration = Duration::from_secs(30);

/// True for redis-cli's `(2.00s)` line after a slow command.
fn is_timing_line(line: &str) -> bool {
    line.strip_prefix('(')
        .and_then(|l| l.strip_suffix("s)"))
        .is_some_and(|n| {
            let (whole, frac) = n.split_once('.').unwrap_or((n, "0"));
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Runs the script's lines through redis-cli against a replay of `run`'s
/// server replies; `Err` describes any difference.
pub fn cross_check(server_port: u16, run: &ScriptRun) -> Result<(), String> {
    if run.named {
        return Err("scripts with client prefixes cannot go through one redis-cli".into());
    }
    let exchanges: Vec<(Argv, Vec<Reply>)> = run
        .steps
        .iter()
        .filter_map(|step| {
            let argv = step.argv.clone().filter(|a| !a.is_empty())?;
            let replies = step
                .server
                .iter()
                .filter_map(|b| match &b.out {
                    Out::Reply(r) => Some(r.clone()),
                    Out::Invalid => None,
                })
                .collect();
            Some((argv, replies))
        })
        .collect();
    let mut input = String::new();
    for step in &run.steps {
        input.push_str(&step.command);
        input.push('\n');
    }
    let cli = replay_through_cli(server_port, exchanges, input).map_err(|e| e.to_string())?;
    let printed: String = cli
        .stdout
        .lines()
        .filter(|l| !is_timing_line(l))
        .map(|l| format!("{l}\n"))
        .collect();
    // Compared line by line as `lines()` splits them (raw replies such as
    // INFO's carry `\r\n`).
    let expected: String = run
        .server_transcript()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect();
    if printed == expected {
        return Ok(());
    }
    let mut why = format!(
        "{}: redis-cli (-) and the harness's renderer (+) differ:\n{}",
        run.name,
        diff_text(&printed, &expected)
    );
    for argv in cli.unexpected {
        why.push_str(&format!(
            "    redis-cli sent a command the harness did not: {:?}\n",
            words(&argv)
        ));
    }
    if !cli.stderr.trim().is_empty() {
        why.push_str(&format!("    redis-cli stderr: {}\n", cli.stderr.trim()));
    }
    Err(why)
}

fn replay_through_cli(
    server_port: u16,
    exchanges: Vec<(Argv, Vec<Reply>)>,
    input: String,
) -> io::Result<CliRun> {
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let port = listener.local_addr()?.port();
    let replay = thread::spawn(move || replay(listener, server_port, exchanges));

    let mut child = Command::new(require("redis-cli"))
        .args(["-p", &port.to_string(), "--no-raw"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Separate threads for the pipes: redis-cli reads its input only as
    // fast as it can write its output.
    let mut stdin = child.stdin.take().expect("piped");
    let writer = thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut stdout = child.stdout.take().expect("piped");
    let reader = thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let mut stderr = child.stderr.take().expect("piped");
    let err_reader = thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });

    let deadline = Instant::now() + CLI_DEADLINE;
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("redis-cli did not finish in {CLI_DEADLINE:?}"),
            ));
        }
        sleep(Duration::from_millis(5));
    }
    let _ = writer.join();
    Ok(CliRun {
        stdout: reader.join().expect("reader thread")?,
        stderr: err_reader.join().expect("reader thread")?,
        unexpected: replay.join().expect("replay thread")?,
    })
}

/// Serves one redis-cli connection from the recorded exchanges.
fn replay(
    listener: TcpListener,
    server_port: u16,
    exchanges: Vec<(Argv, Vec<Reply>)>,
) -> io::Result<Vec<Argv>> {
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + CLI_DEADLINE;
    let stream = loop {
        match listener.accept() {
            Ok((stream, _)) => break stream,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e),
        }
    };
    stream.set_nonblocking(false)?;
    let mut cli = Conn::from_stream(stream)?;
    let mut forward: Option<Conn> = None;
    let mut next = exchanges.into_iter().peekable();
    let mut unexpected = Vec::new();
    let mut started = false;
    loop {
        let request = match cli.read(REPLY_DEADLINE) {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e),
        };
        let Reply::Array(items) = request else {
            return Err(io::Error::other("redis-cli sent a non-array request"));
        };
        let argv: Argv = items
            .into_iter()
            .map(|item| match item {
                Reply::Bulk(b) => Ok(b),
                _ => Err(io::Error::other("redis-cli sent a non-bulk argument")),
            })
            .collect::<io::Result<_>>()?;
        if next.peek().is_some_and(|(expected, _)| *expected == argv) {
            let (_, replies) = next.next().expect("peeked");
            let bytes: Vec<u8> = replies.iter().flat_map(Reply::to_resp).collect();
            cli.send_raw(&bytes)?;
        } else {
            let is_startup = !started && words(&argv) == ["COMMAND", "DOCS"];
            if !is_startup {
                unexpected.push(argv.clone());
            }
            if forward.is_none() {
                forward = Some(Conn::connect(server_port)?);
            }
            let conn = forward.as_mut().expect("connected above");
            let reply = conn.call(&argv)?;
            cli.send_raw(&reply.to_resp())?;
        }
        started = true;
    }
    Ok(unexpected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_lines() {
        assert!(is_timing_line("(2.00s)"));
        assert!(is_timing_line("(10.51s)"));
        assert!(!is_timing_line("(integer) 1"));
        assert!(!is_timing_line("(s)"));
        assert!(!is_timing_line("\"(2.00s)\""));
    }
}
