//! C's `strtod` for the `double`s Redis reads with it (DEBUG SLEEP's
//! seconds now; sorted-set scores later): the longest prefix that reads as
//! a number, correctly rounded, as glibc does.

use super::bignum::Big;
use super::exact::{self, Scaled};
use super::long_double::split_number;

/// Exponent of the significand's lowest bit for subnormals and the
/// smallest normal binade (the smallest normal is 2^-1022).
const MIN_EXP: i64 = -1022 - 52;
/// Exponent of the significand's lowest bit in the largest binade.
const MAX_EXP: i64 = 1023 - 52;

/// C's `strtod`: the longest prefix that reads as a number (leading white
/// space, a sign, decimal or hex digits with an exponent, `inf`, `nan`),
/// and 0 when there is none. The text ends at a NUL byte, as a C string.
pub fn strtod(arg: &[u8]) -> f64 {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let s = &arg[..end];
    let mut i = s
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = &s[i..];
    let lower: Vec<u8> = rest.iter().take(3).map(u8::to_ascii_lowercase).collect();
    let magnitude = if lower == b"inf" {
        f64::INFINITY
    } else if lower == b"nan" {
        f64::NAN
    } else if lower.starts_with(b"0x") && hex_follows(&rest[2..]) {
        hex_prefix(&rest[2..])
    } else {
        decimal_prefix(rest)
    };
    if neg {
        -magnitude
    } else {
        magnitude
    }
}

/// Whether the text after `0x` starts a hex number (a digit, or a point
/// and a digit); if not, strtod reads just the `0`.
fn hex_follows(s: &[u8]) -> bool {
    match s {
        [d, ..] if d.is_ascii_hexdigit() => true,
        [b'.', d, ..] => d.is_ascii_hexdigit(),
        _ => false,
    }
}

