//! How times, keys and replies read on screen. Pure functions, tested
//! natively.

use engine::reply::quote;
use engine::split::INVALID_ARGUMENTS;

/// The virtual clock since the session started: `HH:MM:SS.d` (tenths,
/// truncated, so the display never runs ahead of the engine).
pub fn clock(elapsed_ms: u64) -> String {
    let tenths = elapsed_ms / 100;
    let (h, m, s, d) = (
        tenths / 36_000,
        tenths / 600 % 60,
        tenths / 10 % 60,
        tenths % 10,
    );
    format!("{h:02}:{m:02}:{s:02}.{d}")
}

/// A key's remaining time to live, short and steady. Rounded up, so a key
/// that is still alive never reads `0`.
pub fn ttl(left_ms: u64) -> String {
    const S: u64 = 1_000;
    const M: u64 = 60 * S;
    const H: u64 = 60 * M;
    const D: u64 = 24 * H;
    if left_ms < M {
        let tenths = left_ms.div_ceil(100);
        return format!("{}.{} s", tenths / 10, tenths % 10);
    }
    let secs = left_ms.div_ceil(S);
    if left_ms < H {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else if left_ms < D {
        format!("{}h {:02}m", secs / 3600, secs / 60 % 60)
    } else {
        format!("{}d {:02}h", secs / 86_400, secs / 3600 % 24)
    }
}

/// A key as the key list shows it: as typed when it is plain printable
/// text, else in redis-cli's quoted form so bytes stay visible.
pub fn key_label(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) if !s.is_empty() && !s.chars().any(char::is_control) => s.to_string(),
        _ => quote(key),
    }
}

/// Whether a reply block is an error as redis-cli shows it: a server
/// error, or redis-cli's own complaint about an unsplittable line.
pub fn is_error_block(text: &str) -> bool {
    text.starts_with("(error) ") || text.trim_end_matches('\n') == INVALID_ARGUMENTS
}

/// A long text cut for display: at most `max_lines` lines and `max_chars`
/// characters (`max_lines` 0: no line limit). Returns the kept head and
/// how many characters were left out, or `None` when the text fits.
pub fn clip(text: &str, max_chars: usize, max_lines: usize) -> Option<(String, usize)> {
    let mut end = text.len();
    let newlines = max_lines
        .checked_sub(1)
        .and_then(|n| text.match_indices('\n').nth(n));
    if let Some((i, _)) = newlines {
        end = i + 1;
    }
    if let Some((i, _)) = text.char_indices().nth(max_chars) {
        end = end.min(i);
    }
    if end >= text.len() {
        return None;
    }
    let hidden = text[end..].chars().count();
    Some((text[..end].to_string(), hidden))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_hours_minutes_seconds_tenths() {
        assert_eq!(clock(0), "00:00:00.0");
        assert_eq!(clock(72_499), "00:01:12.4");
        assert_eq!(clock(3_600_000 * 101 + 61_000), "101:01:01.0");
    }

    #[test]
    fn ttl_rounds_up_and_changes_unit_with_size() {
        assert_eq!(ttl(5_000), "5.0 s");
        assert_eq!(ttl(4_901), "5.0 s");
        assert_eq!(ttl(1), "0.1 s");
        assert_eq!(ttl(59_999), "60.0 s");
        assert_eq!(ttl(60_000), "1m 00s");
        assert_eq!(ttl(3_599_001), "60m 00s");
        assert_eq!(ttl(3_600_000), "1h 00m");
        assert_eq!(ttl(90_061_000), "1d 01h");
    }

    #[test]
    fn keys_show_bytes_quoted() {
        assert_eq!(key_label(b"greeting"), "greeting");
        assert_eq!(key_label("clé".as_bytes()), "clé");
        assert_eq!(key_label(b"a\nb"), "\"a\\nb\"");
        assert_eq!(key_label(b"\xff"), "\"\\xff\"");
        assert_eq!(key_label(b""), "\"\"");
    }

    #[test]
    fn errors_are_recognised_by_their_cli_form() {
        assert!(is_error_block("(error) ERR syntax error\n"));
        assert!(is_error_block("Invalid argument(s)\n"));
        assert!(!is_error_block("\"(error) not really\"\n"));
        assert!(!is_error_block("OK\n"));
    }

    #[test]
    fn clip_cuts_on_lines_or_chars() {
        assert_eq!(clip("short", 10, 3), None);
        assert_eq!(clip("a\nb\nc\nd\n", 100, 2), Some(("a\nb\n".into(), 4)));
        assert_eq!(clip("héllo wörld", 4, 10), Some(("héll".into(), 7)));
        assert_eq!(clip("a\nb\n", 100, 2), None);
    }
}
