//! What survives a reload: the command history, the log, and the draft in
//! the input, in `localStorage`, each document starting with a header that
//! names it and its version. A document with another header (an older or
//! newer version, or anything unreadable) is ignored and the page starts
//! fresh (rust-playground's `local_storage` does the same).
//!
//! The format is plain text, one record per line, fields separated by
//! tabs, with `\`, newline, carriage return and tab escaped:
//!
//! ```text
//! redis-playground console 1
//! h→alice> GET a        a history entry, as typed
//! c→alice→GET a         a command (empty client: the default one)
//! r→→0→(nil)\n          a reply: receiver, error flag, text
//! n→a expired (active)  a notice
//! #→# a comment         a comment
//! ```
//!
//! (→ stands for a tab.)
//!
//! It is written by hand rather than as JSON through serde_json: that crate
//! (with its float tables) was 17 KB of the gzipped wasm, for two
//! documents of strings.
//!
//! The draft has its own item so that typing does not rewrite the whole
//! log on every keystroke.

use crate::format::clip;
use crate::log::Line;

/// Bump when the records change.
pub const VERSION: u32 = 1;

/// How many log lines are kept across visits.
pub const MAX_SAVED_LINES: usize = 200;
/// Replies longer than this are cut when saved (the history keeps every
/// command whole: nothing typed is lost).
pub const MAX_SAVED_REPLY_CHARS: usize = 4_096;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Console {
    pub history: Vec<String>,
    pub log: Vec<Line>,
}

fn console_header() -> String {
    format!("redis-playground console {VERSION}")
}

fn draft_header() -> String {
    format!("redis-playground draft {VERSION}")
}

/// The console document for `history` and the tail of `log`, with long
/// replies cut.
pub fn encode_console<'a>(history: &[String], log: impl Iterator<Item = &'a Line>) -> String {
    let log: Vec<&Line> = log.collect();
    let tail = &log[log.len().saturating_sub(MAX_SAVED_LINES)..];
    let mut out = console_header();
    let mut record = |fields: &[&str]| {
        out.push('\n');
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            escape(field, &mut out);
        }
    };
    for entry in history {
        record(&["h", entry]);
    }
    for line in tail {
        match line {
            Line::Command { client, text } => {
                record(&["c", client.as_deref().unwrap_or(""), text]);
            }
            Line::Reply {
                client,
                text,
                error,
            } => {
                let text = clip_saved(text);
                let error = if *error { "1" } else { "0" };
                record(&["r", client.as_deref().unwrap_or(""), error, &text]);
            }
            Line::Notice { text } => record(&["n", text]),
            Line::Comment { text } => record(&["#", text]),
        }
    }
    out
}

/// Reads a console document; anything unreadable or of another version
/// gives an empty console.
pub fn decode_console(doc: &str) -> Console {
    try_decode_console(doc).unwrap_or_default()
}

fn try_decode_console(doc: &str) -> Option<Console> {
    let mut lines = doc.split('\n');
    if lines.next()? != console_header() {
        return None;
    }
    let mut console = Console::default();
    for line in lines {
        let fields = line
            .split('\t')
            .map(unescape)
            .collect::<Option<Vec<String>>>()?;
        let client = |name: &str| (!name.is_empty()).then(|| name.to_string());
        match fields.as_slice() {
            [h, entry] if h == "h" => console.history.push(entry.clone()),
            [c, who, text] if c == "c" => console.log.push(Line::Command {
                client: client(who),
                text: text.clone(),
            }),
            [r, who, error, text] if r == "r" && (error == "0" || error == "1") => {
                console.log.push(Line::Reply {
                    client: client(who),
                    text: text.clone(),
                    error: error == "1",
                })
            }
            [n, text] if n == "n" => console.log.push(Line::Notice { text: text.clone() }),
            [hash, text] if hash == "#" => console.log.push(Line::Comment { text: text.clone() }),
            _ => return None,
        }
    }
    Some(console)
}

pub fn encode_draft(draft: &str) -> String {
    let mut out = draft_header();
    out.push('\n');
    escape(draft, &mut out);
    out
}

/// Reads a draft document; anything else gives an empty draft.
pub fn decode_draft(doc: &str) -> String {
    doc.split_once('\n')
        .filter(|(header, _)| *header == draft_header())
        .and_then(|(_, text)| unescape(text))
        .unwrap_or_default()
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

/// The inverse of [`escape`]; `None` for a text `escape` cannot write.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(match chars.next()? {
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                _ => return None,
            }),
            '\n' | '\r' | '\t' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

fn clip_saved(text: &str) -> String {
    match clip(text, MAX_SAVED_REPLY_CHARS, usize::MAX) {
        None => text.to_string(),
        Some((head, hidden)) => format!("{head}\n… ({hidden} more characters not saved)\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: &str) -> Line {
        Line::Reply {
            client: None,
            text: text.into(),
            error: false,
        }
    }

    #[test]
    fn round_trip() {
        let log = [
            Line::Command {
                client: Some("alice".into()),
                text: "SET a \"tab\\there\"".into(),
            },
            reply("OK\n"),
            Line::Reply {
                client: Some("bob".into()),
                text: "(error) ERR x\n".into(),
                error: true,
            },
            Line::Notice {
                text: "a expired (active)".into(),
            },
            Line::Comment {
                text: "# back\\slash\r\n".into(),
            },
            reply(""),
        ];
        let history = ["alice> SET a \"tab\\there\"".to_string(), "\t\n\\".into()];
        let back = decode_console(&encode_console(&history, log.iter()));
        assert_eq!(back.history, history);
        assert_eq!(back.log, log);
        let empty = decode_console(&encode_console(&[], std::iter::empty()));
        assert_eq!(empty, Console::default());
        for draft in ["SET x", "", "multi\nline\twith \\ and ✓"] {
            assert_eq!(decode_draft(&encode_draft(draft)), draft);
        }
    }

    #[test]
    fn other_versions_and_garbage_give_defaults() {
        let newer = "redis-playground console 2\nh\tPING";
        assert_eq!(decode_console(newer), Console::default());
        for garbage in [
            "",
            "not a document",
            r#"{"version":1,"history":["PING"],"log":[]}"#,
            "redis-playground console 1\nh\tbad \\x escape",
            "redis-playground console 1\nh\ta\tb",
            "redis-playground console 1\nr\t\t2\tOK",
            "redis-playground console 1\nz\tunknown record",
            "redis-playground console 1\nh\ttrailing \\",
        ] {
            assert_eq!(decode_console(garbage), Console::default(), "{garbage}");
        }
        assert_eq!(decode_draft("redis-playground draft 2\nSET x"), "");
        assert_eq!(decode_draft("null"), "");
        assert_eq!(
            decode_draft(&encode_console(&["PING".into()], std::iter::empty())),
            ""
        );
    }

    #[test]
    fn only_the_tail_is_kept_and_long_replies_are_cut() {
        let long = "x".repeat(MAX_SAVED_REPLY_CHARS + 10);
        let log: Vec<Line> = (0..MAX_SAVED_LINES + 5).map(|_| reply(&long)).collect();
        let back = decode_console(&encode_console(&[], log.iter()));
        assert_eq!(back.log.len(), MAX_SAVED_LINES);
        let Line::Reply { text, .. } = &back.log[0] else {
            panic!("a reply")
        };
        assert!(
            text.ends_with("… (10 more characters not saved)\n"),
            "{text}"
        );
    }
}
