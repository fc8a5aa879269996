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
    strtod_prefix(arg).value
}

/// What C's `strtod` reports: the value, how many bytes it read (`eptr`),
/// and whether it set `errno` to `ERANGE` for a finite text that overflows
/// or a nonzero one that rounds to zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strtod {
    pub value: f64,
    pub len: usize,
    pub erange: bool,
}

/// C's `strtod` with its end pointer and `ERANGE` as glibc sets it:
/// overflow, a nonzero text that rounds to zero, or an inexact subnormal.
pub fn strtod_prefix(arg: &[u8]) -> Strtod {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    let s = &arg[..end];
    let none = Strtod {
        value: 0.0,
        len: 0,
        erange: false,
    };
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
    let lower: Vec<u8> = rest.iter().take(8).map(u8::to_ascii_lowercase).collect();
    let (magnitude, len, erange) = if lower.starts_with(b"inf") {
        let len = if lower == b"infinity" { 8 } else { 3 };
        (f64::INFINITY, len, false)
    } else if lower.starts_with(b"nan") {
        (f64::NAN, 3, false)
    } else if lower.starts_with(b"0x") && hex_follows(&rest[2..]) {
        let len = number_len(&rest[2..], u8::is_ascii_hexdigit, b'p');
        let (v, nonzero) = hex_prefix(&rest[2..]);
        let inexact_tiny = is_subnormal(v) && !exact_hex(&rest[2..2 + len]);
        (
            v,
            2 + len,
            v.is_infinite() || (v == 0.0 && nonzero) || inexact_tiny,
        )
    } else {
        let len = number_len(rest, u8::is_ascii_digit, b'e');
        if len == 0 {
            return none;
        }
        let (v, nonzero) = decimal_prefix(rest);
        // A subnormal is never exact from a decimal text (short of the
        // ~750 digits of its exact expansion).
        (
            v,
            len,
            v.is_infinite() || (v == 0.0 && nonzero) || is_subnormal(v),
        )
    };
    Strtod {
        value: if neg { -magnitude } else { magnitude },
        len: i + len,
        erange,
    }
}

/// Redis's `getDoubleFromObject`: the whole argument must read as a
/// number (no leading space, no NUL byte, not empty), not NaN, and not out
/// of `strtod`'s range by overflow or by a nonzero text rounding to zero
/// (a range error with a subnormal result is accepted, as Redis checks
/// `errno == ERANGE` only with a huge or zero value).
pub fn parse_f64(arg: &[u8]) -> Option<f64> {
    if arg.is_empty() || arg[0].is_ascii_whitespace() || arg[0] == b'\x0b' {
        return None;
    }
    let r = strtod_prefix(arg);
    let out_of_range = r.erange && (r.value.is_infinite() || r.value == 0.0);
    (r.len == arg.len() && !out_of_range && !r.value.is_nan()).then_some(r.value)
}

fn is_subnormal(v: f64) -> bool {
    v != 0.0 && v.abs() < f64::MIN_POSITIVE
}

/// Whether a hex number (the digits after `0x`, a `.`, a `p` exponent)
/// needs no bit below 2^-1074, the lowest bit of a subnormal: glibc
/// reports a range error for a subnormal result only when it is inexact.
fn exact_hex(body: &[u8]) -> bool {
    let p = body
        .iter()
        .position(|b| b.eq_ignore_ascii_case(&b'p'))
        .unwrap_or(body.len());
    let (mantissa, exp) = (&body[..p], body.get(p + 1..).unwrap_or_default());
    // A run of decimal digits, saturating far beyond any exponent that matters.
    let value = |d: &[u8]| {
        d.iter()
            .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(1 << 40))
    };
    let exp: i64 = match exp.split_first() {
        Some((b'-', d)) => -value(d),
        Some((b'+', d)) => value(d),
        _ => value(exp),
    };
    let frac_len = mantissa
        .iter()
        .position(|&b| b == b'.')
        .map_or(0, |dot| mantissa.len() - dot - 1) as i64;
    let digits: Vec<u8> = mantissa.iter().copied().filter(|&b| b != b'.').collect();
    let Some(last) = digits.iter().rposition(|&b| b != b'0') else {
        return true;
    };
    let lowest_digit = (digits[last] as char).to_digit(16).unwrap_or(1);
    let after = (digits.len() - last - 1) as i64;
    let lowest = exp - 4 * frac_len + 4 * after + i64::from(lowest_digit.trailing_zeros());
    lowest >= -1074
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