/// How long the number at the start of `s` is: digits, an optional
/// fraction, and an exponent only if digits follow its letter; 0 if there
/// is no digit.
fn number_len(s: &[u8], is_digit: fn(&u8) -> bool, exp_char: u8) -> usize {
    let digits = |from: usize| {
        s[from.min(s.len())..]
            .iter()
            .take_while(|b| is_digit(b))
            .count()
    };
    let int = digits(0);
    let mut end = int;
    let mut frac = 0;
    if s.get(end) == Some(&b'.') {
        frac = digits(end + 1);
        end += 1 + frac;
    }
    if int + frac == 0 {
        return 0;
    }
    if s.get(end).is_some_and(|&c| c | 0x20 == exp_char) {
        let sign = usize::from(matches!(s.get(end + 1), Some(b'+' | b'-')));
        let exp = s[(end + 1 + sign).min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if exp > 0 {
            end += 1 + sign + exp;
        }
    }
    end
}

fn decimal_prefix(s: &[u8]) -> f64 {
    let len = number_len(s, u8::is_ascii_digit, b'e');
    let Some((all, frac_len, exp)) = split_number(&s[..len], |b| b.is_ascii_digit(), b'e') else {
        return 0.0;
    };
    match exact::scale_decimal(&all, frac_len, exp) {
        None | Some(Scaled::Tiny) => 0.0,
        Some(Scaled::Huge) => f64::INFINITY,
        Some(Scaled::Value { n, e2, sticky }) => round(&n, e2, sticky),
    }
}

fn hex_prefix(s: &[u8]) -> f64 {
    let len = number_len(s, u8::is_ascii_hexdigit, b'p');
    let Some((all, frac_len, exp)) = split_number(&s[..len], |b| b.is_ascii_hexdigit(), b'p')
    else {
        return 0.0;
    };
    let Some(start) = all.iter().position(|&d| d != b'0') else {
        return 0.0;
    };
    let h = exact::hex_value(&all[start..]);
    let e2 = exp - 4 * frac_len as i64;
    let top = e2 + h.bit_len() as i64 - 1;
    if top > 1024 {
        return f64::INFINITY;
    }
    if top < MIN_EXP - 2 {
        return 0.0; // below half the smallest subnormal
    }
    round(&h, e2, false)
}

/// `n * 2^e2` (plus something below its last bit if `sticky`) as the
/// nearest `f64`.
fn round(n: &Big, e2: i64, sticky: bool) -> f64 {
    let (mant, exp) = exact::round(n, e2, sticky, 53, MIN_EXP);
    if exp > MAX_EXP {
        return f64::INFINITY;
    }
    if mant >> 52 == 0 {
        return f64::from_bits(mant); // subnormal (or zero): exp is MIN_EXP
    }
    let biased = (exp - MIN_EXP + 1) as u64;
    f64::from_bits(biased << 52 | (mant & ((1 << 52) - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn reads_the_longest_number_prefix() {
        assert_eq!(strtod(b"1.5"), 1.5);
        assert_eq!(strtod(b"  -2e1xyz"), -20.0);
        assert_eq!(strtod(b"1e"), 1.0);
        assert_eq!(strtod(b"1e+"), 1.0);
        assert_eq!(strtod(b".5"), 0.5);
        assert_eq!(strtod(b"5."), 5.0);
        assert_eq!(strtod(b"abc"), 0.0);
        assert_eq!(strtod(b"."), 0.0);
        assert_eq!(strtod(b"0x1p4"), 16.0);
        assert_eq!(strtod(b"0x1p"), 1.0);
        assert_eq!(strtod(b"0x.8"), 0.5);
        assert_eq!(strtod(b"0xg"), 0.0);
        assert_eq!(strtod(b"0x1.fffffffffffff8p0"), 2.0, "a tie rounds to even");
        assert_eq!(strtod(b"+INF"), f64::INFINITY);
        assert_eq!(strtod(b"-infinity"), f64::NEG_INFINITY);
        assert!(strtod(b"nan").is_nan());
        assert_eq!(strtod(b"1\x002"), 1.0);
        assert_eq!(strtod(b"-0").to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn limits_round_as_glibc_does() {
        assert_eq!(strtod(b"1.7976931348623157e308"), f64::MAX);
        assert_eq!(strtod(b"1.7976931348623159e308"), f64::INFINITY);
        assert_eq!(strtod(b"1e400"), f64::INFINITY);
        assert_eq!(strtod(b"4.9406564584124654e-324"), 5e-324);
        assert_eq!(strtod(b"2.4703282292062328e-324"), 5e-324, "above half");
        assert_eq!(strtod(b"2.4703282292062327e-324"), 0.0, "below half");
        assert_eq!(strtod(b"2.2250738585072011e-308"), 2.225073858507201e-308);
        assert_eq!(strtod(b"1e-400"), 0.0);
        assert_eq!(strtod(b"0x1p-1075"), 0.0, "a tie with zero rounds to even");
        assert_eq!(strtod(b"0x1.0000000000001p-1075"), 5e-324);
        assert_eq!(strtod(b"0x1p1024"), f64::INFINITY);
        assert_eq!(strtod(b"0x1.fffffffffffffp1023"), f64::MAX);
    }

    /// Rust's own parser rounds correctly too: on decimal text the two
    /// must agree bit for bit.
    #[test]
    fn agrees_with_rusts_parser_on_random_decimals() {
        let mut rng = Rng::new(7);
        for _ in 0..20_000 {
            let digits = 1 + rng.below(25) as usize;
            let mut text: String = (0..digits)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            if rng.below(2) == 0 {
                let at = rng.below(digits as u64 + 1) as usize;
                text.insert(at, '.');
            }
            if rng.below(2) == 0 {
                let e = rng.below(700) as i64 - 350;
                text.push_str(&format!("e{e}"));
            }
            let want: f64 = text.parse().unwrap();
            assert_eq!(strtod(text.as_bytes()).to_bits(), want.to_bits(), "{text}");
        }
    }
}
