//! The scenarios' Node.js code view, run for real: each scenario's ioredis
//! code (web::nodejs) runs in Node.js against a real redis-server while a
//! MONITOR connection records what the server receives. Every connection
//! must send exactly its client's commands, in the script's order — but
//! for what the code says it does not send (`DEBUG SLEEP` becomes a sleep;
//! ioredis refuses commands on a subscribed connection) and what MONITOR
//! never shows (admin commands).
//!
//! Needs `node` and the `ioredis` package (package.json; scripts/setup.sh).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use engine::commands::introspect::docs;
use engine::commands::packed;
use engine::Reply;
use tests::resp::args;
use tests::server::{require, RedisServer};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One MONITOR line: the sender's address and the arguments.
fn parse_monitor(line: &str) -> Option<(String, Vec<Vec<u8>>)> {
    let open = line.find('[')?;
    let close = open + line[open..].find(']')?;
    let addr = line[open + 1..close].split_whitespace().nth(1)?.to_string();
    let mut argv = Vec::new();
    let mut bytes = line[close + 1..].bytes().peekable();
    while let Some(b) = bytes.next() {
        if b != b'"' {
            continue;
        }
        let mut arg = Vec::new();
        while let Some(b) = bytes.next() {
            match b {
                b'"' => break,
                b'\\' => match bytes.next()? {
                    b'n' => arg.push(b'\n'),
                    b'r' => arg.push(b'\r'),
                    b't' => arg.push(b'\t'),
                    b'a' => arg.push(7),
                    b'b' => arg.push(8),
                    b'x' => {
                        let hex = [bytes.next()?, bytes.next()?];
                        arg.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
                    }
                    other => arg.push(other),
                },
                b => arg.push(b),
            }
        }
        argv.push(arg);
    }
    Some((addr, argv))
}

/// What MONITOR shows of a command: not admin commands, nor those
/// flagged to skip it.
fn monitored(argv: &[Vec<u8>]) -> bool {
    docs::row(argv).is_none_or(|spec| {
        !packed::names(spec.flags, packed::FLAGS).any(|f| f == "admin" || f == "skip_monitor")
    })
}

