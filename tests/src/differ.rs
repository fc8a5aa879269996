//! The differential run: one script, line by line, on a real redis-server
//! and on a fresh engine, each client of the script on its own connection.
//!
//! After each line the server side collects what every client received:
//! the sender's reply, then (after a PING on a control connection, which
//! the server answers only once it has written everything the line caused)
//! whatever reached the other clients. The engine side runs through
//! `engine::script::Runner`, the very path of the `repl`, on its virtual
//! clock alone: only `DEBUG SLEEP` moves it.

use std::io;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use engine::script::{self, Runner, DEFAULT_CLIENT};
use engine::split::INVALID_ARGUMENTS;
use engine::{split_args, Engine, Reply};

use crate::compare::same;
use crate::resp::{args, words, Conn, REPLY_DEADLINE};

/// Commands that may block their client, so the harness cannot wait for
/// their reply; every other command must answer.
pub const BLOCKING: &[&str] = &[
    "blmove",
    "blmpop",
    "blpop",
    "brpop",
    "brpoplpush",
    "bzmpop",
    "bzpopmax",
    "bzpopmin",
    "wait",
    "xread",
    "xreadgroup",
];

/// How long a command that may block gets to answer before its client
/// counts as blocked. Whatever comes later is still collected, by the line
/// that causes it.
const BLOCK_GRACE: Duration = Duration::from_millis(100);

/// What a client received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Out {
    Reply(Reply),
    /// redis-cli could not split the line, so nothing was sent.
    Invalid,
}

impl Out {
    /// As redis-cli prints it: the reply to `argv` (raw for the commands
    /// redis-cli prints raw), or `None` for a message nobody asked for.
    pub fn text(&self, argv: Option<&[Vec<u8>]>) -> String {
        match self {
            Out::Reply(r) => argv.map_or_else(|| r.to_cli(), |argv| r.to_cli_for(argv)),
            Out::Invalid => format!("{INVALID_ARGUMENTS}\n"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub client: String,
    pub out: Out,
}

/// One line of a script and what each side made of it.
#[derive(Clone, Debug)]
pub struct Step {
    /// 1-based line number in the script file.
    pub number: usize,
    pub client: String,
    pub command: String,
    /// The arguments sent; `None` if the line could not be split.
    pub argv: Option<Vec<Vec<u8>>>,
    pub server: Vec<Block>,
    pub engine: Vec<Block>,
    /// For EXEC: the commands the server answered `QUEUED` to since
    /// MULTI, so each reply inside EXEC's is compared under its own
    /// command's policy.
    pub queued: Vec<Vec<Vec<u8>>>,
}

impl Step {
    /// True if both sides received the same, under the command's policy
    /// for the sender's replies.
    pub fn agrees(&self) -> bool {
        let rule = match &self.argv {
            Some(argv) if !argv.is_empty() => crate::compare::policy_for(argv),
            _ => crate::compare::Policy::Exact,
        };
        self.server.len() == self.engine.len()
            && self.server.iter().zip(&self.engine).all(|(s, e)| {
                s.client == e.client
                    && match (&s.out, &e.out) {
                        (Out::Reply(Reply::Array(a)), Out::Reply(Reply::Array(b)))
                            if s.client == self.client
                                && !self.queued.is_empty()
                                && a.len() == self.queued.len() =>
                        {
                            a.len() == b.len()
                                && a.iter().zip(b).zip(&self.queued).all(|((a, b), argv)| {
                                    same(crate::compare::policy_in_exec(argv), a, b)
                                })
                        }
                        (Out::Reply(a), Out::Reply(b)) if s.client == self.client => {
                            same(rule, a, b)
                        }
                        (a, b) => a == b,
                    }
            })
    }
}

/// A script's run on both sides.
#[derive(Clone, Debug)]
pub struct ScriptRun {
    pub name: String,
    /// True if any line has a client prefix: blocks then get `[name]` headers.
    pub named: bool,
    pub steps: Vec<Step>,
}

impl ScriptRun {
    pub fn mismatches(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| !s.agrees())
    }

    /// The transcript of one side's blocks (shared/transcript.md).
    /// The blocks one step caused (`step.server` or `step.engine`): the
    /// sender's replies to its command, then what others received.
    pub fn render(&self, step: &Step, blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            if self.named {
                out.push_str(&format!("[{}]\n", block.client));
            }
            let argv = step.argv.as_deref().filter(|_| block.client == step.client);
            out.push_str(&block.out.text(argv));
        }
        out
    }

    /// The whole transcript the server produced.
    pub fn server_transcript(&self) -> String {
        self.steps
            .iter()
            .map(|step| self.render(step, &step.server))
            .collect()
    }

    /// A readable report of every mismatching line.
    pub fn describe_mismatches(&self) -> String {
        let mut out = String::new();
        for step in self.mismatches() {
            out.push_str(&format!(
                "{}:{}: {}{}\n",
                self.name,
                step.number,
                if self.named {
                    format!("{}> ", step.client)
                } else {
                    String::new()
                },
                step.command
            ));
            out.push_str(&diff_text(
                &self.render(step, &step.server),
                &self.render(step, &step.engine),
            ));
        }
        out
    }
}

/// Expected (`-`, redis-server) and actual (`+`, engine) text, line by
/// line, unchanged lines marked with two spaces.
pub fn diff_text(expected: &str, actual: &str) -> String {
    const MAX_LINES: usize = 40;
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for i in 0..e.len().max(a.len()) {
        if i == MAX_LINES {
            out.push_str("    ...\n");
            break;
        }
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out.push_str(&format!("      {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("    - {x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!("    + {y}\n"));
                }
            }
        }
    }
    if expected.is_empty() {
        out.push_str("    - (no reply)\n");
    }
    if actual.is_empty() {
        out.push_str("    + (no reply)\n");
    }
    out
}

