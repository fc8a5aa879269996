//! Glob-style matching, ported from Redis's `stringmatchlen` (util.c) so
//! KEYS, SCAN MATCH and PSUBSCRIBE accept and reject exactly the same keys.
//!
//! The C code walks a NUL-terminated buffer with a pointer and a length and
//! sometimes reads one byte past the length (the terminator); [`at`] stands
//! in for that read. Its `char` is signed on x86, which matters for ranges
//! such as `[a-\xff]`: bytes from 0x80 up compare as negative numbers.
//! Debian's 7.0.15 carries the fix for CVE-2024-31228, which gives up
//! (no match) beyond 1000 nested `*`.

/// The nesting depth past which Redis treats a pattern as abusive.
const MAX_NESTING: u32 = 1000;

/// True if `string` matches the glob `pattern`, case-sensitively (KEYS,
/// SCAN, PSUBSCRIBE).
pub fn matches(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_from(pattern, 0, string, false, &mut skip_longer, 0)
}

/// The same, with ASCII letters folded (COMMAND LIST's PATTERN filter).
pub fn matches_nocase(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_from(pattern, 0, string, true, &mut skip_longer, 0)
}

/// The byte at `i`, or the C string's terminating NUL past the end.
fn at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

/// A pattern byte as a C `char` on x86 (signed).
fn signed(b: u8) -> i32 {
    i32::from(b as i8)
}

/// C's `tolower` in the C locale, on a (signed) `char` value.
fn lower(c: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// Whether two bytes are equal, folding case if asked.
fn same(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

/// Matches `pat[p..]` against `s`. Like the C code, `p` plus the remaining
/// length always equals `pat.len()`, so the remaining length is derived.
fn match_from(
    pat: &[u8],
    mut p: usize,
    s: &[u8],
    nocase: bool,
    skip_longer: &mut bool,
    nesting: u32,
) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    let mut si = 0;
    while p < pat.len() && si < s.len() {
        match pat[p] {
            b'*' => {
                while p < pat.len() && at(pat, p + 1) == b'*' {
                    p += 1;
                }
                if pat.len() - p == 1 {
                    return true;
                }
                while si < s.len() {
                    if match_from(pat, p + 1, &s[si..], nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    si += 1;
                }
                // The rest of the pattern matched nowhere in the rest of the
                // string, so no earlier `*` can help by matching more: Redis
                // stops the whole search here (its fix for CVE-2022-36021).
                *skip_longer = true;
                return false;
            }
            b'?' => si += 1,
            b'[' => {
                p += 1;
                let not = at(pat, p) == b'^';
                if not {
                    p += 1;
                }
                let c = s[si];
                let mut matched = false;
                loop {
                    let left = pat.len() - p;
                    if at(pat, p) == b'\\' && left >= 2 {
                        p += 1;
                        if pat[p] == c {
                            matched = true;
                        }
                    } else if at(pat, p) == b']' {
                        break;
                    } else if left == 0 {
                        // An unclosed class: step back so the outer loop's
                        // step lands exactly on the end.
                        p -= 1;
                        break;
                    } else if left >= 3 && pat[p + 1] == b'-' {
                        let (mut start, mut end) = (signed(pat[p]), signed(pat[p + 2]));
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        let mut sc = signed(c);
                        if nocase {
                            (start, end, sc) = (lower(start), lower(end), lower(sc));
                        }
                        p += 2;
                        if (start..=end).contains(&sc) {
                            matched = true;
                        }
                    } else if same(pat[p], c, nocase) {
                        matched = true;
                    }
                    p += 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                si += 1;
            }
            // A backslash escapes the next byte, if there is one.
            _ => {
                if pat[p] == b'\\' && pat.len() - p >= 2 {
                    p += 1;
                }
                if !same(pat[p], s[si], nocase) {
                    return false;
                }
                si += 1;
            }
        }
        p += 1;
        if si == s.len() {
            while at(pat, p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p == pat.len() && si == s.len()
}

#[cfg(test)]
mod tests {
    use super::matches;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn stars_and_question_marks() {
        assert!(m("*", "anything"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("a*", "a"));
        assert!(m("a**", "a"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(!m("*a*b*", "xxbxxaxx"));
        // The loop never runs on an empty string, so only an empty
        // pattern matches it (KEYS * lists "" through its own shortcut).
        assert!(m("", ""));
        assert!(!m("*", ""));
        assert!(!m("", "a"));
    }

    #[test]
    fn classes_ranges_and_negation() {
        assert!(m("h[ae]llo", "hello"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"), "reversed ranges are swapped");
        assert!(m("[\\]]", "]"));
        assert!(m("[a-]", "]"), "the range runs to the closing bracket");
        assert!(!m("[a-]", "-"));
    }

    #[test]
    fn unclosed_classes_follow_the_c_code() {
        // `[^` at the end matches any one byte; `[` at the end matches none.
        assert!(m("a[^", "ab"));
        assert!(!m("a[", "ab"));
        assert!(!m("ab[", "ab["));
        assert!(m("[ab", "b"));
    }

    #[test]
    fn escapes() {
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("a\\", "a\\"), "a trailing backslash is literal");
        assert!(m("\\?", "?"));
    }

    #[test]
    fn high_bytes_compare_as_signed_chars() {
        // The range is -1..=97 once swapped: \xff, NUL and `A` fall in it,
        // \x80 (-128) and `b` do not (checked against redis-server).
        assert!(matches(b"[a-\xff]", b"\xff"));
        assert!(matches(b"[a-\xff]", b"\x00"));
        assert!(matches(b"[a-\xff]", b"A"));
        assert!(!matches(b"[a-\xff]", b"\x80"));
        assert!(!matches(b"[a-\xff]", b"b"));
        assert!(matches(b"\x00*", b"\x00\xff"));
    }

    #[test]
    fn nocase_folds_ascii_letters_only() {
        assert!(super::matches_nocase(b"CONFIG|G*", b"config|get"));
        assert!(super::matches_nocase(b"[A-C]x", b"bX"));
        assert!(!super::matches_nocase(b"\xe9", b"\xc9"));
        assert!(!matches(b"GET", b"get"));
    }

    #[test]
    fn deep_nesting_gives_up_like_redis() {
        let s = vec![b'a'; 1100];
        assert!(matches(&b"*a".repeat(1000), &s));
        assert!(!matches(&b"*a".repeat(1001), &s));
    }

    #[test]
    fn pathological_patterns_finish_quickly() {
        let s = vec![b'a'; 5000];
        let mut p = b"a*".repeat(500);
        p.push(b'b');
        assert!(!matches(&p, &s));
    }
}