/// A command as text, its name in capitals (ioredis sends `get`).
fn words(argv: &[Vec<u8>]) -> String {
    argv.iter()
        .enumerate()
        .map(|(i, a)| match i {
            0 => String::from_utf8_lossy(a).to_ascii_uppercase(),
            _ => String::from_utf8_lossy(a).into_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_scenarios_ioredis_code_sends_its_commands() {
    let node = require("node");
    assert!(
        repo().join("node_modules/ioredis").is_dir(),
        "the ioredis package is missing: run `npm ci` (scripts/setup.sh does)"
    );
    let dir = repo().join("target/nodejs-check");
    std::fs::create_dir_all(&dir).unwrap();
    let server = RedisServer::start();
    let mut checked = (0, 0, 0);
    for scenario in web::scenarios::all() {
        let mut admin = server.connect();
        assert_eq!(admin.call(&args(&["FLUSHALL"])).unwrap(), Reply::ok());
        let mut monitor = server.connect();
        assert_eq!(monitor.call(&args(&["MONITOR"])).unwrap(), Reply::ok());

        // The code as the view shows it; the harness points it at this
        // server, keeps going past an error reply (as the playground does)
        // and exits once the last line ran.
        let code = web::nodejs::ioredis(&scenario.script);
        let mut run = String::new();
        for line in code.lines() {
            let line = line.replace(
                "new Redis()",
                &format!(
                    "new Redis({{ port: {}, enableReadyCheck: false }})",
                    server.port
                ),
            );
            match line
                .strip_prefix("await ")
                .and_then(|l| l.strip_suffix(';'))
            {
                Some(call) if !line.starts_with("await sleep(") => run.push_str(&format!(
                    "await {call}.catch((e) => console.log(e.message));\n"
                )),
                _ => {
                    run.push_str(&line);
                    run.push('\n');
                }
            }
        }
        run.push_str("await new Promise((done) => setTimeout(done, 300));\nprocess.exit(0);\n");
        let file = dir.join(format!("{}.mjs", scenario.slug));
        std::fs::write(&file, &run).unwrap();
        let out = Command::new(&node).arg(&file).output().unwrap();
        assert!(
            out.status.success(),
            "{}: node failed: {}\n{run}",
            scenario.slug,
            String::from_utf8_lossy(&out.stderr)
        );

        // What the server received, per connection, in order.
        let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut first_seen: Vec<String> = Vec::new();
        while let Some(reply) = monitor.read(Duration::from_millis(300)).unwrap() {
            let Reply::Status(line) = reply else { continue };
            let (addr, argv) = parse_monitor(&line).expect(&line);
            if !first_seen.contains(&addr) {
                first_seen.push(addr.clone());
            }
            got.entry(addr).or_default().push(words(&argv));
        }
        let mut got: Vec<Vec<String>> = got.into_values().collect();

        // What the script sends, per client.
        let refused = code
            .lines()
            .filter(|l| l.ends_with(web::nodejs::NOT_SENT_SUBSCRIBED));
        let refused: Vec<String> = refused.map(str::to_string).collect();
        // MONITOR shows a transaction's commands when EXEC runs them: not
        // at all when it aborts (WATCH, EXECABORT) or is discarded. The
        // engine (identical to the server on the scenarios: differential
        // test) says which EXECs ran.
        let mut runner = engine::script::Runner::new(engine::Engine::new(0));
        let mut queued: Vec<(String, Vec<usize>)> = Vec::new();
        let mut want: Vec<(String, Vec<String>)> = Vec::new();
        let mut skipped_refusals = 0;
        for line in engine::script::lines(&scenario.script) {
            let argv = engine::split_args(line.command).expect("scenarios split");
            let client = line.client.unwrap_or(engine::script::DEFAULT_CLIENT);
            let i = match want.iter().position(|(c, _)| c == client) {
                Some(i) => i,
                None => {
                    want.push((client.to_string(), Vec::new()));
                    want.len() - 1
                }
            };
            let sleep = argv.len() == 3
                && argv[0].eq_ignore_ascii_case(b"debug")
                && argv[1].eq_ignore_ascii_case(b"sleep");
            let method = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
            let is_refused = skipped_refusals < refused.len()
                && refused[skipped_refusals].contains(&format!(".{method}("));
            if is_refused {
                skipped_refusals += 1;
                continue;
            }
            let blocks = runner.run(client, line.command);
            let reply = blocks
                .first()
                .filter(|b| b.client == client)
                .and_then(|b| b.reply.clone());
            let name = String::from_utf8_lossy(&argv[0]).to_ascii_uppercase();
            let q = match queued.iter().position(|(c, _)| c == client) {
                Some(q) => q,
                None => {
                    queued.push((client.to_string(), Vec::new()));
                    queued.len() - 1
                }
            };
            let ran = !matches!(&reply, Some(Reply::NilArray) | Some(Reply::Error(_)));
            match name.as_str() {
                "EXEC" | "DISCARD" => {
                    let dropped = std::mem::take(&mut queued[q].1);
                    if name == "DISCARD" || !ran {
                        for at in dropped.into_iter().rev() {
                            want[i].1.remove(at);
                        }
                    }
                }
                _ if monitored(&argv)
                    && matches!(&reply, Some(Reply::Status(s)) if s == "QUEUED") =>
                {
                    queued[q].1.push(want[i].1.len());
                }
                _ => {}
            }
            if !sleep && monitored(&argv) {
                want[i].1.push(words(&argv));
            }
        }
        assert_eq!(skipped_refusals, refused.len(), "{}", scenario.slug);
        let mut want: Vec<Vec<String>> = want
            .into_iter()
            .map(|(_, w)| w)
            .filter(|w| !w.is_empty())
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{}: what each connection sent", scenario.slug);
        checked.0 += 1;
        checked.1 += want.iter().map(Vec::len).sum::<usize>();
        checked.2 += refused.len();
    }
    println!(
        "report: ioredis code of {} scenarios run against redis-server: {} commands sent as scripted, \
         {} refused by ioredis on subscribed connections (and marked so)",
        checked.0, checked.1, checked.2
    );
}
