//! Highlighting one script line: where its client prefix, command, keys,
//! strings and numbers are, and whether it is narration or a `#!` header.
//! Per line and pure, so the editor highlights only the lines on screen.
//!
//! Words are cut as redis-cli's `sdssplitargs` cuts them (quotes may hold
//! blanks); the keys are the positions the command table's key specs
//! give for the line (`introspect::docs::key_positions`).

use engine::commands::introspect::docs;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `name> `
    Prefix,
    Command,
    Key,
    /// A quoted word.
    Str,
    Number,
    /// Any other argument (values, option words).
    Word,
    /// A `#` line.
    Narration,
    /// A `#!` header line (`#! title: ...`).
    Header,
    /// Blanks between words.
    Space,
}

/// A run of the line (byte offsets) of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The byte ranges of a command text's words, as `sdssplitargs` would
/// cut them: a quote runs to its closing quote (or the end of the line).
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        while p < b.len() && is_blank(b[p]) {
            p += 1;
        }
        if p >= b.len() {
            break;
        }
        let start = p;
        let mut quote: Option<u8> = None;
        while p < b.len() {
            let c = b[p];
            match quote {
                Some(q) => {
                    if c == b'\\' && p + 1 < b.len() && (q == b'"' || b[p + 1] == b'\'') {
                        p += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None if is_blank(c) => break,
                None if c == b'"' || c == b'\'' => quote = Some(c),
                None => {}
            }
            p += 1;
        }
        out.push((start, p));
    }
    out
}

/// The length of a `name> ` client prefix at the start of `text` (after
/// its leading blanks), including the blanks after `>`.
pub fn prefix_len(text: &str) -> usize {
    let lead = text.len() - text.trim_start().len();
    let rest = &text[lead..];
    let name = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    let after = &rest[name..];
    if name > 0 && (after == ">" || after.starts_with("> ")) {
        let tail = &after[1..];
        lead + name + 1 + (tail.len() - tail.trim_start().len())
    } else {
        0
    }
}

fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix(['-', '+']).unwrap_or(word);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
        && all_digits(int)
        && frac.is_none_or(all_digits)
}

/// The spans of one line, covering it from start to end.
pub fn highlight(line: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let push = |spans: &mut Vec<Span>, start: usize, end: usize, kind: Kind| {
        if end > start {
            spans.push(Span { start, end, kind });
        }
    };
    if trimmed.starts_with('#') {
        push(&mut spans, 0, lead, Kind::Space);
        let kind = if trimmed.starts_with("#!") {
            Kind::Header
        } else {
            Kind::Narration
        };
        push(&mut spans, lead, line.len(), kind);
        return spans;
    }
    let prefix = prefix_len(line);
    let mut at = 0;
    if prefix > 0 {
        push(&mut spans, 0, lead, Kind::Space);
        let name_end = line[..prefix].rfind('>').map_or(prefix, |i| i + 1);
        push(&mut spans, lead, name_end, Kind::Prefix);
        at = name_end;
    }
    let command = &line[prefix..];
    let ranges = words(command);
    let keys = engine::split_args(command)
        .ok()
        .filter(|argv| argv.len() == ranges.len())
        .map(|argv| docs::key_positions(&argv))
        .unwrap_or_default();
    for (i, &(s, e)) in ranges.iter().enumerate() {
        let (s, e) = (s + prefix, e + prefix);
        push(&mut spans, at, s, Kind::Space);
        let word = &line[s..e];
        let kind = if i == 0 {
            Kind::Command
        } else if keys.contains(&i) {
            Kind::Key
        } else if word.starts_with(['"', '\'']) {
            Kind::Str
        } else if is_number(word) {
            Kind::Number
        } else {
            Kind::Word
        };
        push(&mut spans, s, e, kind);
        at = e;
    }
    push(&mut spans, at, line.len(), Kind::Space);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(&str, Kind)> {
        highlight(line)
            .into_iter()
            .filter(|s| s.kind != Kind::Space)
            .map(|s| (&line[s.start..s.end], s.kind))
            .collect()
    }

    #[test]
    fn spans_cover_the_line() {
        for line in [
            "",
            "   ",
            "  SET  a \"b c\"  ",
            "alice>  GET x",
            "# hi",
            "SET \"open",
            "é 🎉 'x'",
        ] {
            let spans = highlight(line);
            let mut at = 0;
            for s in &spans {
                assert_eq!(s.start, at, "{line:?}: {spans:?}");
                at = s.end;
            }
            assert_eq!(at, line.len(), "{line:?}");
        }
    }

    #[test]
    fn commands_keys_strings_numbers() {
        use Kind::*;
        assert_eq!(
            kinds(r#"SET user:1 "hello world" EX 10"#),
            [
                ("SET", Command),
                ("user:1", Key),
                ("\"hello world\"", Str),
                ("EX", Word),
                ("10", Number)
            ]
        );
        assert_eq!(
            kinds("mset a 1 b -2.5"),
            [
                ("mset", Command),
                ("a", Key),
                ("1", Number),
                ("b", Key),
                ("-2.5", Number)
            ]
        );
        // A quoted key is a key.
        assert_eq!(kinds("GET 'my key'")[1], ("'my key'", Key));
        // No key spec: PING's argument is a plain word.
        assert_eq!(kinds("PING hello")[1], ("hello", Word));
        // An unknown command still reads as a command.
        assert_eq!(kinds("FOO bar")[0], ("FOO", Command));
    }

    #[test]
    fn prefixes_narration_and_headers() {
        use Kind::*;
        assert_eq!(
            kinds("worker-1> BRPOP jobs 0"),
            [
                ("worker-1>", Prefix),
                ("BRPOP", Command),
                ("jobs", Key),
                ("0", Number)
            ]
        );
        assert_eq!(kinds("  # a story"), [("# a story", Narration)]);
        assert_eq!(kinds("#! title: Caching"), [("#! title: Caching", Header)]);
        // `a>b` is not a prefix.
        assert_eq!(kinds("SET a>b c")[1], ("a>b", Key));
    }

    #[test]
    fn unbalanced_quotes_run_to_the_end() {
        assert_eq!(words(r#"SET "a b"#), [(0, 3), (4, 8)]);
        assert_eq!(words(r#"SET "a \" b" c"#), [(0, 3), (4, 12), (13, 14)]);
        assert_eq!(words(r"SET 'it\'s' x"), [(0, 3), (4, 11), (12, 13)]);
        assert_eq!(kinds(r#"SET k "open"#)[2], ("\"open", Kind::Str));
    }

    #[test]
    fn numbers() {
        for n in ["0", "-1", "+3", "1.5", ".5", "10."] {
            assert!(is_number(n), "{n}");
        }
        for n in ["", "-", ".", "1e5", "abc", "1.2.3", "inf"] {
            assert!(!is_number(n), "{n}");
        }
    }
}
