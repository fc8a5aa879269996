//! Splitting a command line into arguments exactly as `redis-cli` does
//! (`sdssplitargs`): blanks separate, `"..."` takes C escapes and `\xHH`,
//! `'...'` is literal but for `\'`. A closing quote must be followed by a
//! blank or the end of the line.

/// What redis-cli prints for a line it cannot split.
pub const INVALID_ARGUMENTS: &str = "Invalid argument(s)";

/// The line could not be split: an unbalanced quote, or a closing quote
/// followed by something other than a blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitError;

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(INVALID_ARGUMENTS)
    }
}

pub fn split_args(line: &str) -> Result<Vec<Vec<u8>>, SplitError> {
    split_bytes(line.as_bytes())
}

// C's isspace: space, \t, \n, \v, \f, \r.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

pub fn split_bytes(line: &[u8]) -> Result<Vec<Vec<u8>>, SplitError> {
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut args = Vec::new();
    let mut p = 0;
    loop {
        while p < line.len() && is_space(line[p]) {
            p += 1;
        }
        if p >= line.len() {
            return Ok(args);
        }
        let mut current = Vec::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            let c = at(p);
            if in_double {
                if c == b'\\' && at(p + 1) == b'x' {
                    if let (Some(hi), Some(lo)) = (hex_value(at(p + 2)), hex_value(at(p + 3))) {
                        current.push(hi * 16 + lo);
                        p += 4;
                        continue;
                    }
                }
                if c == b'\\' && p + 1 < line.len() {
                    p += 1;
                    current.push(match line[p] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if p + 1 < line.len() && !is_space(line[p + 1]) {
                        return Err(SplitError);
                    }
                    p += 1;
                    break;
                } else if p >= line.len() {
                    return Err(SplitError);
                } else {
                    current.push(c);
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if p + 1 < line.len() && !is_space(line[p + 1]) {
                        return Err(SplitError);
                    }
                    p += 1;
                    break;
                } else if p >= line.len() {
                    return Err(SplitError);
                } else {
                    current.push(c);
                }
            } else if p >= line.len() || matches!(c, b' ' | b'\n' | b'\r' | b'\t' | 0) {
                break;
            } else if c == b'"' {
                in_double = true;
            } else if c == b'\'' {
                in_single = true;
            } else {
                current.push(c);
            }
            p += 1;
        }
        args.push(current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<String> {
        split_args(line)
            .unwrap()
            .into_iter()
            .map(|a| String::from_utf8_lossy(&a).into_owned())
            .collect()
    }

    #[test]
    fn blanks_separate() {
        assert_eq!(split("  SET  a\tb "), ["SET", "a", "b"]);
        assert!(split("   ").is_empty());
    }

    #[test]
    fn double_quotes_take_escapes() {
        assert_eq!(split(r#"SET k "a b\n\x41\"""#), ["SET", "k", "a b\nA\""]);
        assert_eq!(split(r#""\xZZ""#), ["xZZ"]);
        assert_eq!(split(r#""""#), [""]);
    }

    #[test]
    fn single_quotes_are_literal() {
        assert_eq!(split(r"'a\nb' 'it\'s'"), [r"a\nb", "it's"]);
    }

    #[test]
    fn quotes_may_start_mid_word() {
        assert_eq!(split(r#"ab"c d" e"#), ["abc d", "e"]);
    }

    #[test]
    fn unbalanced_or_glued_quotes_are_invalid() {
        assert_eq!(split_args(r#"SET "a"#), Err(SplitError));
        assert_eq!(split_args("SET 'a"), Err(SplitError));
        assert_eq!(split_args(r#"SET "a"b"#), Err(SplitError));
        assert_eq!(split_args(r#"SET "a\"#), Err(SplitError));
    }
}
