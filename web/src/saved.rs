//! Each scenario's edited script, saved in `localStorage` on every edit.
//!
//! Stored as `v1\n` + the script: an unknown version (a future format, or
//! something else under the key) reads as nothing saved, so the page falls
//! back to the scenario's original script. Failures come back as the
//! sentence to show (no storage, a full quota).

use crate::storage;

const PREFIX: &str = "redis-playground.script.";
const VERSION: &str = "v1\n";

fn key(slug: &str) -> String {
    format!("{PREFIX}{slug}")
}

/// The stored form of a script.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(VERSION.len() + text.len());
    out.push_str(VERSION);
    out.push_str(text);
    out
}

/// The script in a stored value; `None` for another version.
pub fn decode(stored: &str) -> Option<String> {
    stored.strip_prefix(VERSION).map(str::to_string)
}

/// The script saved for `slug`: `None` when nothing (readable) is saved.
pub fn load(slug: &str) -> Result<Option<String>, String> {
    Ok(storage::try_read(&key(slug))?.as_deref().and_then(decode))
}

/// Saves `text` as `slug`'s script, or says why it could not.
pub fn save(slug: &str, text: &str) -> Result<(), String> {
    storage::write_as(&key(slug), &encode(text), "your script")
}

/// Forgets `slug`'s script (Reset scenario).
pub fn clear(slug: &str) {
    storage::remove(&key(slug));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_versions() {
        for text in ["", "SET a 1\nGET a\n", "v1\nSET x", "é 🎉\r\n\"'"] {
            assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        }
        assert_eq!(decode("v2\nSET a 1"), None);
        assert_eq!(decode("SET a 1"), None);
        assert_eq!(decode(""), None);
        assert_eq!(key("caching"), "redis-playground.script.caching");
    }
}
