//! The reply type, and its two renderings: RESP2 bytes and the text
//! `redis-cli --no-raw` prints.

use std::fmt::Write as _;

/// One RESP2 reply, as a command returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK` and friends.
    Status(String),
    /// `-ERR ...`: the full text including its code (`ERR`, `WRONGTYPE`, ...).
    Error(String),
    Integer(i64),
    Bulk(Vec<u8>),
    /// The null bulk string `$-1`.
    Nil,
    Array(Vec<Reply>),
    /// The null array `*-1`.
    NilArray,
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status("OK".into())
    }

    pub fn error(text: impl Into<String>) -> Reply {
        Reply::Error(text.into())
    }

    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// The reply as RESP2 bytes, as a server would send it.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }

    fn write_resp(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Error(s) => {
                out.push(b'-');
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            Reply::Integer(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
            Reply::Bulk(b) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                for item in items {
                    item.write_resp(out);
                }
            }
        }
    }

    /// Reads one reply from RESP2 bytes that hold exactly one (the
    /// command table stores COMMAND DOCS and key specs this way). `None`
    /// for anything malformed or with bytes left over.
    pub fn from_resp(bytes: &[u8]) -> Option<Reply> {
        let (reply, rest) = Reply::parse_resp(bytes, 0)?;
        rest.is_empty().then_some(reply)
    }

    fn parse_resp(bytes: &[u8], depth: usize) -> Option<(Reply, &[u8])> {
        let (&kind, rest) = bytes.split_first()?;
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        let (line, rest) = (&rest[..end], &rest[end + 2..]);
        let text = || std::str::from_utf8(line).ok().map(str::to_string);
        let number = || std::str::from_utf8(line).ok()?.parse::<i64>().ok();
        match kind {
            b'+' => Some((Reply::Status(text()?), rest)),
            b'-' => Some((Reply::Error(text()?), rest)),
            b':' => Some((Reply::Integer(number()?), rest)),
            b'$' if line == b"-1" => Some((Reply::Nil, rest)),
            b'*' if line == b"-1" => Some((Reply::NilArray, rest)),
            b'$' => {
                let len = usize::try_from(number()?).ok()?;
                let body = rest.get(..len)?;
                let rest = rest.get(len..)?.strip_prefix(b"\r\n")?;
                Some((Reply::Bulk(body.to_vec()), rest))
            }
            // Nesting is bounded so that no input can exhaust the stack.
            b'*' if depth < 64 => {
                let len = usize::try_from(number()?).ok()?;
                let mut items = Vec::with_capacity(len.min(rest.len()));
                let mut rest = rest;
                for _ in 0..len {
                    let (item, after) = Reply::parse_resp(rest, depth + 1)?;
                    items.push(item);
                    rest = after;
                }
                Some((Reply::Array(items), rest))
            }
            _ => None,
        }
    }

    /// The reply to `argv` as redis-cli prints it: raw for the commands
    /// redis-cli always prints raw ([`cli_prints_raw`]: INFO, CLIENT LIST,
    /// MEMORY DOCTOR ...), as [`to_cli`](Self::to_cli) otherwise.
    pub fn to_cli_for(&self, argv: &[Vec<u8>]) -> String {
        if cli_prints_raw(argv) {
            let mut out = Vec::new();
            self.write_raw(&mut out);
            String::from_utf8_lossy(&out).into_owned()
        } else {
            self.to_cli()
        }
    }

    /// redis-cli's `cliFormatReplyRaw`: strings and statuses as their
    /// bytes, errors with a newline, nil as nothing, an array's items one
    /// per line.
    fn write_raw(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => out.extend_from_slice(s.as_bytes()),
            Reply::Error(s) => {
                out.extend_from_slice(s.as_bytes());
                out.push(b'\n');
            }
            Reply::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
            Reply::Bulk(b) => out.extend_from_slice(b),
            Reply::Nil | Reply::NilArray => {}
            Reply::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b'\n');
                    }
                    item.write_raw(out);
                }
            }
        }
    }

    /// The reply as `redis-cli --no-raw` prints it, ending in a newline
    /// (redis-cli's `cliFormatReplyTTY`).
    pub fn to_cli(&self) -> String {
        let mut out = String::new();
        self.write_cli(&mut out, "");
        out
    }

    fn write_cli(&self, out: &mut String, prefix: &str) {
        match self {
            Reply::Status(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Reply::Error(s) => {
                out.push_str("(error) ");
                out.push_str(s);
                out.push('\n');
            }
            Reply::Integer(n) => {
                let _ = writeln!(out, "(integer) {n}");
            }
            Reply::Bulk(b) => {
                quote_into(out, b);
                out.push('\n');
            }
            Reply::Nil | Reply::NilArray => out.push_str("(nil)\n"),
            Reply::Array(items) if items.is_empty() => out.push_str("(empty array)\n"),
            Reply::Array(items) => {
                let width = items.len().to_string().len();
                // Nested arrays are indented under their index.
                let nested = format!("{prefix}{}", " ".repeat(width + 2));
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(prefix);
                    }
                    let _ = write!(out, "{:>width$}) ", i + 1);
                    item.write_cli(out, &nested);
                }
            }
        }
    }
}