/// Milliseconds since the Unix epoch, by the system clock.
pub fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

struct ServerClient {
    name: String,
    conn: Conn,
    /// Its CLIENT ID on the server, asked for on connecting.
    id: i64,
    /// Sent a command that has not answered yet.
    blocked: bool,
}

/// Runs scripts against one redis-server, opening fresh client
/// connections for each script.
pub struct Differ {
    port: u16,
    control: Conn,
}

impl Differ {
    pub fn new(port: u16) -> io::Result<Differ> {
        Ok(Differ {
            port,
            control: Conn::connect(port)?,
        })
    }

    /// Runs `text` on a flushed server and a fresh engine.
    pub fn run(&mut self, name: &str, text: &str) -> io::Result<ScriptRun> {
        expect_ok(self.control.call(&args(&["FLUSHALL"]))?, "FLUSHALL")?;
        // The engine starts with Redis's defaults; a script (a random one
        // above all) may have left a setting changed on the server, e.g.
        // by a CONFIG SET it queued in a MULTI it never ended.
        expect_ok(
            self.control
                .call(&args(&["CONFIG", "SET", "notify-keyspace-events", ""]))?,
            "CONFIG SET",
        )?;
        let mut runner = Runner::new(Engine::new(wall_ms()));
        let mut server_clients: Vec<ServerClient> = Vec::new();
        let lines = script::lines(text);
        let named = lines.iter().any(|l| l.client.is_some());
        let mut steps = Vec::new();
        let mut queues: Vec<(String, Vec<Vec<Vec<u8>>>)> = Vec::new();
        for line in &lines {
            let client = line.client.unwrap_or(DEFAULT_CLIENT).to_string();
            // After QUIT or CLIENT KILL a name reconnects, as redis-cli does.
            if let Some(c) = server_clients
                .iter_mut()
                .find(|c| c.name == client && c.conn.is_closed())
            {
                (c.conn, c.id) = connect_with_id(self.port)?;
                c.blocked = false;
            }
            // `{id:name}` stands for that client's CLIENT ID on each side
            // (CLIENT UNBLOCK, CLIENT TRACKING REDIRECT ...).
            let mut names = vec![client.clone()];
            names.extend(referenced_clients(line.command));
            for name in names {
                if !server_clients.iter().any(|c| c.name == name) {
                    let (conn, id) = connect_with_id(self.port)?;
                    server_clients.push(ServerClient {
                        name: name.clone(),
                        conn,
                        id,
                        blocked: false,
                    });
                    runner.client(&name);
                }
            }
            let server_line = with_ids(line.command, |name| {
                server_clients
                    .iter()
                    .find(|c| c.name == name)
                    .map_or(0, |c| c.id)
            });
            let engine_line = with_ids(line.command, |name| runner.client(name).0 as i64);
            let argv = split_args(&server_line).ok();
            let (server, engine_blocks) = match &argv {
                None => {
                    let invalid = vec![Block {
                        client: client.clone(),
                        out: Out::Invalid,
                    }];
                    (invalid.clone(), invalid)
                }
                Some(argv) if argv.is_empty() => (Vec::new(), Vec::new()),
                Some(argv) => {
                    let engine_blocks: Vec<Block> = runner
                        .run(&client, &engine_line)
                        .into_iter()
                        .map(|b| Block {
                            client: b.client,
                            out: b.reply.map_or(Out::Invalid, Out::Reply),
                        })
                        .collect();
                    // A command the engine did not answer (held by CLIENT
                    // PAUSE, silenced by CLIENT REPLY) may stay unanswered
                    // on the server too: wait for it as for a blocking one.
                    let silent = !engine_blocks.iter().any(|b| b.client == client);
                    (
                        self.run_on_server(&mut server_clients, &client, argv, silent)?,
                        engine_blocks,
                    )
                }
            };
            let queued = track_queue(&mut queues, &client, argv.as_deref(), &server);
            steps.push(Step {
                number: line.number,
                client,
                command: line.command.to_string(),
                argv,
                server,
                engine: engine_blocks,
                queued,
            });
        }
        Ok(ScriptRun {
            name: name.to_string(),
            named,
            steps,
        })
    }