/// The value of the decimal number at the start of `s`, and whether its
/// digits were not all zero.
fn decimal_prefix(s: &[u8]) -> (f64, bool) {
    let len = number_len(s, u8::is_ascii_digit, b'e');
    let Some((all, frac_len, exp)) = split_number(&s[..len], |b| b.is_ascii_digit(), b'e') else {
        return (0.0, false);
    };
    match exact::scale_decimal(&all, frac_len, exp) {
        None => (0.0, false),
        Some(Scaled::Tiny) => (0.0, true),
        Some(Scaled::Huge) => (f64::INFINITY, true),
        Some(Scaled::Value { n, e2, sticky }) => (round(&n, e2, sticky), true),
    }
}

/// The value of the hex number at the start of `s` (after `0x`), and
/// whether its digits were not all zero.
fn hex_prefix(s: &[u8]) -> (f64, bool) {
    let len = number_len(s, u8::is_ascii_hexdigit, b'p');
    let Some((all, frac_len, exp)) = split_number(&s[..len], |b| b.is_ascii_hexdigit(), b'p')
    else {
        return (0.0, false);
    };
    let Some(start) = all.iter().position(|&d| d != b'0') else {
        return (0.0, false);
    };
    let h = exact::hex_value(&all[start..]);
    let e2 = exp - 4 * frac_len as i64;
    let top = e2 + h.bit_len() as i64 - 1;
    if top > 1024 {
        return (f64::INFINITY, true);
    }
    if top < MIN_EXP - 2 {
        return (0.0, true); // below half the smallest subnormal
    }
    (round(&h, e2, false), true)
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

/// `printf("%.17g")` of a double, as Redis 7.0 writes scores in replies
/// (`addReplyDouble`), with `inf` and `-inf` spelled as Redis spells them.
/// Exact: the binary value's decimal expansion, rounded once to 17
/// significant digits (ties to even), as glibc does.
pub fn format_g17(v: f64) -> String {
    if v.is_nan() {
        return "nan".to_string();
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let a = v.abs();
    if a.is_infinite() {
        return format!("{sign}inf");
    }
    if a == 0.0 {
        return format!("{sign}0");
    }
    // Integers below 2^53 have at most 16 digits: printed as they are.
    if a < 9_007_199_254_740_992.0 && a == (a as i64) as f64 {
        let mut out = sign.as_bytes().to_vec();
        super::write_i64(&mut out, a as i64);
        return String::from_utf8(out).unwrap_or_default();
    }
    let bits = a.to_bits();
    let biased = (bits >> 52) as i64;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    // value = digits * 10^k exactly.
    let (digits, k) = if e >= 0 {
        (Big::from_u64(m).shl(e as u64).to_decimal(), 0)
    } else {
        // m * 2^e = m * 5^-e * 10^e.
        let mut b = Big::from_u64(m);
        let mut left = -e;
        while left > 0 {
            let step = left.min(27);
            b.mul_add_small(5u64.pow(step as u32), 0);
            left -= step;
        }
        (b.to_decimal(), e)
    };
    let d = digits.as_bytes();
    let mut x = d.len() as i64 - 1 + k;
    let mut sig: Vec<u8> = d.iter().copied().take(17).collect();
    sig.resize(17, b'0');
    if d.len() > 17 {
        let dropped = d[17];
        let rest = d[18..].iter().any(|&c| c != b'0');
        let odd = (sig[16] - b'0') % 2 == 1;
        if dropped > b'5' || (dropped == b'5' && (rest || odd)) {
            let mut i = 17;
            loop {
                if i == 0 {
                    sig.insert(0, b'1');
                    sig.truncate(17);
                    x += 1;
                    break;
                }
                i -= 1;
                if sig[i] == b'9' {
                    sig[i] = b'0';
                } else {
                    sig[i] += 1;
                    break;
                }
            }
        }
    }
    let sig = String::from_utf8(sig).unwrap_or_default();
    let trim = |s: &str| s.trim_end_matches('0').to_string();
    if !(-4..17).contains(&x) {
        let frac = trim(&sig[1..]);
        let point = if frac.is_empty() { "" } else { "." };
        let esign = if x < 0 { '-' } else { '+' };
        let ex = x.unsigned_abs();
        let ex = if ex < 10 {
            format!("0{ex}")
        } else {
            ex.to_string()
        };
        format!("{sign}{}{point}{frac}e{esign}{ex}", &sig[..1])
    } else if x >= 0 {
        let (int, frac) = sig.split_at(x as usize + 1);
        let frac = trim(frac);
        let point = if frac.is_empty() { "" } else { "." };
        format!("{sign}{int}{point}{frac}")
    } else {
        let zeros = "0".repeat((-x - 1) as usize);
        format!("{sign}0.{zeros}{}", trim(&sig))
    }
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
