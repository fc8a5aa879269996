//! Scripts and transcripts (shared/transcript.md): one command per line,
//! `#` narration, optional `name> ` client prefixes; the transcript is what
//! each client receives, as `redis-cli --no-raw` prints it.

use crate::engine::{ClientId, Engine};
use crate::reply::Reply;
use crate::split::{split_args, INVALID_ARGUMENTS};

/// The client that runs unprefixed lines.
pub const DEFAULT_CLIENT: &str = "default";

/// One runnable line of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number in the script.
    pub number: usize,
    /// The client prefix, if the line has one.
    pub client: Option<&'a str>,
    /// The command text after the prefix.
    pub command: &'a str,
}

/// The runnable lines of a script: blank and `#` lines are skipped.
pub fn lines(script: &str) -> Vec<Line<'_>> {
    script
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| {
            parse_line(raw).map(|(client, command)| Line {
                number: i + 1,
                client,
                command,
            })
        })
        .collect()
}

/// Splits a line into its client prefix and command; `None` for a blank or
/// `#` line.
pub fn parse_line(raw: &str) -> Option<(Option<&str>, &str)> {
    let text = raw.trim_start();
    if text.is_empty() || text.starts_with('#') {
        return None;
    }
    let name_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    let rest = &text[name_len..];
    if name_len > 0 && (rest == ">" || rest.starts_with("> ")) {
        let command = rest[1..].trim_start();
        if command.is_empty() {
            return None;
        }
        return Some((Some(&text[..name_len]), command));
    }
    Some((None, text))
}

/// One reply block of a transcript: who received it, the reply, and the
/// text redis-cli prints for it (ending in a newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub client: String,
    /// `None` when redis-cli could not split the line, so nothing was sent
    /// and it printed `Invalid argument(s)`.
    pub reply: Option<Reply>,
    pub text: String,
}

impl Block {
    /// A reply to `argv` (`None` for what reaches a client unasked, such
    /// as a published message), rendered as redis-cli renders it.
    fn new(client: &str, reply: Reply, argv: Option<&[Vec<u8>]>) -> Block {
        Block {
            client: client.to_string(),
            text: match argv {
                Some(argv) => reply.to_cli_for(argv),
                None => reply.to_cli(),
            },
            reply: Some(reply),
        }
    }
}

/// Runs scripts line by line against one engine, keeping the named
/// clients' connections.
#[derive(Clone, Debug)]
pub struct Runner {
    pub engine: Engine,
    clients: Vec<(String, ClientId)>,
}

impl Runner {
    pub fn new(engine: Engine) -> Runner {
        Runner {
            engine,
            clients: Vec::new(),
        }
    }

    /// The connection of a named client, made on first use.
    pub fn client(&mut self, name: &str) -> ClientId {
        if let Some(slot) = self.clients.iter_mut().find(|(n, _)| n == name) {
            // After QUIT or CLIENT KILL the name reconnects, as redis-cli does.
            if self.engine.client(slot.1).is_none() {
                slot.1 = self.engine.connect();
            }
            return slot.1;
        }
        let id = self.engine.connect();
        self.clients.push((name.to_string(), id));
        id
    }

    /// The named clients in the order they first appeared.
    pub fn client_names(&self) -> impl Iterator<Item = &str> {
        self.clients.iter().map(|(n, _)| n.as_str())
    }

    /// Runs one command line as `client` and returns the blocks it caused:
    /// first the sender's replies, then what other clients received.
    pub fn run(&mut self, client: &str, command: &str) -> Vec<Block> {
        let id = self.client(client);
        let (replies, argv) = match split_args(command) {
            Ok(argv) if argv.is_empty() => return Vec::new(),
            Ok(argv) => {
                let replies = self.engine.execute(id, argv.clone());
                (replies, argv)
            }
            Err(_) => {
                return vec![Block {
                    client: client.to_string(),
                    reply: None,
                    text: format!("{INVALID_ARGUMENTS}\n"),
                }]
            }
        };
        let mut blocks: Vec<Block> = replies
            .into_iter()
            .map(|r| Block::new(client, r, Some(&argv)))
            .collect();
        let pushed = self.engine.take_pushed();
        // Other clients in the order they first appeared in the script.
        for (name, other) in &self.clients {
            for (_, reply) in pushed.iter().filter(|(to, _)| to == other) {
                blocks.push(Block::new(name, reply.clone(), None));
            }
        }
        blocks
    }
}

/// Runs a whole script on `engine` and returns its transcript.
pub fn transcript(script: &str, engine: Engine) -> String {
    let lines = lines(script);
    let named = lines.iter().any(|l| l.client.is_some());
    let mut runner = Runner::new(engine);
    let mut out = String::new();
    for line in &lines {
        let client = line.client.unwrap_or(DEFAULT_CLIENT);
        for block in runner.run(client, line.command) {
            if named {
                out.push('[');
                out.push_str(&block.client);
                out.push_str("]\n");
            }
            out.push_str(&block.text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_narration() {
        assert_eq!(parse_line("  # hi"), None);
        assert_eq!(parse_line("   "), None);
        assert_eq!(parse_line("GET a"), Some((None, "GET a")));
        assert_eq!(
            parse_line("worker-1> BRPOP jobs 0"),
            Some((Some("worker-1"), "BRPOP jobs 0"))
        );
        assert_eq!(parse_line("SET a>b c"), Some((None, "SET a>b c")));
    }

    #[test]
    fn unnamed_scripts_have_no_headers() {
        let t = transcript("# story\nSET a 1\nGET a\nSET \"x\n", Engine::new(0));
        assert_eq!(t, "OK\n\"1\"\nInvalid argument(s)\n");
    }

    #[test]
    fn named_scripts_have_a_header_per_block() {
        let t = transcript("alice> SET a 1\nGET a\n", Engine::new(0));
        assert_eq!(t, "[alice]\nOK\n[default]\n\"1\"\n");
    }
}
