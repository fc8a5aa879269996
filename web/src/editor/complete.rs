//! Autocomplete: command names first, then the command's option words
//! (from its COMMAND DOCS entry), each with the command's syntax line,
//! summary and complexity.

use engine::commands::introspect::docs;
use engine::commands::Spec;

use super::lex::{prefix_len, words};

/// How many suggestions the list shows.
pub const LIMIT: usize = 10;

/// One suggestion: the word to insert and the command it belongs to (for
/// its syntax, summary and complexity).
#[derive(Clone, Debug)]
pub struct Item {
    pub word: String,
    pub spec: &'static Spec,
    /// A command name, not an option word.
    pub is_command: bool,
}

impl PartialEq for Item {
    fn eq(&self, other: &Item) -> bool {
        self.word == other.word
            && self.is_command == other.is_command
            && std::ptr::eq(self.spec, other.spec)
    }
}
impl Eq for Item {}

/// What the caret's word can become: the byte range of the word in the
/// line (to replace) and the ranked suggestions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub end: usize,
    pub items: Vec<Item>,
}

/// Substring match after prefix, match position, length, name.
type Rank = (bool, usize, usize, &'static str);

/// Command names matching `typed`: names starting with it (shorter
/// first), then names containing it (earlier match first), at most
/// [`LIMIT`].
pub fn rank_commands(typed: &str) -> Vec<&'static Spec> {
    let typed = typed.to_ascii_lowercase();
    // The best LIMIT, kept in order by insertion (no generic sort in the
    // wasm for ten items).
    let mut best: Vec<(Rank, &'static Spec)> = Vec::with_capacity(LIMIT + 1);
    for spec in docs::commands() {
        let Some(at) = spec.name.find(&typed) else {
            continue;
        };
        let rank = (at > 0, at, spec.name.len(), spec.name);
        let pos = best
            .iter()
            .position(|(r, _)| rank < *r)
            .unwrap_or(best.len());
        if pos < LIMIT {
            best.insert(pos, (rank, spec));
            best.truncate(LIMIT);
        }
    }
    best.into_iter().map(|(_, s)| s).collect()
}

/// Option words of `spec` starting with `typed`, in the docs' order,
/// leaving out those already on the line.
pub fn rank_tokens(spec: &Spec, typed: &str, used: &[&str]) -> Vec<String> {
    docs::tokens(spec)
        .into_iter()
        .filter(|t| t.len() >= typed.len() && t[..typed.len()].eq_ignore_ascii_case(typed))
        .filter(|t| !used.iter().any(|u| u.eq_ignore_ascii_case(t)))
        .take(LIMIT)
        .collect()
}

/// The word typed in the case the user types in: all lowercase if what
/// they typed so far is, else as the table spells it (uppercase).
pub fn in_case(word: &str, typed: &str) -> String {
    if !typed.is_empty()
        && typed.bytes().all(|b| !b.is_ascii_uppercase())
        && typed.bytes().any(|b| b.is_ascii_lowercase())
    {
        word.to_ascii_lowercase()
    } else {
        word.to_ascii_uppercase()
    }
}

/// Suggestions for the word the caret ends (`before` is the line up to
/// the caret). `explicit` (Ctrl+Space) also offers them for an empty
/// word. `None` inside narration, inside quotes, or with nothing to offer.
pub fn complete(before: &str, explicit: bool) -> Option<Completion> {
    if before.trim_start().starts_with('#') {
        return None;
    }
    let prefix = prefix_len(before);
    let text = &before[prefix..];
    let ranges = words(text);
    let ends_in_word = !text.is_empty() && !text.ends_with([' ', '\t']);
    let (start, typed, index) = if ends_in_word {
        let &(s, e) = ranges.last()?;
        (s, &text[s..e], ranges.len() - 1)
    } else {
        (text.len(), "", ranges.len())
    };
    if typed.starts_with(['"', '\'']) || (typed.is_empty() && !explicit) {
        return None;
    }
    let items: Vec<Item> = if index == 0 {
        rank_commands(typed)
            .into_iter()
            .map(|spec| Item {
                word: in_case(spec.name, typed),
                spec,
                is_command: true,
            })
            .collect()
    } else {
        let previous: Vec<&str> = ranges[..index].iter().map(|&(s, e)| &text[s..e]).collect();
        let argv: Vec<Vec<u8>> = previous.iter().map(|w| w.as_bytes().to_vec()).collect();
        let spec = docs::row(&argv)?;
        rank_tokens(spec, typed, &previous[1..])
            .into_iter()
            .map(|t| Item {
                word: in_case(&t, typed),
                spec,
                is_command: false,
            })
            .collect()
    };
    // Nothing to add: the word is already complete and alone.
    if items.is_empty() || (items.len() == 1 && items[0].word.eq_ignore_ascii_case(typed)) {
        return None;
    }
    Some(Completion {
        start: prefix + start,
        end: before.len(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(c: &Completion) -> Vec<&str> {
        c.items.iter().map(|i| i.word.as_str()).collect()
    }

    #[test]
    fn prefix_matches_rank_before_substring_matches() {
        let names: Vec<&str> = rank_commands("get").iter().map(|s| s.name).collect();
        assert_eq!(names[0], "get");
        let first_substring = names.iter().position(|n| !n.starts_with("get")).unwrap();
        assert!(names[..first_substring]
            .iter()
            .all(|n| n.starts_with("get")));
        assert!(names[first_substring..].iter().all(|n| n.contains("get")));
        // Shorter names first among prefix matches.
        let lens: Vec<usize> = names[..first_substring].iter().map(|n| n.len()).collect();
        assert!(lens.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
        assert!(rank_commands("zzzz").is_empty());
        assert!(rank_commands("").len() == LIMIT);
    }

    #[test]
    fn command_names_keep_the_users_case() {
        let c = complete("se", false).unwrap();
        assert_eq!(c.items[0].word, "set");
        assert_eq!((c.start, c.end), (0, 2));
        let c = complete("alice> SE", false).unwrap();
        assert_eq!(c.items[0].word, "SET");
        assert_eq!(c.start, 7);
        assert!(c.items[0].is_command);
        assert!(c.items[0].spec.syntax.starts_with("SET key value"));
    }

    #[test]
    fn options_follow_the_command() {
        let c = complete("SET k v ", true).unwrap();
        assert_eq!(
            words_of(&c),
            ["NX", "XX", "GET", "EX", "PX", "EXAT", "PXAT", "KEEPTTL"]
        );
        let c = complete("SET k v NX e", false).unwrap();
        assert_eq!(words_of(&c), ["ex", "exat"]);
        assert_eq!(c.start, 11);
        assert!(!c.items[0].is_command);
        // Used words are not offered again.
        let c = complete("SET k v NX ", true).unwrap();
        assert!(!words_of(&c).contains(&"NX"));
        // A container offers its subcommands.
        let c = complete("CONFIG g", false).unwrap();
        assert_eq!(words_of(&c), ["get"]);
    }

    #[test]
    fn nothing_inside_quotes_narration_or_blank() {
        assert_eq!(complete("SET k \"va", false), None);
        assert_eq!(complete("# se", false), None);
        assert_eq!(complete("", false), None);
        assert_eq!(complete("SET k v ", false), None, "not without Ctrl+Space");
        assert_eq!(complete("NOSUCH a", false), None);
        assert_eq!(complete("PING", false), None, "already complete");
    }
}