/// Quotes bytes the way redis-cli does (`sdscatrepr`): `"..."` with C escapes
/// and `\xHH` for anything not printable ASCII.
/// True for the commands whose replies redis-cli 7.0 prints raw even
/// with `--no-raw` (`cliSendCommand`'s `output_raw`): INFO, LOLWUT,
/// DEBUG HTSTATS|HTSTATS-KEY|CLIENT-EVICTION, MEMORY MALLOC-STATS|DOCTOR,
/// CLUSTER NODES|INFO, CLIENT LIST|INFO, LATENCY GRAPH|DOCTOR, PROXY INFO.
pub fn cli_prints_raw(argv: &[Vec<u8>]) -> bool {
    let is = |i: usize, word: &str| {
        argv.get(i)
            .is_some_and(|a| a.eq_ignore_ascii_case(word.as_bytes()))
    };
    let any = |words: &[&str]| words.iter().any(|w| is(1, w));
    let argc = argv.len();
    is(0, "info")
        || is(0, "lolwut")
        || (argc >= 2 && is(0, "debug") && any(&["htstats", "htstats-key", "client-eviction"]))
        || (argc >= 2 && is(0, "memory") && any(&["malloc-stats", "doctor"]))
        || (argc == 2 && is(0, "cluster") && any(&["nodes", "info"]))
        || (argc >= 2 && is(0, "client") && any(&["list", "info"]))
        || (argc == 3 && is(0, "latency") && is(1, "graph"))
        || (argc == 2 && is(0, "latency") && is(1, "doctor"))
        || (argc >= 2 && is(0, "proxy") && is(1, "info"))
}

pub fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    quote_into(&mut out, bytes);
    out
}

fn quote_into(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_and_friends_print_raw() {
        let argv = |line: &str| -> Vec<Vec<u8>> {
            line.split(' ').map(|w| w.as_bytes().to_vec()).collect()
        };
        let text = Reply::bulk(b"# Keyspace\r\n".to_vec());
        assert_eq!(text.to_cli_for(&argv("info keyspace")), "# Keyspace\r\n");
        assert_eq!(text.to_cli_for(&argv("MEMORY doctor")), "# Keyspace\r\n");
        assert_eq!(text.to_cli_for(&argv("GET info")), "\"# Keyspace\\r\\n\"\n");
        // CLUSTER INFO is raw only without further arguments.
        assert_eq!(text.to_cli_for(&argv("cluster info x")), text.to_cli());
        let err = Reply::error("ERR syntax error");
        assert_eq!(err.to_cli_for(&argv("client list x")), "ERR syntax error\n");
        let items = Reply::Array(vec![
            Reply::Integer(1),
            Reply::Nil,
            Reply::bulk(b"a".to_vec()),
        ]);
        assert_eq!(items.to_cli_for(&argv("info")), "1\n\na");
    }

    #[test]
    fn scalars_render_like_redis_cli() {
        assert_eq!(Reply::ok().to_cli(), "OK\n");
        assert_eq!(Reply::Integer(-3).to_cli(), "(integer) -3\n");
        assert_eq!(Reply::Nil.to_cli(), "(nil)\n");
        assert_eq!(
            Reply::error("ERR syntax error").to_cli(),
            "(error) ERR syntax error\n"
        );
        assert_eq!(
            Reply::bulk(b"a\"b\\\n\x00\xff ".to_vec()).to_cli(),
            "\"a\\\"b\\\\\\n\\x00\\xff \"\n"
        );
        assert_eq!(Reply::Array(vec![]).to_cli(), "(empty array)\n");
    }

    #[test]
    fn arrays_align_indexes_and_indent_nested_ones() {
        let ten: Vec<Reply> = (1..=10).map(Reply::Integer).collect();
        let text = Reply::Array(ten).to_cli();
        assert!(text.starts_with(" 1) (integer) 1\n 2) (integer) 2\n"));
        assert!(text.ends_with("10) (integer) 10\n"));

        let nested = Reply::Array(vec![
            Reply::Array(vec![Reply::bulk("a"), Reply::bulk("b")]),
            Reply::Array(vec![]),
            Reply::Nil,
        ]);
        assert_eq!(
            nested.to_cli(),
            "1) 1) \"a\"\n   2) \"b\"\n2) (empty array)\n3) (nil)\n"
        );
    }

    #[test]
    fn resp2_bytes() {
        let r = Reply::Array(vec![Reply::bulk("hi"), Reply::Nil, Reply::Integer(7)]);
        assert_eq!(r.to_resp(), b"*3\r\n$2\r\nhi\r\n$-1\r\n:7\r\n".to_vec());
        assert_eq!(Reply::NilArray.to_resp(), b"*-1\r\n".to_vec());
        assert_eq!(Reply::error("ERR x").to_resp(), b"-ERR x\r\n".to_vec());
    }

    #[test]
    fn resp_reads_back_what_it_writes() {
        let r = Reply::Array(vec![
            Reply::Status("optional".into()),
            Reply::bulk("a\r\nb"),
            Reply::bulk(""),
            Reply::Integer(-12),
            Reply::Nil,
            Reply::NilArray,
            Reply::error("ERR x"),
            Reply::Array(vec![Reply::Array(vec![])]),
        ]);
        assert_eq!(Reply::from_resp(&r.to_resp()), Some(r));
    }

    #[test]
    fn malformed_resp_is_none() {
        for bad in [
            &b""[..],
            b"+OK",
            b"+OK\r\nextra",
            b"$5\r\nabc\r\n",
            b"$3\r\nabcd\r\n",
            b"$-2\r\n",
            b":x\r\n",
            b"*2\r\n:1\r\n",
            b"?\r\n",
        ] {
            assert_eq!(Reply::from_resp(bad), None, "{bad:?}");
        }
        let deep = "*1\r\n".repeat(100) + ":1\r\n";
        assert_eq!(Reply::from_resp(deep.as_bytes()), None);
    }
}
