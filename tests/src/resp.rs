//! A minimal RESP2 client over std TCP. Replies parse into
//! [`engine::Reply`], so one renderer (`Reply::to_cli`) prints the engine's
//! replies and the server's alike.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use engine::Reply;

/// How long a reply that must come may take (a `DEBUG SLEEP` included).
pub const REPLY_DEADLINE: Duration = Duration::from_secs(60);

/// Parses one reply from the start of `buf`: `Ok(None)` if it is not
/// complete yet, else the reply and how many bytes it took.
pub fn parse(buf: &[u8]) -> Result<Option<(Reply, usize)>, String> {
    parse_at(buf, 0)
}

fn parse_at(buf: &[u8], at: usize) -> Result<Option<(Reply, usize)>, String> {
    let Some(end) = find_crlf(buf, at) else {
        return Ok(None);
    };
    let Some(&kind) = buf.get(at) else {
        return Ok(None);
    };
    let line = &buf[at + 1..end];
    let text = || String::from_utf8_lossy(line).into_owned();
    let number = || -> Result<i64, String> {
        text()
            .parse::<i64>()
            .map_err(|_| format!("bad RESP number {:?}", text()))
    };
    let next = end + 2;
    match kind {
        b'+' => Ok(Some((Reply::Status(text()), next))),
        b'-' => Ok(Some((Reply::Error(text()), next))),
        b':' => Ok(Some((Reply::Integer(number()?), next))),
        b'$' => {
            let len = number()?;
            if len < 0 {
                return Ok(Some((Reply::Nil, next)));
            }
            let len = len as usize;
            if buf.len() < next + len + 2 {
                return Ok(None);
            }
            if &buf[next + len..next + len + 2] != b"\r\n" {
                return Err("bulk string not followed by CRLF".into());
            }
            Ok(Some((
                Reply::Bulk(buf[next..next + len].to_vec()),
                next + len + 2,
            )))
        }
        b'*' => {
            let len = number()?;
            if len < 0 {
                return Ok(Some((Reply::NilArray, next)));
            }
            let mut items = Vec::with_capacity(len.min(1024) as usize);
            let mut pos = next;
            for _ in 0..len {
                match parse_at(buf, pos)? {
                    Some((item, after)) => {
                        items.push(item);
                        pos = after;
                    }
                    None => return Ok(None),
                }
            }
            Ok(Some((Reply::Array(items), pos)))
        }
        other => Err(format!("unexpected RESP type byte {other:#04x}")),
    }
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|i| from + i)
}

/// A command as RESP2 sends it: an array of bulk strings.
pub fn encode(argv: &[Vec<u8>]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", argv.len()).into_bytes();
    for arg in argv {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn invalid(text: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, text)
}

/// One connection, with its own buffer so a read that times out midway
/// loses nothing.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    /// The server closed the connection (QUIT, CLIENT KILL); what it sent
    /// before is still in `buf`.
    closed: bool,
}

impl Conn {
    pub fn connect(port: u16) -> io::Result<Conn> {
        Conn::from_stream(TcpStream::connect(("127.0.0.1", port))?)
    }

    pub fn from_stream(stream: TcpStream) -> io::Result<Conn> {
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::new(),
            closed: false,
        })
    }

    /// True once the server has closed this connection.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    pub fn send(&mut self, argv: &[Vec<u8>]) -> io::Result<()> {
        self.stream.write_all(&encode(argv))
    }

    pub fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)
    }

    /// Sends a command and waits for its one reply.
    pub fn call(&mut self, argv: &[Vec<u8>]) -> io::Result<Reply> {
        self.send(argv)?;
        self.read(REPLY_DEADLINE)?.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no reply to {:?} in {REPLY_DEADLINE:?}", words(argv)),
            )
        })
    }

    /// The next reply, or `None` if none is complete within `timeout`.
    pub fn read(&mut self, timeout: Duration) -> io::Result<Option<Reply>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((reply, used)) = parse(&self.buf).map_err(invalid)? {
                self.buf.drain(..used);
                return Ok(Some(reply));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || !self.fill(Some(left))? {
                return Ok(None);
            }
        }
    }

    /// Every reply already received, without waiting for more (but for
    /// the rest of one that has begun to arrive).
    pub fn drain(&mut self) -> io::Result<Vec<Reply>> {
        self.stream.set_nonblocking(true)?;
        let read = self.fill(None);
        self.stream.set_nonblocking(false)?;
        read?;
        let mut replies = Vec::new();
        while !self.buf.is_empty() {
            match self.read(REPLY_DEADLINE)? {
                Some(reply) => replies.push(reply),
                None => return Err(invalid("a reply began but never ended".into())),
            }
        }
        Ok(replies)
    }

    /// Reads what is there into the buffer: with a timeout, waits up to it
    /// for at least one byte; without (non-blocking), takes all available.
    /// False if nothing came.
    fn fill(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        let mut got = false;
        if timeout.is_some() {
            self.stream.set_read_timeout(timeout)?;
        }
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    self.closed = true;
                    return Ok(got);
                }
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {
                    self.closed = true;
                    return Ok(got);
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    got = true;
                    if timeout.is_some() {
                        return Ok(true);
                    }
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Ok(got)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// Arguments as text, for messages.
pub fn words(argv: &[Vec<u8>]) -> Vec<String> {
    argv.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// Owned arguments from string slices.
pub fn args(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_waits_for_the_rest() {
        let bytes = b"*5\r\n+OK\r\n-ERR x\r\n:-7\r\n$3\r\na\r\n\r\n$-1\r\n";
        let (reply, used) = parse(bytes).unwrap().unwrap();
        assert_eq!(used, bytes.len());
        assert_eq!(
            reply,
            Reply::Array(vec![
                Reply::ok(),
                Reply::error("ERR x"),
                Reply::Integer(-7),
                Reply::bulk("a\r\n"),
                Reply::Nil,
            ])
        );
        for cut in 0..bytes.len() {
            assert_eq!(parse(&bytes[..cut]).unwrap(), None, "cut at {cut}");
        }
        assert_eq!(parse(b"*-1\r\n").unwrap(), Some((Reply::NilArray, 5)));
        assert!(parse(b"?\r\n").is_err());
    }

    #[test]
    fn encodes_then_parses_back() {
        let argv = args(&["SET", "k", ""]);
        let (reply, _) = parse(&encode(&argv)).unwrap().unwrap();
        assert_eq!(
            reply,
            Reply::Array(argv.into_iter().map(Reply::Bulk).collect())
        );
    }
}