    fn run_on_server(
        &mut self,
        clients: &mut [ServerClient],
        client: &str,
        argv: &[Vec<u8>],
        silent: bool,
    ) -> io::Result<Vec<Block>> {
        let sender = clients
            .iter()
            .position(|c| c.name == client)
            .expect("clients are connected before their first line");
        let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
        let may_block = silent || clients[sender].blocked || BLOCKING.contains(&name.as_str());
        let conn = &mut clients[sender].conn;
        conn.send(argv)?;
        let first = conn.read(if may_block {
            BLOCK_GRACE
        } else {
            REPLY_DEADLINE
        })?;
        if first.is_none() && !may_block {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no reply to {:?}", words(argv)),
            ));
        }
        // Everything the line caused is written before this PING's answer.
        expect_status(self.control.call(&args(&["PING"]))?, "PONG", "PING")?;
        let mut blocks = Vec::new();
        let mut push = |client: &mut ServerClient, replies: Vec<Reply>| {
            if !replies.is_empty() {
                client.blocked = false;
            }
            for reply in replies {
                blocks.push(Block {
                    client: client.name.clone(),
                    out: Out::Reply(reply),
                });
            }
        };
        let sender_client = &mut clients[sender];
        sender_client.blocked = first.is_none();
        let mut replies: Vec<Reply> = first.into_iter().collect();
        replies.extend(sender_client.conn.drain()?);
        push(sender_client, replies);
        for (i, other) in clients.iter_mut().enumerate() {
            if i != sender {
                let replies = other.conn.drain()?;
                push(other, replies);
            }
        }
        Ok(blocks)
    }
}

