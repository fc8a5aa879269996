//! What survives a reload: the command history, the log, and the draft in
//! the input, in `localStorage` as versioned JSON. A document with another
//! version (or unreadable) is ignored and the page starts fresh
//! (rust-playground's `local_storage` does the same).
//!
//! The draft has its own item so that typing does not rewrite the whole
//! log on every keystroke.

use serde::{Deserialize, Serialize};

use crate::format::clip;
use crate::log::Line;

/// Bump when the shape of [`Console`] or [`Draft`] changes.
pub const VERSION: u32 = 1;

/// How many log lines are kept across visits.
pub const MAX_SAVED_LINES: usize = 200;
/// Replies longer than this are cut when saved (the history keeps every
/// command whole: nothing typed is lost).
pub const MAX_SAVED_REPLY_CHARS: usize = 4_096;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Console {
    pub version: u32,
    pub history: Vec<String>,
    pub log: Vec<Line>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    pub draft: String,
}

/// Reads a saved document; anything unreadable or of another version gives
/// the default. The version is read first, on its own, so a document of
/// another shape is never half-read.
pub fn decode<T: for<'de> Deserialize<'de> + Default>(json: &str) -> T {
    #[derive(Deserialize)]
    struct Header {
        version: u32,
    }
    match serde_json::from_str::<Header>(json) {
        Ok(Header { version: VERSION }) => serde_json::from_str(json).unwrap_or_default(),
        _ => T::default(),
    }
}

/// The console document for `history` and the tail of `log`, with long
/// replies cut.
pub fn encode_console<'a>(history: &[String], log: impl Iterator<Item = &'a Line>) -> String {
    let log: Vec<&Line> = log.collect();
    let tail = &log[log.len().saturating_sub(MAX_SAVED_LINES)..];
    let log = tail
        .iter()
        .map(|line| match line {
            Line::Reply {
                client,
                text,
                error,
            } => Line::Reply {
                client: client.clone(),
                text: clip_saved(text),
                error: *error,
            },
            other => (*other).clone(),
        })
        .collect();
    let doc = Console {
        version: VERSION,
        history: history.to_vec(),
        log,
    };
    serde_json::to_string(&doc).unwrap_or_default()
}

pub fn encode_draft(draft: &str) -> String {
    let doc = Draft {
        version: VERSION,
        draft: draft.to_string(),
    };
    serde_json::to_string(&doc).unwrap_or_default()
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
                text: "GET a".into(),
            },
            reply("(nil)\n"),
        ];
        let json = encode_console(&["alice> GET a".into()], log.iter());
        let back: Console = decode(&json);
        assert_eq!(back.history, ["alice> GET a"]);
        assert_eq!(back.log, log);
        let draft: Draft = decode(&encode_draft("SET x"));
        assert_eq!(draft.draft, "SET x");
    }

    #[test]
    fn other_versions_and_garbage_give_defaults() {
        let newer = r#"{"version":2,"history":["PING"],"log":[]}"#;
        assert_eq!(decode::<Console>(newer), Console::default());
        assert_eq!(decode::<Console>("not json"), Console::default());
        assert_eq!(
            decode::<Console>(r#"{"version":1,"history":3}"#),
            Console::default()
        );
        assert_eq!(decode::<Draft>("null"), Draft::default());
    }

    #[test]
    fn only_the_tail_is_kept_and_long_replies_are_cut() {
        let long = "x".repeat(MAX_SAVED_REPLY_CHARS + 10);
        let log: Vec<Line> = (0..MAX_SAVED_LINES + 5).map(|_| reply(&long)).collect();
        let back: Console = decode(&encode_console(&[], log.iter()));
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