/// Follows each client's MULTI queue on the server's side: a command
/// answered `QUEUED` joins it; EXEC hands it over (for comparing its
/// replies one by one) and, like DISCARD, MULTI and RESET, starts afresh.
fn track_queue(
    queues: &mut Vec<(String, Vec<Vec<Vec<u8>>>)>,
    client: &str,
    argv: Option<&[Vec<u8>]>,
    server: &[Block],
) -> Vec<Vec<Vec<u8>>> {
    let Some(argv) = argv.filter(|a| !a.is_empty()) else {
        return Vec::new();
    };
    let index = match queues.iter().position(|(name, _)| name == client) {
        Some(i) => i,
        None => {
            queues.push((client.to_string(), Vec::new()));
            queues.len() - 1
        }
    };
    let queue = &mut queues[index].1;
    let queued = server
        .iter()
        .any(|b| b.client == client && b.out == Out::Reply(Reply::Status("QUEUED".into())));
    if queued {
        queue.push(argv.to_vec());
        return Vec::new();
    }
    let name = argv[0].to_ascii_lowercase();
    let ok = Out::Reply(Reply::ok());
    match name.as_slice() {
        b"exec" => std::mem::take(queue),
        // A nested MULTI is refused and leaves the queue as it is.
        b"multi" if server.iter().any(|b| b.client == client && b.out == ok) => {
            queue.clear();
            Vec::new()
        }
        b"discard" | b"reset" => {
            queue.clear();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A new connection and its CLIENT ID.
fn connect_with_id(port: u16) -> io::Result<(Conn, i64)> {
    let mut conn = Conn::connect(port)?;
    match conn.call(&args(&["CLIENT", "ID"]))? {
        Reply::Integer(id) => Ok((conn, id)),
        other => Err(io::Error::other(format!("CLIENT ID answered {other:?}"))),
    }
}

/// The client names a line's `{id:name}` placeholders refer to.
fn referenced_clients(line: &str) -> Vec<String> {
    line.split("{id:")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// `line` with each `{id:name}` replaced by `id(name)`.
fn with_ids(line: &str, mut id: impl FnMut(&str) -> i64) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("{id:") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 4..];
        match after.split_once('}') {
            Some((name, tail)) => {
                out.push_str(&id(name).to_string());
                rest = tail;
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn expect_ok(reply: Reply, what: &str) -> io::Result<()> {
    expect_status(reply, "OK", what)
}

fn expect_status(reply: Reply, status: &str, what: &str) -> io::Result<()> {
    match reply {
        Reply::Status(s) if s == status => Ok(()),
        other => Err(io::Error::other(format!(
            "{what} answered {:?}",
            other.to_cli()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(client: &str, reply: Reply) -> Block {
        Block {
            client: client.into(),
            out: Out::Reply(reply),
        }
    }

    fn step(command: &str, server: Vec<Block>, engine: Vec<Block>) -> Step {
        Step {
            number: 3,
            client: DEFAULT_CLIENT.into(),
            command: command.into(),
            argv: split_args(command).ok(),
            server,
            engine,
            queued: Vec::new(),
        }
    }

    #[test]
    fn a_mismatch_names_the_line_and_shows_both_sides() {
        let run = ScriptRun {
            name: "x.redis".into(),
            named: false,
            steps: vec![
                step(
                    "GET a",
                    vec![block("default", Reply::Nil)],
                    vec![block("default", Reply::Nil)],
                ),
                step(
                    "SET a b",
                    vec![block("default", Reply::ok())],
                    vec![block("default", Reply::error("ERR syntax error"))],
                ),
            ],
        };
        assert_eq!(run.mismatches().count(), 1);
        assert_eq!(
            run.describe_mismatches(),
            "x.redis:3: SET a b\n    - OK\n    + (error) ERR syntax error\n"
        );
    }

    #[test]
    fn sender_replies_follow_the_command_policy_and_pushes_are_exact() {
        let keys = |a: &str, b: &str| Reply::Array(vec![Reply::bulk(a), Reply::bulk(b)]);
        let s = step(
            "KEYS *",
            vec![block("default", keys("a", "b"))],
            vec![block("default", keys("b", "a"))],
        );
        assert!(s.agrees());
        let pushed = step(
            "KEYS *",
            vec![block("default", keys("a", "b")), block("w", keys("a", "b"))],
            vec![block("default", keys("a", "b")), block("w", keys("b", "a"))],
        );
        assert!(!pushed.agrees());
        let missing = step("GET a", vec![block("default", Reply::Nil)], vec![]);
        assert!(!missing.agrees());
        assert!(missing.argv.is_some());
    }
}
